package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.MetricModel;
import io.sift.core.detect.RuleState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The versioned byte forms of the detector's keyed state: snapshots of builds before versioning read as form 1;
 * a build with a newer form resolves an older snapshot as "compatible after migration" and reads the old bytes
 * (Flink then rewrites them, on the heap and on RocksDB); a savepoint of a newer form is refused with a message.
 */
class ByteFormSerializerTest {

    private static byte[] write(TypeSerializerSnapshot<?> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return out.getCopyOfBuffer();
    }

    private static <T> TypeSerializerSnapshot<T> read(byte[] bytes) throws Exception {
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(bytes),
                ByteFormSerializerTest.class.getClassLoader());
    }

    /** What the build before versioning wrote: the snapshot class name and SimpleTypeSerializerSnapshot's version 3. */
    private static byte[] unversioned(Class<?> snapshotClass) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(snapshotClass.getName());
        out.writeInt(3);
        return out.getCopyOfBuffer();
    }

    @Test
    void snapshotsOfTheBuildBeforeVersioningAreForm1() throws Exception {
        TypeSerializerSnapshot<MetricModel> model = read(unversioned(MetricDetectorFunction.ModelSerializerSnapshot.class));
        assertEquals(1, assertInstanceOf(MetricDetectorFunction.ModelSerializerSnapshot.class, model).form());
        assertTrue(MetricDetectorFunction.ModelSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(model).isCompatibleAsIs());
        assertEquals(MetricDetectorFunction.ModelSerializer.INSTANCE, model.restoreSerializer());

        // The rule state's form moved on to 2 (Avro episodes): form 1 is migrated, read by the form 1 serializer.
        TypeSerializerSnapshot<RuleState> rules = read(unversioned(MetricDetectorFunction.RuleStateSerializerSnapshot.class));
        assertEquals(1, assertInstanceOf(MetricDetectorFunction.RuleStateSerializerSnapshot.class, rules).form());
        assertTrue(MetricDetectorFunction.RuleStateSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(rules).isCompatibleAfterMigration());
        assertEquals(1, ((MetricDetectorFunction.RuleStateSerializer) rules.restoreSerializer()).readForm());
        // And this build's own snapshot round-trips with its form.
        TypeSerializerSnapshot<MetricModel> current = read(write(MetricDetectorFunction.ModelSerializer.INSTANCE
                .snapshotConfiguration()));
        assertEquals(MetricDetectorFunction.ModelSerializer.FORM,
                ((MetricDetectorFunction.ModelSerializerSnapshot) current).form());
    }

    // ---- a state type whose form changes between two builds ----

    /** A state object; form 2 added {@code note} (default "none"). */
    static final class Tally {
        long count;
        String note = "none";
    }

    /** The byte form of {@link Tally}; {@link #build} plays the build that runs (1 before the change, 2 after). */
    static final class TallySerializer extends ByteFormSerializer<Tally> {
        private static final long serialVersionUID = 1L;
        static volatile int build = 2;

        TallySerializer(int readForm) {
            super(readForm);
        }

        static TallySerializer current() {
            return new TallySerializer(build);
        }

        @Override
        protected int currentForm() {
            return build;
        }

        @Override
        protected byte[] toBytes(Tally value) {
            String text = build == 1 ? Long.toString(value.count) : value.count + "|" + value.note;
            return text.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        protected Tally fromBytes(int form, byte[] bytes) {
            String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\\|", -1);
            Tally tally = new Tally();
            tally.count = Long.parseLong(parts[0]);
            if (form >= 2) {
                tally.note = parts[1];
            }
            return tally;
        }

        @Override
        protected ByteFormSerializer<Tally> reading(int form) {
            return new TallySerializer(form);
        }

        @Override
        public TallySnapshot snapshotConfiguration() {
            return new TallySnapshot();
        }
    }

    public static final class TallySnapshot extends ByteFormSerializer.FormSnapshot<Tally> {
        @Override
        protected ByteFormSerializer<Tally> current() {
            return TallySerializer.current();
        }
    }

    @Test
    void aNewerFormMigratesAnOlderOneAndAnOlderBuildRefusesANewerOne() throws Exception {
        TallySerializer.build = 1;
        Tally old = new Tally();
        old.count = 42;
        DataOutputSerializer bytes = new DataOutputSerializer(32);
        TallySerializer.current().serialize(old, bytes);
        byte[] oldSnapshot = write(TallySerializer.current().snapshotConfiguration());

        TallySerializer.build = 2;
        TypeSerializerSnapshot<Tally> restored = read(oldSnapshot);
        TypeSerializerSchemaCompatibility<Tally> compatibility =
                TallySerializer.current().snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(compatibility.isCompatibleAfterMigration(), compatibility.toString());
        Tally migrated = restored.restoreSerializer().deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        assertEquals(42, migrated.count);
        assertEquals("none", migrated.note, "the field the old form lacked has its default");
        byte[] newSnapshot = write(TallySerializer.current().snapshotConfiguration());

        TallySerializer.build = 1;
        try {
            assertTrue(TallySerializer.current().snapshotConfiguration().resolveSchemaCompatibility(read(newSnapshot))
                    .isIncompatible(), "a savepoint of a later form");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> read(newSnapshot).restoreSerializer());
            assertTrue(e.getMessage().contains("newer than this build's form 1"), e.getMessage());
        } finally {
            TallySerializer.build = 2;
        }
    }

    /** Keeps a {@link Tally} per key: counts its elements, emits "count note" for each. */
    static final class Tallying extends KeyedProcessFunction<String, String, String> {
        private transient ValueState<Tally> tally;

        @Override
        public void open(OpenContext context) {
            tally = getRuntimeContext().getState(new ValueStateDescriptor<>("tally", TallySerializer.current()));
        }

        @Override
        public void processElement(String value, Context ctx, Collector<String> out) throws Exception {
            Tally t = tally.value() == null ? new Tally() : tally.value();
            t.count++;
            tally.update(t);
            out.collect(t.count + " " + t.note);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(StateBackend backend)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Tallying()),
                v -> v, Types.STRING);
        harness.setStateBackend(backend);
        return harness;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anOperatorsStateOfTheOlderFormIsMigratedOnRestore(String backendName) throws Exception {
        StateBackend backend = backendName.equals("rocksdb") ? new EmbeddedRocksDBStateBackend()
                : new HashMapStateBackend();
        OperatorSubtaskState snapshot;
        TallySerializer.build = 1;
        try (var h = harness(backend)) {
            h.open();
            h.processElement("a", 0);
            h.processElement("a", 1);
            snapshot = h.snapshot(1, 1);
        } finally {
            TallySerializer.build = 2;
        }
        try (var h = harness(backend)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement("a", 2);
            assertEquals(List.of("3 none"), h.extractOutputValues(), "restored from form 1, defaults for form 2");
            // Written in form 2 now: a further snapshot and restore keeps it.
            snapshot = h.snapshot(2, 2);
        }
        try (var h = harness(backend)) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processElement("a", 3);
            assertEquals(List.of("4 none"), h.extractOutputValues());
        }
    }

    /**
     * The model's form 1 is Java serialization: safe across Anomaly/MetricPoint schema changes only while no Avro
     * record is inside it (a generated record's serial id is its schema's fingerprint, as the rule state's episodes
     * in form 1 were). A warmed model with every part (baseline, forest, CUSUM) holds none.
     */
    @Test
    void theModelsJavaSerialFormHoldsNoAvroRecord() throws Exception {
        MetricModel model = new MetricModel(io.sift.core.detect.DetectorConfig.builder().warmUpSamples(50)
                .forestTrees(5).forestSampleSize(32).changePoint(true).build());
        java.util.Random random = new java.util.Random(4);
        for (int i = 0; i < 200; i++) {
            model.assess(60_000L * i, 10 + random.nextGaussian());
        }
        List<String> seen = new java.util.ArrayList<>();
        try (var out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream()) {
            {
                enableReplaceObject(true);
            }

            @Override
            protected Object replaceObject(Object obj) {
                seen.add(obj.getClass().getName());
                if (obj instanceof org.apache.avro.generic.IndexedRecord || obj instanceof Enum<?> e
                        && e.getDeclaringClass().getPackageName().equals("io.sift.schema")) {
                    throw new AssertionError("an Avro type in the model's serial form: " + obj.getClass());
                }
                return obj;
            }
        }) {
            out.writeObject(model);
        }
        assertTrue(seen.contains(io.sift.core.detect.ShingledForest.class.getName()), seen.toString());
    }
}
