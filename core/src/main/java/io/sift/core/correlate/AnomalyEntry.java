package io.sift.core.correlate;

/** What an incident remembers of one anomaly it folded in (a POJO for Flink state). */
public class AnomalyEntry {
    public String id;
    /** Series key of the anomaly (metric, resource and labels): repeats of one series share it. */
    public String series;
    public String item;
    public String metric;
    public long onset;
    /** Event time of the latest version seen. */
    public long time;
    /** Event time the anomaly ended, or -1 while ongoing. */
    public long end = -1;
    public double score;
    public double deviation;
    public double observed;
    public double expected;
    public boolean up;

    public AnomalyEntry() {}

    boolean ongoing() {
        return end < 0;
    }

    /** The latest event time this anomaly was known to be active. */
    long activeUntil() {
        return end >= 0 ? end : time;
    }
}
