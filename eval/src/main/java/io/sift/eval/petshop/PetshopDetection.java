package io.sift.eval.petshop;

import io.sift.core.correlate.AnomalyEntry;
import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DirectionFilter;
import io.sift.core.detect.RobustBaselineDetector;
import io.sift.core.detect.SeriesState;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Sift's robust-baseline detector over an issue's metrics the way the streaming job would: each series first
 * sees the normal-operation history (re-timed to end just before the issue window, since the benchmark recorded it
 * on other days), then the issue's own samples in time order. The anomalies active from the period holding the
 * alarm onwards are returned as the entries an incident would hold.
 */
public final class PetshopDetection {

    /** PetShop's samples are 5-minute CloudWatch periods. */
    static final long STEP_MILLIS = 300_000;

    /** One metric watched on every component, with the detector settings that suit it. */
    public record WatchedMetric(String metric, String statistic, BaselineConfig config) {
    }

    /**
     * Latency can only hurt by rising and availability by falling. Five-minute periods are coarse, so one anomalous
     * period opens an anomaly. Availability is a percentage that sits at 100 with no spread in normal operation:
     * it needs an absolute floor (percentage points) rather than a relative one.
     */
    public static final List<WatchedMetric> DEFAULT_METRICS = List.of(
            new WatchedMetric("latency", "Average", BaselineConfig.builder()
                    .direction(DirectionFilter.UP).minConsecutive(1).threshold(6.0).minRelativeDeviation(0.2).build()),
            new WatchedMetric("availability", "Average", BaselineConfig.builder()
                    .direction(DirectionFilter.DOWN).minConsecutive(1).threshold(6.0).minRelativeDeviation(0.0)
                    .minAbsoluteDeviation(1.0).build()));

    private final List<WatchedMetric> watched;

    public PetshopDetection(List<WatchedMetric> watched) {
        this.watched = List.copyOf(watched);
    }

    /**
     * The anomalies of an issue.
     *
     * @param history normal-operation tables, streamed in the order given before the issue window
     */
    public List<AnomalyEntry> detect(PetshopIssue issue, List<MetricTable> history) {
        MetricTable window = issue.metrics();
        if (window.rows() == 0) {
            return List.of();
        }
        long windowStart = window.timeMillis(0);
        // The period holding the alarm already shows the fault; anomalies that ended before it are background.
        long activeFrom = issue.targetTimeMillis() - STEP_MILLIS;
        int historyRows = history.stream().mapToInt(MetricTable::rows).sum();
        List<AnomalyEntry> entries = new ArrayList<>();
        for (WatchedMetric metric : watched) {
            RobustBaselineDetector detector = new RobustBaselineDetector(metric.config());
            for (MetricTable.Column column : window.columns()) {
                if (!column.metric().equals(metric.metric()) || !column.statistic().equals(metric.statistic())) {
                    continue;
                }
                String item = column.item();
                SeriesState state = new SeriesState();
                String seriesKey = metric.metric() + "." + metric.statistic() + "|service=" + item;
                Map<String, AnomalyEntry> episodes = new LinkedHashMap<>();
                long time = windowStart - (historyRows + 1L) * STEP_MILLIS;
                for (MetricTable normal : history) {
                    int c = normal.columnOf(item, metric.metric(), metric.statistic());
                    for (int r = 0; r < normal.rows(); r++) {
                        time += STEP_MILLIS;
                        // An empty period (no traffic) is no sample at all, as in the streaming job.
                        if (c >= 0 && !Double.isNaN(normal.value(r, c))) {
                            detector.onSample(state, seriesKey, point(item, metric, time, normal.value(r, c)));
                        }
                    }
                }
                int c = window.columnOf(item, metric.metric(), metric.statistic());
                for (int r = 0; r < window.rows(); r++) {
                    if (Double.isNaN(window.value(r, c))) {
                        continue;
                    }
                    Anomaly anomaly = detector.onSample(state, seriesKey, point(item, metric, window.timeMillis(r), window.value(r, c)));
                    if (anomaly != null) {
                        fold(episodes, anomaly);
                    }
                }
                episodes.values().stream().filter(e -> (e.end < 0 ? e.time : e.end) >= activeFrom).forEach(entries::add);
            }
        }
        return entries;
    }

    private static MetricPoint point(String item, WatchedMetric metric, long time, double value) {
        return MetricPoint.newBuilder()
                .setTime(Instant.ofEpochMilli(time))
                .setName(metric.metric() + "." + metric.statistic())
                .setValue(value)
                .setResource(Resource.newBuilder().setService(item).build())
                .build();
    }

    /** Keeps one entry per episode: first onset, latest time and end, strongest version. */
    private static void fold(Map<String, AnomalyEntry> episodes, Anomaly anomaly) {
        AnomalyEntry entry = episodes.get(anomaly.getId());
        if (entry == null) {
            episodes.put(anomaly.getId(), AnomalyEntry.of(anomaly));
        } else {
            entry.update(anomaly);
        }
    }
}
