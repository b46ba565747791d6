package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.change.ChangeOutcomeState;
import io.sift.core.correlate.AnomalyEntry;
import io.sift.core.correlate.CorrelationState;
import io.sift.core.correlate.IncidentState;
import io.sift.core.detect.SeriesState;
import io.sift.core.logs.MinedTemplate;
import io.sift.core.logs.TemplateMinerState;
import io.sift.core.logs.TemplateRateState;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.TopologyUpdate;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema evolution of the keyed state types Flink serializes itself, as a changed build meets them: for every POJO
 * state class, state written without one of its fields (the old class) restores into the class with it (a field added
 * later) — "compatible after migration", the other fields kept, the new one at its default; for every Avro record
 * kept in state, data written with the schema lacking a defaulted field restores with the current schema. The byte
 * forms of the detector's model and rules are covered by {@link ByteFormSerializerTest} and the fixtures of
 * {@link StateUpgradeTest}.
 */
class StateSchemaEvolutionTest {

    /** Every POJO kept in keyed state (the state values and the POJOs inside them). */
    static Stream<Class<?>> pojoStateTypes() {
        return Stream.of(SeriesState.class, TemplateMinerState.class, MinedTemplate.class, TemplateRateState.class,
                TemplateRateState.Count.class, TemplateRateState.Active.class, TemplateRateState.Retired.class,
                LogTemplateFunction.NewTemplate.class, CorrelationState.class, IncidentState.class, AnomalyEntry.class,
                LogErrorRate.Count.Acc.class, ChangeOutcomeState.class, ChangeOutcomeState.Naming.class);
    }

    private static byte[] write(TypeSerializerSnapshot<?> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return out.getCopyOfBuffer();
    }

