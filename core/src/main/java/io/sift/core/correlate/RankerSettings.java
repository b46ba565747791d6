package io.sift.core.correlate;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of {@link RootCauseRanker} that depend on the telemetry rather than on an incident. One configuration
 * serves every incident of a deployment.
 *
 * <p>The weights of the evidence (defaults in brackets; only their ratios matter):
 * <ul>
 *   <li>{@code walk} [0.30]: where a random walk from the symptoms along anomalous dependencies ends;</li>
 *   <li>{@code topology} [0.20]: depends on no other anomalous item and explains those that depend on it;</li>
 *   <li>{@code onset} [0.15]: started first (against the whole incident and against what it would explain);</li>
 *   <li>{@code strength} [0.10]: how far its metrics deviate, summed over what it measures;</li>
 *   <li>{@code change} [0.25]: a change was made to it shortly before its onset.</li>
 * </ul>
 */
public final class RankerSettings implements Serializable {

    private static final long serialVersionUID = 2L;

    public static final double DEFAULT_WALK_WEIGHT = 0.30;
    public static final double DEFAULT_TOPOLOGY_WEIGHT = 0.20;
    public static final double DEFAULT_ONSET_WEIGHT = 0.15;
    public static final double DEFAULT_STRENGTH_WEIGHT = 0.10;
    public static final double DEFAULT_CHANGE_WEIGHT = 0.25;
    /** Suits 10-60 s samples, as the streaming job's metrics. */
    public static final long DEFAULT_ONSET_RESOLUTION_MILLIS = 120_000;

    /**
     * How far apart two onsets may be and still count as "started together": about the sampling interval plus the
     * detection delay. Anomalies of a caller and its dependency that start much further apart are unlikely to be
     * one fault travelling along the call.
     */
    public final long onsetResolutionMillis;
    public final double walkWeight;
    public final double topologyWeight;
    public final double onsetWeight;
    public final double strengthWeight;
    public final double changeWeight;

    private RankerSettings(long onsetResolutionMillis, double walk, double topology, double onset, double strength,
            double change) {
        if (onsetResolutionMillis <= 0) {
            throw new IllegalArgumentException("onsetResolutionMillis must be positive, e.g. 120000 for 10-60 s samples; got "
                    + onsetResolutionMillis);
        }
        double[] weights = {walk, topology, onset, strength, change};
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("ranker weights must be finite and 0 or more, e.g. walk=0.30; got "
                        + describe(walk, topology, onset, strength, change));
            }
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("at least one ranker weight must be positive; got "
                    + describe(walk, topology, onset, strength, change));
        }
        this.onsetResolutionMillis = onsetResolutionMillis;
        this.walkWeight = walk;
        this.topologyWeight = topology;
        this.onsetWeight = onset;
        this.strengthWeight = strength;
        this.changeWeight = change;
    }

    public static RankerSettings defaults() {
        return new RankerSettings(DEFAULT_ONSET_RESOLUTION_MILLIS, DEFAULT_WALK_WEIGHT, DEFAULT_TOPOLOGY_WEIGHT,
                DEFAULT_ONSET_WEIGHT, DEFAULT_STRENGTH_WEIGHT, DEFAULT_CHANGE_WEIGHT);
    }

    public static RankerSettings withOnsetResolution(long onsetResolutionMillis) {
        return defaults().onsetResolution(onsetResolutionMillis);
    }

    /** These settings with another onset resolution. */
    public RankerSettings onsetResolution(long millis) {
        return new RankerSettings(millis, walkWeight, topologyWeight, onsetWeight, strengthWeight, changeWeight);
    }

    /**
     * These settings with the weights named in {@code text}, e.g. {@code "walk=0.3,onset=0.2"} (names: walk,
     * topology, onset, strength, change; those not named keep their value). Empty: unchanged.
     */
    public RankerSettings weights(String text) {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put("walk", walkWeight);
        w.put("topology", topologyWeight);
        w.put("onset", onsetWeight);
        w.put("strength", strengthWeight);
        w.put("change", changeWeight);
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("[=:]", 2);
            String name = kv[0].strip().toLowerCase(Locale.ROOT);
            if (kv.length != 2 || !w.containsKey(name)) {
                throw new IllegalArgumentException("ranker weight '" + part.strip() + "': expected <name>=<number> with"
                        + " name one of " + w.keySet() + ", e.g. walk=0.30");
            }
            try {
                w.put(name, Double.parseDouble(kv[1].strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ranker weight '" + part.strip() + "': " + kv[1].strip()
                        + " is no number, e.g. walk=0.30", e);
            }
        }
        return new RankerSettings(onsetResolutionMillis, w.get("walk"), w.get("topology"), w.get("onset"),
                w.get("strength"), w.get("change"));
    }

    private static String describe(double walk, double topology, double onset, double strength, double change) {
        return "walk=" + walk + ",topology=" + topology + ",onset=" + onset + ",strength=" + strength + ",change="
                + change;
    }

    @Override
    public String toString() {
        return describe(walkWeight, topologyWeight, onsetWeight, strengthWeight, changeWeight)
                + ",onsetResolutionMillis=" + onsetResolutionMillis;
    }
}
