package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

class IncidentDocumentEmitterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final IncidentDocumentEmitter emitter = new IncidentDocumentEmitter();

    @Test
    void indexIdAndVersionComeFromTheIncident() {
        IndexRequestEntry entry = emitter.toRequest(TestData.incident("inc-1", 7));
        assertEquals("sift-incidents-2026.11", entry.index());
        assertEquals("inc-1", entry.id());
        assertTrue(entry.hasExternalVersion());
        assertEquals(7, entry.externalVersion());
    }

    @Test
    void indexMonthIsTheUtcMonthOfOpenedAtForEveryVersion() {
        // 23:30 on Oct 31 at UTC-2 is Nov 1 in UTC.
        Instant opened = Instant.parse("2026-10-31T23:30:00-02:00");
        Incident v1 = TestData.incident("inc-2", 1, opened);
        Incident v9 = TestData.incident("inc-2", 9, opened);
        assertEquals("sift-incidents-2026.11", emitter.toRequest(v1).index());
        assertEquals(emitter.toRequest(v1).index(), emitter.toRequest(v9).index());
        assertEquals(
                "sift-incidents-2026.10",
                emitter.toRequest(TestData.incident("inc-3", 1, Instant.parse("2026-10-31T23:59:59.999Z")))
                        .index());
        assertEquals(
                "sift-incidents-staging-2026.11",
                new IncidentDocumentEmitter("sift-incidents-staging-").toRequest(v1).index());
    }

    @Test
    void documentIsEcsShaped() throws Exception {
        JsonNode doc = JSON.readTree(emitter.toRequest(TestData.incident("inc-1", 7)).source());
        assertEquals("2026-11-24T10:25:37.250Z", doc.get("@timestamp").asText()); // updatedAt
        assertEquals("alert", doc.at("/event/kind").asText());
        assertEquals("sift", doc.at("/event/module").asText());
        assertEquals("sift.incidents", doc.at("/event/dataset").asText());
        assertEquals("2026-11-24T10:15:30.250Z", doc.at("/event/start").asText());
        assertEquals("2026-11-24T10:25:30.250Z", doc.at("/event/end").asText());
        assertEquals(600_000_000_000L, doc.at("/event/duration").asLong());
        assertEquals("orders-db", doc.at("/service/name").asText(), "top root cause");
        assertEquals("prod", doc.at("/service/environment").asText());
        assertEquals(JsonDocument.ECS_VERSION, doc.at("/ecs/version").asText());

        JsonNode sift = doc.get("sift");
        assertEquals("inc-1", sift.get("id").asText());
        assertEquals(7, sift.get("version").asLong());
        assertEquals("RESOLVED", sift.get("status").asText());
        assertEquals("RESOLVED", sift.get("change").asText());
        assertEquals("P2", sift.get("priority").asText());
        assertEquals(93.5, sift.get("peak_score").asDouble());
        assertEquals(3, sift.get("anomaly_count").asInt());
        assertEquals(17, sift.get("anomaly_updates").asInt());
        assertEquals("[\"checkout\",\"orders\",\"orders-db\"]", sift.get("services").toString());
        assertFalse(sift.has("merged_into"), "null fields are left out");
        assertTrue(sift.get("flapping").asBoolean());
        assertEquals("fp-4c1d2e3f4a5b6c7d8e9f", sift.get("fingerprint").asText());
        assertEquals("db-cluster{cluster=eu-1}", sift.get("group_key").asText());
        assertEquals("an-2", sift.at("/anomalies/1/id").asText());
        assertEquals("UP", sift.at("/anomalies/0/direction").asText());
        assertEquals(1, sift.at("/root_causes/0/rank").asInt());
        assertEquals("chg-42", sift.at("/root_causes/0/changes/0").asText());
        assertEquals("earliest onset", sift.at("/root_causes/0/reasons/0").asText());
        assertEquals("CHG0012345", sift.at("/suspect_changes/0/change_request").asText());
        assertEquals("2026-11-24T10:13:30.250Z", sift.at("/suspect_changes/0/time").asText());
        assertEquals(1, sift.get("alert_count").asInt());
        assertEquals("PostgresSlowQueries", sift.at("/alerts/0/name").asText());
        assertEquals("alertmanager", sift.at("/alerts/0/source").asText());
        assertEquals("orders-db", sift.at("/alerts/0/service").asText());
        assertFalse(sift.at("/alerts/0/firing").asBoolean());
        assertEquals("2026-11-24T10:24:30.250Z", sift.at("/alerts/0/ends_at").asText());
    }

    @Test
    void aVersionWrittenBeforeFingerprintsAndGroupsHasNeither() throws Exception {
        Incident old = TestData.incident("inc-5", 1);
        old.setFingerprint("");
        old.setGroupKey(null);
        old.setFlapping(false);
        JsonNode sift = JSON.readTree(emitter.toRequest(old).source()).get("sift");
        assertFalse(sift.has("fingerprint"), "an empty fingerprint is not indexed");
        assertFalse(sift.has("group_key"));
        assertFalse(sift.get("flapping").asBoolean());
    }

    @Test
    void openIncidentHasNoEndAndServiceFallsBackToTheFirstAffectedService() throws Exception {
        Incident open = TestData.incident("inc-4", 1);
        open.setStatus(IncidentStatus.OPEN);
        open.setResolvedAt(null);
        open.setRootCauses(List.of());
        JsonNode doc = JSON.readTree(emitter.toRequest(open).source());
        assertTrue(doc.at("/event/end").isMissingNode());
        assertTrue(doc.at("/event/duration").isMissingNode());
        assertEquals("checkout", doc.at("/service/name").asText());
    }

    @Test
    void outputIsDeterministicCompactAndSurvivesSerialization() throws Exception {
        byte[] first = emitter.toRequest(TestData.incident("inc-1", 7)).source();
        byte[] second = emitter.toRequest(TestData.incident("inc-1", 7)).source();
        assertArrayEquals(first, second);
        String text = new String(first, StandardCharsets.UTF_8);
        assertFalse(text.contains("\n"), "bulk bodies need one line per document");
        assertTrue(text.startsWith("{\"@timestamp\":"), text);

        IncidentDocumentEmitter copy = roundTrip(emitter);
        assertEquals(emitter.toRequest(TestData.incident("inc-1", 7)), copy.toRequest(TestData.incident("inc-1", 7)));
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
