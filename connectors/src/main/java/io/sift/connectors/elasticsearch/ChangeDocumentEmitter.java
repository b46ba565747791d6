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
 *   <li>{@code _id}: {@link ChangeOutcome#documentId()}, a digest of the change's environment and id (two
 *       environments or tenants may use the same change id, and each change keeps its own document and version);
 *       external version: the outcome's version in that environment, so every version is the whole change document
 *       with its outcome, and a replayed or reordered older version (pending after implicated) never overwrites a
 *       newer one. The change id itself is {@code sift.id}, its environment {@code service.environment}.
 * </ul>
 *
 * <p>Field by field: see deploy/elasticsearch/README.md.
 */
public final class ChangeDocumentEmitter implements ElasticsearchEmitter<ChangeOutcome> {

    private static final long serialVersionUID = 3L;

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
        if (outcome.environment == null || outcome.environment.isBlank()) {
            // ChangeOutcomes always resolves it; without it, changes of different environments would share an _id.
            throw new IllegalStateException("change outcome without an environment: " + outcome);
        }
        String index = JsonDocument.monthlyIndex(indexPrefix, change.getTime());
        return IndexRequestEntry.versioned(index, outcome.documentId(), outcome.version, toJson(outcome));
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
        // The environment it belongs to (the default one if the change names none), as its incidents'.
        doc.field("environment", outcome.environment);
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
