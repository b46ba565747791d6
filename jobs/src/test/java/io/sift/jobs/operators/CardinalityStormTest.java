package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.detect.DetectorConfig;
import io.sift.core.detect.GapPolicy;
import io.sift.core.logs.TemplateMinerState;
import io.sift.schema.Anomaly;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.testing.FixedInstants;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A cardinality storm keeps memory bounded and the operators keep up: a million new series of one metric are capped
 * (the points beyond the cap counted, keyed state bounded, all of it forgotten after the series TTL so new series
 * get in again), and ten thousand new log templates of one service stay within the template cap (evictions counted).
 * Prints records/s and heap growth.
 */
class CardinalityStormTest {

    private static final long T0 = FixedInstants.T0.toEpochMilli();
    private static final long HOUR = 3_600_000;
    private static final int SERIES = 1_000_000;
    private static final int CAP = 10_000;
    private static final int TEMPLATES = 10_000;
    private static final int MAX_TEMPLATES = 2_000;

    @Test
    void aMillionNewSeriesAreCappedCountedAndForgotten() throws Exception {
        DetectionConfig detection = new DetectionConfig(DetectionConfig.parse("robust-baseline"), Map.of(),
                BaselineConfig.defaults(), Map.of(), DetectorConfig.builder().build(), GapPolicy.SKIP, 60, CAP);
        long heapBefore = usedHeap();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly>(
                new KeyedProcessOperator<>(new MetricDetectorFunction(detection, 300_000, HOUR)),
                p -> p.getName() + "|" + p.getLabels().get("pod"), Types.STRING)) {
            h.open();
            Resource resource = Resource.newBuilder().setService("checkout").setEnvironment("prod").build();
            long started = System.nanoTime();
            for (int i = 0; i < SERIES; i++) {
                long time = T0 + i;
                h.processElement(MetricPoint.newBuilder().setTime(java.time.Instant.ofEpochMilli(time))
                        .setName("container.cpu.usage").setValue(0.5).setKind(MetricKind.GAUGE).setResource(resource)
                        .setLabels(Map.of("pod", "checkout-" + Integer.toString(i, 36))).build(), time);
            }
            // A checkpoint writes the cached miner state back (timed too: it is part of the cost of the lines).
            h.snapshot(1, T0 + 10L * TEMPLATES);
            double seconds = (System.nanoTime() - started) / 1e9;
            long heapAfter = usedHeap();
            System.out.printf("cardinality storm, metrics: %,d new series in %.1f s (%,.0f points/s), cap %,d,"
                    + " keyed state entries %,d, heap %+.1f MB%n", SERIES, seconds, SERIES / seconds, CAP,
                    h.numKeyedStateEntries(), (heapAfter - heapBefore) / 1e6);

            assertEquals(2 * CAP, h.numKeyedStateEntries(), "series state and timer of the capped series only");
            assertEquals((long) (SERIES - CAP), accumulator(h, MetricDetectorFunction.CAP_DROPPED),
                    "every point beyond the cap is counted");
            assertTrue(heapAfter - heapBefore < 150_000_000L, "heap stays bounded: " + (heapAfter - heapBefore));
            assertTrue(SERIES / seconds > 20_000, "the detector keeps up with a storm: " + SERIES / seconds);

            // After the TTL the capped series are forgotten, and new series fit again.
            h.processWatermark(T0 + SERIES + HOUR + 1);
            assertEquals(0, h.numKeyedStateEntries(), "all series state dropped after the TTL");
            assertEquals(0, h.numEventTimeTimers(), "and their timers");
            long later = T0 + SERIES + 2 * HOUR;
            h.processElement(MetricPoint.newBuilder().setTime(java.time.Instant.ofEpochMilli(later))
                    .setName("container.cpu.usage").setValue(0.5).setResource(resource)
                    .setLabels(Map.of("pod", "fresh")).build(), later);
            assertEquals(2, h.numKeyedStateEntries(), "a new series is admitted once the cap has room");
        }
    }

    @Test
    void tenThousandNewTemplatesStayWithinTheTemplateCap() throws Exception {
        templateStorm(null);
    }

    /**
     * The production backend: the operator keeps the service's miner state deserialised between lines (written back
     * before the snapshot), so a line does not cost a (de)serialisation of every template the service holds; the cap
     * and the counter hold as on the heap.
     */
    @Test
    void onRocksDbTheTemplateCapHoldsToo() throws Exception {
        templateStorm(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend(true));
    }

    private static void templateStorm(org.apache.flink.runtime.state.StateBackend backend) throws Exception {
        LogTemplateFunction function = LogTemplateFunction.withTemplateCounts("prod", 60_000, MAX_TEMPLATES);
        long heapBefore = usedHeap();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>(
                new LogTemplateOperator(function, 256), log -> LogErrorRate.key(log, "prod"), Types.STRING)) {
            if (backend != null) {
                h.setStateBackend(backend);
            }
            h.open();
            Resource resource = Resource.newBuilder().setService("checkout").setEnvironment("prod").build();
            long started = System.nanoTime();
            for (int i = 0; i < TEMPLATES; i++) {
                String w = word(i);
                long time = T0 + 10L * i;
                h.processElement(LogRecord.newBuilder().setTime(java.time.Instant.ofEpochMilli(time))
                        .setSeverityNumber(9).setSeverityText("INFO").setResource(resource)
                        .setBody("op" + w + " stage" + w + " step" + w + " phase" + w).build(), time);
            }
            // A checkpoint writes the cached miner state back (timed too: it is part of the cost of the lines).
            h.snapshot(1, T0 + 10L * TEMPLATES);
            double seconds = (System.nanoTime() - started) / 1e9;
            long heapAfter = usedHeap();
            ((AbstractStreamOperator<?>) h.getOperator()).setCurrentKey(LogErrorRate.key(LogRecord.newBuilder().setTime(FixedInstants.T0).setBody("x")
                    .setResource(resource).build(), "prod"));
            TemplateMinerState state = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend().getPartitionedState(
                    VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>("templates", TypeInformation.of(TemplateMinerState.class))).value();
            System.out.printf("cardinality storm, logs" + (backend == null ? "" : " on RocksDB") + ": %,d new templates in %.2f s (%,.0f lines/s), templates kept"
                    + " %,d, evictions %,d, heap %+.1f MB%n", TEMPLATES, seconds, TEMPLATES / seconds,
                    state.templates.size(), accumulator(h, LogTemplateFunction.EVICTIONS_METRIC),
                    (heapAfter - heapBefore) / 1e6);

            assertEquals(MAX_TEMPLATES, state.templates.size(), "the template cap holds");
            assertEquals((long) (TEMPLATES - MAX_TEMPLATES), accumulator(h, LogTemplateFunction.EVICTIONS_METRIC),
                    "every eviction is counted");
            assertTrue(heapAfter - heapBefore < 150_000_000L, "heap stays bounded: " + (heapAfter - heapBefore));
        }
    }

    /** A word of letters g-z only (never masked as a number or hex), different for every i. */
    private static String word(int i) {
        StringBuilder w = new StringBuilder();
        do {
            w.append((char) ('g' + i % 20));
            i /= 20;
        } while (i > 0);
        return w.toString();
    }

    private static long accumulator(KeyedOneInputStreamOperatorTestHarness<?, ?, ?> h, String name) {
        Accumulator<?, ?> accumulator = ((AbstractStreamOperator<?>) h.getOperator()).getRuntimeContext()
                .getAccumulator(name);
        return ((Number) accumulator.getLocalValue()).longValue();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
