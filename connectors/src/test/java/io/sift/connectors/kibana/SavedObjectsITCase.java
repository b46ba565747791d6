package io.sift.connectors.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.elasticsearch.ChangeDocumentEmitter;
import io.sift.connectors.elasticsearch.ElasticsearchConnection;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IncidentDocumentEmitter;
import io.sift.connectors.elasticsearch.IndexRequestEntry;
import io.sift.connectors.elasticsearch.ServiceHealthDocumentEmitter;
import io.sift.connectors.elasticsearch.SloStatusDocumentEmitter;
import io.sift.connectors.kibana.PlannedQuery.LensMetric;
import io.sift.connectors.kibana.PlannedQuery.Need;
import io.sift.connectors.kibana.SavedObjects.SavedObject;
import io.sift.schema.Anomaly;
import io.sift.schema.Incident;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SloStatus;
import io.sift.testing.LocalServices;

import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Runs the query behind every saved search and every Lens layer in deploy/kibana against a real Elasticsearch
 * (started by {@link LocalServices}) with Sift's templates installed and sample incidents, anomalies and changes
 * indexed by Sift's own document emitters. No Kibana runs here, so the test does what Kibana would: it resolves each object's
 * data view (index pattern, time field), translates its KQL and filters, builds the Lens aggregations, and
 *
 * <ul>
 *   <li>fails when a field the object names (columns, sort, breakdown, query, filter, Lens column, field format) is
 *       not mapped, or not usable the way the object uses it (aggregatable, numeric, date, keyword), per the field
 *       capabilities of the data view's index pattern;
 *   <li>fails when the request errors, matches nothing, leaves a bucket level without a non-empty bucket, a metric
 *       without a value, or a Discover column empty in every hit.
 * </ul>
 *
 * <p>The sample documents go to indices of this run only (under the templates' patterns), and every query is
 * restricted to them, so other tests' documents in the same server cannot make an empty visualization look full.
 */
class SavedObjectsITCase {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String RUN = "kib-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    private static final String INCIDENTS_PREFIX = "sift-incidents-" + RUN + "-";
    private static final String ANOMALIES_PREFIX = "sift-anomalies-" + RUN + "-";
    private static final String CHANGES_PREFIX = "sift-changes-" + RUN + "-";
    private static final String SERVICE_HEALTH_PREFIX = "sift-service-health-" + RUN + "-";
    private static final String SLO_PREFIX = "sift-slo-" + RUN + "-";
    private static final String PROBLEMS_PREFIX = "sift-problems-" + RUN + "-";
    private static final String METRICS_PREFIX = "sift-incident-metrics-" + RUN + "-";
    private static final Set<String> NUMERIC_TYPES =
            Set.of("long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long");
    private static final Set<String> KEYWORD_TYPES = Set.of("keyword", "constant_keyword", "wildcard");

    private static RestClient rest;
    private static SavedObjects objects;
    private static final Set<String> ownIndices = new TreeSet<>();
    private static final Map<String, JsonNode> fieldCapsByPattern = new HashMap<>();

    @BeforeAll
    static void indexSampleData() throws IOException {
        rest = ElasticsearchConnection.forUrl(LocalServices.elasticsearchUrl()).createRestClient();
        ElasticsearchTemplates.install(rest);
        SampleData data = new SampleData();
        List<IndexRequestEntry> entries = new ArrayList<>();
        IncidentDocumentEmitter incidents = new IncidentDocumentEmitter(INCIDENTS_PREFIX);
        for (Incident incident : data.incidents) {
            entries.add(incidents.toRequest(incident));
        }
        AnomalyDocumentEmitter anomalies = new AnomalyDocumentEmitter(ANOMALIES_PREFIX);
        for (Anomaly anomaly : data.anomalies) {
            entries.add(anomalies.toRequest(anomaly));
        }
        ChangeDocumentEmitter changes = new ChangeDocumentEmitter(CHANGES_PREFIX);
        for (io.sift.core.change.ChangeOutcome outcome : data.changeOutcomes) {
            // Every version in order, as the job sends them: each replaces the last (external versions).
            entries.add(changes.toRequest(outcome));
        }
        entries.addAll(serviceHealthAndSloEntries());
        io.sift.connectors.elasticsearch.ProblemDocumentEmitter problems =
                new io.sift.connectors.elasticsearch.ProblemDocumentEmitter(PROBLEMS_PREFIX);
        for (io.sift.schema.Problem problem : data.problems) {
            entries.add(problems.toRequest(problem));
        }
        io.sift.connectors.elasticsearch.IncidentMetricsDocumentEmitter metrics =
                new io.sift.connectors.elasticsearch.IncidentMetricsDocumentEmitter(METRICS_PREFIX);
        for (Incident incident : data.incidents) {
            entries.add(metrics.toRequest(incident));
        }
        bulk(entries);
        objects = SavedObjects.load();
    }

    /** Service health per minute and SLO statuses per minute ("Service health", "SLOs and error budgets"). */
    private static List<IndexRequestEntry> serviceHealthAndSloEntries() {
        HealthAndSloSampleData data = new HealthAndSloSampleData();
        List<IndexRequestEntry> entries = new ArrayList<>();
        ServiceHealthDocumentEmitter health = new ServiceHealthDocumentEmitter(SERVICE_HEALTH_PREFIX);
        for (ServiceHealth h : data.health) {
            entries.add(health.toRequest(h));
        }
        SloStatusDocumentEmitter slo = new SloStatusDocumentEmitter(SLO_PREFIX);
        for (SloStatus s : data.slo) {
            entries.add(slo.toRequest(s));
        }
        return entries;
    }

    @AfterAll
    static void deleteSampleIndices() throws IOException {
        if (rest == null) {
            return;
        }
        try {
            if (!ownIndices.isEmpty()) {
                Request delete = new Request("DELETE", "/" + String.join(",", ownIndices));
                delete.addParameter("ignore_unavailable", "true");
                rest.performRequest(delete);
            }
        } finally {
            rest.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFieldASavedObjectNamesIsMappedForItsUse() {
        return SavedObjectQueries.all(objects).stream()
                .map(q -> DynamicTest.dynamicTest(q.description, () -> assertEquals(List.of(), fieldProblems(q),
                        q + " (fields: " + q.fields.keySet() + ")")));
    }

    @TestFactory
    Stream<DynamicTest> everySavedSearchAndLensLayerRunsAndFindsData() {
        return SavedObjectQueries.all(objects).stream()
                .map(q -> DynamicTest.dynamicTest(q.description, () -> assertEquals(List.of(), runProblems(q),
                        q + ": " + q.body(SampleData.FROM, SampleData.TO, ownIndicesFilter()))));
    }

    @Test
    void dataViewsTimeFieldsAndFieldFormatsAreMapped() throws IOException {
        List<SavedObject> dataViews = objects.ofType("index-pattern");
        assertEquals(7, dataViews.size(),
                "a data view per index family: incidents, anomalies, changes, service health, SLO statuses, problems,"
                        + " incident metrics");
        for (SavedObject dataView : dataViews) {
            PlannedQuery named = new PlannedQuery(dataView.type() + " " + dataView.id(), dataView, dataView);
            dataView.stringified("/fieldFormatMap").fieldNames().forEachRemaining(named::need);
            dataView.stringified("/fieldAttrs").fieldNames().forEachRemaining(named::need);
            assertTrue(named.fields.size() > 5, dataView + " formats and labels fields");
            assertEquals(List.of(), fieldProblems(named), dataView.toString());
            long documents = count(dataView.attributes().path("title").asText());
            assertTrue(documents > 0, dataView + ": its index pattern finds the sample documents");
        }
    }

    @Test
    void everyLensVisualizationAndSavedSearchIsPlanned() {
        List<PlannedQuery> planned = SavedObjectQueries.all(objects);
        Set<String> covered = new TreeSet<>();
        planned.forEach(q -> covered.add(q.source.id()));
        Set<String> expected = new TreeSet<>();
        objects.ofType("lens").forEach(o -> expected.add(o.id()));
        objects.ofType("search").forEach(o -> expected.add(o.id()));
        assertEquals(expected, covered);
        assertTrue(planned.size() >= 20, "Sift ships about twenty visualizations and searches: " + planned.size());
    }

    /** The checks themselves must be able to fail: misspelt or unsuitable fields in copies of real objects. */
    @Test
    void misspeltOrUnsuitableFieldsAreReported() throws IOException {
        SavedObject search = objects.find("search", "sift-search-open-p1-p2-incidents").orElseThrow();
        ObjectNode broken = search.json().deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) broken.at("/attributes/columns")).set(4,
                TextNode.valueOf("sift.peak_scor"));
        ObjectNode meta = (ObjectNode) broken.at("/attributes/kibanaSavedObjectMeta");
        meta.put("searchSourceJSON", meta.path("searchSourceJSON").asText().replace("sift.status", "sift.stauts"));
        PlannedQuery query = SavedObjectQueries.forSearch(objects, new SavedObject(search.file(), broken));
        String problems = String.join("\n", fieldProblems(query));
        assertTrue(problems.contains("sift.peak_scor "), problems);
        assertTrue(problems.contains("sift.stauts "), problems);

        SavedObject lens = objects.find("lens", "sift-lens-most-affected-services").orElseThrow();
        ObjectNode textTerms = lens.json().deepCopy();
        ObjectNode column = (ObjectNode) textTerms.at("/attributes/state/datasourceStates/formBased/layers/incidents/columns/service");
        column.put("sourceField", "sift.title");
        List<String> textProblems = fieldProblems(SavedObjectQueries.forLens(objects, new SavedObject(lens.file(), textTerms)).get(0));
        assertTrue(String.join("\n", textProblems).contains("sift.title is text"), textProblems.toString());
    }

    @Test
    void aQueryThatMatchesNothingIsReported() throws IOException {
        SavedObject lens = objects.find("lens", "sift-lens-open-incidents").orElseThrow();
        ObjectNode noMatch = lens.json().deepCopy();
        ((ObjectNode) noMatch.at("/attributes/state/query")).put("query", "sift.status : ARCHIVED");
        PlannedQuery query = SavedObjectQueries.forLens(objects, new SavedObject(lens.file(), noMatch)).get(0);
        assertEquals(List.of(), fieldProblems(query), "the fields are right");
        assertFalse(runProblems(query).isEmpty(), "but nothing matches");
    }

    /** What is wrong with the fields {@code q} names, per the field capabilities of its index pattern. */
    private static List<String> fieldProblems(PlannedQuery q) throws IOException {
        JsonNode caps = fieldCaps(q.indexPattern());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Set<Need>> entry : q.fields.entrySet()) {
            String field = entry.getKey();
            JsonNode byType = caps.path("fields").path(field);
            if (byType.isMissingNode()) {
                problems.add(field + " is not mapped in " + q.indexPattern() + " (needed as " + entry.getValue() + ")");
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = byType.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> typed = it.next();
                String type = typed.getKey();
                boolean aggregatable = typed.getValue().path("aggregatable").asBoolean();
                for (Need need : entry.getValue()) {
                    String wrong = null;
                    switch (need) {
                        case MAPPED:
                            break;
                        case AGGREGATABLE:
                            wrong = aggregatable ? null : "not aggregatable";
                            break;
                        case NUMERIC:
                            wrong = NUMERIC_TYPES.contains(type) ? null : "not numeric";
                            break;
                        case DATE:
                            wrong = type.equals("date") || type.equals("date_nanos") ? null : "not a date";
                            break;
                        case KEYWORD:
                            wrong = KEYWORD_TYPES.contains(type) ? null : "not a keyword";
                            break;
                        default:
                            throw new IllegalStateException(need.name());
                    }
                    if (wrong != null) {
                        problems.add(field + " is " + type + ", " + wrong + ", but " + q + " needs it " + need);
                    }
                }
            }
        }
        return problems;
    }

    /** What is wrong with the results of {@code q} on the sample data. */
    private static List<String> runProblems(PlannedQuery q) throws IOException {
        List<String> problems = new ArrayList<>();
        Request request = new Request("POST", "/" + q.indexPattern() + "/_search");
        request.addParameter("allow_partial_search_results", "false");
        request.setJsonEntity(q.body(SampleData.FROM, SampleData.TO, ownIndicesFilter()).toString());
        JsonNode response;
        try {
            response = read(rest.performRequest(request));
        } catch (ResponseException e) {
            problems.add("Elasticsearch refused the request: " + e.getMessage());
            return problems;
        }
        record(q, response);
        if (response.at("/_shards/failed").asInt() > 0) {
            problems.add("shard failures: " + response.at("/_shards/failures"));
        }
        long total = response.at("/hits/total/value").asLong();
        if (total == 0) {
            problems.add("matched no documents");
            return problems;
        }
        if (q.isSavedSearch()) {
            for (String column : q.columns) {
                boolean shown = false;
                for (JsonNode hit : response.at("/hits/hits")) {
                    shown |= hasField(hit.path("fields"), column);
                }
                if (!shown) {
                    problems.add("column " + column + " is empty in every hit");
                }
            }
        }
        int[] nonEmptyBuckets = new int[q.bucketColumns.size()];
        Map<String, Integer> metricValues = new HashMap<>();
        walk(q, response.path("aggregations"), total, 0, nonEmptyBuckets, metricValues, problems);
        for (int level = 0; level < nonEmptyBuckets.length; level++) {
            if (nonEmptyBuckets[level] == 0) {
                problems.add("no non-empty bucket for column " + q.bucketColumns.get(level));
            }
        }
        for (LensMetric metric : q.metrics) {
            if (metricValues.getOrDefault(metric.columnId, 0) == 0) {
                problems.add("no value for metric column " + metric.columnId + " (" + metric.operation + ")");
            }
        }
        return problems;
    }

    private static void walk(PlannedQuery q, JsonNode container, long docCount, int level, int[] nonEmptyBuckets,
            Map<String, Integer> metricValues, List<String> problems) {
        if (level == q.bucketColumns.size()) {
            for (LensMetric metric : q.metrics) {
                JsonNode value = metric.aggregation == null
                        ? LongNode.valueOf(docCount)
                        : SavedObjectQueries.valueAt(container.path(metric.aggregation), metric.valuePath);
                // last_value of a keyword field gives a string.
                boolean present = value != null && (value.isNumber() || value.isTextual() && !value.asText().isEmpty())
                        && (!metric.operation.equals("count") || value.asLong() > 0);
                if (present) {
                    metricValues.merge(metric.columnId, 1, Integer::sum);
                }
            }
            return;
        }
        String column = q.bucketColumns.get(level);
        JsonNode buckets = container.path(column).path("buckets");
        if (buckets.isMissingNode()) {
            problems.add("no buckets for column " + column + " in " + container);
            return;
        }
        for (JsonNode bucket : buckets) {
            long count = bucket.path("doc_count").asLong();
            if (count > 0) {
                nonEmptyBuckets[level]++;
                walk(q, bucket, count, level + 1, nonEmptyBuckets, metricValues, problems);
            }
        }
    }

    /** Whether the fields API returned {@code column}, directly or inside its nested parent. */
    private static boolean hasField(JsonNode fields, String column) {
        if (fields.has(column)) {
            return true;
        }
        for (Iterator<String> it = fields.fieldNames(); it.hasNext(); ) {
            String parent = it.next();
            if (column.startsWith(parent + ".")) {
                for (JsonNode nested : fields.path(parent)) {
                    if (hasField(nested, column.substring(parent.length() + 1))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Keeps each request and response in target/saved-object-queries, to read what a visualization would show. */
    private static void record(PlannedQuery q, JsonNode response) throws IOException {
        Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/saved-object-queries");
        Files.createDirectories(dir);
        ObjectNode both = NODES.objectNode();
        both.put("index", q.indexPattern());
        both.set("request", q.body(SampleData.FROM, SampleData.TO, ownIndicesFilter()));
        both.set("response", response);
        Files.writeString(dir.resolve(q.description.replace(' ', '_') + ".json"),
                SavedObjects.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(both));
    }

    private static ObjectNode ownIndicesFilter() {
        ObjectNode filter = NODES.objectNode();
        ObjectNode bool = filter.putObject("bool");
        bool.putArray("should")
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", INCIDENTS_PREFIX)))
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", ANOMALIES_PREFIX)))
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", CHANGES_PREFIX)))
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", SERVICE_HEALTH_PREFIX)))
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", SLO_PREFIX)))
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", PROBLEMS_PREFIX)))
                .add(NODES.objectNode().set("prefix", NODES.objectNode().put("_index", METRICS_PREFIX)));
        bool.set("minimum_should_match", IntNode.valueOf(1));
        return filter;
    }

    private static JsonNode fieldCaps(String pattern) throws IOException {
        JsonNode cached = fieldCapsByPattern.get(pattern);
        if (cached == null) {
            Request request = new Request("GET", "/" + pattern + "/_field_caps");
            request.addParameter("fields", "*");
            cached = read(rest.performRequest(request));
            fieldCapsByPattern.put(pattern, cached);
        }
        return cached;
    }

    private static long count(String pattern) throws IOException {
        Request request = new Request("POST", "/" + pattern + "/_count");
        request.setJsonEntity(NODES.objectNode().set("query", ownIndicesFilter()).toString());
        return read(rest.performRequest(request)).path("count").asLong();
    }

    private static void bulk(List<IndexRequestEntry> entries) throws IOException {
        StringBuilder body = new StringBuilder();
        for (IndexRequestEntry entry : entries) {
            ObjectNode action = NODES.objectNode();
            ObjectNode index = action.putObject("index");
            index.put("_index", entry.index());
            index.put("_id", entry.id());
            if (entry.hasExternalVersion()) {
                index.put("version", entry.externalVersion());
                index.put("version_type", "external");
            }
            body.append(action).append('\n').append(entry.sourceAsString()).append('\n');
            ownIndices.add(entry.index());
        }
        Request request = new Request("POST", "/_bulk");
        request.addParameter("refresh", "true");
        request.setEntity(new StringEntity(body.toString(), ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        JsonNode response = read(rest.performRequest(request));
        assertFalse(response.path("errors").asBoolean(), () -> "bulk indexing the sample data failed: " + response);
        assertEquals(entries.size(), response.path("items").size());
    }

    private static JsonNode read(Response response) throws IOException {
        return SavedObjects.JSON.readTree(response.getEntity().getContent());
    }
}
