package io.sift.core.correlate;

import java.io.Serializable;
import java.time.Duration;

/** Settings of the correlator; every value is checked at build time. */
public final class CorrelationConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Environment of signals that name none. */
    public final String defaultEnvironment;
    /** An anomaly joins an incident seen within this gap (event time). */
    public final long gapMillis;
    /** An anomaly joins an incident when its item is within this many topology hops of one of the incident's. */
    public final int maxHops;
    /** Quiet time after the last anomaly ended before an incident resolves. */
    public final long quietMillis;
    /** A recurrence within this time after resolution reopens the incident (same id). */
    public final long reopenMillis;
    /** Changes this long before an anomaly's onset are suspects. */
    public final long changeLookbackMillis;
    /** Anomaly references kept per incident (the count stays exact). */
    public final int maxAnomalyRefs;
    /** Root-cause hints per incident. */
    public final int maxHints;

    private CorrelationConfig(Builder b) {
        this.defaultEnvironment = b.defaultEnvironment;
        this.gapMillis = b.gap.toMillis();
        this.maxHops = b.maxHops;
        this.quietMillis = b.quiet.toMillis();
        this.reopenMillis = b.reopen.toMillis();
        this.changeLookbackMillis = b.changeLookback.toMillis();
        this.maxAnomalyRefs = b.maxAnomalyRefs;
        this.maxHints = b.maxHints;
    }

    public static CorrelationConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change a few. */
    public Builder toBuilder() {
        return builder().defaultEnvironment(defaultEnvironment).gap(Duration.ofMillis(gapMillis)).maxHops(maxHops)
                .quiet(Duration.ofMillis(quietMillis)).reopen(Duration.ofMillis(reopenMillis))
                .changeLookback(Duration.ofMillis(changeLookbackMillis)).maxAnomalyRefs(maxAnomalyRefs)
                .maxHints(maxHints);
    }

    /** Builder with validation that says what to change. */
    public static final class Builder {
        private String defaultEnvironment = "prod";
        private Duration gap = Duration.ofMinutes(10);
        private int maxHops = 2;
        private Duration quiet = Duration.ofMinutes(10);
        private Duration reopen = Duration.ofMinutes(30);
        private Duration changeLookback = Duration.ofMinutes(30);
        private int maxAnomalyRefs = 50;
        private int maxHints = 3;

        public Builder defaultEnvironment(String v) { this.defaultEnvironment = v; return this; }
        public Builder gap(Duration v) { this.gap = v; return this; }
        public Builder maxHops(int v) { this.maxHops = v; return this; }
        public Builder quiet(Duration v) { this.quiet = v; return this; }
        public Builder reopen(Duration v) { this.reopen = v; return this; }
        public Builder changeLookback(Duration v) { this.changeLookback = v; return this; }
        public Builder maxAnomalyRefs(int v) { this.maxAnomalyRefs = v; return this; }
        public Builder maxHints(int v) { this.maxHints = v; return this; }

        public CorrelationConfig build() {
            require(defaultEnvironment != null && !defaultEnvironment.isBlank(),
                    "defaultEnvironment: name the environment of signals that carry none, e.g. 'prod'");
            require(gap != null && !gap.isNegative() && !gap.isZero(), "gap must be a positive duration, e.g. 10m");
            require(maxHops >= 0, "maxHops must be 0 (same item only) or more; got " + maxHops);
            require(quiet != null && !quiet.isNegative() && !quiet.isZero(), "quiet must be a positive duration, e.g. 10m");
            require(reopen != null && !reopen.isNegative(), "reopen must be zero (never reopen) or positive");
            require(changeLookback != null && !changeLookback.isNegative(), "changeLookback must be zero or positive");
            require(maxAnomalyRefs >= 1, "maxAnomalyRefs must be at least 1; got " + maxAnomalyRefs);
            require(maxHints >= 1, "maxHints must be at least 1; got " + maxHints);
            return new CorrelationConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
