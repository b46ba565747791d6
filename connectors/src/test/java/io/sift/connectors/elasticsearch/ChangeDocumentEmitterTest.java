package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sift.core.change.ChangeOutcome;
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

    /** The change's first outcome version: pending. */
    static ChangeOutcome pending(ChangeEvent change) {
        ChangeOutcome outcome = new ChangeOutcome();
        outcome.change = change;
        outcome.environment = change.getEnvironment();
        outcome.outcome = ChangeOutcome.Outcome.PENDING;
        outcome.version = 1;
        outcome.updatedAt = change.getTime().toEpochMilli();
        return outcome;
    }

    /** A fully populated outcome: implicated by two incidents. */
    static ChangeOutcome sampleOutcome(String id) {
        ChangeOutcome outcome = pending(sample(id));
        outcome.outcome = ChangeOutcome.Outcome.IMPLICATED;
        outcome.version = 3;
        outcome.team = "data-platform";
        outcome.incidentIds = java.util.List.of("inc-1", "inc-2");
        outcome.incidentCount = 2;
        outcome.minutesToIncident = 4.5;
        outcome.bestRank = 1;
        outcome.updatedAt = Instant.parse("2026-11-24T10:20:00Z").toEpochMilli();
        return outcome;
    }

    @Test
    void indexAndIdComeFromTheChangeAndTheVersionFromTheOutcome() {
        IndexRequestEntry entry = emitter.toRequest(sampleOutcome("chg-42"));
        assertEquals("sift-changes-2026.11", entry.index());
        assertEquals(ChangeOutcome.documentId("prod", "chg-42"), entry.id(), "environment and change id");
        assertEquals("chg-b3997db707f6eb6e280e", entry.id(), "the same id in every build: replays overwrite, never duplicate");
        assertTrue(entry.hasExternalVersion(), "a pending replayed after implicated must not overwrite it");
        assertEquals(3, entry.externalVersion());

        ChangeEvent lateInMonth = sample("chg-43");
        lateInMonth.setTime(Instant.parse("2026-12-31T23:59:59.999Z"));
        assertEquals("sift-changes-2026.12", emitter.toRequest(pending(lateInMonth)).index(), "month in UTC");
        assertEquals("sift-changes-staging-2026.11",
                new ChangeDocumentEmitter("sift-changes-staging-").toRequest(pending(sample("c"))).index());
        assertThrows(IllegalArgumentException.class, () -> new ChangeDocumentEmitter(""));
    }

    @Test
    void theSameChangeIdInTwoEnvironmentsIsTwoDocumentsEachWithItsOwnVersion() throws Exception {
        ChangeOutcome prod = sampleOutcome("4f2a9c1");
        ChangeEvent stagingChange = sample("4f2a9c1");
        stagingChange.setEnvironment("staging");
        ChangeOutcome staging = pending(stagingChange);
        IndexRequestEntry inProd = emitter.toRequest(prod);
        IndexRequestEntry inStaging = emitter.toRequest(staging);
        assertNotEquals(inProd.id(), inStaging.id(), "a commit deployed to staging and prod: two changes");
        assertEquals(3, inProd.externalVersion());
        assertEquals(1, inStaging.externalVersion(), "staging's own version, not blocked by prod's higher one");
        assertEquals("staging", JSON.readTree(inStaging.source()).at("/service/environment").asText());
        assertEquals("4f2a9c1", JSON.readTree(inStaging.source()).at("/sift/id").asText());

        ChangeOutcome unresolved = pending(sample("chg-3"));
        unresolved.environment = null;
        assertThrows(IllegalStateException.class, () -> emitter.toRequest(unresolved));
    }

    @Test
    void pendingAndCleanCarryTheirOutcomeAndFailedOnlyOnceDecided() throws Exception {
        JsonNode pending = JSON.readTree(emitter.toRequest(pending(sample("chg-7"))).source());
        assertEquals("PENDING", pending.at("/sift/change/outcome").asText());
        assertTrue(pending.at("/sift/change/failed").isMissingNode(), "pending is not counted in the failure rate");
        assertTrue(pending.at("/sift/change/incident_ids").isMissingNode());
        assertTrue(pending.at("/sift/change/minutes_to_incident").isMissingNode());
        assertEquals(0, pending.at("/sift/change/incident_count").asInt(-1));

        ChangeOutcome clean = pending(sample("chg-7"));
        clean.outcome = ChangeOutcome.Outcome.CLEAN;
        clean.version = 2;
        JsonNode doc = JSON.readTree(emitter.toRequest(clean).source());
        assertEquals("CLEAN", doc.at("/sift/change/outcome").asText());
        assertEquals(0, doc.at("/sift/change/failed").asInt(-1));
        assertEquals(2, doc.at("/sift/change/version").asInt());
        assertEquals("deploy orders-db 1.8.2", doc.at("/sift/summary").asText(), "the whole change, every version");
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
                        + "\"change_request\":\"CHG0012345\","
                        + "\"change\":{\"outcome\":\"IMPLICATED\",\"failed\":1,\"team\":\"data-platform\","
                        + "\"incident_ids\":[\"inc-1\",\"inc-2\"],\"incident_count\":2,\"minutes_to_incident\":4.5,"
                        + "\"best_rank\":1,\"updated_at\":\"2026-11-24T10:20:00.000Z\",\"version\":3}}}",
                emitter.toRequest(sampleOutcome("chg-42")).sourceAsString());
    }

    @Test
    void attributeOrderDoesNotChangeTheBytes() {
        ChangeEvent a = sample("chg-1");
        ChangeEvent b = sample("chg-1");
        Map<String, String> reversed = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(a.getAttributes());
        b.setAttributes(new HashMap<>(reversed));
        assertArrayEquals(emitter.toRequest(pending(a)).source(), emitter.toRequest(pending(b)).source());
    }

    @Test
    void optionalFieldsAreLeftOut() throws Exception {
        ChangeEvent change = sample("chg-2");
        change.setEnvironment(null);
        change.setAuthor(null);
        change.setChangeRequest(null);
        change.setAttributes(Map.of());
        ChangeOutcome outcome = pending(change);
        outcome.environment = "prod"; // the default environment, as ChangeOutcomes resolves it
        JsonNode doc = JSON.readTree(emitter.toRequest(outcome).source());
        assertEquals("prod", doc.at("/service/environment").asText(), "a change naming none is the default's");
        assertTrue(doc.at("/user").isMissingNode());
        assertTrue(doc.at("/labels").isMissingNode());
        assertTrue(doc.at("/sift/change_request").isMissingNode());
        assertEquals("orders-db", doc.at("/service/name").asText());
    }
}
