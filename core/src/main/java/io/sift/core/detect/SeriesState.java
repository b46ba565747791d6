package io.sift.core.detect;

import io.sift.schema.Anomaly;

/**
 * Everything the detector remembers about one series. A plain mutable POJO so that Flink keeps it in keyed state
 * with its POJO serializer (which supports adding fields later).
 */
public class SeriesState {
    /** Samples seen. */
    public long samples;
    /** Exponentially weighted robust location (expected value). */
    public double location;
    /** Exponentially weighted mean absolute deviation (robust scale). */
    public double meanAbsDeviation;
    /** Event time of the latest sample. */
    public long lastSeen;
    /** Consecutive anomalous samples not yet opened as an episode. */
    public int pendingCount;
    /** Event time of the first pending anomalous sample. */
    public long pendingOnset;
    /** Consecutive normal samples while an episode is open. */
    public int normalStreak;
    /** Event time of the first normal sample of the current normal streak. */
    public long normalSince;
    /** The open episode as last emitted, or null when the series is normal. */
    public Anomaly episode;
    /** Latest value seen (the gap policy 'previous' repeats it). */
    public double lastValue;
    /** Shortest interval seen between samples, in ms (0 until two samples): the step of gap filling. */
    public long intervalMillis;

    /** The current anomalous run's level, tracked for a level shift; null until the series' first run. */
    public LevelTrack shift;

    /**
     * The deviation from the baseline the series exceeds in about 5 % of its samples: a running quantile estimate
     * over thousands of samples, below which a deviation is the series' habit (robust baseline only; 0 until learnt
     * and in older state).
     */
    public double habitDeviation;

    /** Start of the current run of samples beyond the baseline's gates (0 when none; see {@link Excursions}). */
    public long excursionStart;
    /** The largest absolute deviation of the current run. */
    public double excursionPeak;
    /** The latest days (epoch day + 1; 0 for an unused slot) with a finished run (null until the first). */
    public long[] excursionDays;
    /** The largest peak absolute deviation of a run on each day, slot by slot with {@link #excursionDays}. */
    public double[] excursionPeaks;
    /** The number of runs on each day, slot by slot with {@link #excursionDays}. */
    public int[] excursionCounts;

    public SeriesState() {}
}
