package io.sift.connectors.itsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.TestData;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import org.junit.jupiter.api.Test;

class IncidentEventMappersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Incident open(Priority priority) {
        Incident incident = TestData.incident("inc-1", 4);
        incident.setStatus(IncidentStatus.OPEN);
        incident.setChange(IncidentChange.UPDATED);
        incident.setResolvedAt(null);
        incident.setPriority(priority);
        return incident;
    }

    @Test
    void serviceNowEventIsKeyedByIncidentIdAndBoundToTheTopRootCause() throws Exception {
        JsonNode body = JSON.readTree(ServiceNowEventMapper.toRequestBody(open(Priority.P1)));
        JsonNode event = body.get("records").get(0);

        assertEquals("inc-1", event.get("message_key").asText());
        assertEquals("orders-db", event.get("node").asText());
        assertEquals("db.query.duration.p95", event.get("metric_name").asText(), "metric of the strongest anomaly");
        assertEquals("1", event.get("severity").asText());
        assertEquals("2026-11-24 10:25:34", event.get("time_of_event").asText());
        JsonNode info = JSON.readTree(event.get("additional_info").asText());
        assertEquals(4, info.get("sift_version").asInt());
        assertEquals("CHG0012345", info.get("suspect_changes").asText());
        assertEquals(1, info.get("alert_count").asInt());
        assertEquals("alertmanager/PostgresSlowQueries@orders-db", info.get("alerts").asText());
        assertTrue(info.get("flapping").asBoolean());
        assertEquals("fp-4c1d2e3f4a5b6c7d8e9f", info.get("fingerprint").asText());
        assertEquals("db-cluster{cluster=eu-1}", info.get("group_key").asText());
    }

    @Test
    void resolvedIncidentClearsTheServiceNowAlert() throws Exception {
        JsonNode event = ServiceNowEventMapper.toEvent(TestData.incident("inc-1", 7));
        assertEquals("0", event.get("severity").asText());
        assertEquals(4, ServiceNowEventMapper.severity(open(Priority.P5)));
    }

    @Test
    void pagerDutyTriggersWhileOpenAndResolvesAfter() throws Exception {
        JsonNode trigger = PagerDutyEventMapper.toEvent(open(Priority.P2), "routing-secret");
        assertEquals("trigger", trigger.get("event_action").asText());
        assertEquals("inc-1", trigger.get("dedup_key").asText());
        assertEquals("error", trigger.at("/payload/severity").asText());
        assertEquals("orders-db", trigger.at("/payload/source").asText());
        assertEquals("inc-1", trigger.at("/payload/custom_details/id").asText());

        JsonNode resolve = PagerDutyEventMapper.toEvent(TestData.incident("inc-1", 9), "routing-secret");
        assertEquals("resolve", resolve.get("event_action").asText());
        assertFalse(resolve.has("payload"));
    }

    @Test
    void jsonFormKeepsTheSchemaFieldNamesAndIsoTimes() throws Exception {
        JsonNode node = JSON.readTree(IncidentJson.toBytes(TestData.incident("inc-9", 3)));
        assertEquals("inc-9", node.get("id").asText());
        assertEquals(3, node.get("version").asLong());
        assertEquals("2026-11-24T10:15:30.250Z", node.get("openedAt").asText());
        assertEquals("CHG0012345", node.at("/suspectChanges/0/changeRequest").asText());
        assertTrue(node.get("mergedInto").isNull());
        assertTrue(node.get("flapping").isBoolean());
        assertEquals("fp-4c1d2e3f4a5b6c7d8e9f", node.get("fingerprint").asText());
        assertEquals("db-cluster{cluster=eu-1}", node.get("groupKey").asText());
        assertEquals(Incident.getClassSchema().getFields().size(), node.size(), "one JSON field per schema field");
    }

    @Test
    void pagerDutyWithoutRoutingKeyIsRefusedAtBuildTime() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new IncidentWebhookConverter(WebhookFormat.PAGERDUTY, " "));
        assertTrue(refused.getMessage().contains("routing key"));
    }
}
