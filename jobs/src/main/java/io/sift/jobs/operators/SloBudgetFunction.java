package io.sift.jobs.operators;

import io.sift.core.detect.ErrorBudget;
import io.sift.core.detect.SeriesKeys;
import io.sift.core.detect.SloRule;
import io.sift.schema.MetricPoint;
import io.sift.schema.SloStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps the error budget ({@link ErrorBudget}) of one SLO of one environment (the key: environment and SLO name)
 * from the samples of its SLI, pooled over the service's instances, and emits its status ({@link SloStatus}) for
 * every minute with samples once event time has passed the minute's end (so only while data arrives). The state
 * is forgotten when the SLI has been silent for the whole budget window: nothing in it would count any more.
 */
public final class SloBudgetFunction extends KeyedProcessFunction<String, Tuple2<String, MetricPoint>, SloStatus> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "slo-budgets";
    public static final String NAME = "Error budgets per SLO";
    /** Metric counting SLI samples older than the budget's minute ring (too late to account). */
    public static final String TOO_LATE = "sloSamplesTooLate";

    public static final TypeInformation<Tuple2<String, MetricPoint>> INPUT_TYPE =
            new TupleTypeInfo<>(Types.STRING, new AvroTypeInfo<>(MetricPoint.class));

    private final Map<String, SloRule> rules = new HashMap<>();

    private transient ValueState<ErrorBudget> budget;
    private transient ValueState<Long> lastSeen;
    private transient ValueState<Long> cleanupAt;
    private transient Counter tooLate;

    public SloBudgetFunction(List<SloRule> slos) {
        for (SloRule s : slos) {
            if (rules.put(s.name, s) != null) {
                throw new IllegalArgumentException("two SLOs are named '" + s.name + "': give each its own name"
                        + " ('<name>=<service>:<metric>:<objective>')");
            }
        }
    }

    /** The key of an SLO's state: environment and SLO name. */
    public static String key(String environment, SloRule slo) {
        return environment + "|" + slo.name;
    }

    /** Pairs each SLI sample with the key of every SLO it feeds. */
    public static FlatMapFunction<MetricPoint, Tuple2<String, MetricPoint>> samples(List<SloRule> slos,
            String defaultEnvironment) {
        List<SloRule> copy = List.copyOf(slos);
        return (point, out) -> {
            for (SloRule s : copy) {
                if (s.matches(point)) {
                    out.collect(Tuple2.of(key(SeriesKeys.environment(point.getResource(), defaultEnvironment), s),
                            point));
                }
            }
        };
    }

    @Override
    public void open(OpenContext openContext) {
        budget = getRuntimeContext().getState(new ValueStateDescriptor<>("budget", BudgetSerializer.INSTANCE));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Types.LONG));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Types.LONG));
        tooLate = getRuntimeContext().getMetricGroup().counter(TOO_LATE);
    }

    private SloRule rule(String key) {
        SloRule rule = rules.get(key.substring(key.indexOf('|') + 1));
        if (rule == null) {
            throw new IllegalStateException("no SLO for key " + key);
        }
        return rule;
    }

    @Override
    public void processElement(Tuple2<String, MetricPoint> input, Context ctx, Collector<SloStatus> out)
            throws Exception {
        SloRule rule = rule(ctx.getCurrentKey());
        ErrorBudget b = budget.value();
        if (b == null) {
            b = new ErrorBudget(rule.windowMinutes);
        }
        long time = input.f1.getTime().toEpochMilli();
        if (!b.add(time, input.f1.getValue())) {
            tooLate.inc();
            return;
        }
        budget.update(b);
        Long last = lastSeen.value();
        if (last == null || time > last) {
            lastSeen.update(time);
            last = time;
        }
        long minute = ErrorBudget.minuteOf(time);
        long minuteEnd = (minute + 1) * 60_000L - 1;
        // A late sample of a minute already reported counts in the budget of the minutes reported after it.
        if (minuteEnd > ctx.timerService().currentWatermark()) {
            ctx.timerService().registerEventTimeTimer(minuteEnd);
        }
        if (cleanupAt.value() == null) {
            long at = last + rule.windowMinutes * 60_000L;
            ctx.timerService().registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SloStatus> out) throws Exception {
        ErrorBudget b = budget.value();
        if (b == null) {
            return;
        }
        SloRule rule = rule(ctx.getCurrentKey());
        long last = lastSeen.value();
        Long cleanup = cleanupAt.value();
        if (cleanup != null && timestamp >= cleanup) {
            if (timestamp >= last + rule.windowMinutes * 60_000L) {
                budget.clear();
                lastSeen.clear();
                cleanupAt.clear();
                return;
            }
            long at = last + rule.windowMinutes * 60_000L;
            ctx.timerService().registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
        long minute = ErrorBudget.minuteOf(timestamp);
        if (timestamp == (minute + 1) * 60_000L - 1 && b.hasSamples(minute)) {
            out.collect(toRecord(ctx.getCurrentKey().substring(0, ctx.getCurrentKey().indexOf('|')), rule,
                    b.status(rule, minute)));
        }
    }

    static SloStatus toRecord(String environment, SloRule rule, ErrorBudget.Status s) {
        return s.toRecord(environment, rule);
    }

    /**
     * Keyed-state serializer of {@link ErrorBudget}: its Java serial form (about 30 KB for a 28-day window).
     * Form 1: Java serialization of {@link ErrorBudget}.
     */
    public static final class BudgetSerializer extends ByteFormSerializer<ErrorBudget> {

        private static final long serialVersionUID = 2L;
        /** The form this build writes. */
        static final int FORM = 1;

        public static final BudgetSerializer INSTANCE = new BudgetSerializer(FORM);

        private BudgetSerializer(int readForm) {
            super(readForm);
        }

        @Override
        protected int currentForm() {
            return FORM;
        }

        @Override
        protected byte[] toBytes(ErrorBudget value) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(32 * 1024);
            try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
                o.writeObject(value);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        @Override
        protected ErrorBudget fromBytes(int form, byte[] bytes) {
            if (form != 1) {
                throw new IllegalArgumentException("unknown error budget form " + form);
            }
            try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
                return (ErrorBudget) in.readObject();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected BudgetSerializer reading(int form) {
            return form == FORM ? INSTANCE : new BudgetSerializer(form);
        }

        @Override
        public BudgetSerializerSnapshot snapshotConfiguration() {
            return new BudgetSerializerSnapshot();
        }
    }

    /** Snapshot of {@link BudgetSerializer}: the form version. */
    public static final class BudgetSerializerSnapshot extends ByteFormSerializer.FormSnapshot<ErrorBudget> {
        @Override
        protected BudgetSerializer current() {
            return BudgetSerializer.INSTANCE;
        }
    }
}
