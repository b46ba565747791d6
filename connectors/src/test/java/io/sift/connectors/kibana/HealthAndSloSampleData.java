package io.sift.connectors.kibana;

import io.sift.core.detect.ErrorBudget;
import io.sift.core.detect.SloRule;
import io.sift.core.health.HealthModel;
import io.sift.core.health.Kpi;
import io.sift.core.util.StableIds;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SloStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Service health per minute and SLO statuses per minute for the same morning as {@link SampleData}, with the
 * scores and budgets computed by Sift's own {@link HealthModel} and {@link ErrorBudget} (as ServiceHealthFunction
 * and SloBudgetFunction do), so the dashboards are read against values Sift would really write:
 *
 * <ul>
 *   <li>topology frontend → cart, checkout, search; checkout → inventory, payments; cart → cache;
 *   <li>cache saturated from 09:00 to 09:40 (cart's latency and errors suffer, frontend a little through cart);
 *   <li>payments failing from 10:00 on (still ongoing at 11:30): payments critical, checkout and frontend degraded
 *       less per hop; the payments SLO in FAST_BURN;
 *   <li>inventory slow and receiving less from 11:00 to 11:30; its 1-day SLO overspent (EXHAUSTED);
 *   <li>search healthy throughout with an SLO that stays OK; cart's tight 6-hour SLO slides into WARNING.
 * </ul>
 */
final class HealthAndSloSampleData {

    static final String ENVIRONMENT = "prod";
    static final String SLI = "http.server.error.ratio";
    /** Health windows from 09:00 to 11:30, SLO minutes from 06:00 to 11:30 (minutes after {@link SampleData#T0}). */
    static final int HEALTH_FROM = 180;
    static final int END = 330;
    private static final int INSTANCES = 4;

    static final Map<String, List<String>> DEPENDENCIES = new TreeMap<>(Map.of(
            "frontend", List.of("cart", "checkout", "search"),
            "checkout", List.of("inventory", "payments"),
            "cart", List.of("cache"),
            "payments", List.of(),
            "inventory", List.of(),
            "search", List.of(),
            "cache", List.of()));

    /** Requests per second and p95 latency (ms) of each service when healthy. */
    private static final Map<String, double[]> BASELINE = Map.of(
            "frontend", new double[] {420, 180},
            "checkout", new double[] {95, 240},
            "payments", new double[] {60, 160},
            "inventory", new double[] {140, 90},
            "search", new double[] {210, 120},
            "cart", new double[] {130, 70},
            "cache", new double[] {900, 2});

    final List<ServiceHealth> health = new ArrayList<>();
    final List<SloStatus> slo = new ArrayList<>();

    HealthAndSloSampleData() {
        addHealth();
        addSlo(new SloRule("payments-availability", "payments", SLI, 0.999, 28L * 24 * 60));
        addSlo(new SloRule("checkout-availability", "checkout", SLI, 0.999, 28L * 24 * 60));
        addSlo(new SloRule("search-availability", "search", SLI, 0.995, 7L * 24 * 60));
        addSlo(new SloRule("inventory-availability", "inventory", SLI, 0.999, 24L * 60));
        addSlo(new SloRule("cart-availability", "cart", SLI, 0.99, 6L * 60));
    }

    /** Share of failed requests of a service in a minute; null for items without an error-ratio SLI. */
    static Double errorRatio(String service, int minute) {
        double wiggle = 1.0 + 0.2 * Math.sin(minute / 5.0 + service.length());
        switch (service) {
            case "payments":
                return minute >= 240 ? 0.35 * wiggle : 0.0005 * wiggle;
            case "checkout":
                return minute >= 243 ? 0.01 * wiggle : 0.0002 * wiggle;
            case "inventory":
                return minute >= 300 && minute < 330 ? 0.12 * wiggle : 0.0002 * wiggle;
            case "search":
                return 0.001 * wiggle;
            case "cart":
                return 0.0095 * wiggle;
            case "frontend":
                return 0.0003 * wiggle + (minute >= 243 ? 0.004 : 0.0);
            default:
                return null;
        }
    }

    /** KPI severities (0-100) a service's anomalies give a minute, as in SampleData's incidents. */
    private static Map<Kpi, Double> severities(String service, int minute) {
        Map<Kpi, Double> s = new EnumMap<>(Kpi.class);
        boolean cacheEpisode = minute >= 180 && minute < 220;
        switch (service) {
            case "cache":
                if (cacheEpisode) {
                    s.put(Kpi.SATURATION, 91.0);
                }
                break;
            case "cart":
                if (minute >= 182 && minute < 220) {
                    s.put(Kpi.LATENCY, 58.0);
                }
                if (minute >= 185 && minute < 220) {
                    s.put(Kpi.ERRORS, 55.0);
                }
                break;
            case "payments":
                if (minute >= 240) {
                    s.put(Kpi.AVAILABILITY, 99.1);
                }
                if (minute >= 241) {
                    s.put(Kpi.ERRORS, 93.0);
                }
                break;
            case "checkout":
                if (minute >= 243) {
                    s.put(Kpi.LATENCY, 76.0);
                }
                break;
            case "inventory":
                if (minute >= 300 && minute < 330) {
                    s.put(Kpi.LATENCY, 84.0);
                }
                if (minute >= 300 && minute < 328) {
                    s.put(Kpi.THROUGHPUT, 79.0);
                }
                break;
            default:
                break;
        }
        return s;
    }

    private void addHealth() {
        HealthModel model = HealthModel.defaults();
        for (int minute = HEALTH_FROM; minute < END; minute++) {
            Map<String, Map<Kpi, Double>> severity = new LinkedHashMap<>();
            Map<String, Double> own = new TreeMap<>();
            for (String service : DEPENDENCIES.keySet()) {
                Map<Kpi, Double> s = severities(service, minute);
                severity.put(service, s);
                own.put(service, model.ownHealth(s));
            }
            Map<String, HealthModel.Result> propagated = model.propagate(own, DEPENDENCIES::get);
            for (String service : DEPENDENCIES.keySet()) {
                health.add(health(service, minute, own.get(service), propagated.get(service), severity.get(service)));
            }
        }
    }

    private static ServiceHealth health(String service, int minute, double own, HealthModel.Result result,
            Map<Kpi, Double> severity) {
        Instant start = SampleData.T0.plus(Duration.ofMinutes(minute));
        double wiggle = 1.0 + 0.05 * Math.sin(minute / 7.0 + service.length());
        double[] base = BASELINE.get(service);
        double throughput = base[0] * wiggle * (1.0 - 0.4 * severity.getOrDefault(Kpi.THROUGHPUT, 0.0) / 100.0);
        double p95 = base[1] * wiggle * (1.0 + severity.getOrDefault(Kpi.LATENCY, 0.0) / 40.0);
        Double ratio = errorRatio(service, minute);
        double saturation = service.equals("cache")
                ? (severity.containsKey(Kpi.SATURATION) ? 0.93 : 0.6) * wiggle
                : 0.4 * wiggle;
        double errors = severity.containsKey(Kpi.ERRORS) || severity.containsKey(Kpi.AVAILABILITY)
                ? 40 + minute % 7 : minute % 3;
        return ServiceHealth.newBuilder()
                .setId(StableIds.of("health", ENVIRONMENT, service, "1m", Long.toString(start.toEpochMilli())))
                .setEnvironment(ENVIRONMENT)
                .setService(service)
                .setWindow("1m")
                .setWindowStart(start)
                .setWindowEnd(start.plus(Duration.ofMinutes(1)))
                .setHealth(result.health())
                .setOwnHealth(own)
                .setStatus(HealthModel.status(result.health()))
                .setWorstDependency(result.worstDependency())
                .setWorstDependencyHealth(result.worstDependencyHealth())
                .setDependencies(DEPENDENCIES.get(service))
                .setAvailability(ratio == null ? null : 1.0 - ratio)
                .setErrorRatio(ratio)
                .setLatencyP50(p95 * 0.45)
                .setLatencyP95(p95)
                .setLatencyP99(p95 * 1.8)
                .setErrorCount(errors)
                .setThroughput(throughput)
                .setSaturation(saturation)
                .setAvailabilitySeverity(severity.getOrDefault(Kpi.AVAILABILITY, 0.0))
                .setLatencySeverity(severity.getOrDefault(Kpi.LATENCY, 0.0))
                .setErrorSeverity(severity.getOrDefault(Kpi.ERRORS, 0.0))
                .setThroughputSeverity(severity.getOrDefault(Kpi.THROUGHPUT, 0.0))
                .setSaturationSeverity(severity.getOrDefault(Kpi.SATURATION, 0.0))
                .setSamples(INSTANCES * 5)
                .build();
    }

    /** One status per minute from 06:00, the budget fed with one SLI sample per instance and minute. */
    private void addSlo(SloRule rule) {
        ErrorBudget budget = new ErrorBudget(rule.windowMinutes);
        for (int minute = 0; minute < END; minute++) {
            long minuteStart = SampleData.T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
            double ratio = errorRatio(rule.service, minute);
            for (int instance = 0; instance < INSTANCES; instance++) {
                // Instances spread around the service's ratio; their mean is the ratio.
                budget.add(minuteStart + instance * 10_000L, ratio * (0.7 + 0.2 * instance));
            }
            ErrorBudget.Status s = budget.status(rule, ErrorBudget.minuteOf(minuteStart));
            slo.add(s.toRecord(ENVIRONMENT, rule));
        }
    }
}
