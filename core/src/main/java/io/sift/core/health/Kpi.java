package io.sift.core.health;

import io.sift.core.util.NameMemo;
import io.sift.schema.Direction;
import java.util.Locale;
import java.util.Set;

/**
 * The key performance indicators of a service's health, and which metric (by its name, OpenTelemetry style) feeds
 * which. A metric that fits none is not a KPI (it still has its anomalies, but they do not move health).
 */
public enum Kpi {
    /** Success ratio: 1 - error ratio (http.server.error.ratio), or an availability/success ratio itself. */
    AVAILABILITY,
    /** Request latency percentiles (…duration.p95, …latency.p99). */
    LATENCY,
    /** Error events per window (log.error.count, …errors). */
    ERRORS,
    /** Requests per second (…request.rate, throughput, rps). */
    THROUGHPUT,
    /** Utilisation of a resource, 0-1 (cpu, memory, connection pool). */
    SATURATION;

    private static final Set<String> LATENCY_WORDS = Set.of("latency", "duration");
    private static final Set<String> SATURATION_WORDS = Set.of("utilization", "utilisation", "usage", "saturation");
    private static final Set<String> THROUGHPUT_WORDS = Set.of("throughput", "rps", "qps", "tps");
    private static final Set<String> AVAILABILITY_WORDS = Set.of("availability", "success", "successful");

    /** KPIs of the metric names seen so far: asked for every sample, and reading a name takes a regular expression. */
    private static final NameMemo<Kpi> KPIS = new NameMemo<>(Kpi::classify, 10_000);
    private static final NameMemo<Boolean> SUCCESS_RATIOS = new NameMemo<>(Kpi::classifySuccessRatio, 10_000);

    /** The KPI a metric feeds, or null. */
    public static Kpi of(String metric) {
        return metric == null ? null : KPIS.get(metric);
    }

    private static Kpi classify(String metric) {
        String[] tokens = metric.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        Set<String> words = Set.of(tokens);
        boolean error = words.contains("error") || words.contains("errors") || words.contains("failure")
                || words.contains("failed");
        if (error && (words.contains("ratio") || words.contains("fraction") || words.contains("percent"))) {
            return AVAILABILITY;
        }
        if (words.stream().anyMatch(AVAILABILITY_WORDS::contains)) {
            return AVAILABILITY;
        }
        if (error) {
            return ERRORS;
        }
        if (words.stream().anyMatch(LATENCY_WORDS::contains)) {
            return LATENCY;
        }
        if (words.stream().anyMatch(SATURATION_WORDS::contains)) {
            return SATURATION;
        }
        if (words.stream().anyMatch(THROUGHPUT_WORDS::contains)
                || words.contains("request") && words.contains("rate")) {
            return THROUGHPUT;
        }
        return null;
    }

    /** Whether the metric is a success ratio (availability falls as it falls) rather than an error ratio. */
    public static boolean isSuccessRatio(String metric) {
        return metric != null && SUCCESS_RATIOS.get(metric);
    }

    private static boolean classifySuccessRatio(String metric) {
        if (of(metric) != AVAILABILITY) {
            return false;
        }
        String m = metric.toLowerCase(Locale.ROOT);
        return !(m.contains("error") || m.contains("fail"));
    }

    /**
     * Whether an anomaly of this metric in this direction hurts this KPI: errors, latency and saturation by
     * rising, a success ratio by falling, throughput either way (a surge saturates, a drop means callers fail).
     */
    public static boolean harms(String metric, Direction direction) {
        Kpi kpi = of(metric);
        if (kpi == null) {
            return false;
        }
        return switch (kpi) {
            case THROUGHPUT -> true;
            case AVAILABILITY -> isSuccessRatio(metric) ? direction == Direction.DOWN : direction == Direction.UP;
            default -> direction == Direction.UP;
        };
    }
}
