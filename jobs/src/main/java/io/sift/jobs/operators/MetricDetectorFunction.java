package io.sift.jobs.operators;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.RobustBaselineDetector;
import io.sift.core.detect.SeriesState;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Holds one series' detector state (keyed by series key) and calls the plain-Java detector for each sample. One
 * event-time timer per series ends an anomaly when the series falls silent and forgets series silent for the TTL.
 */
public final class MetricDetectorFunction extends KeyedProcessFunction<String, MetricPoint, Anomaly> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "detect-metrics";
    public static final String NAME = "Detect anomalies per series (robust baseline)";

    private final BaselineConfig defaults;
    private final Map<String, BaselineConfig> byMetric;
    private final long silenceMillis;
    private final long ttlMillis;

    private transient Map<String, RobustBaselineDetector> detectors;
    private transient ValueState<SeriesState> series;
    private transient ValueState<Long> timer;
    private transient Counter anomalyVersions;
    private transient org.apache.flink.api.common.accumulators.LongCounter anomalyTotal;

    /** Name of the metric and the job accumulator counting anomaly versions emitted. */
    public static final String ACCUMULATOR = "anomalyVersions";

    public MetricDetectorFunction(BaselineConfig defaults, Map<String, BaselineConfig> byMetric, long silenceMillis,
            long ttlMillis) {
        if (ttlMillis < silenceMillis) {
            throw new IllegalArgumentException("series TTL (" + ttlMillis + " ms) must not be shorter than the silence"
                    + " timeout (" + silenceMillis + " ms): raise sift.detect.series-ttl");
        }
        this.defaults = defaults;
        this.byMetric = new HashMap<>(byMetric);
        this.silenceMillis = silenceMillis;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        detectors = new HashMap<>();
        series = getRuntimeContext().getState(
                new ValueStateDescriptor<>("series", TypeInformation.of(SeriesState.class)));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        anomalyVersions = getRuntimeContext().getMetricGroup().counter(ACCUMULATOR);
        anomalyTotal = new org.apache.flink.api.common.accumulators.LongCounter();
        getRuntimeContext().addAccumulator(ACCUMULATOR, anomalyTotal);
    }

    private RobustBaselineDetector detectorFor(String metric) {
        return detectors.computeIfAbsent(metric,
                m -> new RobustBaselineDetector(byMetric.getOrDefault(m, defaults)));
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<Anomaly> out) throws Exception {
        SeriesState state = series.value();
        if (state == null) {
            state = new SeriesState();
        }
        Anomaly anomaly = detectorFor(point.getName()).onSample(state, ctx.getCurrentKey(), point);
        series.update(state);
        if (anomaly != null) {
            anomalyVersions.inc();
            anomalyTotal.add(1);
            out.collect(anomaly);
        }
        Long scheduled = timer.value();
        if (scheduled == null || deadline(state) < scheduled) {
            schedule(ctx.timerService(), state);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        timer.clear();
        SeriesState state = series.value();
        if (state == null) {
            return;
        }
        if (state.episode != null && timestamp >= state.lastSeen + silenceMillis) {
            Anomaly end = detectorFor(state.episode.getMetric()).onSilence(state);
            if (end != null) {
                anomalyVersions.inc();
            anomalyTotal.add(1);
                out.collect(end);
            }
            series.update(state);
        }
        if (state.episode == null && timestamp >= state.lastSeen + ttlMillis) {
            series.clear();
            return;
        }
        schedule(ctx.timerService(), state);
    }

    private long deadline(SeriesState state) {
        return state.lastSeen + (state.episode != null ? silenceMillis : ttlMillis);
    }

    private void schedule(org.apache.flink.streaming.api.TimerService timers, SeriesState state) throws Exception {
        // Later samples push the deadline on; the timer re-checks when it fires instead of being moved each sample.
        long at = deadline(state);
        timers.registerEventTimeTimer(at);
        timer.update(at);
    }
}
