package io.sift.connectors.itsm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.schema.AnomalyRef;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.RootCauseHint;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/**
 * Maps an incident version to a ServiceNow Event Management event (the fields of the {@code em_event} table, as
 * posted to {@code /api/global/em/jsonv2} inside {@code {"records": [...]}}). ServiceNow de-duplicates events into
 * one alert by {@code message_key}, which is the incident id, so every version updates the same alert and a resolved
 * or merged incident clears it (severity 0).
 */
public final class ServiceNowEventMapper {

    /** ServiceNow severities: 0 clear, 1 critical, 2 major, 3 minor, 4 warning, 5 OK. */
    static final int CLEAR = 0;

    private ServiceNowEventMapper() {
    }

    public static ObjectNode toEvent(Incident incident) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("source", "Sift");
        event.put("event_class", "sift:" + incident.getEnvironment());
        event.put("node", node(incident));
        event.put("type", "sift-incident");
        event.put("resource", incident.getRootCauses().isEmpty() ? "" : incident.getRootCauses().get(0).getItem());
        event.put("metric_name", topMetric(incident));
        event.put("severity", Integer.toString(severity(incident)));
        event.put("message_key", incident.getId());
        event.put("description", incident.getTitle());
        // ServiceNow reads event times as UTC "yyyy-MM-dd HH:mm:ss".
        event.put("time_of_event", TIME.format(incident.getUpdatedAt()));
        ObjectNode info = JsonNodeFactory.instance.objectNode();
        info.put("sift_version", incident.getVersion());
        info.put("sift_status", incident.getStatus().name());
        info.put("sift_change", incident.getChange().name());
        info.put("priority", incident.getPriority().name());
        info.put("opened_at", IncidentJson.iso(incident.getOpenedAt()));
        info.put("services", String.join(",", incident.getServices().stream().map(Object::toString).toList()));
        info.put("anomaly_count", incident.getAnomalyCount());
        info.put("root_cause_reasons", incident.getRootCauses().isEmpty() ? ""
                : String.join("; ", incident.getRootCauses().get(0).getReasons().stream().map(Object::toString).toList()));
        // The monitoring alerts folded in, as source/name, so an operator sees which existing alerts this event covers.
        info.put("alert_count", incident.getAlertCount());
        info.put("alerts", String.join(",", incident.getAlerts().stream()
                .map(alert -> alert.getSource() + "/" + alert.getName() + "@" + alert.getService()).distinct().toList()));
        info.put("suspect_changes", String.join(",", incident.getSuspectChanges().stream()
                .map(change -> change.getChangeRequest() != null ? change.getChangeRequest() : change.getId())
                .toList()));
        if (incident.getMergedInto() != null) {
            info.put("merged_into", incident.getMergedInto());
        }
        info.put("flapping", incident.getFlapping());
        // Same problem across incident ids (recurrences after the cool-down): for event rules and alert grouping.
        info.put("fingerprint", incident.getFingerprint());
        if (incident.getGroupKey() != null) {
            info.put("group_key", incident.getGroupKey());
        }
        // additional_info is a JSON object serialised into a string field of the event.
        event.put("additional_info", new String(IncidentJson.bytes(info), java.nio.charset.StandardCharsets.UTF_8));
        return event;
    }

    /** The body for {@code /api/global/em/jsonv2}: one event in a {@code records} array. */
    public static byte[] toRequestBody(Incident incident) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("records").add(toEvent(incident));
        return IncidentJson.bytes(body);
    }

    /** Open incidents by priority (P1 critical … P4/P5 warning); resolved and merged incidents clear the alert. */
    static int severity(Incident incident) {
        if (incident.getStatus() != IncidentStatus.OPEN) {
            return CLEAR;
        }
        return switch (incident.getPriority()) {
            case P1 -> 1;
            case P2 -> 2;
            case P3 -> 3;
            case P4, P5 -> 4;
        };
    }

    /** The configuration item ServiceNow binds the alert to: the top root-cause hint, else the first service. */
    private static String node(Incident incident) {
        if (!incident.getRootCauses().isEmpty()) {
            return incident.getRootCauses().stream().min(Comparator.comparingInt(RootCauseHint::getRank))
                    .orElseThrow().getItem();
        }
        return incident.getServices().isEmpty() ? incident.getEnvironment() : incident.getServices().get(0);
    }

    private static String topMetric(Incident incident) {
        return incident.getAnomalies().stream().max(Comparator.comparingDouble(AnomalyRef::getScore))
                .map(AnomalyRef::getMetric).orElse("");
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
}
