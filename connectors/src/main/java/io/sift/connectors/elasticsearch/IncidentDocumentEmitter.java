package io.sift.connectors.elasticsearch;

import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeRef;
import io.sift.schema.Incident;
import io.sift.schema.RootCauseHint;

import java.util.List;

/**
 * Incident versions as ECS-shaped documents for the {@code sift-incidents} index template
 * (deploy/elasticsearch/sift-incidents.index-template.json).
 *
 * <ul>
 *   <li>index: {@code sift-incidents-yyyy.MM} from {@code openedAt} in UTC, so every version of an
 *       incident lands in the same index;
 *   <li>{@code _id}: the incident id; external version: the incident version, so Elasticsearch
 *       keeps the highest version whatever the delivery order.
 * </ul>
 *
 * <p>Field by field: see deploy/elasticsearch/README.md.
 */
public final class IncidentDocumentEmitter implements ElasticsearchEmitter<Incident> {

    private static final long serialVersionUID = 1L;

    /** Index names are this prefix plus yyyy.MM; the template matches {@code sift-incidents-*}. */
    public static final String DEFAULT_INDEX_PREFIX = "sift-incidents-";

    public static final String DATASET = "sift.incidents";

    private final String indexPrefix;

    public IncidentDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /**
     * @param indexPrefix index name prefix; keep it under {@code sift-incidents-} (e.g.
     *     {@code sift-incidents-staging-}) so the index template applies
     */
    public IncidentDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException(
                    "indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(Incident incident) {
        String index = JsonDocument.monthlyIndex(indexPrefix, incident.getOpenedAt());
        return IndexRequestEntry.versioned(
                index, incident.getId(), incident.getVersion(), toJson(incident));
    }

    /** The document source: compact UTF-8 JSON, fields in a fixed order. */
    public static byte[] toJson(Incident incident) {
        JsonDocument doc = new JsonDocument();
        doc.field("@timestamp", incident.getUpdatedAt());
        doc.ecsVersion();
        doc.event(DATASET, incident.getOpenedAt(), incident.getResolvedAt());

        doc.startObject("service");
        doc.field("name", primaryService(incident));
        doc.field("environment", incident.getEnvironment());
        doc.endObject();

        doc.startObject("sift");
        doc.field("id", incident.getId());
        doc.field("version", incident.getVersion());
        doc.field("status", incident.getStatus());
        doc.field("change", incident.getChange());
        doc.field("priority", incident.getPriority());
        doc.field("title", incident.getTitle());
        doc.field("peak_score", incident.getPeakScore());
        doc.field("last_seen", incident.getLastSeen());
        doc.strings("services", incident.getServices());
        doc.field("anomaly_count", incident.getAnomalyCount());
        doc.field("anomaly_updates", incident.getAnomalyUpdates());
        doc.field("merged_into", incident.getMergedInto());
        doc.field("flapping", incident.getFlapping());
        // Versions written before the fingerprint existed carry an empty one: leave it out rather than index "".
        doc.field("fingerprint", incident.getFingerprint().isEmpty() ? null : incident.getFingerprint());
        doc.field("group_key", incident.getGroupKey());
        doc.field("detected_at", incident.getDetectedAt());
        doc.field("acknowledged_at", incident.getAcknowledgedAt());
        doc.field("assignee", incident.getAssignee());
        doc.field("ticket", incident.getTicket());
        doc.field("resolved_by", incident.getResolvedBy());

        doc.startArray("anomalies");
        for (AnomalyRef a : nonNull(incident.getAnomalies())) {
            doc.startObject();
            doc.field("id", a.getId());
            doc.field("service", a.getService());
            doc.field("metric", a.getMetric());
            doc.field("onset", a.getOnset());
            doc.field("score", a.getScore());
            doc.field("direction", a.getDirection());
            doc.endObject();
        }
        doc.endArray();

        doc.field("alert_count", incident.getAlertCount());
        doc.startArray("alerts");
        for (io.sift.schema.AlertRef a : nonNull(incident.getAlerts())) {
            doc.startObject();
            doc.field("id", a.getId());
            doc.field("source", a.getSource());
            doc.field("name", a.getName());
            doc.field("fingerprint", a.getFingerprint());
            doc.field("service", a.getService());
            doc.field("severity", a.getSeverity());
            doc.field("firing", a.getFiring());
            doc.field("starts_at", a.getStartsAt());
            doc.field("ends_at", a.getEndsAt());
            doc.endObject();
        }
        doc.endArray();

        doc.startArray("root_causes");
        for (RootCauseHint h : nonNull(incident.getRootCauses())) {
            doc.startObject();
            doc.field("item", h.getItem());
            doc.field("rank", h.getRank());
            doc.field("score", h.getScore());
            doc.strings("reasons", h.getReasons());
            doc.strings("changes", h.getChanges());
            doc.endObject();
        }
        doc.endArray();

        doc.startArray("suspect_changes");
        for (ChangeRef c : nonNull(incident.getSuspectChanges())) {
            doc.startObject();
            doc.field("id", c.getId());
            doc.field("item", c.getItem());
            doc.field("time", c.getTime());
            doc.field("summary", c.getSummary());
            doc.field("change_request", c.getChangeRequest());
            doc.endObject();
        }
        doc.endArray();
        doc.endObject();
        return doc.toBytes();
    }

    /**
     * ECS service.name of an incident: the top-ranked root-cause item, else the first affected
     * service, else null. All affected services are in sift.services.
     */
    static String primaryService(Incident incident) {
        List<RootCauseHint> hints = incident.getRootCauses();
        if (hints != null) {
            RootCauseHint best = null;
            for (RootCauseHint h : hints) {
                if (best == null || h.getRank() < best.getRank()) {
                    best = h;
                }
            }
            if (best != null) {
                return best.getItem();
            }
        }
        List<String> services = incident.getServices();
        return services == null || services.isEmpty() ? null : services.get(0);
    }

    private static <E> List<E> nonNull(List<E> list) {
        return list == null ? List.of() : list;
    }

    @Override
    public String toString() {
        return "IncidentDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
