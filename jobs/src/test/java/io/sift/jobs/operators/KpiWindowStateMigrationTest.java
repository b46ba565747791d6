package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.health.KpiSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The KPI window's accumulator moved from Flink's POJO serializer (its rates map through Kryo) to the compact form:
 * a snapshot taken mid-window by the operator as builds before wrote it restores into this build's operator (Flink
 * migrates the state, on the heap and on RocksDB) and gives the same summaries as a run never interrupted; the
 * migrated state snapshots and restores again in the new form; state and timers drop to zero once the windows fire.
 */
class KpiWindowStateMigrationTest {

    private static final long MINUTE = 60_000;
    private static final KeySelector<KpiSummary, String> KEY = ServiceKpiWindow::key;

    /** The window operator as this build wires it ({@link ServiceKpiWindow#summaries}). */
    private static OneInputStreamOperator<KpiSummary, KpiSummary> current() {
        return operator(ServiceKpiWindow::summaries);
    }

    /** The window operator as builds before wired it: the accumulator typed as a POJO. */
    private static OneInputStreamOperator<KpiSummary, KpiSummary> before() {
        return operator(w -> w.aggregate(new ServiceKpiWindow.Merge(), new ServiceKpiWindow.Stamp(),
                TypeInformation.of(KpiSummary.class), KpiSummaryTypeInfo.INSTANCE, KpiSummaryTypeInfo.INSTANCE));
    }

