package io.sift.connectors.itsm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;

/**
 * Maps an incident version to a PagerDuty Events API v2 event ({@code POST https://events.pagerduty.com/v2/enqueue}).
 * {@code dedup_key} is the incident id: every open version is a {@code trigger} that updates the same PagerDuty alert,
 * and the resolved or merged version is a {@code resolve}.
 */
public final class PagerDutyEventMapper {

    private PagerDutyEventMapper() {
    }

    public static ObjectNode toEvent(Incident incident, String routingKey) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("routing_key", routingKey);
        event.put("dedup_key", incident.getId());
        boolean open = incident.getStatus() == IncidentStatus.OPEN;
        event.put("event_action", open ? "trigger" : "resolve");
        if (open) {
            // PagerDuty ignores the payload of a resolve; a trigger must carry summary, source and severity.
            ObjectNode payload = event.putObject("payload");
            payload.put("summary", truncate(incident.getTitle(), 1024));
            payload.put("source", incident.getRootCauses().isEmpty()
                    ? incident.getEnvironment() : incident.getRootCauses().get(0).getItem());
            payload.put("severity", severity(incident));
            payload.put("timestamp", IncidentJson.iso(incident.getOpenedAt()));
            payload.put("component", incident.getRootCauses().isEmpty() ? null : incident.getRootCauses().get(0).getItem());
            payload.put("group", incident.getEnvironment());
            payload.put("class", "sift-incident");
            payload.set("custom_details", IncidentJson.toNode(incident));
        }
        return event;
    }

    public static byte[] toRequestBody(Incident incident, String routingKey) {
        return IncidentJson.bytes(toEvent(incident, routingKey));
    }

    /** PagerDuty severities: critical, error, warning, info. */
    static String severity(Incident incident) {
        return switch (incident.getPriority()) {
            case P1 -> "critical";
            case P2 -> "error";
            case P3 -> "warning";
            case P4, P5 -> "info";
        };
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
