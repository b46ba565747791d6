package io.sift.core.detect;

import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.io.Serializable;

/**
 * A robust, adaptive per-series baseline: an exponentially weighted location and mean absolute deviation in which
 * each sample's pull is clipped (Huber style), so a spike or an ongoing fault barely moves the baseline while a
 * lasting level shift is slowly learned. Anomalous samples form episodes: one anomaly per episode, emitted when it
 * opens, again when its score rises markedly, and when it ends.
 */
public final class RobustBaselineDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "robust-baseline";

    /** Mean absolute deviation × this ≈ standard deviation for normally distributed noise. */
    private static final double MAD_TO_SIGMA = 1.2533;
    /** Residuals are clipped at this many scales when updating the baseline. */
    private static final double CLIP = 3.0;
    /** While a sample is anomalous the baseline learns this much slower. */
    private static final double ANOMALOUS_WEIGHT = 0.1;
    /**
     * The habit envelope tracks this quantile of the absolute deviation from the baseline: a deviation the series
     * makes in more than 5 % of its samples (over an hour a day) is its habit, not an anomaly, however small its
     * usual scatter (a count that is 3 or 4, a rate that is zero but for frequent bursts, the daily peak that a
     * baseline without seasons sees as a deviation). A fault of minutes a day stays well below that share.
     */
    private static final double HABIT_QUANTILE = 0.95;
    /**
     * Relative step of the envelope on a sample beyond it (it doubles in about 70 samples of a deviation above it,
     * 140 during an episode); on a sample within, it shrinks by the quantile-balanced share (1 % × 5/95, halving in
     * about 1,300 samples). Per sample, so at a fast scrape (seconds) a sustained fault can become a habit within
     * the adoption hour and end early; steps per unit of event time would be the better measure (tried: it kept the
     * bench replay's 10 s faults anomalous for far longer and cost the detector stage a quarter of its speed, so it
     * needs its own look).
     */
    private static final double HABIT_STEP = 0.01;
    /**
     * A deviation is beyond the habit when it exceeds the envelope by this factor: the running estimate hovers just
     * below a level the series keeps returning to, and a fault worth a page is well beyond its habits.
     */
    private static final double HABIT_MARGIN = 1.5;
    /** Weight of a sample of an open episode in the envelope's upward steps. */
    private static final double HABIT_EPISODE_WEIGHT = 0.5;

    private final BaselineConfig config;

    public RobustBaselineDetector(BaselineConfig config) {
        this.config = config;
    }

    public BaselineConfig config() {
        return config;
    }

    /**
     * Scores one sample and updates the state. Returns the anomaly version to emit, or null. Samples older than the
     * latest one seen are ignored (the caller sorts or drops late data).
     */
    public Anomaly onSample(SeriesState state, String seriesKey, MetricPoint point) {
        long time = point.getTime().toEpochMilli();
        double value = point.getValue();
        if (state.samples > 0 && time <= state.lastSeen) {
            return null;
        }
        state.lastSeen = time;

        if (state.samples < config.warmUpSamples) {
            warmUp(state, value);
            return null;
        }

        if (Episodes.levelShiftDue(config, state, time)) {
            // The series stayed away for the adoption time: its new level becomes the baseline, the episode ends.
            state.location = state.shift.level;
            state.meanAbsDeviation = Math.max(state.meanAbsDeviation, state.shift.mad);
            Anomaly end = Episodes.onLevelShift(state, time);
            learn(state, value, scale(state), false);
            return end;
        }

        double expected = state.location;
        double scale = scale(state);
        double deviation = value - expected;
        double sigmas = deviation / scale;
        boolean beyond = Math.abs(sigmas) >= config.threshold
                && Math.abs(deviation) >= config.minAbsoluteDeviation
                && Math.abs(deviation) >= config.minRelativeDeviation * Math.abs(expected)
                && Math.abs(deviation) > HABIT_MARGIN * state.habitDeviation
                && config.direction.allows(deviation);
        boolean anomalous = beyond;
        // A departure the series keeps making is recorded, but marked as its routine when it opens an episode.
        boolean routine = beyond && state.episode == null && Excursions.habitual(state, Math.abs(deviation), time);

        Excursions.track(state, beyond, Math.abs(deviation), time);
        learnHabit(state, Math.abs(deviation));
        Episodes.trackLevel(state, value, anomalous, time);
        learn(state, value, scale, anomalous);

        if (anomalous) {
            Anomaly version = onAnomalous(state, seriesKey, point, expected, scale, sigmas);
            if (routine && version != null && version.getVersion() == 1) {
                // The opening version is the episode itself: its later versions carry the mark too.
                Excursions.markRoutine(version);
            }
            return version;
        }
        return onNormal(state, time);
    }

    /** Closes an open episode of a series that went silent; returns the final version, or null. */
    public Anomaly onSilence(SeriesState state) {
        return Episodes.onSilence(state);
    }

    /** Score 0-100: 50 at the threshold, about 94 at twice the threshold. */
    public static double score(double sigmas, double threshold) {
        double ratio = Math.abs(sigmas) / threshold;
        return 100.0 * (1.0 - Math.pow(0.5, ratio * ratio));
    }

    private double scale(SeriesState state) {
        double floor = Math.max(1e-9, 1e-3 * Math.abs(state.location));
        return Math.max(state.meanAbsDeviation * MAD_TO_SIGMA, floor);
    }

    /**
     * The habit envelope, a running estimate of a high quantile of the absolute deviation (a stochastic-approximation
     * step relative to itself, or to the excess while it is still small), one step per sample.
     */
    private static void learnHabit(SeriesState state, double absDeviation) {
        if (absDeviation > state.habitDeviation) {
            // An open episode teaches at half the rate: a run the series repeats daily still becomes a habit, a
            // lasting fault or shift (ended by level-shift adoption within the hour) leaves less of a mark.
            double rate = state.episode == null ? HABIT_STEP : HABIT_STEP * HABIT_EPISODE_WEIGHT;
            double step = rate * Math.max(state.habitDeviation, absDeviation - state.habitDeviation);
            state.habitDeviation = Math.min(absDeviation, state.habitDeviation + step);
        } else {
            state.habitDeviation *= 1.0 - HABIT_STEP * (1.0 - HABIT_QUANTILE) / HABIT_QUANTILE;
        }
    }

    private void warmUp(SeriesState state, double value) {
        state.samples++;
        double weight = 1.0 / state.samples;
        double previous = state.location;
        state.location += weight * (value - state.location);
        if (state.samples > 1) {
            state.meanAbsDeviation += weight * (Math.abs(value - previous) - state.meanAbsDeviation);
        }
    }

    private void learn(SeriesState state, double value, double scale, boolean anomalous) {
        state.samples++;
        double alpha = anomalous ? config.alpha * ANOMALOUS_WEIGHT : config.alpha;
        double residual = value - state.location;
        double clipped = Math.max(-CLIP * scale, Math.min(CLIP * scale, residual));
        state.location += alpha * clipped;
        double absResidual = Math.min(Math.abs(residual), CLIP * scale);
        state.meanAbsDeviation += alpha * (absResidual - state.meanAbsDeviation);
    }

    private Anomaly onAnomalous(SeriesState state, String seriesKey, MetricPoint point, double expected,
            double scale, double sigmas) {
        Anomaly open = state.episode;
        // The score rises with |sigmas|: a sample no further out than the episode's last version cannot raise its
        // score by the rescore step, so its score (a pow() per sample of a long episode) is not needed.
        double score = open != null && Math.abs(sigmas) <= Math.abs(open.getDeviation()) ? open.getScore()
                : score(sigmas, config.threshold);
        return Episodes.onAnomalous(config, state, seriesKey, point, NAME, score, expected,
                expected - config.threshold * scale, expected + config.threshold * scale, sigmas);
    }

    private Anomaly onNormal(SeriesState state, long time) {
        return Episodes.onNormal(config, state, time);
    }
}
