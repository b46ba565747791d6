package io.sift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Round trips and old-writer / new-reader decoding through Avro single-object encoding, for every schema. */
class SingleObjectEncodingTest {

    @TestFactory
    List<DynamicTest> everyRecordRoundTrips() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, SpecificRecord> sample : SampleRecords.all().entrySet()) {
            tests.add(DynamicTest.dynamicTest(sample.getKey(), () -> {
                SpecificRecord record = sample.getValue();
                ByteBuffer bytes = encode(record);
                SpecificRecord decoded = SiftSchemas.decoderFor(record.getClass()).decode(bytes);
                assertEquals(record, decoded);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> recordsOfAnOlderWriterDecodeWithDefaults() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, SpecificRecord> sample : SampleRecords.all().entrySet()) {
            tests.add(DynamicTest.dynamicTest(sample.getKey(), () -> {
                SpecificRecord record = sample.getValue();
                Schema current = record.getSchema();
                Schema older = withoutDefaultedFields(current);
                assertFalse(older.getFields().size() == current.getFields().size() && hasDefaulted(current),
                        "the older writer must lack a field");

                GenericRecord asOlder = rewrite(record, older);
                ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(asOlder);
                BinaryMessageDecoder<? extends SpecificRecord> decoder = SiftSchemas.decoderFor(record.getClass());
                decoder.addSchema(older);
                SpecificRecord decoded = decoder.decode(bytes);

                for (Schema.Field field : current.getFields()) {
                    Object expected = older.getField(field.name()) != null
                            ? record.get(field.pos())
                            : SpecificData.getForClass(record.getClass()).getDefaultValue(field);
                    assertEquals(expected, decoded.get(field.pos()), field.name());
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> recordsOfEveryReleasedVersionDecode() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String version : SiftSchemas.releasedVersions()) {
            for (Map.Entry<String, SpecificRecord> sample : SampleRecords.all().entrySet()) {
                if (!SiftSchemas.releasedNames(version).contains(sample.getKey())) {
                    continue; // a schema added after that release
                }
                tests.add(DynamicTest.dynamicTest(sample.getKey() + " written by " + version, () -> {
                    SpecificRecord record = sample.getValue();
                    Schema released = SiftSchemas.released(version, sample.getKey());
                    GenericRecord old = rewrite(record, released);
                    ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released).encode(old);
                    SpecificRecord decoded = SiftSchemas.decoderFor(record.getClass()).decode(bytes);
                    for (Schema.Field field : released.getFields()) {
                        assertEquals(record.get(record.getSchema().getField(field.name()).pos()),
                                decoded.get(decoded.getSchema().getField(field.name()).pos()), field.name());
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void anUnknownSchemaFingerprintIsReportedNotGuessed() {
        Schema stranger = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Stranger\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericRecord record = new GenericData.Record(stranger);
        record.put("x", 1);
        ByteBuffer bytes = encodeGeneric(record, stranger);
        assertThrows(MissingSchemaException.class, () -> SiftSchemas.decoderFor(MetricPoint.class).decode(bytes));
    }

    private static ByteBuffer encode(SpecificRecord record) throws Exception {
        @SuppressWarnings("unchecked")
        BinaryMessageEncoder<SpecificRecord> encoder = new BinaryMessageEncoder<>(
                SpecificData.getForClass(record.getClass()), record.getSchema());
        return encoder.encode(record);
    }

    private static ByteBuffer encodeGeneric(GenericRecord record, Schema schema) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The record as a writer with schema {@code target} would have written it (Avro schema resolution). */
    private static GenericRecord rewrite(SpecificRecord record, Schema target) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForClass(record.getClass()))
                .write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(record.getSchema(), target)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static boolean hasDefaulted(Schema schema) {
        return schema.getFields().stream().anyMatch(Schema.Field::hasDefaultValue);
    }

    private static Schema withoutDefaultedFields(Schema schema) {
        List<Schema.Field> kept = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (!field.hasDefaultValue()) {
                kept.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }
}
