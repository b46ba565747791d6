package io.sift.connectors.itsm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeRef;
import io.sift.schema.Incident;
import io.sift.schema.RootCauseHint;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON form of one incident version, for consumers that do not read Avro (webhooks, scripts). Field names and
 * meanings are the Avro schema's ({@code schemas/src/main/avro/Incident.avsc}); times are ISO-8601 UTC strings,
 * absent optional values are JSON null, enums are their symbols. {@code deploy/kafka/README.md} shows an example.
 */
public final class IncidentJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private IncidentJson() {
    }

    public static ObjectNode toNode(Incident incident) {
        ObjectNode node = NODES.objectNode();
        node.put("id", incident.getId());
        node.put("version", incident.getVersion());
        node.put("status", incident.getStatus().name());
        node.put("change", incident.getChange().name());
        node.put("environment", incident.getEnvironment());
        node.put("title", incident.getTitle());
        node.put("priority", incident.getPriority().name());
        node.put("peakScore", incident.getPeakScore());
        node.put("openedAt", iso(incident.getOpenedAt()));
        node.put("updatedAt", iso(incident.getUpdatedAt()));
        node.put("lastSeen", iso(incident.getLastSeen()));
        node.put("resolvedAt", iso(incident.getResolvedAt()));
        ArrayNode services = node.putArray("services");
        incident.getServices().forEach(service -> services.add(service.toString()));
        node.put("anomalyCount", incident.getAnomalyCount());
        node.put("anomalyUpdates", incident.getAnomalyUpdates());
        ArrayNode anomalies = node.putArray("anomalies");
        for (AnomalyRef ref : incident.getAnomalies()) {
            anomalies.addObject()
                    .put("id", ref.getId())
                    .put("service", ref.getService())
                    .put("metric", ref.getMetric())
                    .put("onset", iso(ref.getOnset()))
                    .put("score", ref.getScore())
                    .put("direction", ref.getDirection().name());
        }
        ArrayNode hints = node.putArray("rootCauses");
        for (RootCauseHint hint : incident.getRootCauses()) {
            ObjectNode hintNode = hints.addObject()
                    .put("item", hint.getItem())
                    .put("rank", hint.getRank())
                    .put("score", hint.getScore());
            ArrayNode reasons = hintNode.putArray("reasons");
            hint.getReasons().forEach(reason -> reasons.add(reason.toString()));
            ArrayNode changes = hintNode.putArray("changes");
            hint.getChanges().forEach(change -> changes.add(change.toString()));
        }
        ArrayNode suspects = node.putArray("suspectChanges");
        for (ChangeRef change : incident.getSuspectChanges()) {
            suspects.addObject()
                    .put("id", change.getId())
                    .put("item", change.getItem())
                    .put("time", iso(change.getTime()))
                    .put("summary", change.getSummary())
                    .put("changeRequest", change.getChangeRequest());
        }
        node.put("mergedInto", incident.getMergedInto());
        node.put("flapping", incident.getFlapping());
        node.put("fingerprint", incident.getFingerprint());
        node.put("groupKey", incident.getGroupKey());
        node.put("detectedAt", iso(incident.getDetectedAt()));
        node.put("acknowledgedAt", iso(incident.getAcknowledgedAt()));
        node.put("assignee", incident.getAssignee());
        node.put("ticket", incident.getTicket());
        node.put("resolvedBy", incident.getResolvedBy() == null ? null : incident.getResolvedBy().name());
        node.put("alertCount", incident.getAlertCount());
        node.put("suppressedBy", incident.getSuppressedBy());
        ArrayNode alerts = node.putArray("alerts");
        for (io.sift.schema.AlertRef ref : incident.getAlerts()) {
            alerts.addObject()
                    .put("id", ref.getId())
                    .put("source", ref.getSource())
                    .put("fingerprint", ref.getFingerprint())
                    .put("name", ref.getName())
                    .put("service", ref.getService())
                    .put("severity", ref.getSeverity())
                    .put("firing", ref.getFiring())
                    .put("startsAt", iso(ref.getStartsAt()))
                    .put("endsAt", iso(ref.getEndsAt()));
        }
        return node;
    }

    public static byte[] toBytes(Incident incident) {
        return bytes(toNode(incident));
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String iso(Instant time) {
        return time == null ? null : time.toString();
    }
}
