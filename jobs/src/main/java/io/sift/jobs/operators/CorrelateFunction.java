package io.sift.jobs.operators;

import io.sift.core.correlate.CorrelationState;
import io.sift.core.correlate.Correlator;
import io.sift.core.correlate.SettledIncidentFeedback;
import io.sift.core.topology.Topology;
import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.connectors.kafka.DeadLetters;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.TopologyUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * Inputs are signals (right: anomalies, or alerts from existing monitoring) and, on the left, changes or ITSM
 * feedback; feedback Sift cannot apply (an unknown incident) goes to the dead letters. Alerts wait in a buffer of their
 * own ("pending-alerts", added after the first release: older savepoints restore with it empty) and are applied in
 * event-time order with the anomalies and changes. The last version of each settled (resolved or closed) incident is kept for
 * the settled memory, so that feedback arriving after the correlator forgot the incident (a ticket closed days later)
 * still applies ({@link SettledIncidentFeedback}).
 */
public final class CorrelateFunction extends KeyedBroadcastProcessFunction<String,
        Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate, Incident> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "correlate";
    public static final String NAME = "Correlate anomalies into incidents";
    /** Stage of the dead letters of this operator (topology updates that cannot take effect). */
    public static final String STAGE = "topology";

    public static final MapStateDescriptor<String, TopologyUpdate> TOPOLOGY = TopologyBroadcast.DESCRIPTOR;

    /** Buffered changes and anomalies (the state's type since the first release, so savepoints restore). */
    static final TypeInformation<Either<ChangeEvent, Anomaly>> PENDING_TYPE = new EitherTypeInfo<>(
            new AvroTypeInfo<>(ChangeEvent.class), new AvroTypeInfo<>(Anomaly.class));

    /**
     * The input stream's type (not kept in state: only the buffers below are, so it may change between releases).
     */
    public static final TypeInformation<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>> INPUT_TYPE =
            new EitherTypeInfo<>(new EitherTypeInfo<>(new AvroTypeInfo<>(ChangeEvent.class),
                    new AvroTypeInfo<>(ItsmUpdate.class)),
                    new EitherTypeInfo<>(new AvroTypeInfo<>(Anomaly.class), new AvroTypeInfo<>(Alert.class)));

    /** Stage of the dead letters of ITSM feedback that names no live incident. */
    public static final String FEEDBACK_STAGE = "correlate";

    /** An anomaly as correlation input. */
    public static Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>> input(Anomaly anomaly) {
        return Either.Right(Either.Left(anomaly));
    }

    /** An alert from existing monitoring as correlation input. */
    public static Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>> input(Alert alert) {
        return Either.Right(Either.Right(alert));
    }

    /** The correlation scope (key) of an input. */
    public static String environmentOf(Correlator correlator,
            Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>> input) {
        if (input.isRight()) {
            return input.right().isLeft() ? correlator.environmentOf(input.right().left())
                    : correlator.environmentOf(input.right().right());
        }
        return input.left().isLeft() ? correlator.environmentOf(input.left().left())
                : correlator.environmentOf(input.left().right());
    }

    /** A change as correlation input. */
    public static Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>> input(ChangeEvent change) {
        return Either.Left(Either.Left(change));
    }

    /** ITSM feedback as correlation input. */
    public static Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>> input(ItsmUpdate update) {
        return Either.Left(Either.Right(update));
    }

    private final Correlator correlator;
    private final Duration settledMemory;

    private transient ValueState<CorrelationState> correlation;
    private transient MapState<Long, List<Either<ChangeEvent, Anomaly>>> pending;
    private transient ValueState<Long> deadline;
    private transient MapState<Long, List<ItsmUpdate>> pendingFeedback;
    private transient MapState<Long, List<Alert>> pendingAlerts;
    /** The last version of each settled incident, by id, while it takes feedback. */
    private transient MapState<String, Incident> settled;
    /** The earliest time a settled version expires (a timer is set there), or null. */
    private transient ValueState<Long> settledSweep;
    private transient Topology topology;
    private transient Counter incidentVersions;
    /** Resolved alerts no incident held (never seen firing, or forgotten after the cool-down): nothing to end. */
    private transient Counter alertResolvesUnmatched;
    /** Inputs already behind the watermark when they arrived (late data, or an input wrongly taken for idle). */
    private transient Counter lateInputs;
    private transient DeadLetterCounter deadLettered;
    private transient org.apache.avro.message.BinaryMessageEncoder<TopologyUpdate> encoder;
    private transient org.apache.avro.message.BinaryMessageEncoder<ItsmUpdate> feedbackEncoder;

    public CorrelateFunction(Correlator correlator) {
        this(correlator, Duration.ofDays(14));
    }

    /** @param settledMemory how long a settled incident's last version takes ITSM feedback; zero keeps none */
    public CorrelateFunction(Correlator correlator, Duration settledMemory) {
        if (settledMemory == null || settledMemory.isNegative()) {
            throw new IllegalArgumentException("the settled memory (sift.itsm.settled-memory) must be zero or positive,"
                    + " e.g. 14 d; got " + settledMemory);
        }
        this.correlator = correlator;
        this.settledMemory = settledMemory;
    }

    @Override
    public void open(OpenContext openContext) {
        correlation = getRuntimeContext().getState(
                new ValueStateDescriptor<>("correlation", TypeInformation.of(CorrelationState.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending", Types.LONG, new ListTypeInfo<>(PENDING_TYPE)));
        pendingFeedback = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-feedback", Types.LONG,
                new ListTypeInfo<>(new AvroTypeInfo<>(ItsmUpdate.class))));
        pendingAlerts = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-alerts", Types.LONG,
                new ListTypeInfo<>(new AvroTypeInfo<>(Alert.class))));
        deadline = getRuntimeContext().getState(new ValueStateDescriptor<>("deadline", Types.LONG));
        settled = getRuntimeContext().getMapState(new MapStateDescriptor<>("settled-incidents", Types.STRING,
                new AvroTypeInfo<>(Incident.class)));
        settledSweep = getRuntimeContext().getState(new ValueStateDescriptor<>("settled-sweep", Types.LONG));
        incidentVersions = getRuntimeContext().getMetricGroup().counter("incidentVersions");
        alertResolvesUnmatched = getRuntimeContext().getMetricGroup().counter("alertResolvesUnmatched");
        lateInputs = getRuntimeContext().getMetricGroup().counter("lateInputs");
        deadLettered = new DeadLetterCounter(getRuntimeContext());
    }

    @Override
    public void processElement(Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>> element, ReadOnlyContext ctx,
            Collector<Incident> out) throws Exception {
        if (element.isLeft() && element.left().isRight()) {
            feedback(element.left().right(), ctx, out);
            return;
        }
        if (element.isRight() && element.right().isRight()) {
            alert(element.right().right(), ctx, out);
            return;
        }
        Either<ChangeEvent, Anomaly> input = element.isLeft()
                ? Either.Left(element.left().left()) : Either.Right(element.right().left());
        long time = dueAt(input.isLeft() ? input.left().getTime() : input.right().getTime(), ctx);
        long watermark = ctx.timerService().currentWatermark();
        if (time <= watermark) {
            lateInputs.inc();
            // Already behind event time (late, or from an idle input): apply now rather than hold it forever.
            Current current = new Current();
            apply(current, List.of(input.isLeft() ? input.left() : input.right()),
                    topology(ctx.getBroadcastState(TOPOLOGY)), out);
            scheduleDeadline(ctx.timerService(), watermark + 1, current);
            current.store();
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

    /**
     * When an input is applied: at its stream timestamp, or its own time if that is later. An operator's timer emits
     * records stamped with the timer's time, which never lies behind the watermark the correlator has seen, while
     * the record's own time may (a series' closing version carries its last sample's time). Buffering by the record's
     * time alone would apply such records at once or in order depending on how far the other subtasks' watermarks had
     * come, so the same input gave different incidents from run to run.
     */
    private static long dueAt(java.time.Instant recordTime, ReadOnlyContext ctx) {
        long time = recordTime.toEpochMilli();
        Long stamped = ctx.timestamp();
        return stamped == null ? time : Math.max(time, stamped);
    }

    /** Buffers an alert until event time passes it, so it applies in order with the anomalies and changes. */
    private void alert(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        long time = dueAt(alert.getTime(), ctx);
        long watermark = ctx.timerService().currentWatermark();
        if (time <= watermark) {
            lateInputs.inc();
            Current current = new Current();
            apply(current, List.of(alert), topology(ctx.getBroadcastState(TOPOLOGY)), out);
            scheduleDeadline(ctx.timerService(), watermark + 1, current);
            current.store();
            return;
        }
        List<Alert> atTime = pendingAlerts.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
        }
        atTime.add(alert);
        pendingAlerts.put(time, atTime);
        ctx.timerService().registerEventTimeTimer(time);
    }

    /** Buffers feedback like any input, so it applies between the anomalies it happened between. */
    private void feedback(ItsmUpdate update, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
        long time = dueAt(update.getTime(), ctx);
        long watermark = ctx.timerService().currentWatermark();
        if (time <= watermark) {
            lateInputs.inc();
            Current current = new Current();
            applyFeedback(current, List.of(update), topology(ctx.getBroadcastState(TOPOLOGY)), out,
                    dl -> ctx.output(DeadLetterTag.DEAD_LETTERS, dl));
            scheduleDeadline(ctx.timerService(), watermark + 1, current);
            current.store();
            return;
        }
        List<ItsmUpdate> atTime = pendingFeedback.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
        }
        atTime.add(update);
        pendingFeedback.put(time, atTime);
        ctx.timerService().registerEventTimeTimer(time);
    }

    private void applyFeedback(Current current, List<ItsmUpdate> updates, Topology topo, Collector<Incident> out,
            java.util.function.Consumer<DeadLetter> deadLetters) throws Exception {
        if (updates.isEmpty()) {
            return;
        }
        CorrelationState state = current.forUpdate();
        for (ItsmUpdate update : updates) {
            Correlator.FeedbackOutcome outcome = correlator.onFeedback(state, update, topo);
            if (outcome.isRejected() && ErrorKinds.UNKNOWN_INCIDENT.equals(outcome.errorKind())) {
                Incident last = settled.get(update.getIncidentId());
                if (last != null && SettledIncidentFeedback.takesFeedback(last, settledMemory, update)) {
                    outcome = SettledIncidentFeedback.apply(last, update);
                }
            }
            if (outcome.isRejected()) {
                if (feedbackEncoder == null) {
                    feedbackEncoder = AvroRecordSerializer.encoderFor(ItsmUpdate.class);
                }
                DeadLetter deadLetter = DeadLetters.invalid(FEEDBACK_STAGE, outcome.errorKind(), outcome.reason(),
                        update.getIncidentId(), AvroRecordSerializer.encode(feedbackEncoder, update));
                deadLettered.count(deadLetter);
                deadLetters.accept(deadLetter);
            }
            for (Incident incident : outcome.incidents()) {
                emit(incident, out);
            }
        }
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
            encoder = AvroRecordSerializer.encoderFor(TopologyUpdate.class);
        }
        DeadLetter deadLetter = DeadLetters.invalid(STAGE, ErrorKinds.UNKNOWN_REFERENCE, reason, null,
                AvroRecordSerializer.encode(encoder, update));
        deadLettered.count(deadLetter);
        ctx.output(DeadLetterTag.DEAD_LETTERS, deadLetter);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Incident> out) throws Exception {
        Topology topo = topology(ctx.getBroadcastState(TOPOLOGY));
        // Read once and written once per timer (on RocksDB each read deserialises, each write serialises, the whole
        // state), where applying, feedback, advancing and scheduling each read it and wrote it back.
        Current current = new Current();
        java.util.TreeSet<Long> due = new java.util.TreeSet<>();
        for (Long time : pending.keys()) {
            if (time <= timestamp) {
                due.add(time);
            }
        }
        for (Long time : pendingAlerts.keys()) {
            if (time <= timestamp) {
                due.add(time);
            }
        }
        List<Object> batch = new ArrayList<>();
        for (Long time : due) {
            List<Either<ChangeEvent, Anomaly>> stored = pending.get(time);
            if (stored != null) {
                List<Either<ChangeEvent, Anomaly>> atTime = new ArrayList<>(stored);
                // Same instant: changes first (they explain) by id, then anomalies in the correlator's order.
                atTime.sort(Comparator.comparing((Either<ChangeEvent, Anomaly> e) -> e.isLeft() ? 0 : 1)
                        .thenComparing((x, y) -> x.isLeft() ? x.left().getId().compareTo(y.left().getId())
                                : Correlator.SAME_INSTANT_ORDER.compare(x.right(), y.right())));
                for (Either<ChangeEvent, Anomaly> e : atTime) {
                    batch.add(e.isLeft() ? e.left() : e.right());
                }
                pending.remove(time);
            }
            List<Alert> alerts = pendingAlerts.get(time);
            if (alerts != null) {
                List<Alert> atTime = new ArrayList<>(alerts);
                // Then alerts: firing before resolved, by source, fingerprint and start, whatever the arrival order.
                atTime.sort(Comparator.comparing((Alert a) -> a.getStatus().ordinal()).thenComparing(Alert::getSource)
                        .thenComparing(Alert::getFingerprint).thenComparing(Alert::getStartsAt));
                batch.addAll(atTime);
                pendingAlerts.remove(time);
            }
        }
        apply(current, batch, topo, out);

        List<Long> dueFeedback = new ArrayList<>();
        for (Long time : pendingFeedback.keys()) {
            if (time <= timestamp) {
                dueFeedback.add(time);
            }
        }
        dueFeedback.sort(Comparator.naturalOrder());
        List<ItsmUpdate> feedbackBatch = new ArrayList<>();
        for (Long time : dueFeedback) {
            List<ItsmUpdate> atTime = new ArrayList<>(pendingFeedback.get(time));
            // Same instant: a stable order whatever the arrival order (acknowledge before resolve before close).
            atTime.sort(Comparator.comparing((ItsmUpdate u) -> u.getAction().ordinal())
                    .thenComparing(ItsmUpdate::getIncidentId));
            feedbackBatch.addAll(atTime);
            pendingFeedback.remove(time);
        }
        applyFeedback(current, feedbackBatch, topo, out, dl -> ctx.output(DeadLetterTag.DEAD_LETTERS, dl));

        CorrelationState state = current.value();
        if (state != null) {
            current.forUpdate();
            for (Incident incident : correlator.advance(state, timestamp, topo)) {
                emit(incident, out);
            }
        }
        sweepSettled(timestamp);
        Long scheduled = deadline.value();
        if (scheduled != null && scheduled <= timestamp) {
            deadline.clear();
        }
        // Timers registered at or below the watermark still fire in this pass, in order, after this one.
        scheduleDeadline(ctx.timerService(), timestamp + 1, current);
        current.store();
    }

    /** Applies changes, anomalies and alerts in the order given. */
    private void apply(Current current, List<?> inputs, Topology topo, Collector<Incident> out) throws Exception {
        if (inputs.isEmpty()) {
            return;
        }
        CorrelationState state = current.forUpdate();
        for (Object input : inputs) {
            if (input instanceof ChangeEvent change) {
                correlator.onChange(state, change);
            } else if (input instanceof Anomaly anomaly) {
                for (Incident incident : correlator.onAnomaly(state, anomaly, topo)) {
                    emit(incident, out);
                }
            } else {
                Correlator.AlertOutcome outcome = correlator.onAlert(state, (Alert) input, topo);
                if (outcome.unknownResolve()) {
                    alertResolvesUnmatched.inc();
                }
                for (Incident incident : outcome.incidents()) {
                    emit(incident, out);
                }
            }
        }
    }

    private void emit(Incident incident, Collector<Incident> out) throws Exception {
        incidentVersions.inc();
        out.collect(incident);
        boolean settledVersion = SettledIncidentFeedback.settled(incident);
        if (settledVersion && !settledMemory.isZero()) {
            settled.put(incident.getId(), incident);
            long expiry = SettledIncidentFeedback.expiry(incident, settledMemory);
            Long sweep = settledSweep.value();
            if (sweep == null || expiry < sweep) {
                settledSweep.update(expiry);
            }
        } else if (settledVersion || incident.getChange() == IncidentChange.REOPENED
                || incident.getStatus() == IncidentStatus.MERGED) {
            // Reopened or merged (live again, or gone), or nothing is to be kept (a memory left from before the
            // setting was turned off is dropped as its incidents settle). Other versions of open incidents, the
            // bulk of the output, cannot be remembered: no state access for them.
            settled.remove(incident.getId());
        }
    }

    /** Drops the settled versions expired at {@code time} and notes when the next one expires. */
    private void sweepSettled(long time) throws Exception {
        Long sweep = settledSweep.value();
        if (sweep == null || sweep > time) {
            return;
        }
        long next = Long.MAX_VALUE;
        var entries = settled.iterator();
        while (entries.hasNext()) {
            long expiry = SettledIncidentFeedback.expiry(entries.next().getValue(), settledMemory);
            if (expiry <= time) {
                entries.remove();
            } else {
                next = Math.min(next, expiry);
            }
        }
        if (next == Long.MAX_VALUE) {
            settled.clear(); // an emptied heap map state still counts as an entry
            settledSweep.clear();
        } else {
            settledSweep.update(next);
        }
    }

    /**
     * The current key's correlation state within one call: read at most once, written once at the end if changed.
     * {@link #value} is what reading the state would give at that point had every change been written at once (an
     * emptied state is cleared, so it reads as none), so the call behaves as when each step read and wrote it.
     */
    private final class Current {
        private CorrelationState state;
        private boolean read;
        private boolean changed;

        /** What the state holds now (null: none). */
        CorrelationState value() throws Exception {
            if (!read) {
                state = correlation.value();
                read = true;
            }
            return changed && state.isEmpty() ? null : state;
        }

        /** The state to change (a new one when there is none); written back by {@link #store}. */
        CorrelationState forUpdate() throws Exception {
            if (value() == null) {
                state = new CorrelationState();
            }
            changed = true;
            return state;
        }

        /** Writes the state back if changed (clears it when empty). */
        void store() throws Exception {
            if (!changed) {
                return;
            }
            if (state.isEmpty()) {
                correlation.clear();
            } else {
                correlation.update(state);
            }
            changed = false;
        }
    }

    private void scheduleDeadline(org.apache.flink.streaming.api.TimerService timers, long earliest, Current current)
            throws Exception {
        Long sweep = settledSweep.value();
        if (sweep != null) {
            // Registering the same time again is a no-op; never at or before the time being processed.
            timers.registerEventTimeTimer(Math.max(sweep, earliest));
        }
        CorrelationState state = current.value();
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
