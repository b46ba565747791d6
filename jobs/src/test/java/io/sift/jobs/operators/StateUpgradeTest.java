package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.jobs.operators.StateFixtures.Case;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An upgrade restores state written by an older build: the committed fixtures (harness snapshots of each keyed
 * operator, written by the build of their form version, see {@link StateFixtures}) restore into this build's
 * operators, which then continue exactly as an uninterrupted run of this build does; the detector scores the next
 * anomalous sample at once, with no new warm-up.
 */
class StateUpgradeTest {

    /** Every fixture version kept in the repository: each must still restore. */
    static final List<String> VERSIONS = List.of("v1", "v2");

    static Stream<Object[]> fixtures() {
        List<Object[]> all = new ArrayList<>();
        for (String version : VERSIONS) {
            for (Case<?, ?, ?> c : StateFixtures.CASES) {
                all.add(new Object[] {version, c.name()});
            }
        }
        return all.stream();
    }

    static OperatorSubtaskState read(String version, Case<?, ?, ?> c) throws Exception {
        String resource = StateFixtures.fixture(version, c).toString().replace('\\', '/');
        URL url = StateUpgradeTest.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new AssertionError("missing fixture " + resource + ": see StateFixtures for how to write it");
        }
        return OperatorSnapshotUtil.readStateHandle(Path.of(url.toURI()).toString());
    }

    static Case<?, ?, ?> byName(String name) {
        return StateFixtures.CASES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fixtures")
    void anOlderBuildsStateRestoresAndContinuesAsAnUninterruptedRun(String version, String name) throws Exception {
        continuesAsUninterrupted(byName(name), read(version, byName(name)));
    }

    private static <I, B, O> void continuesAsUninterrupted(Case<I, B, O> c, OperatorSubtaskState state)
            throws Exception {
        List<String> straight = StateFixtures.uninterrupted(c, null);
        List<String> before = StateFixtures.snapshotAtSplit(c, null).outputs();
        List<String> after;
        try (var harness = StateFixtures.open(c, null, state)) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            after = c.outputs(harness);
        }
        assertFalse(after.isEmpty(), c.name() + ": the restored operator has something to say after the split");
        List<String> resumed = new ArrayList<>(before);
        resumed.addAll(after);
        assertEquals(withoutLabels(undetectedWhereTheOlderBuildWas(straight, resumed)), withoutLabels(resumed),
                c.name() + ": outputs after the restore are those of the uninterrupted run");
    }

    /** Savepoints of builds from before alerts: the restored correlator folds alerts into the incident it held. */
    @Test
    void aCorrelatorRestoredFromBeforeAlertsTakesThem() throws Exception {
        var c = StateFixtures.CORRELATOR;
        for (String version : VERSIONS) {
            List<String> after;
            try (var harness = StateFixtures.open(c, null, read(version, c))) {
                StateFixtures.run(c, harness, c.split(), c.input().size());
                StateFixtures.finish(c, harness);
                after = c.outputs(harness);
            }
            assertTrue(after.stream().anyMatch(o -> o.contains("\"alertCount\": 1")
                    && o.contains("\"fingerprint\": \"fp-payments\"") && o.contains("\"anomalyCount\": 3")),
                    version + ": the alert joined the restored incident: " + after);
            String last = after.get(after.size() - 1);
            assertTrue(last.contains("\"status\": \"RESOLVED\"") && last.contains("\"firing\": false"),
                    version + ": resolved after the alert's resolve: " + last);
        }
    }

    /**
     * An incident the older build opened has no detection time (that build did not record it, and it cannot be
     * derived from its state): the restored operator's versions of it say {@code "detectedAt": null}, as records of
     * older versions do, where the uninterrupted run of this build has the time. Those are set to null in the
     * uninterrupted run's outputs; every other field must still match, and a detection time the restored operator
     * does emit must be the same. (The RocksDB test below checks that this build's own state keeps it.)
     */
    private static List<String> undetectedWhereTheOlderBuildWas(List<String> straight, List<String> resumed) {
        List<String> adjusted = new ArrayList<>(straight);
        for (int i = 0; i < Math.min(straight.size(), resumed.size()); i++) {
            if (resumed.get(i).contains("\"detectedAt\": null")) {
                adjusted.set(i, straight.get(i).replaceAll("\"detectedAt\": \"[^\"]*\"", "\"detectedAt\": null"));
            }
        }
        return adjusted;
    }

    /**
     * Outputs without their labels: an episode opened by the older build carries the labels that build wrote (e.g.
     * an SLO's budget arithmetic before the rolling window existed) into its later versions; ids, versions, times,
     * values and scores must still be those of an uninterrupted run.
     */
    private static List<String> withoutLabels(List<String> outputs) {
        return outputs.stream().map(o -> o.replaceAll("\"labels\": \\{[^}]*\\}", "\"labels\": {}")).toList();
    }

    static Stream<String> cases() {
        return StateFixtures.CASES.stream().map(Case::name);
    }

    /**
     * The production backend: each operator on RocksDB (its serializers, the byte forms, timers in RocksDB), with a
     * snapshot and restore at the split, gives exactly the outputs of the uninterrupted run on the heap.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onRocksDbTheOperatorsRestoreAndMatchTheHeapRun(String name) throws Exception {
        onRocksDb(byName(name));
    }

    private static <I, B, O> void onRocksDb(Case<I, B, O> c) throws Exception {
        List<String> heap = StateFixtures.uninterrupted(c, null);
        StateFixtures.Snapshot split = StateFixtures.snapshotAtSplit(c, new EmbeddedRocksDBStateBackend(true));
        List<String> resumed = new ArrayList<>(split.outputs());
        try (var harness = StateFixtures.open(c, new EmbeddedRocksDBStateBackend(true), split.state())) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            resumed.addAll(c.outputs(harness));
        }
        assertEquals(heap, resumed, c.name() + " on RocksDB (incremental snapshot) against the heap");
    }

    /** The latency anomalies (not the error ratio's rules) among a detector's outputs. */
    private static List<String> latency(List<String> outputs) {
        return outputs.stream().filter(o -> o.contains("\"seriesKey\": \"latency|orders")).toList();
    }

    @Test
    void theRestoredDetectorScoresTheNextAnomalousSampleAtOnce() throws Exception {
        Case<MetricPoint, Void, Anomaly> c = StateFixtures.DETECTOR;
        // The first sample after the split is the spike's first; an episode opens at the second anomalous sample in a
        // row, its onset the first: feed two samples.
        var first = c.input().get(c.split());
        assertEquals(StateFixtures.T0.plusSeconds(10L * StateFixtures.SPIKE), first.element().getTime());
        int until = c.split() + 3 * 2;
        for (String version : VERSIONS) {
            try (var restored = StateFixtures.open(c, null, read(version, c))) {
                StateFixtures.run(c, restored, c.split(), until);
                List<String> out = latency(c.outputs(restored));
                assertFalse(out.isEmpty(), version + ": the spike is an anomaly within its first samples");
                assertTrue(out.get(0).contains("\"onset\": " + first.element().getTime().toEpochMilli())
                        || out.get(0).contains("\"onset\": \"" + first.element().getTime()),
                        version + ": its onset is the spike's first sample: " + out.get(0));
            }
        }
        // The control: a detector without the restored state scores none of them (it would warm up first).
        try (var fresh = StateFixtures.open(c, null, null)) {
            StateFixtures.run(c, fresh, c.split(), until);
            assertEquals(List.of(), latency(c.outputs(fresh)), "a fresh detector is still warming up");
        }
    }
    @Test
    void restoredSeriesTakeTheCurrentModelSettings() throws Exception {
        Case<MetricPoint, Void, Anomaly> c = StateFixtures.DETECTOR;
        int until = c.split() + 3 * 2;
        // Restarted with a model warm-up longer than the series has lived: the learnt models stay, but they warm up
        // again before they alert, as the new setting says, instead of alerting by the old one until they expire.
        org.apache.flink.configuration.Configuration changed = StateFixtures.detectorSettings();
        changed.set(io.sift.jobs.SiftOptions.DETECT_MODEL_WARM_UP, 5 * StateFixtures.DETECTOR_SAMPLES);
        changed.set(io.sift.jobs.SiftOptions.DETECT_QUICK_WARM_UP, 0);
        for (String version : VERSIONS) {
            try (var restored = new org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness<>(
                    new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new MetricDetectorFunction(
                            new io.sift.jobs.SiftSettings(changed).detection, 300_000, 3_600_000)),
                    (MetricPoint p) -> p.getName() + "|" + p.getResource().getService(),
                    org.apache.flink.api.common.typeinfo.Types.STRING)) {
                restored.setup();
                restored.initializeState(read(version, c));
                restored.open();
                StateFixtures.run(c, restored, c.split(), until);
                assertEquals(List.of(), latency(c.outputs(restored)), version + ": the new warm-up applies");
            }
        }
    }
}
