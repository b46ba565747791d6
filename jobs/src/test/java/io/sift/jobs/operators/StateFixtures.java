package io.sift.jobs.operators;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.Correlator;
import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateRates;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.Direction;
import io.sift.schema.EdgeType;
import io.sift.schema.Incident;
import io.sift.schema.ItemType;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.types.Either;

/**
 * The keyed operators' state at a point of a fixed input, shared by the state fixtures (their generator below) and the
 * restore tests: each operator runs an input up to {@code split}, its state is snapshotted there, and a restore must
 * continue from {@code split} exactly as the uninterrupted run does. The inputs put every state type in the snapshot:
 * the detector's series POJO, metric model (baseline, Random Cut Forest, CUSUM) and rule state with open threshold and
 * SLO episodes; the miner's templates, a new template being gathered and per-template counts; the correlator's
 * incidents and recent changes, buffered inputs and the topology broadcast state.
 *
 * <p>Fixtures: {@code src/test/resources/state-fixtures/v<N>/<operator>.snapshot} are harness snapshots
 * ({@link OperatorSnapshotUtil}) written by the build of that form version. Regenerate the current version's only when
 * its state forms really change, and keep the older ones: they are what a changed build must still read. From the
 * repository root:
 *
 * <pre>
 * mvn -o -q -B -pl jobs -am test-compile -DskipTests
 * MODULES=$(for m in schemas core eval connectors testing jobs; do printf '%s/target/classes:' $m; done)
 * java -cp "${MODULES}jobs/target/test-classes:$(cat jobs/target/test-classpath.txt)" \
 *     io.sift.jobs.operators.StateFixtures jobs/src/test/resources/state-fixtures/v2
 * </pre>
 *
 * (the class path file comes from {@code mvn -pl jobs dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt};
 * it names the Sift modules' jars in the shared local repository, so this build's module classes go first).
 *
 * <p>v1: rule state in form 1 (Java serialization). v2: rule state in form 2 (Avro, the episodes' schema in the
 * serializer snapshot).
 */
public final class StateFixtures {

    static final Instant T0 = FixedInstants.T0;
    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;
    /** The form version the fixtures of this build are written as. */
    static final String CURRENT = "v2";

    private StateFixtures() {}

    /** One step of an input: an element (or broadcast element) with its timestamp, or a watermark. */
    record Step<I, B>(I element, B broadcast, long time, boolean watermark) {
        static <I, B> Step<I, B> element(I element, long time) {
            return new Step<>(element, null, time, false);
        }

        static <I, B> Step<I, B> broadcast(B broadcast, long time) {
            return new Step<>(null, broadcast, time, false);
        }

        static <I, B> Step<I, B> watermark(long time) {
            return new Step<>(null, null, time, true);
        }
    }

    /** An operator's fixture case: how to build its harness, its input and where the snapshot is taken. */
    interface Case<I, B, O> {
        String name();

        AbstractStreamOperatorTestHarness<O> harness() throws Exception;

        List<Step<I, B>> input();

        /** Steps before the snapshot. */
        int split();

        void apply(AbstractStreamOperatorTestHarness<O> harness, Step<I, B> step) throws Exception;

        /** The last watermark, after the input: everything due fires. */
        long end();

        /** Outputs and side outputs, in order, as text (Avro records print all their fields). */
        default List<String> outputs(AbstractStreamOperatorTestHarness<O> harness) {
            List<String> out = new ArrayList<>();
            for (Object record : harness.getOutput()) {
                if (record instanceof StreamRecord<?> r) {
                    out.add(String.valueOf(r.getValue()));
                }
            }
            return out;
        }
    }

    // ---- the metric detector ----

    /** Every state type of the detector: baseline+rcf+cusum model on latency; a threshold and an SLO on errors. */
    static Configuration detectorSettings() {
        Configuration conf = new Configuration();
        conf.set(SiftOptions.DETECT_DETECTORS, "baseline+rcf+cusum");
        conf.set(SiftOptions.DETECT_MODEL_WARM_UP, 200);
        conf.set(SiftOptions.DETECT_RCF_TREES, 10);
        conf.set(SiftOptions.DETECT_RCF_SAMPLE_SIZE, 64);
        conf.setString("sift.detect.thresholds", "http.server.error.ratio > 0.05 for 1m");
        conf.setString("sift.slo.objectives", "checkout:http.server.error.ratio:99.9");
        return conf;
    }

