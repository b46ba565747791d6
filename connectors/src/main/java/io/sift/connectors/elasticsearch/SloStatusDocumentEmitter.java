package io.sift.connectors.elasticsearch;

import io.sift.schema.SloStatus;

/**
 * SLO statuses (error budget, burn rates, status of one SLO at the end of one minute) as ECS-shaped documents for
 * the {@code sift-slo} index template (deploy/elasticsearch/sift-slo.index-template.json): a time series, one
 * document per SLO and minute.
 *
 * <ul>
 *   <li>index: {@code sift-slo-yyyy.MM} from the minute, in UTC;
 *   <li>{@code _id}: the status id (environment, SLO, minute); no version: a replay rewrites the same document.
 * </ul>
 */
public final class SloStatusDocumentEmitter implements ElasticsearchEmitter<SloStatus> {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_INDEX_PREFIX = "sift-slo-";
    public static final String DATASET = "sift.slo";

    private final String indexPrefix;

    public SloStatusDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /** @param indexPrefix index name prefix; keep it under {@code sift-slo-} so the index template applies */
    public SloStatusDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException("indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(SloStatus status) {
        return IndexRequestEntry.unversioned(JsonDocument.monthlyIndex(indexPrefix, status.getTime()), status.getId(),
                toJson(status));
    }

    /** The document source: compact UTF-8 JSON, fields in a fixed order. */
    public static byte[] toJson(SloStatus s) {
        JsonDocument doc = new JsonDocument();
        doc.field("@timestamp", s.getTime());
        doc.ecsVersion();
        doc.startObject("event");
        doc.field("kind", "metric");
        doc.field("module", "sift");
        doc.field("dataset", DATASET);
        doc.endObject();
        doc.startObject("service");
        doc.field("name", s.getService());
        doc.field("environment", s.getEnvironment());
        doc.endObject();
        doc.startObject("sift");
        doc.field("id", s.getId());
        doc.startObject("slo");
        doc.field("name", s.getSlo());
        doc.field("sli", s.getSli());
        doc.field("objective", s.getObjective());
        doc.field("window_minutes", s.getWindowMinutes());
        doc.field("status", s.getStatus());
        doc.field("alert_windows", s.getAlertWindows());
        doc.startObject("budget");
        doc.field("total_minutes", s.getBudgetMinutes());
        doc.field("consumed_minutes", s.getConsumedMinutes());
        doc.field("remaining_minutes", s.getRemainingMinutes());
        doc.field("remaining_fraction", s.getRemainingFraction());
        doc.endObject();
        doc.field("burn_rate_5m", s.getBurnRate5m());
        doc.field("burn_rate_1h", s.getBurnRate1h());
        doc.field("burn_rate_6h", s.getBurnRate6h());
        doc.field("burn_rate_3d", s.getBurnRate3d());
        doc.field("error_ratio", s.getErrorRatio());
        doc.field("samples", s.getSamples());
        doc.field("observed_minutes", s.getObservedMinutes());
        doc.endObject();
        doc.endObject();
        return doc.toBytes();
    }

    @Override
    public String toString() {
        return "SloStatusDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
