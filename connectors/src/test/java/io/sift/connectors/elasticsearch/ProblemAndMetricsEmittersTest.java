package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import org.junit.jupiter.api.Test;

class ProblemAndMetricsEmittersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aProblemIsOneVersionedDocumentPerIdInTheMonthOfItsFirstIncident() throws Exception {
        IndexRequestEntry entry = new ProblemDocumentEmitter().toRequest(TestData.problem("prb-1", 4));
        assertEquals("sift-problems-2026.11", entry.index());
        assertEquals("prb-1", entry.id());
        assertEquals(4, entry.externalVersion());
        JsonNode doc = JSON.readTree(entry.source());
        assertEquals(3, doc.at("/sift/incident_ids").size());
        assertEquals("orders-db", doc.at("/service/name").asText());
        assertEquals("false", doc.at("/sift/known_error").asText());
    }

    @Test
    void incidentMetricsCarryTheTimesInMillisecondsAndOmitWhatIsNotKnownYet() throws Exception {
        Incident incident = TestData.incident("inc-7", 5);
        IndexRequestEntry entry = new IncidentMetricsDocumentEmitter().toRequest(incident);
        assertEquals("sift-incident-metrics-2026.11", entry.index());
        assertEquals("inc-7", entry.id());
        assertEquals(5, entry.externalVersion());
        JsonNode doc = JSON.readTree(entry.source());
        assertEquals(20_000, doc.at("/sift/time_to_detect_ms").asLong());
        assertEquals(180_000, doc.at("/sift/time_to_acknowledge_ms").asLong());
        assertEquals(580_000, doc.at("/sift/time_to_resolve_ms").asLong());
        assertEquals("orders-db", doc.at("/sift/root_cause_item").asText());
        assertEquals(17, doc.at("/sift/anomaly_updates").asInt());

        Incident open = Incident.newBuilder(incident).setStatus(IncidentStatus.OPEN).setResolvedAt(null)
                .setAcknowledgedAt(null).setResolvedBy(null).build();
        JsonNode openDoc = JSON.readTree(new IncidentMetricsDocumentEmitter().toRequest(open).source());
        assertFalse(openDoc.at("/sift").has("time_to_resolve_ms"));
        assertFalse(openDoc.at("/sift").has("time_to_acknowledge_ms"));
    }
}
