package io.sift.connectors.elasticsearch;

import io.sift.core.itsm.IncidentMetrics;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;

/**
 * One document per incident with its service-management figures ({@link IncidentMetrics}: time to detect,
 * acknowledge and resolve, noise reduction) for the {@code sift-incident-metrics} index template
 * (deploy/elasticsearch/sift-incident-metrics.index-template.json), so dashboards and notebooks read the figures
 * rather than recompute them. Incidents per service per day are a date histogram over these documents.
 *
 * <ul>
 *   <li>index: {@code sift-incident-metrics-yyyy.MM} from {@code openedAt} in UTC (every version, same index);
 *   <li>{@code _id}: the incident id; external version: the incident version, so the latest figures win.
 * </ul>
 *
 * <p>A MERGED version updates the document too (status MERGED), so averages can leave absorbed incidents out.
 */
public final class IncidentMetricsDocumentEmitter implements ElasticsearchEmitter<Incident> {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_INDEX_PREFIX = "sift-incident-metrics-";

    public static final String DATASET = "sift.incident_metrics";

    private final String indexPrefix;

    public IncidentMetricsDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /** @param indexPrefix keep it under {@code sift-incident-metrics-} so the index template applies */
    public IncidentMetricsDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException("indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(Incident incident) {
        return IndexRequestEntry.versioned(JsonDocument.monthlyIndex(indexPrefix, incident.getOpenedAt()),
                incident.getId(), incident.getVersion(), toJson(incident));
    }

    public static byte[] toJson(Incident incident) {
        IncidentMetrics m = IncidentMetrics.of(incident);
        JsonDocument doc = new JsonDocument();
        // The incident's start: date histograms count incidents by the day they began.
        doc.field("@timestamp", m.earliestOnset());
        doc.ecsVersion();
        doc.event(DATASET, m.earliestOnset(), m.resolvedAt());

        doc.startObject("service");
        String service = m.rootCauseItem() != null ? m.rootCauseItem()
                : m.services().isEmpty() ? null : m.services().get(0);
        doc.field("name", service);
        doc.field("environment", m.environment());
        doc.endObject();

        doc.startObject("sift");
        doc.field("incident_id", m.incidentId());
        doc.field("version", m.version());
        doc.field("status", m.status());
        doc.field("priority", m.priority());
        doc.field("root_cause_item", m.rootCauseItem());
        doc.strings("services", m.services());
        doc.field("earliest_onset", m.earliestOnset());
        doc.field("detected_at", m.detectedAt());
        doc.field("acknowledged_at", m.acknowledgedAt());
        doc.field("resolved_at", m.resolvedAt());
        doc.field("resolved_by", m.resolvedBy());
        millis(doc, "time_to_detect_ms", m.timeToDetectMillis());
        millis(doc, "time_to_acknowledge_ms", m.timeToAcknowledgeMillis());
        millis(doc, "time_to_resolve_ms", m.timeToResolveMillis());
        doc.field("anomaly_count", m.anomalyCount());
        doc.field("anomaly_updates", m.anomalyUpdates());
        doc.field("merged", incident.getStatus() == IncidentStatus.MERGED);
        doc.endObject();
        return doc.toBytes();
    }

    private static void millis(JsonDocument doc, String name, Long value) {
        if (value != null) {
            doc.field(name, value.longValue());
        }
    }

    @Override
    public String toString() {
        return "IncidentMetricsDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
