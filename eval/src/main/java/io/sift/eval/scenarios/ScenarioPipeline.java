package io.sift.eval.scenarios;

import io.sift.core.correlate.Correlator;
import io.sift.core.topology.Topology;
import io.sift.core.detect.MetricModel;
import io.sift.core.detect.SeriesDetector;
import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateCountStage;
import io.sift.core.logs.TemplateRates;
import io.sift.core.detect.SeriesState;
import io.sift.scenario.Scenario;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Sift's job without Flink: per-series detection of metrics and of error log counts, then correlation, all in
 * event time as the job runs them. Records come in time order; the watermark trails the latest event time by the
 * job's out-of-orderness; error lines are counted in tumbling windows emitted when the watermark passes their end;
 * an open anomaly ends when its series is silent for the silence timeout (at the end of the input, every open one);
 * the correlator sees its inputs as {@link CorrelationDriver} describes.
 */
public final class ScenarioPipeline {

    /** What the pipeline produced: every anomaly version and every incident version, in emission order. */
    public record Output(List<Anomaly> anomalyVersions, List<Incident> incidentVersions) {}

    /** Open per-series detector state (as the job keeps it in keyed state). */
    private static final class Series {
        final SeriesState state = new SeriesState();
        final SeriesDetector detector;
        final MetricModel model;

        Series(SeriesDetector detector) {
            this.detector = detector;
            this.model = detector.newModel();
        }
    }

    /** Error and total line counts of one service in one window. */
    private static final class LogWindow {
        long errors;
        Resource resource;
    }

    /** OpenTelemetry severity number of ERROR. */
    private static final int ERROR_SEVERITY = 17;

    private final PipelineSettings settings;
    private final DetectionConfig detection;
    private final Map<String, SeriesDetector> detectors = new HashMap<>();
    private final Map<String, Integer> activeByMetric = new HashMap<>();
    private long capDroppedPoints;

    public ScenarioPipeline(PipelineSettings settings) {
        this.settings = settings;
        this.detection = detectionWithTemplateCounts();
    }

    /** Points dropped so far because their metric had reached the cap on active series. */
    public long capDroppedPoints() {
        return capDroppedPoints;
    }

    public Output run(Scenario scenario) {
        activeByMetric.clear();
        String defaultEnv = settings.correlation().defaultEnvironment;
        Topology topology = new Topology();
        for (TopologyUpdate update : scenario.topology()) {
            topology.apply(update);
        }
        List<Anomaly> anomalies = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        // One correlator per environment, as the job keys correlation by environment.
        Map<String, CorrelationDriver> drivers = new TreeMap<>();
        Correlator correlator = new Correlator(settings.correlation());
        Map<String, Series> series = new HashMap<>();
        // window end → service key → counts
        TreeMap<Long, Map<String, LogWindow>> windows = new TreeMap<>();
        long window = settings.logWindowMillis();
        TemplateCountStage templateCounts = templateCounts(defaultEnv);

        java.util.function.Consumer<Anomaly> toCorrelation = a -> {
            anomalies.add(a);
            drivers.computeIfAbsent(correlator.environmentOf(a), e -> new CorrelationDriver(correlator, topology,
                    incidents)).onAnomaly(a);
        };

        long latest = Long.MIN_VALUE;
        Iterator<SpecificRecord> records = scenario.allRecordsInTimeOrder().iterator();
        while (records.hasNext()) {
            SpecificRecord record = records.next();
            long time = Scenario.timeOf(record).toEpochMilli();
            if (record instanceof MetricPoint point) {
                detect(point, series, defaultEnv, toCorrelation);
            } else if (record instanceof LogRecord log) {
                long end = Math.floorDiv(time, window) * window + window;
                String env = log.getResource().getEnvironment() == null ? defaultEnv : log.getResource().getEnvironment();
                LogWindow counts = windows.computeIfAbsent(end, e -> new HashMap<>())
                        .computeIfAbsent(env + "|" + log.getResource().getService(), k -> new LogWindow());
                if (log.getSeverityNumber() >= ERROR_SEVERITY) {
                    counts.errors++;
                }
                counts.resource = log.getResource();
                templateCounts.onLine(log, latest == Long.MIN_VALUE ? Long.MIN_VALUE
                        : latest - settings.outOfOrdernessMillis() - 1);
            } else if (record instanceof ChangeEvent change) {
                String env = correlator.environmentOf(change);
                drivers.computeIfAbsent(env, e -> new CorrelationDriver(correlator, topology, incidents))
                        .onChange(change);
            }
            latest = Math.max(latest, time);
            long watermark = latest - settings.outOfOrdernessMillis() - 1;
            fireLogWindows(windows, watermark, series, defaultEnv, toCorrelation);
            fireTemplateCounts(templateCounts, watermark, series, defaultEnv, toCorrelation);
            for (CorrelationDriver driver : drivers.values()) {
                driver.advanceWatermark(watermark);
            }
        }
        // End of input: the watermark jumps to the end of time, so every window fires and every series falls silent.
        fireLogWindows(windows, Long.MAX_VALUE, series, defaultEnv, toCorrelation);
        fireTemplateCounts(templateCounts, Long.MAX_VALUE, series, defaultEnv, toCorrelation);
        List<String> keys = new ArrayList<>(series.keySet());
        keys.sort(null);
        for (String key : keys) {
            Series s = series.get(key);
            Anomaly end = s.detector.onSilence(s.state);
            if (end != null) {
                toCorrelation.accept(Anomaly.newBuilder(end).build());
            }
        }
        for (CorrelationDriver driver : drivers.values()) {
            driver.advanceWatermark(Long.MAX_VALUE);
        }
        return new Output(anomalies, incidents);
    }

