package io.sift.jobs.operators;

import io.sift.core.correlate.CorrelationState;
import io.sift.core.correlate.Correlator;
import io.sift.core.correlate.Topology;
import io.sift.connectors.kafka.DeadLetters;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.Anomaly;
import io.sift.schema.DeadLetter;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Holds the correlation state of one environment (the key) and the topology (broadcast state), and calls the
 * plain-Java correlator. Inputs are buffered until the watermark passes them and then applied in event-time
 * order, so the incidents (ids, versions, contents) do not depend on arrival order, parallelism or restarts.
 */
public final class CorrelateFunction
        extends KeyedBroadcastProcessFunction<String, Either<ChangeEvent, Anomaly>, TopologyUpdate, Incident> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "correlate";
    public static final String NAME = "Correlate anomalies into incidents";
    /** Stage of the dead letters of this operator (topology updates that cannot take effect). */
    public static final String STAGE = "topology";

    public static final MapStateDescriptor<String, TopologyUpdate> TOPOLOGY = TopologyBroadcast.DESCRIPTOR;

    public static final TypeInformation<Either<ChangeEvent, Anomaly>> INPUT_TYPE = new EitherTypeInfo<>(
            new AvroTypeInfo<>(ChangeEvent.class), new AvroTypeInfo<>(Anomaly.class));

    private final Correlator correlator;

    private transient ValueState<CorrelationState> correlation;
    private transient MapState<Long, List<Either<ChangeEvent, Anomaly>>> pending;
    private transient ValueState<Long> deadline;
    private transient Topology topology;
    private transient Counter incidentVersions;
    private transient DeadLetterCounter deadLettered;
    private transient org.apache.avro.message.BinaryMessageEncoder<TopologyUpdate> encoder;

    public CorrelateFunction(Correlator correlator) {
        this.correlator = correlator;
    }

    @Override
    public void open(OpenContext openContext) {
        correlation = getRuntimeContext().getState(
                new ValueStateDescriptor<>("correlation", TypeInformation.of(CorrelationState.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, new ListTypeInfo<>(INPUT_TYPE)));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
        incidentVersions = getRuntimeContext().getMetricGroup().counter("incidentVersions");
        deadLettered = new DeadLetterCounter(getRuntimeContext());
    }

    @Override
    public void processElement(Either<ChangeEvent, Anomaly> input, ReadOnlyContext ctx, Collector<Incident> out)
            throws Exception {
        long time = input.isLeft() ? input.left().getTime().toEpochMilli() : input.right().getTime().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (time <= watermark) {
            // Already behind event time (late, or from an idle input): apply now rather than hold it forever.
            apply(List.of(input), topology(ctx.getBroadcastState(TOPOLOGY)), out);
            scheduleDeadline(ctx.timerService(), watermark + 1);
            return;
        }
        List<Either<ChangeEvent, Anomaly>> atTime = pending.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
        }
        atTime.add(input);
        pending.put(time, atTime);
        ctx.timerService().registerEventTimeTimer(time);
    }

    @Override
    public void processBroadcastElement(TopologyUpdate update, Context ctx, Collector<Incident> out) throws Exception {
        BroadcastState<String, TopologyUpdate> state = ctx.getBroadcastState(TOPOLOGY);
        Topology current = topology(state);
        String unknown = current.unknownReference(update);
        if (unknown != null) {
            // Every instance sees every update; one reports it, so it is dead-lettered once.
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                deadLetterUnknown(update, unknown, ctx);
            }
            return;
        }
        TopologyBroadcast.store(state, update);
        current.apply(update);
    }

    /** A delete of something the topology does not hold has no effect; it is dead-lettered rather than ignored. */
    private void deadLetterUnknown(TopologyUpdate update, String reason, Context ctx) {
        if (encoder == null) {
            encoder = io.sift.connectors.kafka.AvroRecordSerializer.encoderFor(TopologyUpdate.class);
        }
        DeadLetter deadLetter = DeadLetters.invalid(STAGE, ErrorKinds.UNKNOWN_REFERENCE, reason, null,
                io.sift.connectors.kafka.AvroRecordSerializer.encode(encoder, update));
        deadLettered.count(deadLetter);
        ctx.output(DeadLetterTag.DEAD_LETTERS, deadLetter);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        Topology topo = topology(ctx.getBroadcastState(TOPOLOGY));
        List<Long> due = new ArrayList<>();
        for (Long time : pending.keys()) {
            if (time <= timestamp) {
                due.add(time);
            }
        }
        due.sort(Comparator.naturalOrder());
        List<Either<ChangeEvent, Anomaly>> batch = new ArrayList<>();
        for (Long time : due) {
            List<Either<ChangeEvent, Anomaly>> atTime = new ArrayList<>(pending.get(time));
            // Same instant: changes first (they explain), then anomalies by id, for a stable order.
            atTime.sort(Comparator.comparing((Either<ChangeEvent, Anomaly> e) -> e.isLeft() ? 0 : 1)
                    .thenComparing(e -> e.isLeft() ? e.left().getId() : e.right().getId() + "#"
                            + String.format("%019d", e.right().getVersion())));
            batch.addAll(atTime);
            pending.remove(time);
        }
        apply(batch, topo, out);

        CorrelationState state = correlation.value();
        if (state != null) {
            for (Incident incident : correlator.advance(state, timestamp, topo)) {
                emit(incident, out);
            }
            store(state);
        }
        Long scheduled = deadline.value();
        if (scheduled != null && scheduled <= timestamp) {
            deadline.clear();
        }
        // Timers registered at or below the watermark still fire in this pass, in order, after this one.
        scheduleDeadline(ctx.timerService(), timestamp + 1);
    }

    private void apply(List<Either<ChangeEvent, Anomaly>> inputs, Topology topo, Collector<Incident> out)
            throws Exception {
        if (inputs.isEmpty()) {
            return;
        }
        CorrelationState state = correlation.value();
        if (state == null) {
            state = new CorrelationState();
        }
        for (Either<ChangeEvent, Anomaly> input : inputs) {
            if (input.isLeft()) {
                correlator.onChange(state, input.left());
            } else {
                for (Incident incident : correlator.onAnomaly(state, input.right(), topo)) {
                    emit(incident, out);
                }
            }
        }
        store(state);
    }

    private void emit(Incident incident, Collector<Incident> out) {
        incidentVersions.inc();
        out.collect(incident);
    }

    private void store(CorrelationState state) throws Exception {
        if (state.isEmpty()) {
            correlation.clear();
        } else {
            correlation.update(state);
        }
    }

    private void scheduleDeadline(org.apache.flink.streaming.api.TimerService timers, long earliest) throws Exception {
        CorrelationState state = correlation.value();
        if (state == null) {
            return;
        }
        long next = correlator.nextDeadline(state);
        if (next != Long.MAX_VALUE) {
            // Never schedule at or before the time being processed: that timer would fire again and again.
            next = Math.max(next, earliest);
        }
        Long scheduled = deadline.value();
        if (next != Long.MAX_VALUE && (scheduled == null || next < scheduled)) {
            timers.registerEventTimeTimer(next);
            deadline.update(next);
        }
    }

    private Topology topology(ReadOnlyBroadcastState<String, TopologyUpdate> state) throws Exception {
        if (topology == null) {
            // After a restore the broadcast state is back but this cache is not: rebuild it.
            topology = TopologyBroadcast.rebuild(state);
        }
        return topology;
    }
}
