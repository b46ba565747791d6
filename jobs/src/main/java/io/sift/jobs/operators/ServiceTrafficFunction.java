package io.sift.jobs.operators;

import io.sift.core.traces.ServiceTraffic;
import io.sift.core.traces.ServiceTrafficStage;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import io.sift.schema.TraceSpan;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by service ({@link ServiceTrafficStage#key}), adapts the plain-Java {@link ServiceTrafficStage}: spans in,
 * the service's request rate, error ratio and latency series out (they join the metrics before detection), and the
 * dependencies its spans show as topology edge upserts and, once unseen for the edge TTL, deletes on {@link #EDGES}.
 * One event-time timer per service, at the next window end or edge expiry; the state is dropped when neither is left.
 * The end of a bounded input closes the windows but expires no edge.
 */
public final class ServiceTrafficFunction extends KeyedProcessFunction<String, TraceSpan, MetricPoint> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "service-traffic";
    public static final String NAME = "Spans → service traffic and dependencies";
    public static final OutputTag<TopologyUpdate> EDGES = new OutputTag<>("traced-edges",
            new AvroTypeInfo<>(TopologyUpdate.class));

    private final ServiceTrafficStage stage;

    private transient ValueState<ServiceTraffic> traffic;
    private transient ValueState<Long> timer;
    private transient Counter lateSpans;
    private transient List<TopologyUpdate> edges;
    private transient List<MetricPoint> points;

    public ServiceTrafficFunction(ServiceTrafficStage stage) {
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        traffic = getRuntimeContext().getState(
                new ValueStateDescriptor<>("traffic", TypeInformation.of(ServiceTraffic.class)));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        lateSpans = getRuntimeContext().getMetricGroup().counter("spansAfterTheirWindow");
        edges = new ArrayList<>();
        points = new ArrayList<>();
    }

    @Override
    public void processElement(TraceSpan span, Context ctx, Collector<MetricPoint> out) throws Exception {
        ServiceTraffic state = traffic.value();
        if (state == null) {
            state = new ServiceTraffic();
        }
        long watermark = ctx.timerService().currentWatermark();
        if (!stage.add(state, span, watermark, edges) && ServiceTrafficStage.isRequest(span)) {
            lateSpans.inc();
        }
        for (TopologyUpdate edge : edges) {
            ctx.output(EDGES, edge);
        }
        edges.clear();
        store(state, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricPoint> out) throws Exception {
        ServiceTraffic state = traffic.value();
        timer.clear();
        if (state == null) {
            return;
        }
        // At the end of a bounded input event time jumps to its end: the windows are complete, but whether a dependency
        // is still there is not known, and expiring them all at once would reach the correlation (which applies
        // topology updates on arrival) while it still works on earlier event time.
        long watermark = ctx.timerService().currentWatermark();
        boolean endOfInput = watermark == Long.MAX_VALUE;
        // Up to the watermark, not only the timer's time: at the end of input no further timer is set, so every window
        // still open must close now (a fast bounded read can hold many windows when its only watermark is the last).
        stage.advance(state, Math.max(timestamp, watermark), !endOfInput, points, edges);
        for (MetricPoint point : points) {
            out.collect(point);
        }
        for (TopologyUpdate edge : edges) {
            ctx.output(EDGES, edge);
        }
        points.clear();
        edges.clear();
        if (endOfInput) {
            // No timer below the final watermark (it would fire again at once); the edges stay in the state.
            if (state.isEmpty()) {
                traffic.clear();
            } else {
                traffic.update(state);
            }
            return;
        }
        store(state, ctx);
    }

    /** Keeps the state and one timer at its next due time, or drops both when nothing is held. */
    private void store(ServiceTraffic state, Context ctx) throws Exception {
        Long scheduled = timer.value();
        if (state.isEmpty()) {
            if (scheduled != null) {
                ctx.timerService().deleteEventTimeTimer(scheduled);
            }
            traffic.clear();
            timer.clear();
            return;
        }
        traffic.update(state);
        long due = stage.nextDue(state);
        if (scheduled == null || scheduled != due) {
            if (scheduled != null) {
                ctx.timerService().deleteEventTimeTimer(scheduled);
            }
            ctx.timerService().registerEventTimeTimer(due);
            timer.update(due);
        }
    }
}
