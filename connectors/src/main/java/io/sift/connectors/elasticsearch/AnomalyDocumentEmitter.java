package io.sift.connectors.elasticsearch;

import io.sift.schema.Anomaly;
import io.sift.schema.Resource;

/**
 * Anomaly versions as ECS-shaped documents for the {@code sift-anomalies} index template
 * (deploy/elasticsearch/sift-anomalies.index-template.json).
 *
 * <ul>
 *   <li>index: {@code sift-anomalies-yyyy.MM} from the onset in UTC, so every version of an
 *       episode lands in the same index;
 *   <li>{@code _id}: the anomaly id; external version: the anomaly version.
 * </ul>
 *
 * <p>Field by field: see deploy/elasticsearch/README.md.
 */
public final class AnomalyDocumentEmitter implements ElasticsearchEmitter<Anomaly> {

    private static final long serialVersionUID = 1L;

    /** Index names are this prefix plus yyyy.MM; the template matches {@code sift-anomalies-*}. */
    public static final String DEFAULT_INDEX_PREFIX = "sift-anomalies-";

    public static final String DATASET = "sift.anomalies";

    private final String indexPrefix;

    public AnomalyDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /**
     * @param indexPrefix index name prefix; keep it under {@code sift-anomalies-} so the index
     *     template applies
     */
    public AnomalyDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException(
                    "indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(Anomaly anomaly) {
        String index = JsonDocument.monthlyIndex(indexPrefix, anomaly.getOnset());
        return IndexRequestEntry.versioned(
                index, anomaly.getId(), anomaly.getVersion(), toJson(anomaly));
    }

    /** The document source: compact UTF-8 JSON, fields in a fixed order, labels sorted by key. */
    public static byte[] toJson(Anomaly anomaly) {
        Resource resource = anomaly.getResource();
        JsonDocument doc = new JsonDocument();
        doc.field("@timestamp", anomaly.getTime());
        doc.ecsVersion();
        doc.event(DATASET, anomaly.getOnset(), anomaly.getEnd());

        doc.startObject("service");
        doc.field("name", resource == null ? null : resource.getService());
        doc.field("environment", resource == null ? null : resource.getEnvironment());
        if (resource != null && resource.getInstance() != null) {
            doc.startObject("node").field("name", resource.getInstance()).endObject();
        }
        doc.endObject();
        if (resource != null && resource.getHost() != null) {
            doc.startObject("host").field("name", resource.getHost()).endObject();
        }
        doc.sortedMap("labels", anomaly.getLabels());

        doc.startObject("sift");
        doc.field("id", anomaly.getId());
        doc.field("version", anomaly.getVersion());
        doc.field("signal", anomaly.getSignal());
        doc.field("detector", anomaly.getDetector());
        doc.field("series_key", anomaly.getSeriesKey());
        doc.field("metric", anomaly.getMetric());
        doc.field("observed", anomaly.getObserved());
        doc.field("expected", anomaly.getExpected());
        doc.field("lower_bound", anomaly.getLowerBound());
        doc.field("upper_bound", anomaly.getUpperBound());
        doc.field("deviation", anomaly.getDeviation());
        doc.field("direction", anomaly.getDirection());
        doc.field("score", anomaly.getScore());
        doc.field("samples", anomaly.getSamples());
        doc.endObject();
        return doc.toBytes();
    }

    @Override
    public String toString() {
        return "AnomalyDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
