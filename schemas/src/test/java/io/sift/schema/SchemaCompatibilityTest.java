package io.sift.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every current schema stays readable by, and can read, every released version: a breaking change fails here. */
class SchemaCompatibilityTest {

    @TestFactory
    List<DynamicTest> currentSchemasAreFullyCompatibleWithEveryReleasedVersion() {
        assertFalse(SiftSchemas.releasedVersions().isEmpty(), "released/versions.txt lists no version");
        List<DynamicTest> tests = new ArrayList<>();
        for (String version : SiftSchemas.releasedVersions()) {
            for (String name : SiftSchemas.FILES) {
                if (!SiftSchemas.isReleased(version, name)) {
                    continue; // added since: nothing released to be compatible with
                }
                tests.add(DynamicTest.dynamicTest(name + " vs " + version, () -> {
                    Schema current = SiftSchemas.current(name);
                    Schema released = SiftSchemas.released(version, name);
                    assertCompatible(current, released, "a new reader must read records of " + version);
                    assertCompatible(released, current, "a " + version + " reader must read new records");
                }));
            }
        }
        return tests;
    }

    @Test
    void generatedClassesMatchTheSchemaFiles() {
        // Single-object encoding identifies a schema by its parsing-form fingerprint: stale generated code shows here.
        for (Class<?> generated : new Class<?>[] {Incident.class, MetricPoint.class, LogRecord.class, Anomaly.class,
                ChangeEvent.class, TopologyUpdate.class, DeadLetter.class, SloStatus.class, ServiceHealth.class,
                Problem.class, ItsmUpdate.class, Alert.class}) {
            Schema fromClass = SpecificData.get().getSchema(generated);
            assertEquals(SchemaNormalization.parsingFingerprint64(SiftSchemas.current(fromClass.getName())),
                    SchemaNormalization.parsingFingerprint64(fromClass), generated.getSimpleName());
        }
    }

    @Test
    void aRemovedRequiredFieldIsDetectedAsIncompatible() {
        // Guards the guard: the check must be able to fail.
        Schema current = SiftSchemas.current("ChangeEvent");
        Schema withoutDefault = new Schema.Parser().parse(current.toString().replace(
                "{\"name\":\"summary\",\"type\":\"string\"", "{\"name\":\"summaryText\",\"type\":\"string\""));
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(withoutDefault, current).getType());
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                () -> what + ": " + result.getResult().getIncompatibilities());
    }
}
