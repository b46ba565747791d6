package io.sift.core.correlate;

import java.io.Serializable;
import java.time.Duration;

/** Settings of the correlator; every value is checked at build time. */
public final class CorrelationConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Environment of signals that name none. */
    public final String defaultEnvironment;
    /** A recurrence on an item of an open incident joins it when it starts within this gap of the incident's activity. */
    public final long gapMillis;
    /**
     * An anomaly joins through the topology only while a linked anomaly of the incident is ongoing or ended at most
     * this long before its onset (detection granularity): trouble that starts after another ended is not its effect.
     */
    public final long linkGapMillis;
    /** A cause may be detected up to this long after its effects (sampling phases, log windows). */
    public final long onsetToleranceMillis;
    /**
     * An anomaly linked to several open incidents merges them only where its onset is within this time of the
     * linked anomalies' onsets; otherwise it joins the most closely linked one.
     */
    public final long mergeWindowMillis;
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
    /** An incident that resolves or reopens more than this many times within {@link #flapWindowMillis} flaps. */
    public final int flapCount;
    /** The period in which state changes are counted for flapping. */
    public final long flapWindowMillis;
    /** A flapping incident resolves only after this much quiet (instead of the quiet period); default 3 × quiet. */
    public final long flapQuietMillis;
    /**
     * An anomaly ongoing for longer than this is a standing condition: it keeps its incident open but no longer draws
     * later anomalies (of its item or linked items) into it, so a fault hours into a long-running condition opens an
     * incident of its own. Zero: ongoing anomalies draw in later ones however old they are.
     */
    public final long standingAfterMillis;
    /**
     * Whether an anomaly that is harmless by its metric's meaning (usage or latency falling, free capacity rising:
     * see {@code MetricMeaning}) may open an incident by itself. By default it only joins open incidents: a disk whose
     * usage drops after log rotation is no page.
     */
    public final boolean openOnHarmless;
    /**
     * Items the topology does not place (no known dependency or dependent) are grouped when an anomaly starts within
     * this time of an incident's opening; zero: never by onset alone.
     */
    public final long coOnsetMillis;
    /** User rules that group anomalies sharing attribute values (as Alertmanager's group_by); none by default. */
    public final GroupingRules grouping;
    /** Maintenance windows and silences from the settings (sift.maintenance.windows); empty: none. */
    public final java.util.List<io.sift.core.maintenance.MaintenanceWindow> maintenance;
    /** Settings of the root-cause ranker (weights of its evidence, onset resolution). */
    public final io.sift.core.correlate.RankerSettings ranker;

    private CorrelationConfig(Builder b) {
        this.defaultEnvironment = b.defaultEnvironment;
        this.gapMillis = b.gap.toMillis();
        this.linkGapMillis = b.linkGap.toMillis();
        this.onsetToleranceMillis = b.onsetTolerance.toMillis();
        this.mergeWindowMillis = b.mergeWindow.toMillis();
        this.maxHops = b.maxHops;
        this.quietMillis = b.quiet.toMillis();
        this.reopenMillis = b.reopen.toMillis();
        this.changeLookbackMillis = b.changeLookback.toMillis();
        this.maxAnomalyRefs = b.maxAnomalyRefs;
        this.maxHints = b.maxHints;
        this.flapCount = b.flapCount;
        this.flapWindowMillis = b.flapWindow.toMillis();
        this.flapQuietMillis = b.flapQuiet != null ? b.flapQuiet.toMillis() : 3 * b.quiet.toMillis();
        this.grouping = b.grouping;
        this.standingAfterMillis = b.standingAfter.toMillis();
        this.openOnHarmless = b.openOnHarmless;
        this.coOnsetMillis = b.coOnset.toMillis();
        this.maintenance = java.util.List.copyOf(b.maintenance);
        this.ranker = b.ranker;
    }

    public static CorrelationConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change a few. */
    public Builder toBuilder() {
        return builder().defaultEnvironment(defaultEnvironment).gap(Duration.ofMillis(gapMillis))
                .linkGap(Duration.ofMillis(linkGapMillis)).onsetTolerance(Duration.ofMillis(onsetToleranceMillis))
                .mergeWindow(Duration.ofMillis(mergeWindowMillis))
                .maxHops(maxHops)
                .quiet(Duration.ofMillis(quietMillis)).reopen(Duration.ofMillis(reopenMillis))
                .changeLookback(Duration.ofMillis(changeLookbackMillis)).maxAnomalyRefs(maxAnomalyRefs)
                .maxHints(maxHints).flapCount(flapCount).flapWindow(Duration.ofMillis(flapWindowMillis))
                .flapQuiet(Duration.ofMillis(flapQuietMillis)).grouping(grouping)
                .standingAfter(Duration.ofMillis(standingAfterMillis)).openOnHarmless(openOnHarmless)
                .coOnset(Duration.ofMillis(coOnsetMillis)).maintenance(maintenance).ranker(ranker);
    }

    /** Builder with validation that says what to change. */
    public static final class Builder {
        private String defaultEnvironment = "prod";
        private Duration gap = Duration.ofMinutes(10);
        private Duration linkGap = Duration.ofSeconds(30);
        private Duration onsetTolerance = Duration.ofMinutes(1);
        private Duration mergeWindow = Duration.ofMinutes(1);
        private int maxHops = 2;
        private Duration quiet = Duration.ofMinutes(10);
        private Duration reopen = Duration.ofMinutes(30);
        private Duration changeLookback = Duration.ofMinutes(30);
        private int maxAnomalyRefs = 50;
        private int maxHints = 3;
        private int flapCount = 3;
        private Duration flapWindow = Duration.ofHours(1);
        private Duration flapQuiet;
        private GroupingRules grouping = GroupingRules.none();
        private Duration standingAfter = Duration.ofHours(1);
        private boolean openOnHarmless = false;
        private Duration coOnset = Duration.ofMinutes(1);
        private java.util.List<io.sift.core.maintenance.MaintenanceWindow> maintenance = java.util.List.of();
        private io.sift.core.correlate.RankerSettings ranker = io.sift.core.correlate.RankerSettings.defaults();

        public Builder defaultEnvironment(String v) { this.defaultEnvironment = v; return this; }
        public Builder gap(Duration v) { this.gap = v; return this; }
        public Builder linkGap(Duration v) { this.linkGap = v; return this; }
        public Builder onsetTolerance(Duration v) { this.onsetTolerance = v; return this; }
        public Builder mergeWindow(Duration v) { this.mergeWindow = v; return this; }
        public Builder maxHops(int v) { this.maxHops = v; return this; }
        public Builder quiet(Duration v) { this.quiet = v; return this; }
        public Builder reopen(Duration v) { this.reopen = v; return this; }
        public Builder changeLookback(Duration v) { this.changeLookback = v; return this; }
        public Builder maxAnomalyRefs(int v) { this.maxAnomalyRefs = v; return this; }
        public Builder maxHints(int v) { this.maxHints = v; return this; }
        public Builder flapCount(int v) { this.flapCount = v; return this; }
        public Builder flapWindow(Duration v) { this.flapWindow = v; return this; }
        public Builder flapQuiet(Duration v) { this.flapQuiet = v; return this; }
        public Builder grouping(GroupingRules v) { this.grouping = v; return this; }
        public Builder standingAfter(Duration v) { this.standingAfter = v; return this; }
        public Builder openOnHarmless(boolean v) { this.openOnHarmless = v; return this; }
        public Builder coOnset(Duration v) { this.coOnset = v; return this; }
        public Builder maintenance(java.util.List<io.sift.core.maintenance.MaintenanceWindow> v) {
            require(v != null, "maintenance: give the windows (an empty list for none)");
            this.maintenance = v;
            return this;
        }

        public Builder ranker(io.sift.core.correlate.RankerSettings v) {
            require(v != null, "ranker: give RankerSettings.defaults() for the default ranking");
            this.ranker = v;
            return this;
        }

        public CorrelationConfig build() {
            require(defaultEnvironment != null && !defaultEnvironment.isBlank(),
                    "defaultEnvironment: name the environment of signals that carry none, e.g. 'prod'");
            require(gap != null && !gap.isNegative() && !gap.isZero(), "gap must be a positive duration, e.g. 10m");
            require(linkGap != null && !linkGap.isNegative(), "linkGap must be zero or positive, e.g. 30s");
            require(onsetTolerance != null && !onsetTolerance.isNegative(), "onsetTolerance must be zero or positive, e.g. 2m");
            require(mergeWindow != null && !mergeWindow.isNegative(), "mergeWindow must be zero or positive, e.g. 2m");
            require(maxHops >= 0, "maxHops must be 0 (same item only) or more; got " + maxHops);
            require(quiet != null && !quiet.isNegative() && !quiet.isZero(), "quiet must be a positive duration, e.g. 10m");
            require(reopen != null && !reopen.isNegative(), "reopen must be zero (never reopen) or positive");
            require(changeLookback != null && !changeLookback.isNegative(), "changeLookback must be zero or positive");
            require(maxAnomalyRefs >= 1, "maxAnomalyRefs must be at least 1; got " + maxAnomalyRefs);
            require(maxHints >= 1, "maxHints must be at least 1; got " + maxHints);
            require(flapCount >= 1, "flapCount must be at least 1; got " + flapCount);
            require(flapWindow != null && !flapWindow.isNegative() && !flapWindow.isZero(),
                    "flapWindow must be a positive duration, e.g. 1h");
            require(flapQuiet == null || flapQuiet.compareTo(quiet) >= 0,
                    "flapQuiet must be at least the quiet period (" + quiet + "), e.g. 30m");
            require(standingAfter != null && !standingAfter.isNegative(),
                    "standingAfter must be zero (no limit) or positive, e.g. 1h");
            require(coOnset != null && !coOnset.isNegative(), "coOnset must be zero (never) or positive, e.g. 1m");
            require(grouping != null, "grouping: give GroupingRules.none() for no grouping rules");
            return new CorrelationConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
