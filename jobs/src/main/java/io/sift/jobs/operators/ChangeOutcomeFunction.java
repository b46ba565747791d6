package io.sift.jobs.operators;

import io.sift.core.change.ChangeNaming;
import io.sift.core.change.ChangeOutcome;
import io.sift.core.change.ChangeOutcomeState;
import io.sift.core.change.ChangeOutcomes;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Keyed by environment and change id ({@link ChangeOutcomes#keyOf}: two environments may use the same change id), holds a change and the incidents whose root-cause hints named it, and calls the plain-Java
 * {@link ChangeOutcomes}: a {@link ChangeOutcome} version when the change arrives (pending), when a hint names it
 * (implicated) and when its look-back passed without one (clean). The topology (broadcast) gives the owning team of
 * the changed item; only items are kept from it, not edges. The state is dropped by an event-time timer the grace
 * after the decision.
 */
public final class ChangeOutcomeFunction
        extends KeyedBroadcastProcessFunction<String, Either<ChangeEvent, ChangeNaming>, TopologyUpdate, ChangeOutcome> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "change-outcomes";
    public static final String NAME = "Changes → outcomes (implicated or clean)";

    /** The input: changes, and namings of them by incident versions' hints. */
    public static final TypeInformation<Either<ChangeEvent, ChangeNaming>> INPUT_TYPE = new EitherTypeInfo<>(
            new AvroTypeInfo<>(ChangeEvent.class), TypeInformation.of(ChangeNaming.class));

    public static final TypeInformation<ChangeOutcome> OUTPUT_TYPE = TypeInformation.of(ChangeOutcome.class);

    private final ChangeOutcomes outcomes;

    private transient ValueState<ChangeOutcomeState> outcome;
    private transient Counter outcomeVersions;
    private transient Counter namingsUnmatched;

    public ChangeOutcomeFunction(ChangeOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    /**
     * The namings of changes by an incident version's root-cause hints, as input, in the incident's environment
     * ({@code defaultEnvironment} if it names none).
     */
    public static FlatMapFunction<Incident, Either<ChangeEvent, ChangeNaming>> namings(String defaultEnvironment) {
        return (incident, out) -> {
            for (ChangeNaming naming : ChangeNaming.of(incident, defaultEnvironment)) {
                out.collect(Either.Right(naming));
            }
        };
    }

    /** A change as input. */
    public static Either<ChangeEvent, ChangeNaming> input(ChangeEvent change) {
        return Either.Left(change);
    }

    /** The key selector: environment and change id, as {@link ChangeOutcomes#keyOf} makes it. */
    public KeySelector<Either<ChangeEvent, ChangeNaming>, String> keys() {
        return new Keys(outcomes);
    }

    /** The key of a change or a naming: its environment and change id, as {@link ChangeOutcomes#keyOf} makes it. */
    public static final class Keys implements KeySelector<Either<ChangeEvent, ChangeNaming>, String> {

        private static final long serialVersionUID = 1L;

        private final ChangeOutcomes outcomes;

        public Keys(ChangeOutcomes outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public String getKey(Either<ChangeEvent, ChangeNaming> input) {
            return input.isLeft() ? outcomes.keyOf(input.left()) : outcomes.keyOf(input.right());
        }
    }

    @Override
    public void open(OpenContext openContext) {
        outcome = getRuntimeContext().getState(
                new ValueStateDescriptor<>("change-outcome", TypeInformation.of(ChangeOutcomeState.class)));
        outcomeVersions = getRuntimeContext().getMetricGroup().counter("changeOutcomeVersions");
        namingsUnmatched = getRuntimeContext().getMetricGroup().counter("changeNamingsUnmatched");
    }

    @Override
    public void processElement(Either<ChangeEvent, ChangeNaming> input, ReadOnlyContext ctx,
            Collector<ChangeOutcome> out) throws Exception {
        ChangeOutcomeState state = outcome.value();
        if (state == null) {
            state = new ChangeOutcomeState();
        }
        ChangeOutcomes.ItemAttributes items = items(ctx.getBroadcastState(CorrelateFunction.TOPOLOGY));
        ChangeOutcome version = input.isLeft()
                ? outcomes.onChange(state, input.left(), items, timers(ctx.timerService()))
                : outcomes.onNaming(state, input.right(), items, timers(ctx.timerService()));
        emit(version, out);
        outcome.update(state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ChangeOutcome> out) throws Exception {
        ChangeOutcomeState state = outcome.value();
        if (state == null) {
            return;
        }
        emit(outcomes.onTimer(state, timestamp, items(ctx.getBroadcastState(CorrelateFunction.TOPOLOGY)),
                timers(ctx.timerService())), out);
        if (outcomes.finished(state, timestamp)) {
            if (state.change == null) {
                // Namings of a change this stage never got (it came before an upgrade added this stage, or after
                // its state was dropped): given up after the grace.
                namingsUnmatched.inc(state.incidentCount);
            }
            if (state.timer != ChangeOutcomeState.NO_TIMER) {
                ctx.timerService().deleteEventTimeTimer(state.timer);
            }
            outcome.clear();
        } else {
            outcome.update(state);
        }
    }

    /** Keeps the topology's items (for their owning team); edges are of no use here. */
    @Override
    public void processBroadcastElement(TopologyUpdate update, Context ctx, Collector<ChangeOutcome> out)
            throws Exception {
        if (update.getItem() == null) {
            return;
        }
        BroadcastState<String, TopologyUpdate> items = ctx.getBroadcastState(CorrelateFunction.TOPOLOGY);
        String key = "item:" + update.getItem().getId();
        if (update.getOperation() == TopologyOperation.DELETE) {
            items.remove(key);
        } else {
            items.put(key, update);
        }
    }

    private void emit(ChangeOutcome version, Collector<ChangeOutcome> out) {
        if (version != null) {
            outcomeVersions.inc();
            out.collect(version);
        }
    }

    private static ChangeOutcomes.ItemAttributes items(ReadOnlyBroadcastState<String, TopologyUpdate> topology) {
        return item -> {
            try {
                TopologyUpdate update = topology.get("item:" + item);
                return update == null ? Map.of() : update.getItem().getAttributes();
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the topology item " + item + " from broadcast state", e);
            }
        };
    }

    private static ChangeOutcomes.Timers timers(TimerService service) {
        return new ChangeOutcomes.Timers() {
            @Override
            public void schedule(long time) {
                service.registerEventTimeTimer(time);
            }

            @Override
            public void cancel(long time) {
                service.deleteEventTimeTimer(time);
            }
        };
    }
}
