package io.sift.core.detect;

import java.io.Serializable;

/**
 * Settings of the per-series metric model ({@link MetricModel}): which detectors run, how fast they learn, and the
 * controls a user expects (direction, smallest deviation worth raising, warm-up, one alert per episode). Defaults
 * are the configuration measured on NAB; every value is checked at build time.
 */
public final class DetectorConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Samples before any score is given (the baseline learns meanwhile). */
    public final int warmUpSamples;
    /** Quick warm-up: after this many samples (0 = off) and until {@link #warmUpSamples}, score the baseline
     *  residual against a wide band, so sparse series are never stuck initialising. */
    public final int quickWarmUpSamples;
    /** Band of the quick warm-up at the end of the warm-up, in robust standard deviations (score 50 there); it is
     *  wider by sqrt(warmUpSamples / samples) before. */
    public final double quickWarmUpSigmas;
    /** Learning rate of the baseline's level and scale (time constant 1/alpha samples). */
    public final double alpha;
    /** Learning rate of each hour-of-day offset per visit. */
    public final double seasonalAlpha;
    /** Learn hour-of-day and day-of-week offsets. */
    public final boolean seasonality;
    /** Score the baseline's residual (else the baseline only gives the expected value and deseasonalises). */
    public final boolean baselineScoring;
    /** Samples averaged before the surprise is calibrated (smooths single-sample noise). */
    public final int calibrationWindow;
    /** Learning rate of the long-run distribution of the surprise. */
    public final double calibrationAlpha;
    /** Factor on the calibration learning rate for alerting samples (a series that keeps alerting quietens). */
    public final double calibrationAlertBoost;
    /** Run the CUSUM level-shift detector. */
    public final boolean changePoint;
    /** CUSUM slack per sample, in standard deviations. */
    public final double changePointSlack;
    /** CUSUM decision interval, in standard deviations. */
    public final double changePointInterval;
    /** Run a shingled Random Cut Forest (costlier: about 100 KiB per series). */
    public final boolean randomCutForest;
    public final int forestShingleSize;
    public final int forestTrees;
    public final int forestSampleSize;
    /** Forest's forgetting rate per sample (1/decay ≈ the samples its memory spans). */
    public final double forestTimeDecay;
    public final long forestSeed;
    /** Score a value beyond the range seen so far (after warm-up) as an anomaly. */
    public final boolean newExtremeCheck;
    /** How far beyond the range seen so far, as a share of that range, a value must be to count as new. */
    public final double newExtremeTolerance;
    /** Which directions may raise a score. */
    public final DirectionFilter direction;
    /** Smallest absolute deviation from the expected value that may raise a score, in the metric's unit. */
    public final double minAbsoluteDeviation;
    /** Smallest deviation relative to the expected value (0.1 = 10 %) that may raise a score. */
    public final double minRelativeDeviation;
    /** Smallest deviation from the expected value, in robust standard deviations, that may raise a score. */
    public final double minDeviationSigmas;
    /** Score (0-100) at and above which a sample is an alert. */
    public final double alertScore;
    /** Samples after an alert during which scores are damped: one alert per episode. */
    public final int refractorySamples;
    /** Factor applied to scores during the refractory period. */
    public final double refractoryFactor;
    /** An alerting score during the refractory period keeps it going at least this many more samples. */
    public final int refractoryExtension;

    private DetectorConfig(Builder b) {
        this.warmUpSamples = b.warmUpSamples;
        this.quickWarmUpSamples = b.quickWarmUpSamples;
        this.quickWarmUpSigmas = b.quickWarmUpSigmas;
        this.alpha = b.alpha;
        this.seasonalAlpha = b.seasonalAlpha;
        this.seasonality = b.seasonality;
        this.baselineScoring = b.baselineScoring;
        this.calibrationWindow = b.calibrationWindow;
        this.calibrationAlpha = b.calibrationAlpha;
        this.calibrationAlertBoost = b.calibrationAlertBoost;
        this.changePoint = b.changePoint;
        this.changePointSlack = b.changePointSlack;
        this.changePointInterval = b.changePointInterval;
        this.randomCutForest = b.randomCutForest;
        this.forestShingleSize = b.forestShingleSize;
        this.forestTrees = b.forestTrees;
        this.forestSampleSize = b.forestSampleSize;
        this.forestTimeDecay = b.forestTimeDecay;
        this.forestSeed = b.forestSeed;
        this.newExtremeCheck = b.newExtremeCheck;
        this.newExtremeTolerance = b.newExtremeTolerance;
        this.direction = b.direction;
        this.minAbsoluteDeviation = b.minAbsoluteDeviation;
        this.minRelativeDeviation = b.minRelativeDeviation;
        this.minDeviationSigmas = b.minDeviationSigmas;
        this.alertScore = b.alertScore;
        this.refractorySamples = b.refractorySamples;
        this.refractoryFactor = b.refractoryFactor;
        this.refractoryExtension = b.refractoryExtension;
    }

    public static DetectorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.warmUpSamples = warmUpSamples;
        b.quickWarmUpSamples = quickWarmUpSamples;
        b.quickWarmUpSigmas = quickWarmUpSigmas;
        b.alpha = alpha;
        b.seasonalAlpha = seasonalAlpha;
        b.seasonality = seasonality;
        b.baselineScoring = baselineScoring;
        b.calibrationWindow = calibrationWindow;
        b.calibrationAlpha = calibrationAlpha;
        b.calibrationAlertBoost = calibrationAlertBoost;
        b.changePoint = changePoint;
        b.changePointSlack = changePointSlack;
        b.changePointInterval = changePointInterval;
        b.randomCutForest = randomCutForest;
        b.forestShingleSize = forestShingleSize;
        b.forestTrees = forestTrees;
        b.forestSampleSize = forestSampleSize;
        b.forestTimeDecay = forestTimeDecay;
        b.forestSeed = forestSeed;
        b.newExtremeCheck = newExtremeCheck;
        b.newExtremeTolerance = newExtremeTolerance;
        b.direction = direction;
        b.minAbsoluteDeviation = minAbsoluteDeviation;
        b.minRelativeDeviation = minRelativeDeviation;
        b.minDeviationSigmas = minDeviationSigmas;
        b.alertScore = alertScore;
        b.refractorySamples = refractorySamples;
        b.refractoryFactor = refractoryFactor;
        b.refractoryExtension = refractoryExtension;
        return b;
    }

    /**
     * This configuration's alert controls (warm-up, quick warm-up, alert score, direction, smallest deviations,
     * new-extreme check, refractory period) on the learning structure of {@code learnt} (smoothing, seasonality,
     * baseline scoring, calibration, CUSUM, forest): what a model built with {@code learnt} can take without
     * relearning. (The calibrators keep the alert score they were built with for their learning boost.)
     */
    public DetectorConfig withLearningOf(DetectorConfig learnt) {
        return toBuilder().alpha(learnt.alpha).seasonalAlpha(learnt.seasonalAlpha).seasonality(learnt.seasonality)
                .baselineScoring(learnt.baselineScoring)
                .calibrationWindow(learnt.calibrationWindow).calibrationAlpha(learnt.calibrationAlpha)
                .calibrationAlertBoost(learnt.calibrationAlertBoost).changePoint(learnt.changePoint)
                .changePointSlack(learnt.changePointSlack).changePointInterval(learnt.changePointInterval)
                .randomCutForest(learnt.randomCutForest).forestShingleSize(learnt.forestShingleSize)
                .forestTrees(learnt.forestTrees).forestSampleSize(learnt.forestSampleSize)
                .forestTimeDecay(learnt.forestTimeDecay).forestSeed(learnt.forestSeed).build();
    }

    /** Whether the alert controls of both are the same (compared field by field: this runs for every sample). */
    public boolean sameControls(DetectorConfig other) {
        return warmUpSamples == other.warmUpSamples && quickWarmUpSamples == other.quickWarmUpSamples
                && quickWarmUpSigmas == other.quickWarmUpSigmas && newExtremeCheck == other.newExtremeCheck
                && newExtremeTolerance == other.newExtremeTolerance && direction == other.direction
                && minAbsoluteDeviation == other.minAbsoluteDeviation
                && minRelativeDeviation == other.minRelativeDeviation && minDeviationSigmas == other.minDeviationSigmas
                && alertScore == other.alertScore && refractorySamples == other.refractorySamples
                && refractoryFactor == other.refractoryFactor && refractoryExtension == other.refractoryExtension;
    }

    private java.util.List<Object> values() {
        return java.util.List.of(warmUpSamples, quickWarmUpSamples, quickWarmUpSigmas, alpha, seasonalAlpha, seasonality,
                baselineScoring, calibrationWindow, calibrationAlpha, calibrationAlertBoost, changePoint,
                changePointSlack, changePointInterval, randomCutForest, forestShingleSize, forestTrees,
                forestSampleSize, forestTimeDecay, forestSeed, newExtremeCheck, newExtremeTolerance, direction,
                minAbsoluteDeviation, minRelativeDeviation, minDeviationSigmas, alertScore, refractorySamples,
                refractoryFactor, refractoryExtension);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof DetectorConfig that && values().equals(that.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    /** Builder with validation that says what to change. */
    public static final class Builder {
        private int warmUpSamples = 300;
        private int quickWarmUpSamples = 0;
        private double quickWarmUpSigmas = 6.0;
        private double alpha = 0.005;
        private double seasonalAlpha = 0.05;
        private boolean seasonality = true;
        private boolean baselineScoring = false;
        private int calibrationWindow = 15;
        private double calibrationAlpha = 0.0005;
        private double calibrationAlertBoost = 2.0;
        private boolean changePoint = false;
        private double changePointSlack = 0.5;
        private double changePointInterval = 8.0;
        private boolean randomCutForest = true;
        private int forestShingleSize = 8;
        private int forestTrees = 30;
        private int forestSampleSize = 256;
        private double forestTimeDecay = 1.0 / 2560;
        private long forestSeed = 42L;
        private boolean newExtremeCheck = true;
        private double newExtremeTolerance = 0.02;
        private DirectionFilter direction = DirectionFilter.BOTH;
        private double minAbsoluteDeviation = 0.0;
        private double minRelativeDeviation = 0.0;
        private double minDeviationSigmas = 0.5;
        private double alertScore = 50.0;
        private int refractorySamples = 100;
        private double refractoryFactor = 0.0;
        private int refractoryExtension = 20;

        public Builder warmUpSamples(int v) { this.warmUpSamples = v; return this; }
        public Builder quickWarmUpSamples(int v) { this.quickWarmUpSamples = v; return this; }
        public Builder quickWarmUpSigmas(double v) { this.quickWarmUpSigmas = v; return this; }
        public Builder alpha(double v) { this.alpha = v; return this; }
        public Builder seasonalAlpha(double v) { this.seasonalAlpha = v; return this; }
        public Builder seasonality(boolean v) { this.seasonality = v; return this; }
        public Builder baselineScoring(boolean v) { this.baselineScoring = v; return this; }
        public Builder calibrationWindow(int v) { this.calibrationWindow = v; return this; }
        public Builder calibrationAlpha(double v) { this.calibrationAlpha = v; return this; }
        public Builder calibrationAlertBoost(double v) { this.calibrationAlertBoost = v; return this; }
        public Builder changePoint(boolean v) { this.changePoint = v; return this; }
        public Builder changePointSlack(double v) { this.changePointSlack = v; return this; }
        public Builder changePointInterval(double v) { this.changePointInterval = v; return this; }
        public Builder randomCutForest(boolean v) { this.randomCutForest = v; return this; }
        public Builder forestShingleSize(int v) { this.forestShingleSize = v; return this; }
        public Builder forestTrees(int v) { this.forestTrees = v; return this; }
        public Builder forestSampleSize(int v) { this.forestSampleSize = v; return this; }
        public Builder forestTimeDecay(double v) { this.forestTimeDecay = v; return this; }
        public Builder forestSeed(long v) { this.forestSeed = v; return this; }
        public Builder newExtremeCheck(boolean v) { this.newExtremeCheck = v; return this; }
        public Builder newExtremeTolerance(double v) { this.newExtremeTolerance = v; return this; }
        public Builder direction(DirectionFilter v) { this.direction = v; return this; }
        public Builder minAbsoluteDeviation(double v) { this.minAbsoluteDeviation = v; return this; }
        public Builder minRelativeDeviation(double v) { this.minRelativeDeviation = v; return this; }
        public Builder minDeviationSigmas(double v) { this.minDeviationSigmas = v; return this; }
        public Builder alertScore(double v) { this.alertScore = v; return this; }
        public Builder refractorySamples(int v) { this.refractorySamples = v; return this; }
        public Builder refractoryFactor(double v) { this.refractoryFactor = v; return this; }
        public Builder refractoryExtension(int v) { this.refractoryExtension = v; return this; }

        public DetectorConfig build() {
            require(warmUpSamples >= 2, "warmUpSamples must be at least 2; got " + warmUpSamples);
            require(quickWarmUpSamples >= 0, "quickWarmUpSamples must be 0 (off) or more; got " + quickWarmUpSamples);
            require(quickWarmUpSigmas > 0, "quickWarmUpSigmas must be positive, e.g. 6; got " + quickWarmUpSigmas);
            require(alpha > 0 && alpha < 1, "alpha must be in (0, 1), e.g. 0.02; got " + alpha);
            require(seasonalAlpha > 0 && seasonalAlpha < 1, "seasonalAlpha must be in (0, 1); got " + seasonalAlpha);
            require(calibrationWindow >= 1, "calibrationWindow must be at least 1; got " + calibrationWindow);
            require(calibrationAlpha > 0 && calibrationAlpha < 1,
                    "calibrationAlpha must be in (0, 1), e.g. 0.001; got " + calibrationAlpha);
            require(calibrationAlertBoost >= 1, "calibrationAlertBoost must be 1 or more; got " + calibrationAlertBoost);
            require(changePointSlack >= 0, "changePointSlack must be 0 or more; got " + changePointSlack);
            require(changePointInterval > 0, "changePointInterval must be positive; got " + changePointInterval);
            require(forestShingleSize >= 1, "forestShingleSize must be at least 1; got " + forestShingleSize);
            require(forestTrees >= 1, "forestTrees must be at least 1; got " + forestTrees);
            require(forestSampleSize >= 16, "forestSampleSize must be at least 16; got " + forestSampleSize);
            require(forestTimeDecay >= 0 && forestTimeDecay < 1, "forestTimeDecay must be in [0, 1); got "
                    + forestTimeDecay);
            require(direction != null, "direction: give BOTH, UP or DOWN");
            require(newExtremeTolerance >= 0, "newExtremeTolerance must be 0 or more (0.05 = 5 % of the range); got "
                    + newExtremeTolerance);
            require(minAbsoluteDeviation >= 0, "minAbsoluteDeviation must be 0 or more; got " + minAbsoluteDeviation);
            require(minRelativeDeviation >= 0, "minRelativeDeviation must be 0 or more; got " + minRelativeDeviation);
            require(minDeviationSigmas >= 0, "minDeviationSigmas must be 0 or more; got " + minDeviationSigmas);
            require(alertScore > 0 && alertScore <= 100, "alertScore must be in (0, 100]; got " + alertScore);
            require(refractorySamples >= 0, "refractorySamples must be 0 or more; got " + refractorySamples);
            require(refractoryFactor >= 0 && refractoryFactor <= 1,
                    "refractoryFactor must be in [0, 1]; got " + refractoryFactor);
            require(refractoryExtension >= 0, "refractoryExtension must be 0 or more; got " + refractoryExtension);
            return new DetectorConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
