package io.sift.core.health;

import io.sift.schema.HealthStatus;
import java.io.Serializable;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Health scores, 0-100, from KPI severities, propagated through the dependency tree (in the manner of ITSI's
 * service tree, with one rule instead of per-edge importance):
 *
 * <ul>
 *   <li>own health = 100 x product over KPIs of (1 - weight x severity / 100): a KPI's weight is the share of the
 *       health it takes away alone at full severity (availability 1.0 can take all of it, throughput 0.3 at most
 *       30 points); the severity of a KPI is the peak score (0-100) of the anomalies hurting it in the window, that
 *       is its deviation from its robust baseline, or a burn-rate alert of its SLO;</li>
 *   <li>health = min(own, 100 - impact x (100 - health of the worst dependency)): a service is at most as healthy
 *       as what it depends on, attenuated by the dependency impact (0.5: a dependency at 0 caps its callers at 50,
 *       their callers at 75), so degradation fades with every hop and unrelated services stay at their own
 *       health. Cycles are resolved by iterating to the fixed point (values only fall, so it ends).</li>
 * </ul>
 */
public final class HealthModel implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String WEIGHTS_SYNTAX = "'<kpi>:<weight>' separated by ',', kpi one of availability, latency,"
            + " errors, throughput, saturation, weight 0-1 (e.g. 'availability:1.0,latency:0.6')";
    /** Health at or above which a service is HEALTHY, and below which it is CRITICAL. */
    public static final double HEALTHY = 80.0;
    public static final double CRITICAL = 50.0;

    private final EnumMap<Kpi, Double> weights;
    public final double dependencyImpact;

    public HealthModel(Map<Kpi, Double> weights, double dependencyImpact) {
        if (!(dependencyImpact >= 0.0 && dependencyImpact <= 1.0)) {
            throw new IllegalArgumentException("dependency impact must be between 0 and 1, e.g. 0.5; got "
                    + dependencyImpact);
        }
        this.weights = new EnumMap<>(defaultWeights());
        for (Map.Entry<Kpi, Double> e : weights.entrySet()) {
            if (!(e.getValue() >= 0.0 && e.getValue() <= 1.0)) {
                throw new IllegalArgumentException("weight of " + e.getKey().name().toLowerCase(Locale.ROOT)
                        + " must be between 0 and 1; got " + e.getValue());
            }
            this.weights.put(e.getKey(), e.getValue());
        }
        this.dependencyImpact = dependencyImpact;
    }

    public static HealthModel defaults() {
        return new HealthModel(Map.of(), 0.5);
    }

    /** Availability 1.0, latency 0.6, errors 0.5, saturation 0.4, throughput 0.3. */
    public static Map<Kpi, Double> defaultWeights() {
        EnumMap<Kpi, Double> w = new EnumMap<>(Kpi.class);
        w.put(Kpi.AVAILABILITY, 1.0);
        w.put(Kpi.LATENCY, 0.6);
        w.put(Kpi.ERRORS, 0.5);
        w.put(Kpi.SATURATION, 0.4);
        w.put(Kpi.THROUGHPUT, 0.3);
        return w;
    }

    /** Parses {@link #WEIGHTS_SYNTAX}; KPIs not named keep their default weight. */
    public static Map<Kpi, Double> parseWeights(String text) {
        Map<Kpi, Double> weights = new EnumMap<>(Kpi.class);
        if (text == null || text.isBlank()) {
            return weights;
        }
        for (String part : text.split("[,;]")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("[:=]");
            if (kv.length != 2) {
                throw new IllegalArgumentException("'" + part.strip() + "': expected " + WEIGHTS_SYNTAX);
            }
            Kpi kpi;
            try {
                kpi = Kpi.valueOf(kv[0].strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + kv[0].strip() + "' is not a KPI; expected " + WEIGHTS_SYNTAX);
            }
            try {
                weights.put(kpi, Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + kv[1].strip() + "' is not a number; expected " + WEIGHTS_SYNTAX);
            }
        }
        return weights;
    }

    public double weight(Kpi kpi) {
        return weights.get(kpi);
    }

    /** Own health from KPI severities (0-100 each; missing KPIs are at 0). */
    public double ownHealth(Map<Kpi, Double> severity) {
        double health = 100.0;
        for (Map.Entry<Kpi, Double> e : severity.entrySet()) {
            double s = Math.max(0.0, Math.min(100.0, e.getValue()));
            health *= 1.0 - weights.get(e.getKey()) * s / 100.0;
        }
        return health;
    }

    public static HealthStatus status(double health) {
        return health >= HEALTHY ? HealthStatus.HEALTHY : health >= CRITICAL ? HealthStatus.DEGRADED
                : HealthStatus.CRITICAL;
    }

    /** A service's propagated health and the dependency that limits it. */
    public record Result(double health, String worstDependency, Double worstDependencyHealth) {}

    /**
     * Propagates own health through the dependencies ({@code dependenciesOf(item)}: what it calls, depends on or runs
     * on). Items that are dependencies but have no own health count as 100 themselves but still pass on what is
     * below them. Returns a result for every item of {@code own}.
     */
    public Map<String, Result> propagate(Map<String, Double> own, Function<String, ? extends Collection<String>> dependenciesOf) {
        Set<String> nodes = new TreeSet<>(own.keySet());
        java.util.ArrayDeque<String> frontier = new java.util.ArrayDeque<>(nodes);
        while (!frontier.isEmpty() && nodes.size() < 100_000) {
            for (String d : dependenciesOf.apply(frontier.poll())) {
                if (nodes.add(d)) {
                    frontier.add(d);
                }
            }
        }
        Map<String, Double> health = new HashMap<>();
        for (String n : nodes) {
            health.put(n, own.getOrDefault(n, 100.0));
        }
        boolean changed = true;
        for (int pass = 0; changed && pass <= nodes.size() + 1; pass++) {
            changed = false;
            for (String n : nodes) {
                double worst = 100.0;
                for (String d : dependenciesOf.apply(n)) {
                    if (!d.equals(n)) {
                        worst = Math.min(worst, health.get(d));
                    }
                }
                double h = Math.min(own.getOrDefault(n, 100.0), 100.0 - dependencyImpact * (100.0 - worst));
                if (h < health.get(n) - 1e-9) {
                    health.put(n, h);
                    changed = true;
                }
            }
        }
        Map<String, Result> results = new TreeMap<>();
        for (String n : own.keySet()) {
            String worstName = null;
            Double worstHealth = null;
            for (String d : new TreeSet<>(dependenciesOf.apply(n))) {
                if (!d.equals(n) && (worstHealth == null || health.get(d) < worstHealth)) {
                    worstName = d;
                    worstHealth = health.get(d);
                }
            }
            results.put(n, new Result(health.get(n), worstName, worstHealth));
        }
        return results;
    }
}
