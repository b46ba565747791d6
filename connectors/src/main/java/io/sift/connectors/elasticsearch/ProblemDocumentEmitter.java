package io.sift.connectors.elasticsearch;

import io.sift.schema.Problem;

/**
 * Problem candidates as ECS-shaped documents for the {@code sift-problems} index template
 * (deploy/elasticsearch/sift-problems.index-template.json).
 *
 * <ul>
 *   <li>index: {@code sift-problems-yyyy.MM} from {@code firstSeen} in UTC, so every version of a problem lands in
 *       the same index;
 *   <li>{@code _id}: the problem id; external version: the problem version, so Elasticsearch keeps the highest.
 * </ul>
 */
public final class ProblemDocumentEmitter implements ElasticsearchEmitter<Problem> {

    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_INDEX_PREFIX = "sift-problems-";

    public static final String DATASET = "sift.problems";

    private final String indexPrefix;

    public ProblemDocumentEmitter() {
        this(DEFAULT_INDEX_PREFIX);
    }

    /** @param indexPrefix index name prefix; keep it under {@code sift-problems-} so the index template applies */
    public ProblemDocumentEmitter(String indexPrefix) {
        if (indexPrefix == null || indexPrefix.isEmpty()) {
            throw new IllegalArgumentException("indexPrefix: give a prefix such as '" + DEFAULT_INDEX_PREFIX + "'");
        }
        this.indexPrefix = indexPrefix;
    }

    @Override
    public IndexRequestEntry toRequest(Problem problem) {
        return IndexRequestEntry.versioned(JsonDocument.monthlyIndex(indexPrefix, problem.getFirstSeen()),
                problem.getId(), problem.getVersion(), toJson(problem));
    }

    public static byte[] toJson(Problem problem) {
        JsonDocument doc = new JsonDocument();
        doc.field("@timestamp", problem.getUpdatedAt());
        doc.ecsVersion();
        doc.event(DATASET, problem.getFirstSeen(), problem.getLastSeen());

        doc.startObject("service");
        doc.field("name", problem.getRootCauseItem());
        doc.field("environment", problem.getEnvironment());
        doc.endObject();

        doc.startObject("sift");
        doc.field("id", problem.getId());
        doc.field("version", problem.getVersion());
        doc.field("status", problem.getStatus());
        doc.field("fingerprint", problem.getFingerprint());
        doc.field("root_cause_item", problem.getRootCauseItem());
        doc.field("signature", problem.getSignature());
        doc.field("title", problem.getTitle());
        doc.strings("incident_ids", problem.getIncidentIds());
        doc.field("occurrences", problem.getOccurrences());
        doc.field("first_seen", problem.getFirstSeen());
        doc.field("last_seen", problem.getLastSeen());
        if (problem.getKnownError() != null) {
            doc.field("known_error", problem.getKnownError().booleanValue());
        }
        doc.field("workaround", problem.getWorkaround());
        doc.endObject();
        return doc.toBytes();
    }

    @Override
    public String toString() {
        return "ProblemDocumentEmitter{indexPrefix=" + indexPrefix + '}';
    }
}
