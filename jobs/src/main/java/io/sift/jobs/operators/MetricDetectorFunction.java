package io.sift.jobs.operators;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.CounterState;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.detect.MetricModel;
import io.sift.core.detect.RuleSet;
import io.sift.core.detect.RuleState;
import io.sift.core.detect.RuleStateCodec;
import io.sift.core.detect.SampleNormalizer;
import io.sift.core.detect.SeriesDetector;
import io.sift.core.detect.SeriesState;
import io.sift.connectors.kafka.DeadLetters;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.Anomaly;
import io.sift.schema.DeadLetter;
import io.sift.schema.MetricPoint;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.StringUtils;

/**
 * Holds one series' detector state (keyed by series key) and calls the plain-Java detector of its metric for each
 * sample: the robust baseline (state in {@link SeriesState}) or the metric model with the configured detectors
 * (baseline, rcf, cusum; the model in its own keyed state, the Random Cut Forest through the library's state
 * mapper, so a restore continues without a new warm-up). One event-time timer per series ends an anomaly when the
 * series falls silent and forgets series silent for the TTL. A cap on active series per metric name (per parallel
 * instance) drops the points of series beyond it and counts them. The configured static thresholds and SLO
 * burn-rate rules ({@link RuleSet}) of a series run alongside its detector, their state ({@link RuleState}: breach
 * starts, per-minute burn-rate buckets, open episodes) in keyed state of its own, kept only for watched series.
 */
