package io.sift.eval.scenarios;

import io.sift.scenario.InjectedFault;
import io.sift.scenario.NoiseAnomaly;
import io.sift.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;

/**
 * Says which injected fault an anomaly belongs to: one on an item the fault affects, starting between shortly
 * before the fault and a few minutes after its effects end (recovery shows as anomalies too). Everything else
 * belongs to no fault: an injected noise glitch, or a spurious detection.
 */
final class GroundTruth {

    /** Label of an anomaly that belongs to no fault and matches no injected glitch. */
    static final String SPURIOUS = "spurious";
    /** Detection needs a sample or two, and a baseline can lag a drifting series slightly. */
    static final Duration BEFORE_START = Duration.ofMinutes(1);
    /** Recovery, baselines catching up, and queues draining. */
    static final Duration AFTER_END = Duration.ofMinutes(5);

    private final Scenario scenario;

    GroundTruth(Scenario scenario) {
        this.scenario = scenario;
    }

    /** The fault an anomaly of {@code item} starting at {@code onset} belongs to, or null. */
    InjectedFault faultOf(String item, Instant onset) {
        for (InjectedFault fault : scenario.faults()) {
            Instant from = fault.start().minus(BEFORE_START);
            Instant to = fault.end().plus(fault.propagationLag()).plus(AFTER_END);
            if (fault.affectedItems().contains(item) && !onset.isBefore(from) && !onset.isAfter(to)) {
                return fault;
            }
        }
        return null;
    }

    /** The injected glitch an anomaly of {@code item} and {@code metric} starting at {@code onset} shows, or null. */
    NoiseAnomaly noiseOf(String item, String metric, Instant onset) {
        for (NoiseAnomaly noise : scenario.noise()) {
            if (noise.item().equals(item) && noise.metric().equals(metric)
                    && !onset.isBefore(noise.start().minus(BEFORE_START)) && !onset.isAfter(noise.end().plus(AFTER_END))) {
                return noise;
            }
        }
        return null;
    }

    /** A fault id, a noise id, or {@link #SPURIOUS}. */
    String label(String item, String metric, Instant onset) {
        InjectedFault fault = faultOf(item, onset);
        if (fault != null) {
            return fault.id();
        }
        NoiseAnomaly noise = noiseOf(item, metric, onset);
        return noise != null ? noise.id() : SPURIOUS;
    }
}
