package io.sift.connectors.elasticsearch;

import io.sift.core.change.ChangeOutcome;
import io.sift.schema.ChangeEvent;

import java.time.Instant;
import java.util.List;

/**
 * Changes (deploys, configuration changes, feature flags, scaling) with their outcome as ECS-shaped documents for the
 * {@code sift-changes} index template (deploy/elasticsearch/sift-changes.index-template.json), so that the changes
 * behind incidents' suspect-change hints can be searched next to them, and change failure rate, incidents per change
 * and time from change to incident can be charted per service and team.
 *
 * <ul>
 *   <li>index: {@code sift-changes-yyyy.MM} from the time the change took effect, in UTC;
 *   <li>{@code _id}: the change id; external version: the outcome's version, so every version is the whole change
 *       document with its outcome, and a replayed or reordered older version (pending after implicated) never
 *       overwrites a newer one.
 * </ul>
 *
 * <p>Field by field: see deploy/elasticsearch/README.md.
 */
public final class ChangeDocumentEmitter implements ElasticsearchEmitter<ChangeOutcome> {

    private static final long serialVersionUID = 2L;

    /** Index names are this prefix plus yyyy.MM; the template matches {@code sift-changes-*}. */
    public static final String DEFAULT_INDEX_PREFIX = "sift-changes-";

    public static final String DATASET = "sift.changes";

    private final String indexPrefix;

    public ChangeDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /**
     * @param indexPrefix index name prefix; keep it under {@code sift-changes-} so the index template applies
     */
    public ChangeDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException(
                    "indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(ChangeOutcome outcome) {
        ChangeEvent change = outcome.change;
        String index = JsonDocument.monthlyIndex(indexPrefix, change.getTime());
        return IndexRequestEntry.versioned(index, change.getId(), outcome.version, toJson(outcome));
    }

    /** The document source: compact UTF-8 JSON, fields in a fixed order, attributes sorted by key. */
    public static byte[] toJson(ChangeOutcome outcome) {
        ChangeEvent change = outcome.change;
        JsonDocument doc = new JsonDocument();
        doc.field("@timestamp", change.getTime());
        doc.ecsVersion();
        // A change is an ECS event of category configuration and type change, not an alert.
        doc.startObject("event");
        doc.field("kind", "event");
        doc.strings("category", List.of("configuration"));
        doc.strings("type", List.of("change"));
        doc.field("module", "sift");
        doc.field("dataset", DATASET);
        doc.endObject();

        doc.startObject("service");
        doc.field("name", change.getConfigurationItem());
        doc.field("environment", change.getEnvironment());
        doc.endObject();
        if (change.getAuthor() != null) {
            doc.startObject("user").field("name", change.getAuthor()).endObject();
        }
        doc.sortedMap("labels", change.getAttributes());

        doc.startObject("sift");
        doc.field("id", change.getId());
        doc.field("type", change.getType());
        doc.field("summary", change.getSummary());
        doc.field("change_request", change.getChangeRequest());
        doc.startObject("change");
        doc.field("outcome", outcome.outcome);
        Integer failed = outcome.failed();
        if (failed != null) {
            doc.field("failed", failed.longValue());
        }
        doc.field("team", outcome.team);
        if (!outcome.incidentIds.isEmpty()) {
            doc.strings("incident_ids", outcome.incidentIds);
        }
        doc.field("incident_count", outcome.incidentCount);
        if (outcome.minutesToIncident != null) {
            doc.field("minutes_to_incident", outcome.minutesToIncident.doubleValue());
        }
        if (outcome.bestRank != null) {
            doc.field("best_rank", outcome.bestRank.longValue());
        }
        doc.field("updated_at", Instant.ofEpochMilli(outcome.updatedAt));
        doc.field("version", outcome.version);
        doc.endObject();
        doc.endObject();
        return doc.toBytes();
    }

    @Override
    public String toString() {
        return "ChangeDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
