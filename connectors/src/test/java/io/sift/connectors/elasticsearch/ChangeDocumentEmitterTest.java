package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

class ChangeDocumentEmitterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChangeDocumentEmitter emitter = new ChangeDocumentEmitter();

    /** A fully populated change event. */
    static ChangeEvent sample(String id) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("version", "1.8.2");
        attributes.put("commit", "4f2a9c1");
        return ChangeEvent.newBuilder()
                .setId(id)
                .setTime(Instant.parse("2026-11-24T10:13:30.250Z"))
                .setType(ChangeType.DEPLOY)
                .setConfigurationItem("orders-db")
                .setEnvironment("prod")
                .setAuthor("deploy-pipeline")
                .setSummary("deploy orders-db 1.8.2")
                .setChangeRequest("CHG0012345")
                .setAttributes(attributes)
                .build();
    }

    @Test
    void indexAndIdComeFromTheChangeWithoutVersion() {
        IndexRequestEntry entry = emitter.toRequest(sample("chg-42"));
        assertEquals("sift-changes-2026.11", entry.index());
        assertEquals("chg-42", entry.id());
        assertFalse(entry.hasExternalVersion(), "a repeat of a change rewrites the same document");

        ChangeEvent lateInMonth = sample("chg-43");
        lateInMonth.setTime(Instant.parse("2026-12-31T23:59:59.999Z"));
        assertEquals("sift-changes-2026.12", emitter.toRequest(lateInMonth).index(), "month in UTC");
        assertEquals("sift-changes-staging-2026.11",
                new ChangeDocumentEmitter("sift-changes-staging-").toRequest(sample("c")).index());
        assertThrows(IllegalArgumentException.class, () -> new ChangeDocumentEmitter(""));
    }

    @Test
    void exactDocument() {
        assertEquals(
                "{\"@timestamp\":\"2026-11-24T10:13:30.250Z\","
                        + "\"ecs\":{\"version\":\"" + JsonDocument.ECS_VERSION + "\"},"
                        + "\"event\":{\"kind\":\"event\",\"category\":[\"configuration\"],\"type\":[\"change\"],"
                        + "\"module\":\"sift\",\"dataset\":\"sift.changes\"},"
                        + "\"service\":{\"name\":\"orders-db\",\"environment\":\"prod\"},"
                        + "\"user\":{\"name\":\"deploy-pipeline\"},"
                        + "\"labels\":{\"commit\":\"4f2a9c1\",\"version\":\"1.8.2\"},"
                        + "\"sift\":{\"id\":\"chg-42\",\"type\":\"DEPLOY\",\"summary\":\"deploy orders-db 1.8.2\","
                        + "\"change_request\":\"CHG0012345\"}}",
                emitter.toRequest(sample("chg-42")).sourceAsString());
    }

    @Test
    void attributeOrderDoesNotChangeTheBytes() {
        ChangeEvent a = sample("chg-1");
        ChangeEvent b = sample("chg-1");
        Map<String, String> reversed = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(a.getAttributes());
        b.setAttributes(new HashMap<>(reversed));
        assertArrayEquals(emitter.toRequest(a).source(), emitter.toRequest(b).source());
    }

    @Test
    void optionalFieldsAreLeftOut() throws Exception {
        ChangeEvent change = sample("chg-2");
        change.setEnvironment(null);
        change.setAuthor(null);
        change.setChangeRequest(null);
        change.setAttributes(Map.of());
        JsonNode doc = JSON.readTree(emitter.toRequest(change).source());
        assertTrue(doc.at("/service/environment").isMissingNode());
        assertTrue(doc.at("/user").isMissingNode());
        assertTrue(doc.at("/labels").isMissingNode());
        assertTrue(doc.at("/sift/change_request").isMissingNode());
        assertEquals("orders-db", doc.at("/service/name").asText());
    }
}
