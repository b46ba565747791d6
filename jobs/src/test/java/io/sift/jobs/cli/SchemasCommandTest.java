package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.schema.SchemaContract;
import io.sift.schema.SiftSchemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 13, item 5: {@code sift schemas} prints what a client needs, and the Kafka README says the same. */
class SchemasCommandTest {

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, SiftCli.commandLine().execute(args));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonListsEverySchemaOfEveryVersionWithItsFingerprintAndCanonicalFormAndTheResolutionOrder() throws Exception {
        JsonNode json = new ObjectMapper().readTree(run("schemas", "--json"));
        assertEquals(SchemaContract.entries().size(), json.get("schemas").size());
        int current = 0;
        for (JsonNode schema : json.get("schemas")) {
            assertTrue(schema.get("fingerprint").asText().matches("[0-9A-F]{16}"), schema.toString());
            assertTrue(schema.get("canonicalForm").asText().startsWith("{\"name\":\"io.sift.schema."), schema.toString());
            current += schema.get("version").asText().equals("current") ? 1 : 0;
        }
        assertEquals(SiftSchemas.FILES.size(), current);
        assertEquals(SiftSchemas.FILES.size(), json.get("resolutionOrder").size());
        assertEquals("Resource.avsc", json.get("resolutionOrder").get(0).get("file").asText());
    }

    @Test
    void theKafkaReadmeGivesEveryFingerprintAndTheResolutionOrder() throws Exception {
        String readme = Files.readString(Path.of("..", "deploy", "kafka", "README.md"));
        for (SchemaContract.Entry entry : SchemaContract.entries()) {
            assertTrue(readme.contains("`" + entry.fingerprint() + "`"), () -> entry.name() + " " + entry.version()
                    + " fingerprint " + entry.fingerprint() + " missing from deploy/kafka/README.md");
        }
        int at = 0;
        for (SchemaContract.FileOrder file : SchemaContract.resolutionOrder()) {
            int found = readme.indexOf("| " + file.position() + " | " + file.file() + " |", at);
            assertTrue(found > at, () -> file.file() + " in the README's resolution order, at " + file.position());
            at = found;
        }
    }

    @Test
    void textShowsTheOrderTheEncodingAndTheTable() {
        String text = run("schemas");
        assertTrue(text.contains("Anomaly.avsc") && text.contains("uses io.sift.schema.Resource"), text);
        assertTrue(text.contains("C3 01"), text);
        assertTrue(text.contains("{\"name\":\"io.sift.schema.MetricPoint\",\"type\":\"record\",\"fields\":[{\"name\":"
                + "\"time\",\"type\":\"long\"}"), text);
    }
}
