package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.RuleSet;
import io.sift.core.detect.RuleState;
import io.sift.core.detect.SloRule;
import io.sift.core.detect.ThresholdRule;
import io.sift.jobs.operators.MetricDetectorFunction.RuleStateSerializer;
import io.sift.jobs.operators.MetricDetectorFunction.RuleStateSerializerSnapshot;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.io.ObjectStreamClass;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector's rule state (form 2) across a change of the {@link Anomaly} schema: state with open threshold and SLO
 * episodes written by a build whose {@link Anomaly} lacks a defaulted field restores into this build (the snapshot
 * names the schema the episodes were written with; Avro resolves them into this build's class) and the episodes
 * continue and close as they would have. Form 1 (Java serialization) could not: its episodes carry the class's serial
 * id, the schema's fingerprint.
 */
class RuleStateFormTest {

    private static final String ERRORS = "http.server.error.ratio";
    private static final RuleSet RULES = RuleSet.parse(ERRORS + " > 0.05 for 1m", "checkout:" + ERRORS + ":99.9");
    private static final String KEY = ERRORS + "|checkout";
    private static final int SAMPLES = 800;
    /** Both episodes are open here: the error ratio is 50 % from sample 540 to 619. */
    private static final int SPLIT = 580;

    private static MetricPoint sample(int i) {
        return StateFixtures.point(ERRORS, "checkout", 10L * i, i >= 540 && i < 620 ? 0.5 : 0.0005);
    }

    private static List<String> run(RuleState state, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            RULES.onSample(state, KEY, sample(i), a -> out.add(a.toString()));
        }
        return out;
    }

    /** The rest of the input, then silence: every episode ends. */
    private static List<String> finish(RuleState state) {
        List<String> out = run(state, SPLIT, SAMPLES);
        RULES.onSilence(state, a -> out.add(a.toString()));
        return out;
    }

    /** The fields of this build's {@link Anomaly} that have defaults: each one an older build may have lacked. */
    static Stream<String> defaultedFields() {
        return Anomaly.getClassSchema().getFields().stream().filter(Schema.Field::hasDefaultValue)
                .map(Schema.Field::name);
    }

    private static byte[] write(TypeSerializerSnapshot<?> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return out.getCopyOfBuffer();
    }

    private static <T> TypeSerializerSnapshot<T> read(byte[] bytes) throws Exception {
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(bytes),
                RuleStateFormTest.class.getClassLoader());
    }

    /** The state as a build lacking {@code field} held it: its episodes with that field at its default. */
    private static RuleState lacking(RuleState state, String field) {
        RuleState copy = RuleStateSerializer.INSTANCE.copy(state);
        Schema.Field f = Anomaly.getClassSchema().getField(field);
        Object value = SpecificData.getForClass(Anomaly.class).getDefaultValue(f);
        copy.thresholds.values().forEach(t -> t.episode.put(f.pos(), value));
        copy.slos.values().forEach(s -> s.episode.put(f.pos(), value));
        return copy;
    }

    @ParameterizedTest(name = "Anomaly without {0}")
    @MethodSource("defaultedFields")
    void openEpisodesWrittenWithAnOlderAnomalySchemaRestoreAndContinue(String field) throws Exception {
        RuleState state = new RuleState();
        List<String> before = run(state, 0, SPLIT);
        assertTrue(state.hasOpenEpisode(), "the threshold and SLO episodes are open at the split");
        assertEquals(1, state.thresholds.size());
        assertEquals(1, state.slos.size());
        assertNotNull(state.thresholds.firstEntry().getValue().episode);
        assertNotNull(state.slos.firstEntry().getValue().episode);

        // The older build: its Anomaly schema lacks the field; it writes form 2 and snapshots its schema.
        Schema older = StateSchemaEvolutionTest.without(Anomaly.getClassSchema(), field);
        assertNotEquals(Anomaly.getClassSchema(), older);
        RuleStateSerializer olderBuild = RuleStateSerializer.withEpisodeSchema(RuleStateSerializer.FORM, older);
        DataOutputSerializer bytes = new DataOutputSerializer(4096);
        olderBuild.serialize(state, bytes);
        byte[] olderSnapshot = write(olderBuild.snapshotConfiguration());

        // This build.
        TypeSerializerSnapshot<RuleState> snapshot = read(olderSnapshot);
        assertEquals(older, assertInstanceOf(RuleStateSerializerSnapshot.class, snapshot).episodeSchema());
        TypeSerializerSchemaCompatibility<RuleState> compatibility =
                RuleStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(snapshot);
        assertTrue(compatibility.isCompatibleAfterMigration(), compatibility.toString());
        RuleState restored = snapshot.restoreSerializer()
                .deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));

        RuleState expected = lacking(state, field);
        assertEquals(expected.lastSeen, restored.lastSeen);
        assertEquals(expected.thresholds.firstEntry().getValue().breachSince,
                restored.thresholds.firstEntry().getValue().breachSince);
        assertEquals(String.valueOf(expected.thresholds.firstEntry().getValue().episode),
                String.valueOf(restored.thresholds.firstEntry().getValue().episode));
        assertEquals(String.valueOf(expected.slos.firstEntry().getValue().episode),
                String.valueOf(restored.slos.firstEntry().getValue().episode));
        for (SloRule.Condition c : SloRule.CONDITIONS) {
            assertEquals(expected.slos.firstEntry().getValue().windows.ratio(c.longMinutes()),
                    restored.slos.firstEntry().getValue().windows.ratio(c.longMinutes()), c.windows());
        }

        // The episodes continue and close exactly as the older build's state would have.
        List<String> after = finish(restored);
        assertEquals(finish(expected), after);
        for (RuleState.Threshold t : state.thresholds.values()) {
            assertTrue(after.stream().anyMatch(a -> a.contains(t.episode.getId()) && !a.contains("\"end\": null")),
                    "the threshold episode closes: " + after);
        }
        for (RuleState.Slo s : state.slos.values()) {
            assertTrue(after.stream().anyMatch(a -> a.contains(s.episode.getId()) && !a.contains("\"end\": null")),
                    "the SLO episode closes: " + after);
        }
        if (field.equals("end")) {
            // An open episode's 'end' is its default: nothing of the episode was lost, the run is the same.
            RuleState uninterrupted = new RuleState();
            List<String> straight = run(uninterrupted, 0, SAMPLES);
            RULES.onSilence(uninterrupted, a -> straight.add(a.toString()));
            List<String> resumed = new ArrayList<>(before);
            resumed.addAll(after);
            assertEquals(straight, resumed);
        }
        // Written again by this build: its own schema, as is.
        DataOutputSerializer again = new DataOutputSerializer(4096);
        RuleStateSerializer.INSTANCE.serialize(restored, again);
        RuleState reread = RuleStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(again.getCopyOfBuffer()));
        assertEquals(restored.slos.firstEntry().getValue().episode, reread.slos.firstEntry().getValue().episode);
    }

    private static Schema anomaly(List<Schema.Field> fields) {
        List<Schema.Field> copies = new ArrayList<>();
        for (Schema.Field f : fields) {
            copies.add(new Schema.Field(f, f.schema()));
        }
        return Schema.createRecord("Anomaly", null, "io.sift.schema", false, copies);
    }

    @Test
    void aLaterSchemaReadsAndOneLackingARequiredFieldIsRefusedWithTheReason() throws Exception {
        // A later build's episodes with a field this build lacks (a rollback): the field is skipped.
        List<Schema.Field> fields = new ArrayList<>(Anomaly.getClassSchema().getFields());
        fields.add(new Schema.Field("severity", Schema.create(Schema.Type.STRING), "added without a default"));
        TypeSerializerSnapshot<RuleState> later = read(write(new RuleStateSerializerSnapshot(anomaly(fields))));
        assertTrue(RuleStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(later)
                .isCompatibleAfterMigration());
        // Episodes without the required 'score' (no default): this build cannot fill it in.
        List<Schema.Field> noScore = Anomaly.getClassSchema().getFields().stream()
                .filter(f -> !f.name().equals("score")).toList();
        TypeSerializerSnapshot<RuleState> old = read(write(new RuleStateSerializerSnapshot(anomaly(noScore))));
        assertTrue(RuleStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old).isIncompatible(),
                "episodes without the required 'score' cannot be read");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> old.restoreSerializer().deserialize(new DataInputDeserializer(new byte[] {0, 0, 0, 1, 0})));
        assertTrue(e.getMessage().contains("score"), e.getMessage());
    }

    /**
     * Form 1 was the hazard: an episode in Java serial form names the {@link Anomaly} class with its schema
     * fingerprint as serial id, so another schema's class refuses it. Such a savepoint is refused with what to do.
     */
    @Test
    void form1WithAnotherAnomalySchemaIsRefusedWithWhatToDo() {
        RuleState state = new RuleState();
        run(state, 0, SPLIT);
        byte[] bytes = state.toBytes();
        assertNotNull(RuleState.fromBytes(bytes).thresholds.firstEntry().getValue().episode, "the same schema reads");
        // The bytes an Anomaly class of another schema wrote: another serial id after the class name.
        long id = ObjectStreamClass.lookup(Anomaly.class).getSerialVersionUID();
        byte[] name = Anomaly.class.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = indexOf(bytes, name) + name.length;
        assertEquals(id, ByteBuffer.wrap(bytes, at, 8).getLong(), "the serial id follows the class name");
        ByteBuffer.wrap(bytes, at, 8).putLong(id + 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RuleState.fromBytes(bytes));
        assertTrue(e.getMessage().contains("form 2") && e.getMessage().contains("savepoint"), e.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    // ---- the detector operator, an older build's savepoint ----

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> olderBuild(Schema schema)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(StateFixtures.detector().withEpisodeSchema(schema)),
                p -> p.getName() + "|" + p.getResource().getService(), Types.STRING);
    }

    /**
     * The detector of a build whose {@link Anomaly} lacks {@code end} (a field added later with a default, the value of
     * every open episode) snapshots open threshold and SLO episodes; this build restores them, on the heap and on
     * RocksDB (where Flink rewrites the state in this build's schema), and continues exactly as an uninterrupted run.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void theDetectorRestoresAnOlderSchemasOpenEpisodesAndContinues(String backendName) throws Exception {
        StateBackend backend = backendName.equals("rocksdb") ? new EmbeddedRocksDBStateBackend(true)
                : new HashMapStateBackend();
        Schema older = StateSchemaEvolutionTest.without(Anomaly.getClassSchema(), "end");
        var c = StateFixtures.DETECTOR;
        var olderCase = new StateFixtures.OneInputCase<>("detect-metrics-older-anomaly", () -> olderBuild(older),
                StateFixtures::detectorInput, c.split(), c.end());
        StateFixtures.Snapshot split = StateFixtures.snapshotAtSplit(olderCase, backend);
        List<String> open = split.outputs().stream().filter(o -> o.contains(ThresholdRule.DETECTOR)
                || o.contains(SloRule.DETECTOR)).toList();
        assertTrue(open.stream().anyMatch(o -> o.contains(ThresholdRule.DETECTOR)), "a threshold episode opened");
        assertTrue(open.stream().anyMatch(o -> o.contains(SloRule.DETECTOR)), "an SLO episode opened");
        assertTrue(open.stream().allMatch(o -> o.contains("\"end\": null")), "still open at the split: " + open);

        List<String> resumed = new ArrayList<>(split.outputs());
        List<String> after;
        try (var harness = StateFixtures.open(c, backend, split.state())) {
            StateFixtures.run(c, harness, c.split(), c.input().size());
            StateFixtures.finish(c, harness);
            after = c.outputs(harness);
        }
        resumed.addAll(after);
        assertEquals(StateFixtures.uninterrupted(c, null), resumed);
        assertFalse(after.stream().filter(o -> o.contains(SloRule.DETECTOR) && !o.contains("\"end\": null")).toList()
                .isEmpty(), "the SLO episode closes after the restore");
    }

    @Test
    void theCurrentSchemaIsCompatibleAsIsAndForm1StillReads() throws Exception {
        assertTrue(RuleStateSerializer.INSTANCE.snapshotConfiguration()
                .resolveSchemaCompatibility(read(write(RuleStateSerializer.INSTANCE.snapshotConfiguration())))
                .isCompatibleAsIs());
        RuleState state = new RuleState();
        run(state, 0, SPLIT);
        RuleState same = RuleStateSerializer.INSTANCE.copy(state);
        byte[] form1 = state.toBytes();
        DataOutputSerializer framed = new DataOutputSerializer(form1.length + 4);
        framed.writeInt(form1.length);
        framed.write(form1);
        RuleState read = RuleStateSerializer.INSTANCE.reading(1)
                .deserialize(new DataInputDeserializer(framed.getCopyOfBuffer()));
        assertNull(read.thresholds.firstEntry().getValue().episode.getEnd());
        assertEquals(finish(same), finish(read));
    }
}
