package io.sift.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The fingerprints and canonical forms {@code sift schemas} prints are the ones single-object encoding writes. */
class SchemaContractTest {

    @Test
    void theCurrentFingerprintIsTheOneEveryEncodedRecordCarries() throws Exception {
        Map<String, SchemaContract.Entry> current = new HashMap<>();
        SchemaContract.entries().stream().filter(e -> e.version().equals(SchemaContract.CURRENT))
                .forEach(e -> current.put(e.name(), e));
        assertEquals(Set.copyOf(SiftSchemas.FILES), current.keySet());
        for (SpecificRecord record : SampleRecords.all().values()) {
            String name = record.getSchema().getName();
            if (!current.containsKey(name)) {
                continue; // a nested sample (e.g. Resource on its own is in every file)
            }
            @SuppressWarnings("unchecked")
            BinaryMessageEncoder<SpecificRecord> encoder = new BinaryMessageEncoder<>(
                    SpecificData.getForClass(record.getClass()), record.getSchema());
            ByteBuffer bytes = encoder.encode(record);
            byte[] header = new byte[10];
            bytes.get(header);
            assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOf(header, 2));
            StringBuilder hex = new StringBuilder();
            for (int i = 2; i < 10; i++) {
                hex.append(String.format("%02X", header[i]));
            }
            assertEquals(current.get(name).fingerprint(), hex.toString(), name);
        }
    }

    @Test
    void theCanonicalFormKeepsALogicalTypeAsItsUnderlyingType() {
        String metricPoint = SchemaContract.entries().stream()
                .filter(e -> e.name().equals("MetricPoint") && e.version().equals(SchemaContract.CURRENT))
                .findFirst().orElseThrow().canonicalForm();
        assertTrue(metricPoint.startsWith("{\"name\":\"io.sift.schema.MetricPoint\",\"type\":\"record\","
                + "\"fields\":[{\"name\":\"time\",\"type\":\"long\"}"), metricPoint);
        assertFalse(metricPoint.contains("logicalType") || metricPoint.contains("doc") || metricPoint.contains("default"));
    }

    @Test
    void everyFileUsesOnlyTypesDefinedByEarlierFiles() {
        List<SchemaContract.FileOrder> order = SchemaContract.resolutionOrder();
        Set<String> defined = new HashSet<>();
        for (SchemaContract.FileOrder file : order) {
            for (String used : file.uses()) {
                assertTrue(defined.contains(used), file.file() + " uses " + used);
            }
            defined.addAll(file.defines());
        }
        SchemaContract.FileOrder anomaly = order.stream().filter(f -> f.file().equals("Anomaly.avsc")).findFirst()
                .orElseThrow();
        assertTrue(anomaly.defines().contains("io.sift.schema.Direction"), anomaly.toString());
        assertTrue(anomaly.uses().contains("io.sift.schema.Resource"), anomaly.toString());
        assertEquals("Resource.avsc", order.get(0).file());
    }
}