    private static <T> TypeSerializerSnapshot<T> read(byte[] bytes) throws Exception {
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(bytes),
                StateSchemaEvolutionTest.class.getClassLoader());
    }

    /** A value for a field that differs from a fresh instance's (numbers, booleans and strings; others left). */
    private static Object distinct(Field field, Object fresh) {
        Class<?> type = field.getType();
        if (type == long.class) {
            return 7_000_000_000L + (fresh == null ? 0 : (long) fresh);
        } else if (type == int.class) {
            return 41 + (fresh == null ? 0 : (int) fresh);
        } else if (type == double.class) {
            return 2.5 + (fresh == null ? 0 : (double) fresh);
        } else if (type == boolean.class) {
            return !(boolean) fresh;
        } else if (type == String.class) {
            return "value of " + field.getName();
        }
        return null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pojoStateTypes")
    <T> void aPojoStateWrittenWithoutAFieldRestoresIntoTheClassWithIt(Class<T> type) throws Exception {
        PojoTypeInfo<T> info = assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(type),
                type + " must stay a Flink POJO (else Kryo, with no schema evolution)");
        SerializerConfigImpl config = new SerializerConfigImpl();
        PojoSerializer<T> current = (PojoSerializer<T>) info.createSerializer(config);
        T fresh = type.getDeclaredConstructor().newInstance();
        for (int added = 0; added < info.getArity(); added++) {
            // The old class: every field but `added`.
            List<Field> oldFields = new ArrayList<>();
            List<TypeSerializer<?>> oldSerializers = new ArrayList<>();
            for (int i = 0; i < info.getArity(); i++) {
                if (i != added) {
                    oldFields.add(info.getPojoFieldAt(i).getField());
                    oldSerializers.add(info.getPojoFieldAt(i).getTypeInformation().createSerializer(config));
                }
            }
            PojoSerializer<T> old = new PojoSerializer<>(type, oldSerializers.toArray(new TypeSerializer<?>[0]),
                    oldFields.toArray(new Field[0]), config);
            T value = type.getDeclaredConstructor().newInstance();
            for (int i = 0; i < info.getArity(); i++) {
                Field field = info.getPojoFieldAt(i).getField();
                field.setAccessible(true);
                Object v = distinct(field, field.get(fresh));
                if (v != null && !Modifier.isFinal(field.getModifiers())) {
                    field.set(value, v);
                }
            }
            DataOutputSerializer bytes = new DataOutputSerializer(256);
            old.serialize(value, bytes);
            TypeSerializerSnapshot<T> oldSnapshot = read(write(old.snapshotConfiguration()));

            TypeSerializerSchemaCompatibility<T> compatibility =
                    current.snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
            String what = type.getSimpleName() + " gaining " + info.getPojoFieldAt(added).getField().getName();
            assertTrue(compatibility.isCompatibleAfterMigration(), what + ": " + compatibility);
            T restored = oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
            for (int i = 0; i < info.getArity(); i++) {
                Field field = info.getPojoFieldAt(i).getField();
                Object expected = field.get(i == added ? fresh : value);
                assertEquals(String.valueOf(expected), String.valueOf(field.get(restored)),
                        what + ": field " + field.getName());
            }
            // Then written by the current class: the migrated value round-trips with every field.
            DataOutputSerializer rewritten = new DataOutputSerializer(256);
            current.serialize(restored, rewritten);
            T again = current.deserialize(new DataInputDeserializer(rewritten.getCopyOfBuffer()));
            assertEquals(String.valueOf(info.getPojoFieldAt(added).getField().get(restored)),
                    String.valueOf(info.getPojoFieldAt(added).getField().get(again)), what);
        }
    }

    /** Every Avro record kept in state: in the correlator's changes and buffers (alerts too), the topology. */
    static Stream<Object[]> avroStateTypes() {
        return Stream.of(new Object[] {ChangeEvent.class, "changeRequest"}, new Object[] {Anomaly.class, null},
                new Object[] {TopologyUpdate.class, null}, new Object[] {io.sift.schema.Alert.class, "summary"});
    }

    /** The record's schema without the given field (or its last field that has a default). */
    static Schema without(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        Schema.Field dropped = null;
        for (Schema.Field f : schema.getFields()) {
            if (f.name().equals(name) || name == null && f.hasDefaultValue()) {
                dropped = f;
            }
        }
        for (Schema.Field f : schema.getFields()) {
            if (f != dropped) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        assertTrue(dropped != null && dropped.hasDefaultValue(), schema.getName() + " has a field with a default");
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avroStateTypes")
    <T extends org.apache.avro.specific.SpecificRecordBase> void anAvroStateWrittenWithAnOlderSchemaRestores(
            Class<T> type, String field) throws Exception {
        Schema current = type.getDeclaredConstructor().newInstance().getSchema();
        Schema older = without(current, field);
        assertNotEquals(current, older);
        // Old data: a record of the older schema with only its required fields set to something.
        GenericRecord record = new GenericData.Record(older);
        for (Schema.Field f : older.getFields()) {
            record.put(f.name(), f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : sample(f.schema()));
        }
        DataOutputSerializer bytes = new DataOutputSerializer(256);
        new AvroSerializer<>(GenericRecord.class, older).serialize(record, bytes);
        // The snapshot an older build wrote for this class: the class and the schema it wrote with.
        DataOutputSerializer snapshot = new DataOutputSerializer(1024);
        snapshot.writeUTF(AvroSerializerSnapshot.class.getName());
        snapshot.writeInt(new AvroSerializerSnapshot<T>().getCurrentVersion());
        StringUtils.writeString(type.getName(), snapshot);
        StringUtils.writeString(older.toString(false), snapshot);
        TypeSerializerSnapshot<T> oldSnapshot = read(snapshot.getCopyOfBuffer());

        TypeSerializerSchemaCompatibility<T> compatibility =
                new AvroSerializer<>(type).snapshotConfiguration().resolveSchemaCompatibility(oldSnapshot);
        assertTrue(compatibility.isCompatibleAfterMigration(), type.getSimpleName() + ": " + compatibility);
        T restored = oldSnapshot.restoreSerializer().deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        for (Schema.Field f : older.getFields()) {
            Object value = restored.get(f.name());
            // Timestamps: the generic record holds the millis, the specific one an Instant.
            Object normal = value instanceof java.time.Instant instant ? instant.toEpochMilli() : value;
            assertEquals(String.valueOf(record.get(f.name())), String.valueOf(normal), f.name());
        }
    }

    /** A value of a required field's schema. */
    private static Object sample(Schema schema) {
        return switch (schema.getType()) {
            case STRING -> "x";
            case LONG -> 1_700_000_000_000L;
            case INT -> 1;
            case DOUBLE -> 1.5;
            case BOOLEAN -> true;
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
            case MAP -> new java.util.HashMap<String, Object>();
            case ARRAY -> new GenericData.Array<>(0, schema);
            case UNION -> schema.getTypes().get(0).getType() == Schema.Type.NULL ? null : sample(schema.getTypes().get(0));
            case RECORD -> {
                GenericRecord r = new GenericData.Record(schema);
                for (Schema.Field f : schema.getFields()) {
                    r.put(f.name(), f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : sample(f.schema()));
                }
                yield r;
            }
            default -> throw new IllegalArgumentException("no sample for " + schema);
        };
    }
}
