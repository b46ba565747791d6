package io.sift.core.detect;

/**
 * The level and spread a series' current anomalous run is tracked at: the new normal if the run turns out to be a
 * level shift. Kept apart from {@link SeriesState} and created at a series' first run, so that the many series that
 * never stray carry no room for it (a plain POJO for Flink's POJO serializer).
 */
public class LevelTrack {
    /** Samples of the current (pending or open) run tracked; 0 when none. */
    public int samples;
    /** Exponentially weighted level of the run's samples. */
    public double level;
    /** Mean absolute deviation of the run's samples around {@link #level}. */
    public double mad;
    /** Event time of the run's first tracked sample. */
    public long since;

    public LevelTrack() {}
}
