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
    /** Its group keys under the user's grouping rules ({@link GroupingRules#keysOf}), or null when it has none. */
    public java.util.List<String> groups;
    /**
     * For an alert from existing monitoring (see {@link AlertSignals}): the system that raised it; null for Sift's own
     * anomalies. Fields added after the first release: state written before restores them as null.
     */
    public String alertSource;
    /** For an alert: its fingerprint, the identity its repeats share. */
    public String alertFingerprint;
    /** For an alert: its normalised severity. */
    public String alertSeverity;
    /** For an alert: the host it names, if any (the host an alert is raised on relates it to that host's alerts). */
    public String alertHost;
    /**
     * Ids of the maintenance windows from the settings whose matchers its signal matched (schedule aside), or null
     * when none did (and in state written before the field).
     */
    public java.util.List<String> windows;

    public AnomalyEntry() {}

    /** The entry of an anomaly's first version seen. */
    public static AnomalyEntry of(io.sift.schema.Anomaly anomaly) {
        AnomalyEntry entry = new AnomalyEntry();
        entry.id = anomaly.getId();
        entry.series = anomaly.getSeriesKey();
        entry.item = anomaly.getResource().getService();
        entry.metric = anomaly.getMetric();
        entry.onset = anomaly.getOnset().toEpochMilli();
        entry.time = anomaly.getTime().toEpochMilli();
        entry.end = anomaly.getEnd() == null ? -1 : anomaly.getEnd().toEpochMilli();
        entry.score = anomaly.getScore();
        entry.deviation = anomaly.getDeviation();
        entry.observed = anomaly.getObserved();
        entry.expected = anomaly.getExpected();
        entry.up = anomaly.getDirection() == io.sift.schema.Direction.UP;
        return entry;
    }

    /** Folds in a later version of the same anomaly: latest time and end, values of the strongest version. */
    public void update(io.sift.schema.Anomaly anomaly) {
        time = Math.max(time, anomaly.getTime().toEpochMilli());
        if (anomaly.getEnd() != null) {
            end = anomaly.getEnd().toEpochMilli();
        }
        if (anomaly.getScore() >= score) {
            score = anomaly.getScore();
            deviation = anomaly.getDeviation();
            observed = anomaly.getObserved();
            expected = anomaly.getExpected();
            up = anomaly.getDirection() == io.sift.schema.Direction.UP;
        }
    }

    /** Whether this is an alert from existing monitoring rather than an anomaly Sift found. */
    public boolean alert() {
        return alertSource != null;
    }

    boolean ongoing() {
        return end < 0;
    }

    /** The latest event time this anomaly was known to be active. */
    long activeUntil() {
        return end >= 0 ? end : time;
    }
}
