package io.sift.core.detect;

import java.io.Serializable;

/**
 * Settings of the robust baseline detector. Defaults suit 10-60 s samples of service metrics; every value is
 * checked at build time.
 */
public final class BaselineConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default level-shift adoption time: 1 h of event time. */
    public static final long DEFAULT_LEVEL_SHIFT_ADOPT_MILLIS = 3_600_000L;

    /** Samples before scoring starts; the baseline is a plain mean / mean absolute deviation until then. */
    public final int warmUpSamples;
    /** Weight of a new sample in the exponentially weighted location and scale (time constant 1/alpha samples). */
    public final double alpha;
    /** Robust standard deviations beyond which a sample is anomalous (score 50 at this point). */
    public final double threshold;
    /** Consecutive anomalous samples needed to open an episode (suppresses single spikes). */
    public final int minConsecutive;
    /** Consecutive normal samples that close an episode. */
    public final int quietSamples;
    /** Smallest absolute deviation from the baseline that may be anomalous, in the metric's unit. */
    public final double minAbsoluteDeviation;
    /** Smallest deviation relative to the baseline (0.1 = 10 %) that may be anomalous. */
    public final double minRelativeDeviation;
    /** Which directions may be anomalous. */
    public final DirectionFilter direction;
    /** Score rise (points, 0-100) that makes an ongoing episode emit a new version. */
    public final double rescoreStep;
    /**
     * Event time after the onset at which a still open episode is taken as a level shift (0 = never): the series'
     * baseline moves to the level of the episode's samples, and the episode ends (its end is the change point). So a
     * series that steps to a new plateau is anomalous for at most this long.
     */
    public final long levelShiftAdoptMillis;

    private BaselineConfig(Builder b) {
        this.warmUpSamples = b.warmUpSamples;
        this.alpha = b.alpha;
        this.threshold = b.threshold;
        this.minConsecutive = b.minConsecutive;
        this.quietSamples = b.quietSamples;
        this.minAbsoluteDeviation = b.minAbsoluteDeviation;
        this.minRelativeDeviation = b.minRelativeDeviation;
        this.direction = b.direction;
        this.rescoreStep = b.rescoreStep;
        this.levelShiftAdoptMillis = b.levelShiftAdoptMillis;
    }

    public static BaselineConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with validation that says what to change. */
    public static final class Builder {
        private int warmUpSamples = 20;
        private double alpha = 0.02;
        private double threshold = 6.0;
        private int minConsecutive = 2;
        private int quietSamples = 3;
        private double minAbsoluteDeviation = 0.0;
        private double minRelativeDeviation = 0.2;
        private DirectionFilter direction = DirectionFilter.BOTH;
        private double rescoreStep = 5.0;
        private long levelShiftAdoptMillis = DEFAULT_LEVEL_SHIFT_ADOPT_MILLIS;

        public Builder warmUpSamples(int v) { this.warmUpSamples = v; return this; }
        public Builder alpha(double v) { this.alpha = v; return this; }
        public Builder threshold(double v) { this.threshold = v; return this; }
        public Builder minConsecutive(int v) { this.minConsecutive = v; return this; }
        public Builder quietSamples(int v) { this.quietSamples = v; return this; }
        public Builder minAbsoluteDeviation(double v) { this.minAbsoluteDeviation = v; return this; }
        public Builder minRelativeDeviation(double v) { this.minRelativeDeviation = v; return this; }
        public Builder direction(DirectionFilter v) { this.direction = v; return this; }
        public Builder rescoreStep(double v) { this.rescoreStep = v; return this; }
        public Builder levelShiftAdoptMillis(long v) { this.levelShiftAdoptMillis = v; return this; }

        public BaselineConfig build() {
            require(warmUpSamples >= 2, "warmUpSamples must be at least 2 (a scale needs two samples), got " + warmUpSamples);
            require(alpha > 0 && alpha < 1, "alpha must be in (0, 1), e.g. 0.02 for a 50-sample memory; got " + alpha);
            require(threshold > 0, "threshold is in robust standard deviations and must be positive, e.g. 6; got " + threshold);
            require(minConsecutive >= 1, "minConsecutive must be at least 1; got " + minConsecutive);
            require(quietSamples >= 1, "quietSamples must be at least 1; got " + quietSamples);
            require(minAbsoluteDeviation >= 0, "minAbsoluteDeviation must be 0 or more; got " + minAbsoluteDeviation);
            require(minRelativeDeviation >= 0, "minRelativeDeviation must be 0 or more (0.2 = 20 %); got " + minRelativeDeviation);
            require(direction != null, "direction: give BOTH, UP or DOWN");
            require(rescoreStep > 0, "rescoreStep must be positive; got " + rescoreStep);
            require(levelShiftAdoptMillis >= 0,
                    "levelShiftAdoptMillis must be 0 (never adopt) or more, e.g. 3600000 for 1 h; got "
                            + levelShiftAdoptMillis);
            return new BaselineConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