public final class MetricDetectorFunction extends KeyedProcessFunction<String, MetricPoint, Anomaly>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final String UID = "detect-metrics";
    public static final String NAME = "Detect anomalies per series";

    /** Name of the metric and the job accumulator counting anomaly versions emitted. */
    public static final String ACCUMULATOR = "anomalyVersions";
    /** Name of the metric and accumulator counting points dropped because their metric had too many series. */
    public static final String CAP_DROPPED = "seriesCapDroppedPoints";
    /** Stage of the dead letters of this operator. */
    public static final String STAGE = "detect";

    private final DetectionConfig detection;
    private final long silenceMillis;
    private final long ttlMillis;
    /** This build's; a test plays an older build (another Anomaly schema) with {@link #withEpisodeSchema}. */
    private RuleStateSerializer ruleStateSerializer = RuleStateSerializer.INSTANCE;

    private transient Map<String, SeriesDetector> detectors;
    private transient Map<String, Integer> activeByMetric;
    private transient ValueState<SeriesState> series;
    private transient ValueState<MetricModel> model;
    private transient ValueState<Long> timer;
    private transient ValueState<RuleState> rules;
    /** The previous sample of a COUNTER series (absent for other kinds, and in savepoints of builds before it). */
    private transient ValueState<CounterState> counters;
    private transient ListState<String> activeCounts;
    private transient Counter anomalyVersions;
    private transient LongCounter anomalyTotal;
    private transient Counter capDropped;
    private transient LongCounter capDroppedTotal;
    private transient DeadLetterCounter deadLettered;
    private transient org.apache.avro.message.BinaryMessageEncoder<MetricPoint> encoder;
    /** Series states read between samples; write-through unless the operator gives a cache ({@link #cacheSeries}). */
    private transient WriteBehindCache<Held> held;

    /** Robust baseline only (the detector before the metric model). */
    public MetricDetectorFunction(BaselineConfig defaults, Map<String, BaselineConfig> byMetric, long silenceMillis,
            long ttlMillis) {
        this(DetectionConfig.robust(defaults, byMetric), silenceMillis, ttlMillis);
    }

    public MetricDetectorFunction(DetectionConfig detection, long silenceMillis, long ttlMillis) {
        if (ttlMillis < silenceMillis) {
            throw new IllegalArgumentException("series TTL (" + ttlMillis + " ms) must not be shorter than the silence"
                    + " timeout (" + silenceMillis + " ms): raise sift.detect.series-ttl");
        }
        this.detection = detection;
        this.silenceMillis = silenceMillis;
        this.ttlMillis = ttlMillis;
    }

    /** This function as a build whose {@link Anomaly} schema is the given one writes its rule state (tests). */
    MetricDetectorFunction withEpisodeSchema(Schema anomalySchema) {
        ruleStateSerializer = RuleStateSerializer.withEpisodeSchema(RuleStateSerializer.FORM, anomalySchema);
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        detectors = new HashMap<>();
        series = getRuntimeContext().getState(
                new ValueStateDescriptor<>("series", TypeInformation.of(SeriesState.class)));
        model = getRuntimeContext().getState(new ValueStateDescriptor<>("model", ModelSerializer.INSTANCE));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        rules = getRuntimeContext().getState(new ValueStateDescriptor<>("rules", ruleStateSerializer));
        counters = getRuntimeContext().getState(
                new ValueStateDescriptor<>("counter", TypeInformation.of(CounterState.class)));
        anomalyVersions = getRuntimeContext().getMetricGroup().counter(ACCUMULATOR);
        anomalyTotal = new LongCounter();
        getRuntimeContext().addAccumulator(ACCUMULATOR, anomalyTotal);
        capDropped = getRuntimeContext().getMetricGroup().counter(CAP_DROPPED);
        capDroppedTotal = new LongCounter();
        getRuntimeContext().addAccumulator(CAP_DROPPED, capDroppedTotal);
        deadLettered = new DeadLetterCounter(getRuntimeContext());
        if (held == null) {
            held = new WriteBehindCache<>(0, null, heldStore());
        }
    }

    /**
     * Keeps the state of up to {@code maxSeries} recently sampled series deserialised between samples, written back when
     * a series leaves the cache and at {@link #flushCache} (before every snapshot): {@link MetricDetectorOperator}.
     * {@code keepOnFlush}: the series stay cached after a snapshot (only where state is serialised on write, RocksDB).
     */
    void cacheSeries(int maxSeries, WriteBehindCache.KeySwitch keySwitch, boolean keepOnFlush) {
        held = new WriteBehindCache<>(maxSeries, keySwitch, heldStore(), keepOnFlush);
    }

    /** Writes every changed series back; empties the cache unless it keeps its series (see {@link #cacheSeries}). */
    void flushCache() throws Exception {
        held.flush();
    }

    /** Series in the cache (for tests). */
    int cachedSeries() {
        return held.size();
    }

    /**
     * A series' keyed state as read: its state and timer at once, its model, rules and counter when first used (most
     * series have no rules nor counter); what changed is written back.
     */
    private final class Held {
        private static final int SERIES = 1;
        private static final int TIMER = 2;
        private static final int MODEL = 4;
        private static final int RULES = 8;
        private static final int COUNTER = 16;

        SeriesState series;
        Long timer;
        private MetricModel model;
        private RuleState ruleState;
        private CounterState counter;
        private int read;
        private int changed;

        Held(SeriesState series, Long timer) {
            this.series = series;
            this.timer = timer;
        }

        MetricModel model() throws Exception {
            if ((read & MODEL) == 0) {
                model = MetricDetectorFunction.this.model.value();
                read |= MODEL;
            }
            return model;
        }

        RuleState rules() throws Exception {
            if ((read & RULES) == 0) {
                ruleState = rules.value();
                read |= RULES;
            }
            return ruleState;
        }

        CounterState counter() throws Exception {
            if ((read & COUNTER) == 0) {
                counter = counters.value();
                read |= COUNTER;
            }
            return counter;
        }

        void series(SeriesState value) {
            series = value;
            changed |= SERIES;
        }

        void timer(Long value) {
            timer = value;
            changed |= TIMER;
        }

        void model(MetricModel value) {
            model = value;
            read |= MODEL;
            changed |= MODEL;
        }

        void rules(RuleState value) {
            ruleState = value;
            read |= RULES;
            changed |= RULES;
        }

        void counter(CounterState value) {
            counter = value;
            read |= COUNTER;
            changed |= COUNTER;
        }

        void write() throws Exception {
            if ((changed & SERIES) != 0) {
                write(series, MetricDetectorFunction.this.series);
            }
            if ((changed & TIMER) != 0) {
                write(timer, MetricDetectorFunction.this.timer);
            }
            if ((changed & MODEL) != 0) {
                write(model, MetricDetectorFunction.this.model);
            }
            if ((changed & RULES) != 0) {
                write(ruleState, rules);
            }
            if ((changed & COUNTER) != 0) {
                write(counter, counters);
            }
            changed = 0;
        }

        private <T> void write(T value, ValueState<T> state) throws Exception {
            if (value == null) {
                state.clear();
            } else {
                state.update(value);
            }
        }
    }

    private WriteBehindCache.Store<Held> heldStore() {
        return new WriteBehindCache.Store<>() {
            @Override
            public Held read() throws Exception {
                return new Held(series.value(), timer.value());
            }

            @Override
            public void write(Held value) throws Exception {
                value.write();
            }
        };
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        activeByMetric = new HashMap<>();
        activeCounts = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("active-series-per-metric", Types.STRING));
        // Counts of this instance ("metric\tcount"); after rescaling they are shared out unevenly (the cap is
        // approximate then, until series expire).
        for (String entry : activeCounts.get()) {
            int tab = entry.lastIndexOf('\t');
            activeByMetric.merge(entry.substring(0, tab), Integer.parseInt(entry.substring(tab + 1)), Integer::sum);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        activeCounts.clear();
        for (Map.Entry<String, Integer> e : activeByMetric.entrySet()) {
            if (e.getValue() > 0) {
                activeCounts.add(e.getKey() + "\t" + e.getValue());
            }
        }
    }

    private SeriesDetector detectorFor(String metric) {
        return detectors.computeIfAbsent(metric, detection::detectorFor);
    }

    @Override
    public void processElement(MetricPoint point, Context ctx, Collector<Anomaly> out) throws Exception {
        String metric = point.getName();
        SeriesDetector detector = detectorFor(metric);
        String key = ctx.getCurrentKey();
        Held h = held.get(key);
        long time = point.getTime().toEpochMilli();
        if (h.series != null && h.timer != null && h.timer <= time) {
            // The series' deadline (silence, expiry) lies before this sample. Whether the watermark passed it before
            // the sample arrived depends on when periodic watermarks were emitted, so act as the timer would have,
            // now: the same input then gives the same anomalies however fast it was read.
            h = dueBefore(key, h, time, ctx.timerService(), out, ctx.timestamp());
        }
        SeriesState state = h.series;
        if (state == null) {
            int active = activeByMetric.getOrDefault(metric, 0);
            if (detection.maxSeriesPerMetric > 0 && active >= detection.maxSeriesPerMetric) {
                capDropped.inc();
                capDroppedTotal.add(1);
                held.forget(key);
                return;
            }
            activeByMetric.put(metric, active + 1);
            state = new SeriesState();
        } else if ((state.samples > 0 || state.lastSeen != 0) && point.getTime().toEpochMilli() <= state.lastSeen) {
            // The detector scores a series in time order only: a sample not newer than the latest is unusable.
            deadLetter(point, state.lastSeen, ctx);
            return;
        }
        if (SampleNormalizer.applies(point)) {
            // Values in the canonical unit; a counter scored as its rate (its first sample only primes the rate).
            CounterState counter = null;
            if (SampleNormalizer.isCounter(point)) {
                counter = h.counter();
                counter = counter == null ? new CounterState() : counter;
            }
            MetricPoint normalised = SampleNormalizer.normalise(point, counter);
            if (counter != null) {
                h.counter(counter);
            }
            if (normalised == null) {
                state.lastSeen = point.getTime().toEpochMilli();
                h.series(state);
                if (h.timer == null || deadline(state, state.episode != null) < h.timer) {
                    schedule(ctx.timerService(), h, state.episode != null);
                }
                held.changed(key, h);
                return;
            }
            point = normalised;
        }
        MetricModel m = null;
        if (detector.usesModel()) {
            m = h.model();
            if (m == null) {
                m = detector.newModel();
            }
        }
        detector.onSample(state, m, key, point, anomaly -> {
            anomalyVersions.inc();
            anomalyTotal.add(1);
            // The detector keeps mutating its open episode; emit a copy of this version.
            out.collect(Anomaly.newBuilder(anomaly).build());
        });
        h.series(state);
        if (m != null) {
            h.model(m);
        }
        RuleState r = null;
        RuleSet ruleSet = detection.rules;
        if (!ruleSet.isEmpty() && ruleSet.watches(point)) {
            r = h.rules();
            if (r == null) {
                r = new RuleState();
            }
            ruleSet.onSample(r, key, point, anomaly -> emit(anomaly, out));
            h.rules(r);
        }
        boolean open = state.episode != null || r != null && r.hasOpenEpisode();
        if (h.timer == null || deadline(state, open) < h.timer) {
            schedule(ctx.timerService(), h, open);
        }
        held.changed(key, h);
    }

    /**
     * A second sample of the series at the same time (kind DUPLICATE; e.g. a resend with another value, which the
     * source's byte-level duplicate check cannot see), or an older one (OUT_OF_ORDER). Stage "detect": after the
     * shuffle by series the Kafka position is gone, so the payload is the point re-encoded.
     */
    private void deadLetter(MetricPoint point, long lastSeen, Context ctx) {
        long time = point.getTime().toEpochMilli();
        String kind = time == lastSeen ? ErrorKinds.DUPLICATE : ErrorKinds.OUT_OF_ORDER;
        String message = (time == lastSeen ? "second sample at " + point.getTime()
                : "sample at " + point.getTime() + " is older than the latest, " + java.time.Instant.ofEpochMilli(lastSeen))
                + ", of series " + ctx.getCurrentKey() + "; the detector scores a series in time order only";
        if (encoder == null) {
            encoder = io.sift.connectors.kafka.AvroRecordSerializer.encoderFor(MetricPoint.class);
        }
        DeadLetter deadLetter = DeadLetters.invalid(STAGE, kind, message, null,
                io.sift.connectors.kafka.AvroRecordSerializer.encode(encoder, point));
        deadLettered.count(deadLetter);
        ctx.output(DeadLetterTag.DEAD_LETTERS, deadLetter);
    }

    private void emit(Anomaly anomaly, Collector<Anomaly> out) {
        anomalyVersions.inc();
        anomalyTotal.add(1);
        out.collect(anomaly);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        String key = ctx.getCurrentKey();
        due(key, held.get(key), timestamp, ctx.timerService(), out);
    }

    /**
     * Runs the series' timers due at or before {@code time} (a sample's), in order, with their outputs stamped at the
     * timers' times as if they had fired; returns the series' held state after them.
     */
    private Held dueBefore(String key, Held h, long time, org.apache.flink.streaming.api.TimerService timers,
            Collector<Anomaly> out, Long sampleTimestamp) throws Exception {
        @SuppressWarnings("unchecked")
        org.apache.flink.streaming.api.operators.TimestampedCollector<Anomaly> stamped =
                out instanceof org.apache.flink.streaming.api.operators.TimestampedCollector
                        ? (org.apache.flink.streaming.api.operators.TimestampedCollector<Anomaly>) out : null;
        while (h.series != null && h.timer != null && h.timer <= time) {
            long at = h.timer;
            timers.deleteEventTimeTimer(at);
            if (stamped != null) {
                stamped.setAbsoluteTimestamp(at);
            }
            if (!due(key, h, at, timers, out)) {
                h = held.get(key);
            }
        }
        if (stamped != null) {
            if (sampleTimestamp == null) {
                stamped.eraseTimestamp();
            } else {
                stamped.setAbsoluteTimestamp(sampleTimestamp);
            }
        }
        return h;
    }

    /** What a timer at {@code timestamp} does; returns false when the series was dropped (expired). */
    private boolean due(String key, Held h, long timestamp, org.apache.flink.streaming.api.TimerService timers,
            Collector<Anomaly> out) throws Exception {
        h.timer(null);
        SeriesState state = h.series;
        if (state == null) {
            held.changed(key, h);
            return true;
        }
        if (state.episode != null && timestamp >= state.lastSeen + silenceMillis) {
            Anomaly end = detectorFor(state.episode.getMetric()).onSilence(state);
            if (end != null) {
                anomalyVersions.inc();
                anomalyTotal.add(1);
                out.collect(end);
            }
            h.series(state);
        }
        RuleState r = h.rules();
        if (r != null && !detection.rules.isCurrent(r)) {
            // State of rules the configuration no longer has on this series (restored after a change).
            detection.rules.retire(r, anomaly -> emit(anomaly, out));
            if (r.isEmpty()) {
                h.rules(null);
                r = null;
            } else {
                h.rules(r);
            }
        }
        if (r != null && r.hasOpenEpisode() && timestamp >= state.lastSeen + silenceMillis) {
            detection.rules.onSilence(r, anomaly -> emit(anomaly, out));
            h.rules(r);
        }
        boolean open = state.episode != null || r != null && r.hasOpenEpisode();
        if (!open && timestamp >= state.lastSeen + ttlMillis) {
            held.forget(key);
            series.clear();
            model.clear();
            rules.clear();
            counters.clear();
            timer.clear();
            String metric = metricOf(key);
            activeByMetric.computeIfPresent(metric, (k, v) -> v > 1 ? v - 1 : null);
            return false;
        }
        schedule(timers, h, open);
        held.changed(key, h);
        return true;
    }

    /** The metric name of a series key (its first field, see SeriesKeys). */
    private static String metricOf(String seriesKey) {
        int bar = seriesKey.indexOf('|');
        return bar < 0 ? seriesKey : seriesKey.substring(0, bar);
    }

    private long deadline(SeriesState state, boolean episodeOpen) {
        return state.lastSeen + (episodeOpen ? silenceMillis : ttlMillis);
    }

    private void schedule(org.apache.flink.streaming.api.TimerService timers, Held h, boolean episodeOpen) {
        // Later samples push the deadline on; the timer re-checks when it fires instead of being moved each sample.
        long at = deadline(h.series, episodeOpen);
        timers.registerEventTimeTimer(at);
        h.timer(at);
    }

    /**
     * Keyed-state serializer of {@link MetricModel}: its own compact serial form, in which the Random Cut Forest is
     * written through randomcutforest's {@code RandomCutForestMapper} (trees, samplers and shingle, compressed).
     * Form 1: {@link MetricModel#toBytes()} (Java serialization; fields added later read as their defaults).
     */
    public static final class ModelSerializer extends ByteFormSerializer<MetricModel> {

        private static final long serialVersionUID = 2L;
        /** The form this build writes. */
        static final int FORM = 1;

        public static final ModelSerializer INSTANCE = new ModelSerializer(FORM);

        private ModelSerializer(int readForm) {
            super(readForm);
        }

        @Override
        protected int currentForm() {
            return FORM;
        }

        @Override
        protected byte[] toBytes(MetricModel value) {
            return value.toBytes();
        }

        @Override
        protected MetricModel fromBytes(int form, byte[] bytes) {
            if (form != 1) {
                throw new IllegalArgumentException("unknown metric model form " + form);
            }
            return MetricModel.fromBytes(bytes);
        }

        @Override
        protected ModelSerializer reading(int form) {
            return form == FORM ? INSTANCE : new ModelSerializer(form);
        }

        @Override
        public ModelSerializerSnapshot snapshotConfiguration() {
            return new ModelSerializerSnapshot();
        }
    }

    /**
     * Keyed-state serializer of {@link RuleState}. Form 1: {@link RuleState#toBytes()} (Java serialization, its open
     * episodes in the generated {@link Anomaly} class's serial form, readable only with the same {@link Anomaly}
     * schema; read, no longer written). Form 2: {@link RuleStateCodec} (Avro binary, a fraction of form 1's bytes),
     * the episodes in the {@link Anomaly} schema this serializer names, which its snapshot records: a later build
     * resolves them into its own {@link Anomaly} (fields added with defaults read as the default).
     */
    public static final class RuleStateSerializer extends ByteFormSerializer<RuleState> {

        private static final long serialVersionUID = 3L;
        /** The form this build writes. */
        static final int FORM = 2;

        public static final RuleStateSerializer INSTANCE = new RuleStateSerializer(FORM, null);

        /** The {@link Anomaly} schema of the episodes (form 2) as JSON; null: this build's. */
        private final String episodeSchema;
        private transient RuleStateCodec codec;

        private RuleStateSerializer(int readForm, String episodeSchema) {
            super(readForm);
            this.episodeSchema = episodeSchema == null || parse(episodeSchema).equals(Anomaly.getClassSchema())
                    ? null : episodeSchema;
        }

        /**
         * The serializer of a build whose {@link Anomaly} schema is the given one: it writes and reads form 2 with
         * episodes in that schema (the restore serializer of its savepoints; tests play an older build with it).
         */
        static RuleStateSerializer withEpisodeSchema(int readForm, Schema schema) {
            return new RuleStateSerializer(readForm, schema.toString());
        }

        private static Schema parse(String json) {
            return new Schema.Parser().parse(json);
        }

        /** The {@link Anomaly} schema of this serializer's episodes. */
        Schema episodeSchema() {
            return episodeSchema == null ? Anomaly.getClassSchema() : codec().episodeSchema();
        }

        private RuleStateCodec codec() {
            if (codec == null) {
                codec = episodeSchema == null ? RuleStateCodec.current() : RuleStateCodec.of(parse(episodeSchema));
            }
            return codec;
        }

        @Override
        protected int currentForm() {
            return FORM;
        }

        @Override
        protected byte[] toBytes(RuleState value) {
            return codec().encode(value);
        }

        @Override
        protected RuleState fromBytes(int form, byte[] bytes) {
            return switch (form) {
                case 1 -> RuleState.fromBytes(bytes);
                case 2 -> codec().decode(bytes);
                default -> throw new IllegalArgumentException("unknown rule state form " + form);
            };
        }

        @Override
        protected RuleStateSerializer reading(int form) {
            return form == FORM ? INSTANCE : new RuleStateSerializer(form, null);
        }

        @Override
        public RuleStateSerializerSnapshot snapshotConfiguration() {
            return new RuleStateSerializerSnapshot(episodeSchema());
        }

        @Override
        public boolean equals(Object other) {
            return super.equals(other)
                    && java.util.Objects.equals(episodeSchema, ((RuleStateSerializer) other).episodeSchema);
        }

        @Override
        public int hashCode() {
            return 31 * super.hashCode() + java.util.Objects.hashCode(episodeSchema);
        }
    }

    /**
     * Snapshot of {@link RuleStateSerializer}: the form version (savepoints of builds before it: form 1) and, from
     * form 2, the {@link Anomaly} schema of the episodes. A savepoint of another {@link Anomaly} schema is compatible
     * after migration when this build's schema can read it (its restore serializer reads the old schema, Flink
     * rewrites the state in this one) and incompatible, with the reason, when it cannot.
     */
    public static final class RuleStateSerializerSnapshot extends ByteFormSerializer.FormSnapshot<RuleState> {

        /** The episodes' schema (form 2); null: this build's, or form 1. */
        private Schema episodeSchema;

        public RuleStateSerializerSnapshot() {}

        RuleStateSerializerSnapshot(Schema episodeSchema) {
            this.episodeSchema = episodeSchema;
        }

        @Override
        protected RuleStateSerializer current() {
            return RuleStateSerializer.INSTANCE;
        }

        /** The {@link Anomaly} schema of the state's episodes (this build's for form 1, which holds the class). */
        Schema episodeSchema() {
            return episodeSchema == null ? Anomaly.getClassSchema() : episodeSchema;
        }

        @Override
        protected void writeFormDetails(int form, DataOutputView out) throws IOException {
            if (form >= 2) {
                StringUtils.writeString(episodeSchema().toString(), out);
            }
        }

        @Override
        protected void readFormDetails(int form, DataInputView in) throws IOException {
            if (form >= 2) {
                episodeSchema = new Schema.Parser().parse(StringUtils.readString(in));
            }
        }

        @Override
        protected TypeSerializer<RuleState> restoreSerializer(int form) {
            return form == 2 ? RuleStateSerializer.withEpisodeSchema(form, episodeSchema())
                    : current().reading(form);
        }

        @Override
        protected TypeSerializerSchemaCompatibility<RuleState> resolveSameForm(ByteFormSerializer.FormSnapshot<RuleState> old) {
            Schema written = ((RuleStateSerializerSnapshot) old).episodeSchema();
            if (written.equals(Anomaly.getClassSchema())) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            SchemaCompatibility.SchemaPairCompatibility pair =
                    SchemaCompatibility.checkReaderWriterCompatibility(Anomaly.getClassSchema(), written);
            return pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }

    /** Snapshot of {@link ModelSerializer}: the form version (savepoints of builds before it: form 1). */
    public static final class ModelSerializerSnapshot extends ByteFormSerializer.FormSnapshot<MetricModel> {
        @Override
        protected ModelSerializer current() {
            return ModelSerializer.INSTANCE;
        }
    }
}
