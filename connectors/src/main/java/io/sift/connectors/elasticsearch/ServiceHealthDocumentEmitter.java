package io.sift.connectors.elasticsearch;

import io.sift.schema.ServiceHealth;

/**
 * Service health per window (KPIs, health score, worst dependency) as ECS-shaped documents for the
 * {@code sift-service-health} index template (deploy/elasticsearch/sift-service-health.index-template.json).
 *
 * <ul>
 *   <li>index: {@code sift-service-health-yyyy.MM} from the window start, in UTC;
 *   <li>{@code _id}: the health id (environment, service, window size, window start); no version: a replay
 *       rewrites the same document.
 * </ul>
 */
public final class ServiceHealthDocumentEmitter implements ElasticsearchEmitter<ServiceHealth> {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_INDEX_PREFIX = "sift-service-health-";
    public static final String DATASET = "sift.service_health";

    private final String indexPrefix;

    public ServiceHealthDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /** @param indexPrefix index name prefix; keep it under {@code sift-service-health-} so the template applies */
    public ServiceHealthDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException("indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(ServiceHealth health) {
        return IndexRequestEntry.unversioned(JsonDocument.monthlyIndex(indexPrefix, health.getWindowStart()),
                health.getId(), toJson(health));
    }

    /** The document source: compact UTF-8 JSON, fields in a fixed order; absent KPIs are left out. */
    public static byte[] toJson(ServiceHealth h) {
        JsonDocument doc = new JsonDocument();
        doc.field("@timestamp", h.getWindowStart());
        doc.ecsVersion();
        doc.startObject("event");
        doc.field("kind", "metric");
        doc.field("module", "sift");
        doc.field("dataset", DATASET);
        doc.field("start", h.getWindowStart());
        doc.field("end", h.getWindowEnd());
        doc.endObject();
        doc.startObject("service");
        doc.field("name", h.getService());
        doc.field("environment", h.getEnvironment());
        doc.endObject();
        doc.startObject("sift");
        doc.field("id", h.getId());
        doc.startObject("health");
        doc.field("window", h.getWindow());
        doc.field("score", h.getHealth());
        doc.field("own_score", h.getOwnHealth());
        doc.field("status", h.getStatus());
        doc.field("worst_dependency", h.getWorstDependency());
        if (h.getWorstDependencyHealth() != null) {
            doc.field("worst_dependency_score", h.getWorstDependencyHealth());
        }
        doc.strings("dependencies", h.getDependencies());
        doc.field("samples", h.getSamples());
        doc.endObject();
        doc.startObject("kpi");
        optional(doc, "availability", h.getAvailability());
        optional(doc, "error_ratio", h.getErrorRatio());
        optional(doc, "latency_p50", h.getLatencyP50());
        optional(doc, "latency_p95", h.getLatencyP95());
        optional(doc, "latency_p99", h.getLatencyP99());
        optional(doc, "error_count", h.getErrorCount());
        optional(doc, "throughput", h.getThroughput());
        optional(doc, "saturation", h.getSaturation());
        doc.endObject();
        doc.startObject("severity");
        doc.field("availability", h.getAvailabilitySeverity());
        doc.field("latency", h.getLatencySeverity());
        doc.field("errors", h.getErrorSeverity());
        doc.field("throughput", h.getThroughputSeverity());
        doc.field("saturation", h.getSaturationSeverity());
        doc.endObject();
        doc.endObject();
        return doc.toBytes();
    }

    private static void optional(JsonDocument doc, String name, Double value) {
        if (value != null) {
            doc.field(name, value.doubleValue());
        }
    }

    @Override
    public String toString() {
        return "ServiceHealthDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
