package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.logs.TemplateMinerState;
import io.sift.jobs.operators.StateFixtures.Case;
import io.sift.jobs.operators.StateFixtures.Step;
import io.sift.schema.Anomaly;
import io.sift.schema.LogRecord;
import io.sift.schema.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The miner's state cache: with services' states kept deserialised between lines (a small bound here, so services
 * keep leaving the cache), written back when they leave it and before every snapshot, the operator emits exactly what
 * reading and writing keyed state for every line does (a plain {@link KeyedProcessOperator}), on the heap and on
 * RocksDB, uninterrupted or restored from a snapshot taken mid-stream.
 */
class LogTemplateOperatorTest {

    private static final long MINUTE = StateFixtures.MINUTE;
    private static final int SERVICES = 6;

    private static LogRecord line(String service, long second, int severity, String body) {
        return LogRecord.newBuilder().setTime(StateFixtures.T0.plusSeconds(second)).setSeverityNumber(severity)
                .setSeverityText(severity >= StateFixtures.ERROR ? "ERROR" : severity >= StateFixtures.WARN ? "WARN" : "INFO")
                .setBody(body).setResource(Resource.newBuilder().setService(service).setEnvironment("prod").build())
                .setAttributes(Map.of()).build();
    }

    /**
     * Six services interleaved for 20 minutes: routine lines and a known warning in each; after the warm-up a new
     * error template in every other service (minute 12) and another in one (minute 15), gathered across the split.
     */
    static List<Step<LogRecord, Void>> input() {
        List<Step<LogRecord, Void>> steps = new ArrayList<>();
        for (int s = 0; s < 20 * 60; s += 10) {
            for (int k = 0; k < SERVICES; k++) {
                String service = "svc-" + k;
                List<LogRecord> lines = new ArrayList<>();
                lines.add(line(service, s, StateFixtures.INFO, "Order " + (1000 + s) + " placed by user u" + s + ": " + k + " items"));
                if (s % 120 == 0) {
                    lines.add(line(service, s + 1, StateFixtures.WARN, "Slow request: GET /api/v1/cart/" + s + " took " + (1200 + s) + " ms"));
                }
                if (k % 2 == 1 && s >= 12 * 60 && s < 12 * 60 + 80 && s % 20 == 0) {
                    lines.add(line(service, s + 2, StateFixtures.ERROR, "Payment " + (100 + s) + " timed out at " + service));
                }
                if (k == 2 && s >= 15 * 60 && s < 15 * 60 + 40) {
                    lines.add(line(service, s + 3, StateFixtures.ERROR, "Refund " + (300 + s) + " rejected by the ledger"));
                }
                for (LogRecord log : lines) {
                    steps.add(Step.element(log, log.getTime().toEpochMilli()));
                }
            }
            steps.add(Step.watermark(StateFixtures.T0.toEpochMilli() + 1000L * s - 1));
        }
        return steps;
    }