    // ---- template counts, as the job's log template operator emits them (see LogTemplateFunction) ----

    /** The job's template counts: its log window, zeros for 10 quiet windows, 3 example lines. */
    private TemplateCountStage templateCounts(String defaultEnv) {
        return new TemplateCountStage(MinerConfig.defaults(),
                new TemplateRates(settings.logWindowMillis(), 10, 3), defaultEnv);
    }

    private void fireTemplateCounts(TemplateCountStage stage, long watermark, Map<String, Series> series,
            String defaultEnv, java.util.function.Consumer<Anomaly> toCorrelation) {
        for (MetricPoint point : stage.fire(watermark)) {
            detect(point, series, defaultEnv, toCorrelation);
        }
    }

    /** The job's detection settings, with template counts' own baseline as SiftJob derives it unless given. */
    private DetectionConfig detectionWithTemplateCounts() {
        DetectionConfig detection = settings.detection();
        BaselineConfig b = detection.baseline;
        return detection.withBaselineIfAbsent(TemplateRates.METRIC, TemplateRates.baseline(b.threshold,
                b.warmUpSamples, b.minRelativeDeviation, detection.baselineOf(settings.logErrorMetric()).minAbsoluteDeviation));
    }

    private void detect(MetricPoint point, Map<String, Series> series, String defaultEnv,
            java.util.function.Consumer<Anomaly> toCorrelation) {
        String key = TemplateRates.seriesKey(point, defaultEnv);
        Series s = series.get(key);
        if (s == null) {
            // The job's cap on active series per metric (series are never forgotten within one scenario).
            int active = activeByMetric.getOrDefault(point.getName(), 0);
            if (settings.detection().maxSeriesPerMetric > 0 && active >= settings.detection().maxSeriesPerMetric) {
                capDroppedPoints++;
                return;
            }
            activeByMetric.put(point.getName(), active + 1);
            s = new Series(detectors.computeIfAbsent(point.getName(), detection::detectorFor));
            series.put(key, s);
        }
        // The detector keeps mutating its open episode; the job serialises each version as it leaves.
        s.detector.onSample(s.state, s.model, key, point, a -> toCorrelation.accept(Anomaly.newBuilder(a).build()));
    }

    private void fireLogWindows(TreeMap<Long, Map<String, LogWindow>> windows, long watermark,
            Map<String, Series> series, String defaultEnv, java.util.function.Consumer<Anomaly> toCorrelation) {
        while (!windows.isEmpty() && windows.firstKey() - 1 <= watermark) {
            Map.Entry<Long, Map<String, LogWindow>> due = windows.pollFirstEntry();
            List<String> keys = new ArrayList<>(due.getValue().keySet());
            keys.sort(null);
            for (String key : keys) {
                LogWindow counts = due.getValue().get(key);
                MetricPoint point = MetricPoint.newBuilder()
                        .setTime(Instant.ofEpochMilli(due.getKey() - 1))
                        .setName(settings.logErrorMetric())
                        .setValue(counts.errors)
                        .setUnit("{line}")
                        .setKind(MetricKind.GAUGE)
                        .setResource(Resource.newBuilder().setService(counts.resource.getService())
                                .setEnvironment(counts.resource.getEnvironment()).build())
                        .setLabels(Map.of())
                        .build();
                detect(point, series, defaultEnv, toCorrelation);
            }
        }
    }
}