    static MetricDetectorFunction detector() {
        return new MetricDetectorFunction(new SiftSettings(detectorSettings()).detection, 300_000, HOUR);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> detectorHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(detector()),
                p -> p.getName() + "|" + p.getResource().getService(), Types.STRING);
    }

    static final int DETECTOR_SAMPLES = 700;
    /** Sample index of the first latency spike: the detector's snapshot is taken just before it. */
    static final int SPIKE = 560;

    static MetricPoint point(String name, String service, long second, double value) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(second)).setName(name).setValue(value)
                .setUnit(name.endsWith("ratio") ? "1" : "ms").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService(service).setEnvironment("prod").build())
                .setLabels(Map.of()).build();
    }

    /** Latency of orders (seasonal shape, spike at samples 560-579) and the error ratio of checkout (50 % from 540). */
    static List<Step<MetricPoint, Void>> detectorInput() {
        Random random = new Random(11);
        List<Step<MetricPoint, Void>> steps = new ArrayList<>();
        for (int i = 0; i < DETECTOR_SAMPLES; i++) {
            long second = 10L * i;
            double shape = 100 + 10 * Math.sin(i / 7.0);
            double latency = shape * (1 + 0.02 * random.nextGaussian()) * (i >= SPIKE && i < SPIKE + 20 ? 4 : 1);
            double errors = i >= 540 && i < 620 ? 0.5 : 0.0;
            long time = T0.toEpochMilli() + 1000 * second;
            steps.add(Step.element(point("latency", "orders", second, latency), time));
            steps.add(Step.element(point("http.server.error.ratio", "checkout", second, errors), time));
            steps.add(Step.watermark(time - 1));
        }
        return steps;
    }

    static final Case<MetricPoint, Void, Anomaly> DETECTOR = new OneInputCase<>("detect-metrics",
            StateFixtures::detectorHarness, StateFixtures::detectorInput, 3 * SPIKE,
            T0.toEpochMilli() + 10_000L * DETECTOR_SAMPLES + 2 * HOUR);

    // ---- the log template miner ----

    static final int INFO = 9;
    static final int WARN = 13;
    static final int ERROR = 17;

    static LogRecord line(long second, int severity, String body) {
        return LogRecord.newBuilder().setTime(T0.plusSeconds(second)).setSeverityNumber(severity)
                .setSeverityText(severity >= ERROR ? "ERROR" : severity >= WARN ? "WARN" : "INFO").setBody(body)
                .setResource(Resource.newBuilder().setService("checkout").setEnvironment("prod").setHost("h1").build())
                .setAttributes(Map.of()).build();
    }

    /** 10 minutes of warm-up, 3 lines within 2 minutes, 2 examples; per-template counts in 1-minute windows. */
    static LogTemplateFunction miner() {
        return new LogTemplateFunction(MinerConfig.defaults(), 10 * MINUTE, 2 * MINUTE, 3, 2, "prod",
                new TemplateRates(MINUTE, 3, 3));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> minerHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new LogTemplateOperator(miner(), 256),
                log -> LogErrorRate.key(log, "prod"), Types.STRING);
    }

    private static String payment(int id) {
        return "Payment " + id + " timed out at the provider after 3000 ms";
    }

    /**
     * Routine lines and a known warning for 20 minutes; a new error template from minute 12 (two lines before the
     * split, two after: it is reported only if the gathering survives the restore), another from minute 15.
     */
    static List<Step<LogRecord, Void>> minerInput() {
        List<LogRecord> lines = new ArrayList<>();
        for (int s = 0; s < 20 * 60; s += 10) {
            lines.add(line(s, INFO, "Order " + (1000 + s) + " placed by user u" + s + ": 3 items"));
            if (s % 120 == 0) {
                lines.add(line(s + 1, WARN, "Slow request: GET /api/v1/cart/" + s + " took " + (1200 + s) + " ms"));
            }
            if (s >= 12 * 60 && s < 12 * 60 + 80 && s % 20 == 0) {
                lines.add(line(s + 2, ERROR, payment(100 + s)));
            }
            if (s >= 15 * 60 && s < 15 * 60 + 40) {
                lines.add(line(s + 3, ERROR, "Refund " + (300 + s) + " rejected by the ledger"));
            }
        }
        List<Step<LogRecord, Void>> steps = new ArrayList<>();
        for (LogRecord log : lines) {
            steps.add(Step.element(log, log.getTime().toEpochMilli()));
            steps.add(Step.watermark(log.getTime().toEpochMilli() - 1));
        }
        return steps;
    }

    /** The split: after the second line of the new payment template (its gathering window is open). */
    static int minerSplit() {
        List<Step<LogRecord, Void>> steps = minerInput();
        int seen = 0;
        for (int i = 0; i < steps.size(); i++) {
            LogRecord log = steps.get(i).element();
            if (log != null && log.getBody().startsWith("Payment ") && ++seen == 2) {
                return i + 2;
            }
        }
        throw new IllegalStateException("no second payment line");
    }

    static final Case<LogRecord, Void, Anomaly> MINER = new OneInputCase<>("mine-log-templates",
            StateFixtures::minerHarness, StateFixtures::minerInput, minerSplit(), T0.toEpochMilli() + 60 * MINUTE);

    // ---- the correlator ----

    static KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate,
            Incident> correlatorHarness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new CorrelateFunction(new Correlator(CorrelationConfig.defaults())),
                        List.of(CorrelateFunction.TOPOLOGY)),
                e -> "prod", Types.STRING, 128, 1, 0);
    }

    static Anomaly anomaly(String item, long minute, Long endMinute, long version) {
        return Anomaly.newBuilder().setId("anom-" + item).setVersion(version).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey("latency|" + item).setMetric("latency")
                .setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build()).setLabels(Map.of())
                .setOnset(T0.plusSeconds(60 * minute))
                .setTime(T0.plusSeconds(60 * (endMinute == null ? minute : endMinute)))
                .setEnd(endMinute == null ? null : T0.plusSeconds(60 * endMinute)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(95)
                .setSamples(3).build();
    }

    private static TopologyUpdate item(String id) {
        return TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setItem(ConfigurationItem.newBuilder().setId(id).setType(ItemType.SERVICE)
                        .setCriticality(Criticality.HIGH).build()).build();
    }

    private static TopologyUpdate edge(String from, String to) {
        return TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build();
    }

    /**
     * Topology, a deploy of orders-db, an incident opened by orders-db and orders, anomalies still buffered at the
     * split (event time behind them); after it, a further caller, the ends, and the resolution.
     */
    static List<Step<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate>> correlatorInput() {
        List<Step<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate>> steps = new ArrayList<>();
        long t0 = T0.toEpochMilli();
        for (String id : List.of("orders", "orders-db", "payments", "checkout")) {
            steps.add(Step.broadcast(item(id), t0));
        }
        steps.add(Step.broadcast(edge("orders", "orders-db"), t0));
        steps.add(Step.broadcast(edge("checkout", "orders"), t0));
        steps.add(Step.broadcast(edge("checkout", "payments"), t0));
        ChangeEvent deploy = ChangeEvent.newBuilder().setId("chg-1").setTime(T0.plusSeconds(30))
                .setType(ChangeType.DEPLOY).setConfigurationItem("orders-db").setSummary("deploy orders-db 1.8.2")
                .setChangeRequest("CHG0012345").build();
        steps.add(Step.element(CorrelateFunction.input(deploy), deploy.getTime().toEpochMilli()));
        Anomaly db = anomaly("orders-db", 1, null, 1);
        Anomaly orders = anomaly("orders", 2, null, 1);
        steps.add(Step.element(CorrelateFunction.input(orders), orders.getTime().toEpochMilli()));
        steps.add(Step.element(CorrelateFunction.input(db), db.getTime().toEpochMilli()));
        steps.add(Step.watermark(t0 + 3 * MINUTE));
        // Buffered at the split: event time is at minute 3.
        Anomaly checkout = anomaly("checkout", 4, null, 1);
        steps.add(Step.element(CorrelateFunction.input(checkout), checkout.getTime().toEpochMilli()));
        Anomaly dbEnd = anomaly("orders-db", 1, 5L, 2);
        steps.add(Step.element(CorrelateFunction.input(dbEnd), dbEnd.getTime().toEpochMilli()));
        // ---- split ----
        steps.add(Step.watermark(t0 + 5 * MINUTE + 1));
        Anomaly ordersEnd = anomaly("orders", 2, 6L, 2);
        Anomaly checkoutEnd = anomaly("checkout", 4, 7L, 2);
        steps.add(Step.element(CorrelateFunction.input(ordersEnd), ordersEnd.getTime().toEpochMilli()));
        steps.add(Step.element(CorrelateFunction.input(checkoutEnd), checkoutEnd.getTime().toEpochMilli()));
        // Alerts arrive after the restore (a build from before alerts wrote the fixtures): one on payments, which
        // checkout calls, joins the incident, and its resolve lets the incident resolve.
        Alert firing = alert(io.sift.schema.AlertStatus.FIRING, t0 + 6 * MINUTE);
        Alert resolved = alert(io.sift.schema.AlertStatus.RESOLVED, t0 + 7 * MINUTE + 30_000);
        steps.add(Step.element(CorrelateFunction.input(firing), firing.getTime().toEpochMilli()));
        steps.add(Step.element(CorrelateFunction.input(resolved), resolved.getTime().toEpochMilli()));
        steps.add(Step.watermark(t0 + 8 * MINUTE));
        return steps;
    }

    /** Steps of the correlator's input after the split. */
    static final int CORRELATOR_STEPS_AFTER_SPLIT = 6;

    private static Alert alert(io.sift.schema.AlertStatus status, long time) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint("fp-payments").setStatus(status)
                .setSeverity(io.sift.schema.AlertSeverity.CRITICAL).setRawSeverity("critical").setName("PaymentsErrors")
                .setResource(Resource.newBuilder().setService("payments").setEnvironment("prod").build())
                .setStartsAt(T0.plusSeconds(6 * 60))
                .setEndsAt(status == io.sift.schema.AlertStatus.RESOLVED ? Instant.ofEpochMilli(time) : null)
                .setTime(Instant.ofEpochMilli(time)).build();
    }

    static final Case<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate, Incident> CORRELATOR = new Case<>() {
        @Override
        public String name() {
            return "correlate";
        }

        @Override
        public AbstractStreamOperatorTestHarness<Incident> harness() throws Exception {
            return correlatorHarness();
        }

        @Override
        public List<Step<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate>> input() {
            return correlatorInput();
        }

        @Override
        public int split() {
            return correlatorInput().size() - CORRELATOR_STEPS_AFTER_SPLIT;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void apply(AbstractStreamOperatorTestHarness<Incident> h,
                Step<Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate> step) throws Exception {
            var harness = (KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>,
                    TopologyUpdate, Incident>) h;
            if (step.watermark()) {
                harness.processWatermark(step.time());
                harness.processBroadcastWatermark(step.time());
            } else if (step.broadcast() != null) {
                harness.processBroadcastElement(step.broadcast(), step.time());
            } else {
                harness.processElement(step.element(), step.time());
            }
        }

        @Override
        public long end() {
            return T0.toEpochMilli() + 3 * HOUR;
        }
    };

    static final List<Case<?, ?, ?>> CASES = List.of(DETECTOR, MINER, CORRELATOR);

    /** A keyed one-input operator's case. */
    record OneInputCase<I, O>(String name, HarnessFactory<I, O> factory, java.util.function.Supplier<List<Step<I, Void>>> steps,
            int split, long end) implements Case<I, Void, O> {

        @Override
        public AbstractStreamOperatorTestHarness<O> harness() throws Exception {
            return factory.create();
        }

        @Override
        public List<Step<I, Void>> input() {
            return steps.get();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void apply(AbstractStreamOperatorTestHarness<O> h, Step<I, Void> step) throws Exception {
            var harness = (KeyedOneInputStreamOperatorTestHarness<String, I, O>) h;
            if (step.watermark()) {
                harness.processWatermark(step.time());
            } else {
                harness.processElement(step.element(), step.time());
            }
        }
    }

    @FunctionalInterface
    interface HarnessFactory<I, O> {
        KeyedOneInputStreamOperatorTestHarness<String, I, O> create() throws Exception;
    }

    // ---- running a case ----

    /** Opens a harness, on the given state backend (null: the harness's heap backend), from a snapshot or empty. */
    static <I, B, O> AbstractStreamOperatorTestHarness<O> open(Case<I, B, O> c, StateBackend backend,
            OperatorSubtaskState from) throws Exception {
        AbstractStreamOperatorTestHarness<O> harness = c.harness();
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        harness.setup();
        if (from != null) {
            harness.initializeState(from);
        }
        harness.open();
        return harness;
    }

    static <I, B, O> void run(Case<I, B, O> c, AbstractStreamOperatorTestHarness<O> harness, int from, int to)
            throws Exception {
        List<Step<I, B>> steps = c.input();
        for (int i = from; i < to; i++) {
            c.apply(harness, steps.get(i));
        }
    }

    /** The outputs of the whole input without a restore, and the final watermark. */
    static <I, B, O> List<String> uninterrupted(Case<I, B, O> c, StateBackend backend) throws Exception {
        try (var harness = open(c, backend, null)) {
            run(c, harness, 0, c.input().size());
            finish(c, harness);
            return c.outputs(harness);
        }
    }

    static <I, B, O> void finish(Case<I, B, O> c, AbstractStreamOperatorTestHarness<O> harness) throws Exception {
        c.apply(harness, Step.watermark(c.end()));
    }

    /** The first part's outputs and the snapshot at the split. */
    record Snapshot(List<String> outputs, OperatorSubtaskState state) {}

    static <I, B, O> Snapshot snapshotAtSplit(Case<I, B, O> c, StateBackend backend) throws Exception {
        try (var harness = open(c, backend, null)) {
            run(c, harness, 0, c.split());
            return new Snapshot(c.outputs(harness), harness.snapshot(1, c.input().get(c.split() - 1).time()));
        }
    }

    /**
     * The whole input in one harness with a snapshot every {@code every} steps and at the split, the run going on
     * after each (as checkpoints do): its outputs, and the snapshot at the split (taken after earlier ones).
     */
    static <I, B, O> Snapshot snapshotsAlongTheWay(Case<I, B, O> c, StateBackend backend, int every,
            java.util.function.Consumer<AbstractStreamOperatorTestHarness<O>> afterEachSnapshot) throws Exception {
        OperatorSubtaskState atSplit = null;
        try (var harness = open(c, backend, null)) {
            List<Step<I, B>> steps = c.input();
            long checkpoint = 0;
            for (int i = 0; i < steps.size(); i++) {
                if (i > 0 && (i % every == 0 || i == c.split())) {
                    OperatorSubtaskState state = harness.snapshot(++checkpoint, steps.get(i - 1).time());
                    afterEachSnapshot.accept(harness);
                    if (i == c.split()) {
                        atSplit = state;
                    }
                }
                c.apply(harness, steps.get(i));
            }
            finish(c, harness);
            return new Snapshot(c.outputs(harness), atSplit);
        }
    }

    static Path fixture(String version, Case<?, ?, ?> c) {
        return Path.of("state-fixtures", version, c.name() + ".snapshot");
    }

    /** Writes the fixtures of this build's form version into the given directory (see the class comment). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StateFixtures <output dir, e.g. jobs/src/test/resources/"
                    + "state-fixtures/" + CURRENT + ">");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Case<?, ?, ?> c : CASES) {
            Path file = dir.resolve(c.name() + ".snapshot");
            OperatorSnapshotUtil.writeStateHandle(snapshotAtSplit(c, null).state(), file.toString());
            System.out.println(file + " " + Files.size(file) + " bytes");
        }
    }
}