    @SuppressWarnings("unchecked")
    private static OneInputStreamOperator<KpiSummary, KpiSummary> operator(
            Function<WindowedStream<KpiSummary, String, TimeWindow>, SingleOutputStreamOperator<KpiSummary>> wiring) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SingleOutputStreamOperator<KpiSummary> out = wiring.apply(env.fromData(KpiSummaryTypeInfo.INSTANCE, partial(
                "x", 0, 0)).keyBy(KEY).window(TumblingEventTimeWindows.of(Duration.ofMinutes(1))));
        var transformation = (OneInputTransformation<KpiSummary, KpiSummary>) out.getTransformation();
        return (OneInputStreamOperator<KpiSummary, KpiSummary>)
                ((SimpleOperatorFactory<KpiSummary>) transformation.getOperatorFactory()).getOperator();
    }

    private static KpiWindowHarness harness(OneInputStreamOperator<KpiSummary, KpiSummary> operator, String backend)
            throws Exception {
        KpiWindowHarness h = new KpiWindowHarness(operator);
        // Full snapshots: a harness cannot restore an incremental one that refers to an earlier one's files.
        StateBackend b = "rocksdb".equals(backend) ? new EmbeddedRocksDBStateBackend(false) : new HashMapStateBackend();
        h.setStateBackend(b);
        return h;
    }

    private static final class KpiWindowHarness extends KeyedOneInputStreamOperatorTestHarness<String, KpiSummary, KpiSummary> {
        KpiWindowHarness(OneInputStreamOperator<KpiSummary, KpiSummary> operator) throws Exception {
            super(operator, KEY, Types.STRING);
        }
    }

    /** A partial summary of one subtask: every kind of KPI, a rate per instance. */
    private static KpiSummary partial(String service, int n, long time) {
        KpiSummary k = new KpiSummary();
        k.environment = "prod";
        k.service = service;
        k.errorRatioSum = 0.01 * n;
        k.errorRatioCount = 1;
        k.p95Sum = 100 + n;
        k.p95Count = 1;
        k.p99Sum = 300 + n;
        k.p99Count = 1;
        k.errorEvents = n;
        k.hasErrorEvents = n % 2 == 0;
        k.rates.put("pod-" + (n % 3) + "|http_requests", new double[] {10.0 * n, 1});
        k.saturation = 0.1 * (n % 7);
        k.samples = 5;
        return k;
    }

    /** Partials of two services over two windows, in event-time order. */
    private static List<StreamRecord<KpiSummary>> input() {
        List<StreamRecord<KpiSummary>> in = new ArrayList<>();
        for (int n = 0; n < 12; n++) {
            long time = n * 10_000L;
            in.add(new StreamRecord<>(partial(n % 2 == 0 ? "cart" : "orders", n, time), time));
        }
        return in;
    }

    private static void run(KpiWindowHarness h, List<StreamRecord<KpiSummary>> records) throws Exception {
        for (StreamRecord<KpiSummary> r : records) {
            h.processElement(new StreamRecord<>(copy(r.getValue()), r.getTimestamp()));
        }
    }

    private static KpiSummary copy(KpiSummary k) {
        return KpiSummarySerializer.INSTANCE.copy(k);
    }

    private static List<String> fire(KpiWindowHarness h) throws Exception {
        h.processWatermark(3 * MINUTE);
        List<String> out = new ArrayList<>();
        for (KpiSummary k : h.extractOutputValues()) {
            out.add(Arrays.toString(KpiSummarySerializer.INSTANCE.toBytes(k)));
        }
        out.sort(null); // timers of one time fire in the backend's key order
        try (var left = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend()
                .getKeysAndNamespaces("window-contents")) {
            assertEquals(0, left.count(), "window state left after the windows fired");
        }
        assertEquals(0, h.numEventTimeTimers(), "timers left after the windows fired");
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void aMidWindowSnapshotOfThePojoAccumulatorRestoresIntoTheCompactForm(String backend) throws Exception {
        List<StreamRecord<KpiSummary>> in = input();
        int split = 5; // in the first window, both services with partials held
        List<String> expected;
        try (KpiWindowHarness whole = harness(current(), backend)) {
            whole.open();
            run(whole, in);
            expected = fire(whole);
        }
        assertEquals(4, expected.size(), "two services over two windows");

        OperatorSubtaskState old;
        try (KpiWindowHarness before = harness(before(), backend)) {
            before.open();
            run(before, in.subList(0, split));
            old = before.snapshot(1, 1);
        }
        OperatorSubtaskState migrated;
        try (KpiWindowHarness after = harness(current(), backend)) {
            after.initializeState(old);
            after.open();
            run(after, in.subList(split, 8));
            migrated = after.snapshot(2, 2);
        }
        try (KpiWindowHarness again = harness(current(), backend)) {
            again.initializeState(migrated);
            again.open();
            run(again, in.subList(8, in.size()));
            assertEquals(expected, fire(again), "summaries after the migration differ from an uninterrupted run");
        }
    }

    private static byte[] write(TypeSerializerSnapshot<?> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return out.getCopyOfBuffer();
    }

    private static <T> TypeSerializerSnapshot<T> read(byte[] bytes) throws Exception {
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(bytes),
                KpiWindowStateMigrationTest.class.getClassLoader());
    }

    @Test
    void thePojoFormIsMigratedNotMistakenForTheCompactForm() throws Exception {
        // What builds before kept: Flink's POJO type for the summary.
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(KpiSummary.class));
        var pojo = TypeInformation.of(KpiSummary.class).createSerializer(new SerializerConfigImpl())
                .snapshotConfiguration();
        assertInstanceOf(PojoSerializerSnapshot.class, pojo);
        TypeSerializerSchemaCompatibility<KpiSummary> c =
                KpiAccumulatorSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(pojo);
        assertTrue(c.isCompatibleAfterMigration(), c.toString());
        TypeSerializerSnapshot<KpiSummary> own = read(write(KpiAccumulatorSerializer.INSTANCE.snapshotConfiguration()));
        assertTrue(KpiAccumulatorSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(own)
                .isCompatibleAsIs());
        assertEquals(KpiAccumulatorSerializer.INSTANCE, own.restoreSerializer());
        // Not to be confused with the pending summaries' framed form.
        assertTrue(KpiAccumulatorSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(KpiSummarySerializer.INSTANCE.snapshotConfiguration()).isIncompatible());
    }
}
