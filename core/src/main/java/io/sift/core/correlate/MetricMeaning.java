package io.sift.core.correlate;

import io.sift.core.util.NameMemo;
import java.util.Locale;
import java.util.Set;

/**
 * What a metric measures, read from its name, and so which direction of a deviation says something is wrong at the
 * item itself. Traffic (request rate, throughput) is set by the callers: a drop means less traffic arrives, an
 * effect of a caller that cannot reach the item or lost its own users, not a fault of the item. Latency, errors and
 * saturation only hurt by rising; availability, success and hit ratios only by falling. A deviation the other way
 * is no evidence of a fault at the item. Metrics of unknown meaning count in either direction.
 */
public final class MetricMeaning {

    enum Kind { TRAFFIC, HARMFUL_UP, HARMFUL_DOWN, UNKNOWN }

    private static final Set<String> FAILURE = Set.of("error", "errors", "err", "fail", "failed", "failure",
            "failures", "fault", "faults", "5xx", "exception", "exceptions", "timeout", "timeouts", "reject",
            "rejected", "dropped", "retry", "retries", "restart", "restarts");
    private static final Set<String> HARMFUL_UP = Set.of("latency", "duration", "p50", "p90", "p95", "p99", "time",
            "cpu", "memory", "utilization", "utilisation", "usage", "saturation", "load", "depth", "lag", "backlog",
            "wait", "pending", "queue", "swap", "gc", "throttled", "throttling", "iowait");
    private static final Set<String> HARMFUL_DOWN = Set.of("availability", "available", "success", "successful",
            "hit", "hits", "apdex", "uptime", "up", "free", "idle", "healthy");
    private static final Set<String> TRAFFIC = Set.of("throughput", "rps", "qps", "tps", "requests", "request",
            "calls", "invocations", "transactions", "traffic");

    /**
     * Kinds of the metric names seen so far: the ranker asks for every anomaly of every incident version, and splitting
     * the name with a regular expression each time was a fifth of the correlator's time. A deployment has a bounded
     * set of metric names.
     */
    private static final NameMemo<Kind> KINDS = new NameMemo<>(MetricMeaning::classify, 10_000);

    private MetricMeaning() {
    }

    static Kind of(String metric) {
        return metric == null ? Kind.UNKNOWN : KINDS.get(metric);
    }

    private static Kind classify(String metric) {
        String[] tokens = metric.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        boolean failure = false;
        boolean harmfulUp = false;
        boolean harmfulDown = false;
        boolean traffic = false;
        for (String token : tokens) {
            failure |= FAILURE.contains(token);
            harmfulUp |= HARMFUL_UP.contains(token);
            harmfulDown |= HARMFUL_DOWN.contains(token);
            traffic |= TRAFFIC.contains(token);
        }
        // Failures only hurt by rising, whatever else the name says ("requests.failed"); a name with something that
        // hurts by falling is about that ("memory.free", "cache.hit.ratio"); a request duration is latency, not
        // traffic.
        if (failure) {
            return Kind.HARMFUL_UP;
        }
        if (harmfulDown) {
            return Kind.HARMFUL_DOWN;
        }
        if (harmfulUp) {
            return Kind.HARMFUL_UP;
        }
        if (traffic) {
            return Kind.TRAFFIC;
        }
        return Kind.UNKNOWN;
    }

    /**
     * Whether a deviation of this metric in this direction is harmless by the metric's meaning: a resource's usage,
     * a latency or an error count falling, an availability or free capacity rising. Traffic either way and metrics
     * of unknown meaning are never harmless (a drop in traffic is a symptom even when not a cause).
     */
    public static boolean isHarmless(String metric, boolean up) {
        return switch (of(metric)) {
            case HARMFUL_UP -> !up;
            case HARMFUL_DOWN -> up;
            case TRAFFIC, UNKNOWN -> false;
        };
    }

    /** Whether a deviation of this metric in this direction is evidence of a fault at the item itself. */
    static boolean isCauseEvidence(String metric, boolean up) {
        return switch (of(metric)) {
            case TRAFFIC, HARMFUL_UP -> up;
            case HARMFUL_DOWN -> !up;
            case UNKNOWN -> true;
        };
    }
}
