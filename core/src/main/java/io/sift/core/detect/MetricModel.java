package io.sift.core.detect;

/**
 * Everything Sift knows about one metric series, combining its detectors into one 0-100 score per sample:
 *
 * <ul>
 *   <li>the seasonal baseline gives the expected value and band, and its residual (optionally scored);</li>
 *   <li>a shingled Random Cut Forest scores the shape of the deseasonalised series;</li>
 *   <li>a CUSUM accumulates evidence of level shifts (optional);</li>
 *   <li>a value beyond the range seen so far (by a tolerance) is an anomaly of its own.</li>
 * </ul>
 *
 * Each raw surprise is calibrated against its own history (so one threshold suits every series) and the largest
 * score wins. The controls apply afterwards: warm-up, direction, smallest deviation, and a refractory period after
 * an alert so that one episode raises one alert.
 */
public final class MetricModel implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final String BASELINE = "seasonal-baseline";
    public static final String CHANGE_POINT = "cusum";
    public static final String FOREST = "random-cut-forest";
    public static final String NEW_EXTREME = "new-extreme";

    /** Residuals beyond this many standard deviations add no more surprise (one sample cannot dominate). */
    private static final double SURPRISE_CAP = 20.0;
    /** Share of the normal learning rate while a sample is alerting. */
    private static final double ALERT_LEARNING_WEIGHT = 0.1;
    /** Half-width of the reported band, in robust standard deviations. */
    private static final double BAND_SIGMAS = 3.0;

    private DetectorConfig config;
    /** The configuration last adopted (not part of the learnt state): skips the comparison on every sample. */
    private transient DetectorConfig adopted;
    private final SeasonalBaseline baseline;
    private final ScoreCalibrator baselineCalibrator;
    private final CusumDetector cusum;
    private final ShingledForest forest;
    private final ScoreCalibrator forestCalibrator;
    private long samples;
    private int refractoryLeft;
    private double min;
    private double max;
    /** Residual of the latest sample in robust standard deviations (not part of the learnt state). */
    private transient double lastSigmas;

    public MetricModel(DetectorConfig config) {
        this.config = config;
        this.baseline = new SeasonalBaseline(config.alpha, config.seasonalAlpha, config.seasonality);
        this.baselineCalibrator = new ScoreCalibrator(config.calibrationWindow, config.calibrationAlpha, config.alertScore,
                config.calibrationAlertBoost);
        this.cusum = config.changePoint ? new CusumDetector(config.changePointSlack, config.changePointInterval) : null;
        this.forest = config.randomCutForest
                ? new ShingledForest(config.forestShingleSize, config.forestTrees, config.forestSampleSize,
                        config.forestTimeDecay, config.forestSeed)
                : null;
        this.forestCalibrator = new ScoreCalibrator(config.calibrationWindow, config.calibrationAlpha, config.alertScore,
                config.calibrationAlertBoost);
    }

    public DetectorConfig config() {
        return config;
    }

    /**
     * Takes the alert controls of {@code current} (warm-up, quick warm-up, alert score, direction, smallest
     * deviations, new-extreme check, refractory period) and keeps what was learnt with the learning structure it was
     * built with (smoothing, seasonality, baseline scoring, calibration, CUSUM, forest), which cannot change without
     * relearning. So a series restored after
     * a restart with changed settings alerts by the new rules at once, not only after it expires. Returns whether
     * the controls changed.
     */
    public boolean adoptControls(DetectorConfig current) {
        if (current == adopted || current == config) {
            adopted = current;
            return false;
        }
        adopted = current;
        if (current.sameControls(config)) {
            return false; // the usual case after a restore (on RocksDB, after every read): no config is built
        }
        DetectorConfig merged = current.withLearningOf(config);
        config = merged.equals(current) ? current : merged;
        return true;
    }

    /** Samples learnt so far. */
    public long samples() {
        return samples;
    }

    /** Signed residual of the latest assessed sample, in robust standard deviations of the baseline. */
    public double lastSigmas() {
        return lastSigmas;
    }

    /** Serialised form (the forest through randomcutforest's own state mapper): the bytes of a checkpoint. */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(forest == null ? 2048 : 65536);
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The model {@link #toBytes()} wrote, continuing where it stopped (no new warm-up). */
    public static MetricModel fromBytes(byte[] bytes) {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return (MetricModel) in.readObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Adopts a level shift: from {@code epochMillis} on the baseline expects {@code level}, with a spread of at
     * least {@code meanAbsDeviation} (the seasonal offsets, calibration and forest are kept and go on learning).
     */
    public void adoptLevel(long epochMillis, double level, double meanAbsDeviation) {
        baseline.rebase(epochMillis, level, meanAbsDeviation);
    }

    /** Scores a sample (samples must come in time order) and learns it. */
    public Assessment assess(long epochMillis, double value) {
        samples++;
        if (samples == 1) {
            min = value;
            max = value;
        }
        double expected = baseline.expected(epochMillis);
        double scale = baseline.scale();
        double residual = baseline.samples() == 0 ? 0.0 : (value - expected) / scale;
        // Calibrators learn only once the baseline is settled: its first residuals are meaningless.
        boolean warm = samples > config.warmUpSamples;
        lastSigmas = residual;
        // Quick warm-up: a sparse series is scored early from its baseline residual alone, with a band that starts
        // wide and narrows towards the configured one as samples accumulate.
        boolean quick = !warm && config.quickWarmUpSamples > 0 && samples > config.quickWarmUpSamples;
        double quickSigmas = quick
                ? config.quickWarmUpSigmas * Math.sqrt((double) config.warmUpSamples / (samples - 1)) : 0.0;

        double score = 0.0;
        String detector = BASELINE;
        if (config.baselineScoring && warm) {
            score = baselineCalibrator.score(Math.min(Math.abs(residual), SURPRISE_CAP));
        }
        if (cusum != null && warm) {
            double shift = Math.abs(cusum.update(Math.max(-SURPRISE_CAP, Math.min(SURPRISE_CAP, residual))));
            double shiftScore = Math.min(100.0, config.alertScore * shift);
            if (shiftScore > score) {
                score = shiftScore;
                detector = CHANGE_POINT;
            }
        }
        if (forest != null) {
            double seasonalOffset = expected - baseline.level();
            double forestRaw = forest.scoreAndLearn(value - seasonalOffset);
            double forestScore = warm ? forestCalibrator.score(forestRaw) : 0.0;
            if (forestScore > score) {
                score = forestScore;
                detector = FOREST;
            }
        }
        if (quick) {
            score = RobustBaselineDetector.score(residual, quickSigmas);
        }
        if (config.newExtremeCheck && warm) {
            double margin = config.newExtremeTolerance * (max - min);
            if (margin > 0 && (value > max + margin || value < min - margin)) {
                score = 100.0;
                detector = NEW_EXTREME;
            }
        }
        min = Math.min(min, value);
        max = Math.max(max, value);

        double deviation = value - expected;
        if (!(warm || quick)
                || Math.abs(residual) < config.minDeviationSigmas
                || !config.direction.allows(deviation)
                || Math.abs(deviation) < config.minAbsoluteDeviation
                || Math.abs(deviation) < config.minRelativeDeviation * Math.abs(expected)) {
            score = 0.0;
        }
        if (refractoryLeft > 0) {
            refractoryLeft--;
            if (score >= config.alertScore) {
                refractoryLeft = Math.max(refractoryLeft, config.refractoryExtension);
            }
            score *= config.refractoryFactor;
        } else if (score >= config.alertScore) {
            refractoryLeft = config.refractorySamples;
        }
        baseline.learn(epochMillis, value, score >= config.alertScore ? ALERT_LEARNING_WEIGHT : 1.0);
        if (samples == 1) {
            return Assessment.WARMING_UP;
        }
        double band = (quick ? Math.max(BAND_SIGMAS, quickSigmas) : BAND_SIGMAS) * scale;
        return new Assessment(score, expected, expected - band, expected + band, detector);
    }
}