    /** The split: the first step at minute 12 and 30 s (new templates' windows are open). */
    static int split() {
        List<Step<LogRecord, Void>> steps = input();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).time() >= StateFixtures.T0.toEpochMilli() + 12 * MINUTE + 30_000) {
                return i;
            }
        }
        throw new IllegalStateException("input too short");
    }

    /** The miner case with the given operator; its outputs are the anomalies and then the template counts. */
    record MinerCase(String name, IntFunction<KeyedProcessOperator<String, LogRecord, Anomaly>> operator, int cached)
            implements Case<LogRecord, Void, Anomaly> {

        @Override
        public AbstractStreamOperatorTestHarness<Anomaly> harness() throws Exception {
            return new KeyedOneInputStreamOperatorTestHarness<>(operator.apply(cached),
                    log -> LogErrorRate.key(log, "prod"), Types.STRING);
        }

        @Override
        public List<Step<LogRecord, Void>> input() {
            return LogTemplateOperatorTest.input();
        }

        @Override
        public int split() {
            return LogTemplateOperatorTest.split();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void apply(AbstractStreamOperatorTestHarness<Anomaly> h, Step<LogRecord, Void> step) throws Exception {
            var harness = (KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>) h;
            if (step.watermark()) {
                harness.processWatermark(step.time());
            } else {
                harness.processElement(step.element(), step.time());
            }
        }

        @Override
        public long end() {
            return StateFixtures.T0.toEpochMilli() + 60 * MINUTE;
        }

        @Override
        public List<String> outputs(AbstractStreamOperatorTestHarness<Anomaly> harness) {
            List<String> out = Case.super.outputs(harness);
            var counts = harness.getSideOutput(LogTemplateFunction.TEMPLATE_COUNTS);
            if (counts != null) {
                for (StreamRecord<?> record : counts) {
                    out.add(String.valueOf(record.getValue()));
                }
            }
            return out;
        }
    }

    /** Reads and writes keyed state for every line: the reference. */
    static final MinerCase PER_LINE = new MinerCase("per-line", n -> new KeyedProcessOperator<>(StateFixtures.miner()), 0);

    static MinerCase cached(int services) {
        return new MinerCase("cached-" + services, n -> new LogTemplateOperator(StateFixtures.miner(), n), services);
    }

    private static StateBackend backend(String name) {
        return "rocksdb".equals(name) ? new EmbeddedRocksDBStateBackend(true) : null;
    }

    /** The per-line operator's outputs on the backend: the reference. */
    private static List<String> reference(String backend) throws Exception {
        List<String> reference = StateFixtures.uninterrupted(PER_LINE, backend(backend));
        assertTrue(reference.stream().filter(o -> o.contains("log-new-template")).count() >= 4,
                "the input makes new-template anomalies: " + reference.size());
        assertTrue(reference.stream().anyMatch(o -> o.contains("log.template.count")), "and template counts");
        return reference;
    }

    /** Equal lists, or the first difference (the lists are long). */
    private static void assertSameOutputs(List<String> expected, List<String> actual) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), "output " + i);
        }
        assertEquals(expected.size(), actual.size(), "outputs");
    }

    /**
     * Sorted: timers of different services due at the same time fire in an order that depends on the timer queue
     * (RocksDB's differs from the heap's, a restored queue may differ from the original), as does the order of
     * anomalies against side-output points of different harness runs; what is emitted must be the same.
     */
    private static List<String> sorted(List<String> outputs) {
        return outputs.stream().sorted().toList();
    }

    @ParameterizedTest(name = "{0}, {1} cached services")
    @CsvSource({"heap, 256", "heap, 2", "heap, 1", "rocksdb, 256", "rocksdb, 2"})
    void uninterruptedTheCachedOperatorEmitsWhatReadingStatePerLineDoes(String backend, int services)
            throws Exception {
        assertSameOutputs(reference(backend), StateFixtures.uninterrupted(cached(services), backend(backend)));
    }

    @ParameterizedTest(name = "{0}, {1} cached services")
    @CsvSource({"heap, 256", "heap, 2", "rocksdb, 256", "rocksdb, 2"})
    void aSnapshotMidStreamRestoresToTheUninterruptedRun(String backend, int services) throws Exception {
        MinerCase c = cached(services);
        StateFixtures.Snapshot split = StateFixtures.snapshotAtSplit(c, backend(backend));
        List<String> resumed = new ArrayList<>(split.outputs());
        List<String> after;
        try (var harness = StateFixtures.open(c, backend(backend), split.state())) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            after = c.outputs(harness);
        }
        assertTrue(after.stream().anyMatch(o -> o.contains("log-new-template")),
                "a template gathered across the split is reported after the restore");
        resumed.addAll(after);
        assertSameOutputs(sorted(reference(backend)), sorted(resumed));
    }

    /**
     * Checkpoints as the job takes them, the run going on after each: on RocksDB the services stay cached across a
     * snapshot (nothing read again), on the heap the cache is emptied; either way the outputs are the per-line run's,
     * and the snapshot at the split, taken after several others, restores to the uninterrupted run.
     */
    @ParameterizedTest(name = "{0}, {1} cached services")
    @CsvSource({"heap, 256", "rocksdb, 256", "rocksdb, 2"})
    void snapshotsAlongTheWayChangeNothingAndTheLastRestores(String backend, int services) throws Exception {
        MinerCase c = cached(services);
        StateFixtures.Snapshot run = StateFixtures.snapshotsAlongTheWay(c, backend(backend), 40, harness -> {
            var function = (LogTemplateFunction) ((LogTemplateOperator) harness.getOperator()).getUserFunction();
            if ("rocksdb".equals(backend)) {
                assertTrue(function.cachedServices() > 0, "the services stay cached across a snapshot on RocksDB");
            } else {
                assertEquals(0, function.cachedServices(), "a heap snapshot empties the cache");
            }
        });
        assertSameOutputs(reference(backend), run.outputs());
        List<String> resumed = new ArrayList<>(
                StateFixtures.snapshotAtSplit(PER_LINE, backend(backend)).outputs());
        try (var harness = StateFixtures.open(c, backend(backend), run.state())) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            resumed.addAll(c.outputs(harness));
        }
        assertSameOutputs(sorted(reference(backend)), sorted(resumed));
    }

    @Test
    void theCacheHoldsAtMostItsBoundAndAServiceLeavingItIsWrittenBack() throws Exception {
        LogTemplateFunction function = StateFixtures.miner();
        try (var harness = new KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>(
                new LogTemplateOperator(function, 2), log -> LogErrorRate.key(log, "prod"), Types.STRING);
                var perLine = new KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>(
                        new KeyedProcessOperator<>(StateFixtures.miner()), log -> LogErrorRate.key(log, "prod"),
                        Types.STRING)) {
            harness.open();
            perLine.open();
            for (Step<LogRecord, Void> step : input().subList(0, split())) {
                PER_LINE.apply(harness, step);
                PER_LINE.apply(perLine, step);
                assertTrue(function.cachedServices() <= 2, "at most 2 services cached: " + function.cachedServices());
            }
            // svc-0 left the cache long ago (the services take turns) and no snapshot was taken: its templates in
            // keyed state were written when it left, so they are those of the per-line run, which has them all.
            TemplateMinerState written = templates(harness, "svc-0");
            TemplateMinerState expected = templates(perLine, "svc-0");
            assertNotNull(written, "written back when it left the cache");
            assertEquals(ids(expected), ids(written));
            assertEquals(2, function.cachedServices());
            // A snapshot writes the cached ones back and empties the cache (a restore starts empty too).
            harness.snapshot(1, 0);
            assertEquals(0, function.cachedServices());
            assertEquals(ids(templates(perLine, "svc-5")), ids(templates(harness, "svc-5")));
            assertNull(templates(harness, "svc-9"), "no state for a service never seen");
        }
    }

    /**
     * Normal traffic: the Loghub samples (a system per service, interleaved, a line every 10 ms) through the per-line
     * operator and the cached one, on the heap and on RocksDB. Prints lines/s; asserts the same outputs.
     */
    @Test
    void loghubTrafficGivesTheSameOutputsCachedAndPrintsTheThroughput() throws Exception {
        java.nio.file.Path loghub;
        try {
            loghub = io.sift.eval.EvalData.dataset("loghub");
        } catch (IllegalArgumentException | java.io.UncheckedIOException missing) {
            org.junit.jupiter.api.Assumptions.abort("no Loghub data: " + missing.getMessage());
            return;
        }
        List<List<String>> systems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (io.sift.eval.loghub.LoghubSystem system : io.sift.eval.loghub.LoghubSystem.discover(loghub)) {
            systems.add(system.contents());
            names.add(system.name());
        }
        List<LogRecord> lines = new ArrayList<>();
        for (int i = 0, added = 1; added > 0; i++) {
            added = 0;
            for (int k = 0; k < systems.size(); k++) {
                if (i < systems.get(k).size()) {
                    lines.add(line(names.get(k), 0, StateFixtures.ERROR, systems.get(k).get(i)));
                    added++;
                }
            }
        }
        for (String backend : List.of("heap", "rocksdb")) {
            List<String> perLine = loghubRun(lines, PER_LINE, backend);
            List<String> cached = loghubRun(lines, cached(256), backend);
            assertSameOutputs(perLine, cached);
        }
    }

    private static List<String> loghubRun(List<LogRecord> lines, MinerCase c, String backend) throws Exception {
        long t0 = StateFixtures.T0.toEpochMilli();
        try (var harness = (KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>) c.harness()) {
            if (backend(backend) != null) {
                harness.setStateBackend(backend(backend));
            }
            harness.open();
            long started = System.nanoTime();
            for (int i = 0; i < lines.size(); i++) {
                long time = t0 + 10L * i;
                LogRecord log = LogRecord.newBuilder(lines.get(i)).setTime(java.time.Instant.ofEpochMilli(time)).build();
                harness.processElement(log, time);
                if (i % 100 == 99) {
                    harness.processWatermark(time);
                }
            }
            harness.snapshot(1, t0 + 10L * lines.size()); // writes the cached states back: part of the cost
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("loghub traffic, %s on %s: %,d lines of %d services in %.2f s (%,.0f lines/s)%n",
                    c.name(), backend, lines.size(), servicesIn(lines), seconds, lines.size() / seconds);
            harness.processWatermark(t0 + 10L * lines.size() + 60 * MINUTE);
            return c.outputs(harness);
        }
    }

    private static long servicesIn(List<LogRecord> lines) {
        return lines.stream().map(l -> l.getResource().getService()).distinct().count();
    }

    @Test
    void theCacheBoundMustBePositive() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LogTemplateOperator(StateFixtures.miner(), 0));
        assertTrue(e.getMessage().contains("sift.logs.cached-services"), e.getMessage());
    }

    private static TemplateMinerState templates(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> h,
            String service) throws Exception {
        var operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey(LogErrorRate.key(line(service, 0, StateFixtures.INFO, "x"), "prod"));
        return operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("templates", TypeInformation.of(TemplateMinerState.class))).value();
    }

    private static List<String> ids(TemplateMinerState state) {
        return state.templates.stream().map(t -> t.id + " " + t.text()).toList();
    }
}
