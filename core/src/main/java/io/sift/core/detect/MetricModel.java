package io.sift.core.detect;

/**
 * Everything Sift knows about one metric series, combining its detectors into one 0-100 score per sample: the
 * seasonal baseline's residual, the CUSUM level-shift evidence and the shingled Random Cut Forest, each calibrated
 * against its own history, the largest winning. The controls apply afterwards: warm-up, direction, smallest
 * deviation, and a refractory period after an alert so that one episode raises one alert.
 */
public final class MetricModel {

    public static final String BASELINE = "seasonal-baseline";
    public static final String CHANGE_POINT = "cusum";
    public static final String FOREST = "random-cut-forest";

    /** Residuals beyond this many standard deviations add no more surprise (one sample cannot dominate). */
    private static final double SURPRISE_CAP = 20.0;
    /** Share of the normal learning rate while a sample is alerting. */
    private static final double ALERT_LEARNING_WEIGHT = 0.1;

    private final DetectorConfig config;
    private final SeasonalBaseline baseline;
    private final ScoreCalibrator baselineCalibrator;
    private final CusumDetector cusum;
    private final ShingledForest forest;
    private final ScoreCalibrator forestCalibrator;
    private long samples;
    private int refractoryLeft;

    public MetricModel(DetectorConfig config) {
        this.config = config;
        this.baseline = new SeasonalBaseline(config.alpha, config.seasonalAlpha, config.seasonality);
        this.baselineCalibrator = new ScoreCalibrator(config.calibrationWindow, config.calibrationAlpha);
        this.cusum = config.changePoint ? new CusumDetector(config.changePointSlack, config.changePointInterval) : null;
        this.forest = config.randomCutForest
                ? new ShingledForest(config.forestShingleSize, config.forestTrees, config.forestSampleSize,
                        config.forestSeed)
                : null;
        this.forestCalibrator = config.randomCutForest
                ? new ScoreCalibrator(config.calibrationWindow, config.calibrationAlpha) : null;
    }

    public DetectorConfig config() {
        return config;
    }

    /** Scores a sample (samples must come in time order) and learns it. */
    public Assessment assess(long epochMillis, double value) {
        samples++;
        if (baseline.samples() == 0) {
            baseline.learn(epochMillis, value, 1.0);
            if (forest != null) {
                forest.scoreAndLearn(value);
            }
            return Assessment.WARMING_UP;
        }
        double expected = baseline.expected(epochMillis);
        double scale = baseline.scale();
        double residual = (value - expected) / scale;

        double surprise = Math.min(Math.abs(residual), SURPRISE_CAP);
        double score;
        if (Boolean.getBoolean("x.direct")) {
            score = ScoreCalibrator.fromTail(2 * ScoreCalibrator.upperTail(surprise));
        } else if (samples <= config.warmUpSamples) {
            score = 0.0;
        } else {
            score = baselineCalibrator.score(surprise);
        }
        String detector = BASELINE;
        if (cusum != null) {
            double shift = Math.abs(cusum.update(Math.max(-SURPRISE_CAP, Math.min(SURPRISE_CAP, residual))));
            double shiftScore = Math.min(100.0, config.alertScore * shift);
            if (shiftScore > score) {
                score = shiftScore;
                detector = CHANGE_POINT;
            }
        }
        if (forest != null) {
            double forestScore = forestCalibrator.score(forest.scoreAndLearn(value));
            if (forestScore > score) {
                score = forestScore;
                detector = FOREST;
            }
        }

        double deviation = value - expected;
        if (!config.direction.allows(deviation)
                || Math.abs(deviation) < config.minAbsoluteDeviation
                || Math.abs(deviation) < config.minRelativeDeviation * Math.abs(expected)) {
            score = 0.0;
        }
        if (samples <= config.warmUpSamples) {
            score = 0.0;
        }
        if (refractoryLeft > 0) {
            refractoryLeft--;
            score *= config.refractoryFactor;
        } else if (score >= config.alertScore) {
            refractoryLeft = config.refractorySamples;
        }
        baseline.learn(epochMillis, value, score >= config.alertScore ? ALERT_LEARNING_WEIGHT : 1.0);
        double band = 3.0 * scale;
        return new Assessment(score, expected, expected - band, expected + band, detector);
    }
}
