package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.SeriesState;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The detector's series cache: with series' states kept deserialised between samples (bounds small enough that the two
 * series of the fixture keep leaving the cache), written back when they leave it and before every snapshot, the
 * operator emits exactly what reading and writing keyed state for every sample does ({@link StateFixtures#DETECTOR},
 * a plain {@code KeyedProcessOperator}), on the heap and on RocksDB, uninterrupted or restored mid-stream, and leaves
 * no state once the series have expired.
 */
class MetricDetectorOperatorTest {

    private static StateFixtures.Case<MetricPoint, Void, Anomaly> cached(int series) {
        return new StateFixtures.OneInputCase<>("cached-" + series, () -> harness(StateFixtures.detector(), series),
                StateFixtures::detectorInput, StateFixtures.DETECTOR.split(), StateFixtures.DETECTOR.end());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> harness(
            MetricDetectorFunction function, int series) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new MetricDetectorOperator(function, series, true),
                MetricDetectorOperatorTest::key, Types.STRING);
    }

    private static String key(MetricPoint p) {
        return p.getName() + "|" + p.getResource().getService();
    }

    private static StateBackend backend(String name) {
        return "rocksdb".equals(name) ? new EmbeddedRocksDBStateBackend(true) : null;
    }

    private static List<String> reference(String backend) throws Exception {
        List<String> reference = StateFixtures.uninterrupted(StateFixtures.DETECTOR, backend(backend));
        assertTrue(reference.size() >= 4, "the fixture makes anomalies (model, threshold, SLO): " + reference);
        return reference;
    }

    @ParameterizedTest(name = "{0}, {1} cached series")
    @CsvSource({"heap, 4096", "heap, 1", "rocksdb, 4096", "rocksdb, 1"})
    void uninterruptedTheCachedOperatorEmitsWhatReadingStatePerSampleDoes(String backend, int series)
            throws Exception {
        assertEquals(reference(backend), StateFixtures.uninterrupted(cached(series), backend(backend)));
    }

    @ParameterizedTest(name = "{0}, {1} cached series")
    @CsvSource({"heap, 4096", "heap, 1", "rocksdb, 4096", "rocksdb, 1"})
    void aSnapshotMidStreamRestoresToTheUninterruptedRun(String backend, int series) throws Exception {
        StateFixtures.Case<MetricPoint, Void, Anomaly> c = cached(series);
        StateFixtures.Snapshot split = StateFixtures.snapshotAtSplit(c, backend(backend));
        List<String> resumed = new ArrayList<>(split.outputs());
        try (var harness = StateFixtures.open(c, backend(backend), split.state())) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            resumed.addAll(c.outputs(harness));
        }
        // A snapshot of the cached operator restores into the plain one, and the other way round (same state).
        List<String> crossed = new ArrayList<>(StateFixtures.snapshotAtSplit(c, backend(backend)).outputs());
        try (var harness = StateFixtures.open(StateFixtures.DETECTOR, backend(backend),
                StateFixtures.snapshotAtSplit(c, backend(backend)).state())) {
            StateFixtures.run(StateFixtures.DETECTOR, harness, c.split(), c.input().size());
            StateFixtures.finish(StateFixtures.DETECTOR, harness);
            crossed.addAll(StateFixtures.DETECTOR.outputs(harness));
        }
        assertEquals(reference(backend), resumed);
        assertEquals(reference(backend), crossed);
    }

    /**
     * Checkpoints as the job takes them, the run going on after each: on RocksDB the series stay cached across a
     * snapshot, on the heap the cache is emptied; either way the outputs are the per-sample run's, and the snapshot at
     * the split, taken after several others, restores to the uninterrupted run.
     */
    @ParameterizedTest(name = "{0}, {1} cached series")
    @CsvSource({"heap, 4096", "rocksdb, 4096", "rocksdb, 1"})
    void snapshotsAlongTheWayChangeNothingAndTheLastRestores(String backend, int series) throws Exception {
        StateFixtures.Case<MetricPoint, Void, Anomaly> c = cached(series);
        StateFixtures.Snapshot run = StateFixtures.snapshotsAlongTheWay(c, backend(backend), 7, harness -> {
            var function = (MetricDetectorFunction) ((MetricDetectorOperator) harness.getOperator()).getUserFunction();
            if ("rocksdb".equals(backend)) {
                assertTrue(function.cachedSeries() > 0, "the series stay cached across a snapshot on RocksDB");
            } else {
                assertEquals(0, function.cachedSeries(), "a heap snapshot empties the cache");
            }
        });
        assertEquals(reference(backend), run.outputs());
        List<String> resumed = new ArrayList<>(
                StateFixtures.snapshotAtSplit(StateFixtures.DETECTOR, backend(backend)).outputs());
        try (var harness = StateFixtures.open(c, backend(backend), run.state())) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            resumed.addAll(c.outputs(harness));
        }
        assertEquals(reference(backend), resumed);
    }

    @Test
    void theCacheHoldsAtMostItsBoundWritesBackWhatLeavesItAndLeavesNothingOnceTheSeriesExpire() throws Exception {
        MetricDetectorFunction function = StateFixtures.detector();
        List<StateFixtures.Step<MetricPoint, Void>> steps = StateFixtures.detectorInput();
        try (var harness = harness(function, 1); var perSample = StateFixtures.detectorHarness()) {
            harness.open();
            perSample.open();
            // Three steps a sample time: latency, error ratio, watermark; the error-ratio series is sampled last.
            for (var step : steps.subList(0, 99)) {
                StateFixtures.DETECTOR.apply(harness, step);
                StateFixtures.DETECTOR.apply(perSample, step);
                assertTrue(function.cachedSeries() <= 1, "at most 1 series cached: " + function.cachedSeries());
            }
            SeriesState latency = series(harness, "latency|orders");
            assertNotNull(latency, "written back when it left the cache");
            assertEquals(series(perSample, "latency|orders").samples, latency.samples, "every sample of it counted");
            harness.snapshot(1, 0);
            assertEquals(0, function.cachedSeries(), "a snapshot writes back and empties the cache");
            assertEquals(series(perSample, "http.server.error.ratio|checkout").samples,
                    series(harness, "http.server.error.ratio|checkout").samples,
                    "the cached series was written back by the snapshot");
            StateFixtures.DETECTOR.apply(harness, StateFixtures.Step.watermark(StateFixtures.DETECTOR.end()));
            assertNull(series(harness, "latency|orders"), "expired");
            assertEquals(0, harness.numKeyedStateEntries(), "no state left after the TTL");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left after the TTL");
            assertEquals(0, function.cachedSeries());
        }
    }

    @Test
    void theCacheBoundMustNotBeNegative() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new MetricDetectorOperator(StateFixtures.detector(), -1));
        assertTrue(e.getMessage().contains("sift.detect.cached-series"), e.getMessage());
    }

    private static SeriesState series(KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> h,
            String key) throws Exception {
        var operator = (AbstractStreamOperator<?>) h.getOperator();
        operator.setCurrentKey(key);
        return operator.getKeyedStateBackend().getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("series", TypeInformation.of(SeriesState.class))).value();
    }
}
