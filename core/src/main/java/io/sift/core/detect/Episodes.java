package io.sift.core.detect;

import io.sift.core.util.StableIds;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.MetricPoint;
import io.sift.schema.SignalType;
import java.time.Instant;

/**
 * Turns per-sample verdicts into episodes, whichever detector gave them: an episode opens after
 * {@code minConsecutive} anomalous samples (one anomaly, version 1), emits a new version when its score rises by
 * {@code rescoreStep}, and ends after {@code quietSamples} normal samples, when the series falls silent, or when it
 * has lasted {@code levelShiftAdoptMillis}: then the series is taken to have moved to a new level, which the
 * detector adopts as its baseline (the level and spread the episode's samples were tracked at).
 */
public final class Episodes {

    /** Share of each new sample in the tracked level of an episode (a memory of about 20 samples). */
    private static final double SHIFT_RATE = 0.05;

    private Episodes() {}

    /**
     * Tracks the level and spread of the current episode's samples (call before {@link #onAnomalous} or
     * {@link #onNormal} for the same sample): a first anomalous sample starts afresh, later samples of a pending or
     * open episode, anomalous or not, are learnt.
     */
    public static void trackLevel(SeriesState state, double value, boolean anomalous, long time) {
        LevelTrack track = state.shift;
        if (state.episode == null && state.pendingCount == 0) {
            if (!anomalous) {
                return;
            }
            if (track == null) {
                track = state.shift = new LevelTrack();
            }
            track.samples = 0;
        } else if (track == null) {
            // A run already under way in state written before runs were tracked: track it from here.
            track = state.shift = new LevelTrack();
        }
        track.samples++;
        if (track.samples == 1) {
            track.level = value;
            track.mad = 0.0;
            track.since = time;
            return;
        }
        double rate = Math.max(SHIFT_RATE, 1.0 / track.samples);
        double residual = value - track.level;
        track.level += rate * residual;
        track.mad += rate * (Math.abs(residual) - track.mad);
    }

    /**
     * Whether the open episode has lasted the level-shift adoption time at {@code time}, tracked all along (a run
     * restored from state written before runs were tracked counts from when tracking began) and still away from the
     * old level (its latest sample was anomalous: an episode in its closing quiet samples has come back).
     */
    public static boolean levelShiftDue(BaselineConfig config, SeriesState state, long time) {
        if (config.levelShiftAdoptMillis <= 0 || state.episode == null || state.shift == null
                || state.shift.samples <= 1 || state.normalStreak > 0) {
            return false;
        }
        long from = Math.max(state.episode.getOnset().toEpochMilli(), state.shift.since);
        return time - from >= config.levelShiftAdoptMillis;
    }

    /**
     * Ends the open episode as a level shift at {@code time} (the caller has moved its baseline to
     * {@link LevelTrack#level} of {@link SeriesState#shift}); returns the closing version.
     */
    public static Anomaly onLevelShift(SeriesState state, long time) {
        Anomaly end = Anomaly.newBuilder(state.episode)
                .setVersion(state.episode.getVersion() + 1)
                .setEnd(Instant.ofEpochMilli(time))
                .build();
        state.episode = null;
        state.normalStreak = 0;
        state.pendingCount = 0;
        state.shift.samples = 0;
        return end;
    }

    /** One anomalous sample: returns the version to emit, or null. */
    public static Anomaly onAnomalous(BaselineConfig config, SeriesState state, String seriesKey, MetricPoint point,
            String detector, double score, double expected, double lower, double upper, double sigmas) {
        long time = point.getTime().toEpochMilli();
        state.normalStreak = 0;
        if (state.episode == null) {
            if (state.pendingCount == 0) {
                state.pendingOnset = time;
            }
            state.pendingCount++;
            if (state.pendingCount < config.minConsecutive) {
                return null;
            }
            state.episode = Anomaly.newBuilder()
                    .setId(StableIds.of("anom", seriesKey, Long.toString(state.pendingOnset)))
                    .setVersion(1)
                    .setSignal(SignalType.METRIC)
                    .setDetector(detector)
                    .setSeriesKey(seriesKey)
                    .setMetric(point.getName())
                    .setResource(point.getResource())
                    .setLabels(point.getLabels())
                    .setOnset(Instant.ofEpochMilli(state.pendingOnset))
                    .setTime(point.getTime())
                    .setEnd(null)
                    .setObserved(point.getValue())
                    .setExpected(expected)
                    .setLowerBound(lower)
                    .setUpperBound(upper)
                    .setDeviation(sigmas)
                    .setDirection(sigmas >= 0 ? Direction.UP : Direction.DOWN)
                    .setScore(score)
                    .setSamples(state.pendingCount)
                    .build();
            state.pendingCount = 0;
            return state.episode;
        }
        Anomaly episode = state.episode;
        episode.setSamples(episode.getSamples() + 1);
        episode.setTime(point.getTime());
        if (score >= episode.getScore() + config.rescoreStep) {
            episode.setVersion(episode.getVersion() + 1);
            episode.setScore(score);
            episode.setDetector(detector);
            episode.setObserved(point.getValue());
            episode.setExpected(expected);
            episode.setLowerBound(lower);
            episode.setUpperBound(upper);
            episode.setDeviation(sigmas);
            return Anomaly.newBuilder(episode).build();
        }
        return null;
    }

    /** One normal sample: returns the closing version, or null. */
    public static Anomaly onNormal(BaselineConfig config, SeriesState state, long time) {
        state.pendingCount = 0;
        if (state.episode == null) {
            return null;
        }
        if (state.normalStreak == 0) {
            state.normalSince = time;
        }
        state.normalStreak++;
        if (state.normalStreak < config.quietSamples) {
            return null;
        }
        Anomaly end = Anomaly.newBuilder(state.episode)
                .setVersion(state.episode.getVersion() + 1)
                .setEnd(Instant.ofEpochMilli(state.normalSince))
                .build();
        state.episode = null;
        state.normalStreak = 0;
        return end;
    }

    /** The series fell silent: returns the closing version of its open episode, or null. */
    public static Anomaly onSilence(SeriesState state) {
        state.pendingCount = 0;
        if (state.episode == null) {
            return null;
        }
        Anomaly end = Anomaly.newBuilder(state.episode)
                .setVersion(state.episode.getVersion() + 1)
                .setEnd(Instant.ofEpochMilli(state.lastSeen))
                .build();
        state.episode = null;
        state.normalStreak = 0;
        return end;
    }
}
