package io.sift.eval.scenarios;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.detect.DetectorConfig;
import io.sift.core.detect.DirectionFilter;
import io.sift.core.detect.GapPolicy;
import io.sift.core.logs.LogMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of the plain-Java pipeline: detector settings (default and per metric), correlation, the log error
 * window and the event-time parameters of the Flink job. The command line passes the job's own settings; {@link
 * #defaults()} repeats the job's defaults for tests of this module, which cannot see the job's classes (a test in
 * sift-jobs checks that the two agree).
 *
 * @param baseline            detector settings of every metric without its own
 * @param baselineByMetric    detector settings by metric name
 * @param correlation         correlator settings
 * @param logErrorMetric      name of the metric made from error log lines
 * @param logWindowMillis     tumbling window in which error lines are counted
 * @param outOfOrdernessMillis bounded out-of-orderness of the job's watermarks
 * @param silenceMillis       an open anomaly of a series silent this long ends
 * @param detection           which detectors run on which metric, with gap policy, warm-up and series cap (the job's
 *                            sift.detect.*); the baseline settings above are its robust-baseline and episode settings
 */
public record PipelineSettings(BaselineConfig baseline, Map<String, BaselineConfig> baselineByMetric,
        CorrelationConfig correlation, String logErrorMetric, long logWindowMillis, long outOfOrdernessMillis,
        long silenceMillis, DetectionConfig detection) {

    /** The anomaly references an incident keeps in evaluations: all of them, so purity can be measured. */
    public static final int ALL_ANOMALY_REFS = 100_000;

    /** Robust baseline detection only (the detector before the metric model). */
    public PipelineSettings(BaselineConfig baseline, Map<String, BaselineConfig> baselineByMetric,
            CorrelationConfig correlation, String logErrorMetric, long logWindowMillis, long outOfOrdernessMillis,
            long silenceMillis) {
        this(baseline, baselineByMetric, correlation, logErrorMetric, logWindowMillis, outOfOrdernessMillis,
                silenceMillis, DetectionConfig.robust(baseline, baselineByMetric));
    }

    public PipelineSettings {
        baselineByMetric = Map.copyOf(baselineByMetric);
        // Evaluation needs every anomaly of an incident; the cap only trims what the job publishes.
        correlation = correlation.toBuilder().maxAnomalyRefs(ALL_ANOMALY_REFS).build();
    }

    /** The Flink job's defaults (sift.detect.*, sift.logs.*, sift.correlate.*, sift.watermark.*). */
    public static PipelineSettings defaults() {
        double threshold = 6.0;
        int warmUp = 20;
        double minRelative = 0.2;
        BaselineConfig baseline = BaselineConfig.builder().threshold(threshold).warmUpSamples(warmUp)
                .minRelativeDeviation(minRelative).build();
        BaselineConfig logErrors = BaselineConfig.builder().threshold(threshold)
                .warmUpSamples(Math.max(5, warmUp / 4)).minRelativeDeviation(minRelative).minAbsoluteDeviation(5.0)
                .minConsecutive(1).quietSamples(2).direction(DirectionFilter.UP).build();
        String logMetric = LogMetrics.LOG_ERROR_METRIC;
        Map<String, BaselineConfig> byMetric = Map.of(logMetric, logErrors);
        DetectorConfig model = DetectorConfig.builder().warmUpSamples(300).quickWarmUpSamples(20).quickWarmUpSigmas(6.0)
                .forestTrees(30).forestSampleSize(256).refractorySamples(0).build();
        DetectionConfig detection = new DetectionConfig(List.of(DetectionConfig.ROBUST_BASELINE), Map.of(), baseline,
                byMetric, model, GapPolicy.SKIP, 60, 100_000);
        return new PipelineSettings(baseline, byMetric, CorrelationConfig.defaults(), logMetric,
                Duration.ofMinutes(1).toMillis(), Duration.ofSeconds(30).toMillis(), Duration.ofMinutes(5).toMillis(),
                detection);
    }

    /** Detector settings of a metric. */
    public BaselineConfig baselineOf(String metric) {
        return baselineByMetric.getOrDefault(metric, baseline);
    }
}
