package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON forms of changes and ITSM feedback, on the payloads the tools post. */
class ChangeAndItsmJsonDecoderTest {

    private static final ChangeJsonDecoder CHANGES = new ChangeJsonDecoder(Map.of());
    private static final ItsmJsonDecoder ITSM = new ItsmJsonDecoder(Map.of());

    private static List<ChangeEvent> changes(ChangeJsonDecoder decoder, String json) throws DecodeException {
        List<ChangeEvent> out = new ArrayList<>();
        decoder.decode(json.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static ItsmUpdate update(String json) throws DecodeException {
        List<ItsmUpdate> out = new ArrayList<>();
        ITSM.decode(json.getBytes(StandardCharsets.UTF_8), out);
        assertEquals(1, out.size());
        return out.get(0);
    }

    /** GitHub's deployment_status webhook (abridged), as a webhook relay puts it on Kafka. */
    private static String githubDeploymentStatus(String state) {
        return """
                {"action":"created",
                 "deployment_status":{"id":7001,"state":"%s","environment":"production",
                   "created_at":"2026-12-07T10:00:00Z","updated_at":"2026-12-07T10:02:30Z",
                   "description":"Deployment finished"},
                 "deployment":{"id":42,"sha":"a1b2c3d4","ref":"main","environment":"production",
                   "description":"deploy orders 1.8.2","creator":{"login":"octocat"}},
                 "repository":{"name":"orders","full_name":"acme/orders"},
                 "sender":{"login":"octocat"}}""".formatted(state);
    }

    @Test
    void aSuccessfulGithubDeploymentIsADeployOfTheRepositorysService() throws Exception {
        ChangeEvent change = changes(CHANGES, githubDeploymentStatus("success")).get(0);
        assertEquals("7001", change.getId());
        assertEquals(Instant.parse("2026-12-07T10:02:30Z"), change.getTime(), "when it finished");
        assertEquals(ChangeType.DEPLOY, change.getType());
        assertEquals("orders", change.getConfigurationItem());
        assertEquals("production", change.getEnvironment());
        assertEquals("octocat", change.getAuthor());
        assertEquals("deploy orders 1.8.2", change.getSummary());
        assertEquals("a1b2c3d4", change.getAttributes().get("version"));
        assertNull(change.getChangeRequest());
    }

    @Test
    void aDeploymentStillInProgressIsNoChangeYet() throws Exception {
        assertTrue(changes(CHANGES, githubDeploymentStatus("in_progress")).isEmpty());
        assertTrue(changes(CHANGES, githubDeploymentStatus("queued")).isEmpty());
        assertEquals(1, changes(CHANGES, githubDeploymentStatus("failure")).size(), "a failed deploy changed things");
    }

    @Test
    void aServiceNowChangeRequestIsReadFromItsRecordFields() throws Exception {
        String closed = """
                {"sys_id":"9d385017c611228701d22104cc95c371","number":"CHG0030001","state":"3",
                 "type":"normal","category":"Software","short_description":"Upgrade orders-db to 14.2",
                 "cmdb_ci":{"display_value":"orders-db","value":"b0c25d1bc0a80009"},
                 "work_start":"2026-12-07 09:00:00","work_end":"2026-12-07 09:40:00",
                 "requested_by":{"display_value":"Jane Doe"},"u_environment":"prod"}""";
        ChangeEvent change = changes(CHANGES, closed).get(0);
        assertEquals("9d385017c611228701d22104cc95c371", change.getId());
        assertEquals(Instant.parse("2026-12-07T09:40:00Z"), change.getTime(), "work end, UTC as the REST API gives it");
        assertEquals("orders-db", change.getConfigurationItem());
        assertEquals("CHG0030001", change.getChangeRequest());
        assertEquals("Jane Doe", change.getAuthor());
        assertEquals("prod", change.getEnvironment());
        assertEquals(ChangeType.OTHER, change.getType(), "'normal' and 'Software' say nothing of what changed");
        assertTrue(changes(CHANGES, closed.replace("\"state\":\"3\"", "\"state\":\"-2\"")).isEmpty(), "scheduled");
    }

    @Test
    void aPlainEventGetsAStableIdAndTheFieldMapReplacesCandidates() throws Exception {
        String plain = "{\"service\":\"checkout\",\"version\":\"2.3.1\",\"time\":1765101600,\"type\":\"config\"}";
        ChangeEvent first = changes(CHANGES, plain).get(0);
        assertEquals(first.getId(), changes(CHANGES, plain).get(0).getId(), "a redelivery is the same change");
        assertTrue(first.getId().startsWith("json-"));
        assertEquals(ChangeType.CONFIGURATION, first.getType());
        assertEquals(Instant.ofEpochSecond(1765101600), first.getTime());
        assertEquals("configuration checkout 2.3.1", first.getSummary());

        ChangeJsonDecoder mapped = new ChangeJsonDecoder(Map.of("item", "app.name", "time", "finishedAt"));
        ChangeEvent custom = changes(mapped, "{\"app\":{\"name\":\"cart\"},\"finishedAt\":\"2026-12-07T10:00:00Z\"}")
                .get(0);
        assertEquals("cart", custom.getConfigurationItem());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new ChangeJsonDecoder(Map.of("owner", "x")));
        assertTrue(unknown.getMessage().contains("sift.input.changes.json.fields"), unknown.getMessage());
    }

    @Test
    void aChangeWithoutTimeOrItemOrNotJsonIsRefusedWithTheReason() {
        var noTime = assertThrows(DecodeException.class, () -> changes(CHANGES, "{\"service\":\"orders\"}"));
        assertEquals(ErrorKinds.MALFORMED_JSON, noTime.errorKind());
        assertTrue(noTime.getMessage().startsWith("json change: no time stamp"), noTime.getMessage());
        var noItem = assertThrows(DecodeException.class, () -> changes(CHANGES, "{\"time\":\"2026-12-07T10:00:00Z\"}"));
        assertTrue(noItem.getMessage().contains("no changed service"), noItem.getMessage());
        var notJson = assertThrows(DecodeException.class, () -> changes(CHANGES, "deploy orders"));
        assertTrue(notJson.getMessage().startsWith("json: not JSON"), notJson.getMessage());
    }

    @Test
    void aServiceNowIncidentUpdateBecomesFeedbackByItsStateNumber() throws Exception {
        String resolved = """
                {"sys_id":"a83820b58f723300e7e16c7827bdeed2","number":"INC0010023",
                 "correlation_id":"inc-7e872f9a65e8239f35d9","state":"6","close_notes":"restarted the pod",
                 "assigned_to":{"display_value":"Ann Ops"},"sys_updated_on":"2026-12-07 10:45:00"}""";
        ItsmUpdate update = update(resolved);
        assertEquals("inc-7e872f9a65e8239f35d9", update.getIncidentId());
        assertEquals(ItsmAction.RESOLVED, update.getAction());
        assertEquals("INC0010023", update.getTicket());
        assertEquals("Ann Ops", update.getAssignee());
        assertEquals("restarted the pod", update.getNote());
        assertEquals(Instant.parse("2026-12-07T10:45:00Z"), update.getTime());
        assertEquals("json", update.getSource());
        assertEquals(ItsmAction.ACKNOWLEDGED, update(resolved.replace("\"6\"", "\"2\"")).getAction());
        assertEquals(ItsmAction.CLOSED, update(resolved.replace("\"6\"", "\"Canceled\"")).getAction());
        assertEquals(ItsmAction.ASSIGNED, update(resolved.replace("\"6\"", "\"1\"")).getAction(), "new, assigned");
    }

    @Test
    void aPlainUpdateAndAnUnknownActionThatValidationWillDeadLetterWithTheValue() throws Exception {
        ItsmUpdate ack = update("{\"incidentId\":\"inc-1\",\"action\":\"acknowledged\",\"time\":\"2026-12-07T10:00:00Z\","
                + "\"source\":\"pagerduty\",\"environment\":\"prod\"}");
        assertEquals(ItsmAction.ACKNOWLEDGED, ack.getAction());
        assertEquals("pagerduty", ack.getSource());
        assertEquals("prod", ack.getEnvironment());
        ItsmUpdate odd = update("{\"incidentId\":\"inc-1\",\"action\":\"escalated\",\"time\":\"2026-12-07T10:00:00Z\"}");
        assertEquals(ItsmAction.UNKNOWN, odd.getAction());
        assertEquals("action 'escalated'", odd.getNote());
        var noIncident = assertThrows(DecodeException.class,
                () -> update("{\"number\":\"INC1\",\"state\":\"6\",\"sys_updated_on\":\"2026-12-07 10:45:00\"}"));
        assertTrue(noIncident.getMessage().startsWith("json ITSM update: no Sift incident id"), noIncident.getMessage());
    }
}
