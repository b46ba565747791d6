package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.deadletter.RejectedDocumentHandler;
import io.sift.core.change.ChangeOutcome;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.testing.LocalServices;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sink in a Flink MiniCluster job against a real Elasticsearch 8.19 (started once per test JVM
 * by {@link LocalServices}), with Sift's templates installed. Metrics are read through an
 * in-memory metric reporter. Each test writes to its own indices under the templates' patterns.
 */
class ElasticsearchSinkITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String url;
    private static ElasticsearchConnection connection;
    private static ElasticsearchClient client;
    private static RestClient rest;

    @BeforeAll
    static void installTemplates() throws IOException {
        url = LocalServices.elasticsearchUrl();
        connection = ElasticsearchConnection.forUrl(url);
        client = connection.createClient();
        rest = connection.createRestClient();
        List<ElasticsearchTemplates.Template> first = ElasticsearchTemplates.install(url);
        List<ElasticsearchTemplates.Template> second = ElasticsearchTemplates.install(connection);
        assertEquals(ElasticsearchTemplates.TEMPLATES, first);
        assertEquals(first, second, "installing again is harmless");
    }

    @AfterAll
    static void closeClients() throws IOException {
        if (client != null) {
            client._transport().close();
        }
        if (rest != null) {
            rest.close();
        }
    }

    @Test
    void templatesComposeIntoTheIndexSettingsAndMappings() throws IOException {
        JsonNode simulated =
                perform("POST", "/_index_template/_simulate_index/sift-incidents-simulated-2026.11").at("/template");
        assertEquals("0", simulated.at("/settings/index/number_of_replicas").asText());
        assertTrue(simulated.at("/aliases/sift-incidents").isObject());
        JsonNode mappings = simulated.get("mappings");
        assertEquals("false", mappings.get("dynamic").asText());
        assertEquals("flattened", mappings.at("/properties/labels/type").asText());
        assertEquals("date", mappings.at("/properties/@timestamp/type").asText());
        assertEquals("nested", mappings.at("/properties/sift/properties/root_causes/type").asText());
        assertTrue(mappings.at("/_meta/sift_fields/sift.peak_score").isTextual(), "field descriptions from the index template");
        assertTrue(mappings.at("/_meta/ecs_fields/labels").isTextual(), "field descriptions from the component template");

        JsonNode anomalies =
                perform("POST", "/_index_template/_simulate_index/sift-anomalies-simulated-2026.11").at("/template");
        assertEquals("double", anomalies.at("/mappings/properties/sift/properties/score/type").asText());
        assertTrue(anomalies.at("/aliases/sift-anomalies").isObject());
    }

    @Test
    void incidentsLandWithIdAndVersionAndOlderVersionsNeverOverwrite() throws Exception {
        String prefix = uniquePrefix("sift-incidents-");
        String index = prefix + "2026.11";
        String handlerName = "incidents-" + prefix;

        // First job: 20 incidents, each at version 10 + i, several bulks (batch size 6).
        List<Incident> fresh = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fresh.add(TestData.incident("inc-" + i, 10 + i));
        }
        Map<String, Long> first = runJob(sink(prefix, handlerName, 6), fresh);
        assertEquals(20, first.get(ElasticsearchSink.METRIC_DOCUMENTS_SENT));
        assertEquals(0, first.get(ElasticsearchSink.METRIC_STALE_VERSIONS_SKIPPED));
        assertEquals(0, first.get(ElasticsearchSink.METRIC_DOCUMENTS_REJECTED));
        assertEquals(0, first.get(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED));
        assertEquals(4, first.get(ElasticsearchSink.METRIC_BULK_REQUESTS), "20 documents in bulks of at most 6");

        for (int i = 0; i < 20; i++) {
            GetResponse<ObjectNode> doc = get(index, "inc-" + i);
            assertTrue(doc.found(), "inc-" + i);
            assertEquals(10L + i, doc.version(), "_version is the incident version");
            assertEquals(10L + i, doc.source().at("/sift/version").asLong());
            assertEquals("inc-" + i, doc.source().at("/sift/id").asText());
        }

        // Second job: older versions of inc-0..inc-4, the same version of inc-5, a newer inc-6.
        List<Incident> replay = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Incident older = TestData.incident("inc-" + i, 10 + i - 3);
            older.setTitle("OLDER " + i);
            replay.add(older);
        }
        replay.add(TestData.incident("inc-5", 15));
        Incident newer = TestData.incident("inc-6", 40);
        newer.setTitle("NEWER");
        replay.add(newer);
        Map<String, Long> second = runJob(sink(prefix, handlerName, 6), replay);
        assertEquals(6, second.get(ElasticsearchSink.METRIC_STALE_VERSIONS_SKIPPED), "older and equal versions are stale");
        assertEquals(1, second.get(ElasticsearchSink.METRIC_DOCUMENTS_SENT));
        assertEquals(0, second.get(ElasticsearchSink.METRIC_DOCUMENTS_REJECTED), "stale is not rejected");
        assertEquals(0, second.get(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED));
        assertTrue(CollectingRejectedDocumentHandler.collected(handlerName).isEmpty());

        for (int i = 0; i < 5; i++) {
            GetResponse<ObjectNode> doc = get(index, "inc-" + i);
            assertEquals(10L + i, doc.version(), "the newer version stays");
            assertTrue(doc.source().at("/sift/title").asText().startsWith("orders-db"), doc.source().toString());
        }
        assertEquals(40L, get(index, "inc-6").version());
        assertEquals("NEWER", get(index, "inc-6").source().at("/sift/title").asText());

        // Readable through the alias.
        perform("POST", "/" + index + "/_refresh");
        long viaAlias =
                perform(
                                "POST",
                                "/sift-incidents/_count",
                                "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"_index\":\"" + index
                                        + "\"}},{\"term\":{\"sift.id\":\"inc-6\"}},{\"nested\":{\"path\":"
                                        + "\"sift.root_causes\",\"query\":{\"term\":{\"sift.root_causes.rank\":1}}}}]}}}")
                        .get("count")
                        .asLong();
        assertEquals(1, viaAlias, "found through the alias, with a nested root-cause query");
    }

    /**
     * Two environments use the same change id (a commit deployed to staging after prod): each keeps its own document
     * with its own external version. Keyed by the change id alone, prod's version 3 made staging's versions 1 and 2
     * stale, and staging's change never landed.
     */
    @Test
    void theSameChangeIdInTwoEnvironmentsLandsAsTwoDocumentsEachWithItsOwnVersion() throws Exception {
        String prefix = uniquePrefix("sift-changes-");
        String index = prefix + "2026.11";
        String handlerName = "changes-" + prefix;
        ChangeOutcome prod = ChangeDocumentEmitterTest.sampleOutcome("4f2a9c1"); // implicated, version 3
        ChangeEvent stagingChange = ChangeDocumentEmitterTest.sample("4f2a9c1");
        stagingChange.setEnvironment("staging");
        ChangeOutcome stagingPending = ChangeDocumentEmitterTest.pending(stagingChange);
        ChangeOutcome stagingClean = ChangeDocumentEmitterTest.pending(stagingChange);
        stagingClean.outcome = ChangeOutcome.Outcome.CLEAN;
        stagingClean.version = 2;
        ElasticsearchSink<ChangeOutcome> sink =
                ElasticsearchSink.builder()
                        .setConnection(connection)
                        .setEmitter(new ChangeDocumentEmitter(prefix))
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(List.of(prod, stagingPending, stagingClean), TypeInformation.of(ChangeOutcome.class))
                .sinkTo(sink);
        Map<String, Long> metrics = metrics(env.execute("elasticsearch-changes-it").getJobID());
        assertEquals(0, metrics.get(ElasticsearchSink.METRIC_STALE_VERSIONS_SKIPPED),
                "staging's versions are not stale against prod's");
        assertTrue(CollectingRejectedDocumentHandler.collected(handlerName).isEmpty());

        GetResponse<ObjectNode> inProd = get(index, ChangeOutcome.documentId("prod", "4f2a9c1"));
        GetResponse<ObjectNode> inStaging = get(index, ChangeOutcome.documentId("staging", "4f2a9c1"));
        assertTrue(inProd.found() && inStaging.found(), "both changes are indexed");
        assertEquals(3L, inProd.version());
        assertEquals("IMPLICATED", inProd.source().at("/sift/change/outcome").asText());
        assertEquals(2L, inStaging.version(), "staging's own outcome version");
        assertEquals("CLEAN", inStaging.source().at("/sift/change/outcome").asText());

        perform("POST", "/" + index + "/_refresh");
        JsonNode byEnvironment = perform("POST", "/sift-changes/_search",
                "{\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"_index\":\"" + index + "\"}},"
                        + "{\"term\":{\"sift.id\":\"4f2a9c1\"}}]}},\"aggs\":{\"env\":{\"terms\":"
                        + "{\"field\":\"service.environment\"}}}}");
        assertEquals(2, byEnvironment.at("/hits/total/value").asLong(), byEnvironment::toString);
        assertEquals(2, byEnvironment.at("/aggregations/env/buckets").size(), "one per environment: " + byEnvironment);
    }

    @Test
    void anomaliesLandAndTheirLabelsAreSearchable() throws Exception {
        String prefix = uniquePrefix("sift-anomalies-");
        String index = prefix + "2026.11";
        String handlerName = "anomalies-" + prefix;
        ElasticsearchSink<Anomaly> sink =
                ElasticsearchSink.builder()
                        .setConnection(connection)
                        .setEmitter(new AnomalyDocumentEmitter(prefix))
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(TestData.anomaly("an-1", 2), TestData.anomaly("an-2", 5), TestData.anomaly("an-1", 1))
                .sinkTo(sink);
        Map<String, Long> metrics = metrics(env.execute("elasticsearch-anomalies-it").getJobID());
        assertEquals(2, metrics.get(ElasticsearchSink.METRIC_DOCUMENTS_SENT));
        assertEquals(1, metrics.get(ElasticsearchSink.METRIC_STALE_VERSIONS_SKIPPED));
        assertTrue(CollectingRejectedDocumentHandler.collected(handlerName).isEmpty());
        assertEquals(2L, get(index, "an-1").version());
        assertEquals(5L, get(index, "an-2").version());

        perform("POST", "/" + index + "/_refresh");
        long matches =
                perform(
                                "POST",
                                "/sift-anomalies/_count",
                                "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"_index\":\"" + index
                                        + "\"}},{\"term\":{\"labels.status.class\":\"5xx\"}},"
                                        + "{\"range\":{\"sift.score\":{\"gte\":90}}}]}}}")
                        .get("count")
                        .asLong();
        assertEquals(2, matches, "flattened labels and scores are searchable through the alias");
    }

    @Test
    void aRejectedDocumentGoesToTheHandlerAndTheRestOfTheBulkLands() throws Exception {
        String prefix = uniquePrefix("sift-incidents-");
        String index = prefix + "2026.11";
        String handlerName = "rejections-" + prefix;
        Set<String> broken = Set.of("bad-score", "bad-date");

        List<Incident> incidents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            incidents.add(TestData.incident("good-" + i, 1));
        }
        incidents.add(3, TestData.incident("bad-score", 1));
        incidents.add(7, TestData.incident("bad-date", 1));

        ElasticsearchSink<Incident> sink =
                ElasticsearchSink.builder()
                        .setHosts(url)
                        .setEmitter(new BreakingEmitter(prefix, broken))
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                        .setMaxBatchSize(100)
                        .setMaxBufferedRequests(1000)
                        .setMaxInFlightRequests(1)
                        .setMaxTimeInBuffer(Duration.ofSeconds(10))
                        .build();
        Map<String, Long> metrics = runJob(sink, incidents);

        assertEquals(1, metrics.get(ElasticsearchSink.METRIC_BULK_REQUESTS), "all ten documents in one bulk");
        assertEquals(8, metrics.get(ElasticsearchSink.METRIC_DOCUMENTS_SENT));
        assertEquals(2, metrics.get(ElasticsearchSink.METRIC_DOCUMENTS_REJECTED));
        assertEquals(0, metrics.get(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED), "mapping errors are not retried");
        for (int i = 0; i < 8; i++) {
            assertTrue(get(index, "good-" + i).found(), "good-" + i + " of the same bulk landed");
        }
        for (String id : broken) {
            assertTrue(!get(index, id).found(), id + " was not indexed");
        }

        List<DeadLetter> deadLetters = CollectingRejectedDocumentHandler.collected(handlerName);
        assertEquals(2, deadLetters.size());
        BreakingEmitter emitter = new BreakingEmitter(prefix, broken);
        for (DeadLetter dl : deadLetters) {
            assertEquals("elasticsearch", dl.getStage());
            assertEquals(RejectedDocumentHandler.REJECTED_BY_ELASTICSEARCH, dl.getErrorKind());
            assertTrue(broken.contains(dl.getRecordId()), dl.getRecordId());
            String field = dl.getRecordId().equals("bad-score") ? "sift.peak_score" : "@timestamp";
            assertTrue(dl.getMessage().contains("HTTP 400"), dl.getMessage());
            assertTrue(dl.getMessage().contains("parsing_exception"), "error type in: " + dl.getMessage());
            assertTrue(dl.getMessage().contains("[" + field + "]"), "field in: " + dl.getMessage());
            assertArrayEquals(
                    emitter.toRequest(TestData.incident(dl.getRecordId(), 1)).source(),
                    bytes(dl.getPayload()),
                    "payload is the document JSON");
        }
    }

    @Test
    void aDocumentAboveTheRecordLimitIsDeadLetteredNotFatal() throws Exception {
        String prefix = uniquePrefix("sift-incidents-");
        String handlerName = "too-large-" + prefix;
        Incident huge = TestData.incident("huge", 1);
        huge.setTitle("x".repeat(6000));
        ElasticsearchSink<Incident> sink =
                ElasticsearchSink.builder()
                        .setHosts(url)
                        .setEmitter(new IncidentDocumentEmitter(prefix))
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                        .setMaxBatchSizeInBytes(64 * 1024)
                        .setMaxRecordSizeInBytes(4000)
                        .build();
        Map<String, Long> metrics =
                runJob(sink, List.of(TestData.incident("small-1", 1), huge, TestData.incident("small-2", 1)));
        assertEquals(2, metrics.get(ElasticsearchSink.METRIC_DOCUMENTS_SENT));
        assertEquals(1, metrics.get(ElasticsearchSink.METRIC_DOCUMENTS_REJECTED));
        List<DeadLetter> deadLetters = CollectingRejectedDocumentHandler.collected(handlerName);
        assertEquals(1, deadLetters.size());
        assertEquals(RejectedDocumentHandler.DOCUMENT_TOO_LARGE, deadLetters.get(0).getErrorKind());
        assertEquals("huge", deadLetters.get(0).getRecordId());
        assertTrue(deadLetters.get(0).getMessage().contains("setMaxRecordSizeInBytes"), deadLetters.get(0).getMessage());
        assertTrue(get(prefix + "2026.11", "small-2").found());
    }

    @Test
    void unreachableElasticsearchIsRetriedWithBackoffNotFailed() throws Exception {
        ElasticsearchSink<Incident> sink = toUnreachableElasticsearch().build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(TestData.incident("never-1", 1), TestData.incident("never-2", 1)).sinkTo(sink);
        JobClient job = env.executeAsync("elasticsearch-unreachable");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long retried = 0;
            while (retried < 6
                    && System.nanoTime() < deadline
                    && !job.getJobStatus().get().isGloballyTerminalState()) {
                Thread.sleep(100);
                retried = metrics(job.getJobID()).getOrDefault(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED, 0L);
            }
            assertTrue(retried >= 6, "both documents were retried at least three times, got " + retried);
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "connection failures do not fail the job");
            assertEquals(0L, metrics(job.getJobID()).get(ElasticsearchSink.METRIC_DOCUMENTS_REJECTED));
        } finally {
            job.cancel().get();
        }
    }

    /** Incidents the source side of {@link #aFullBufferHoldsTheJobBackWhileElasticsearchIsUnreachable} has handed on. */
    private static final java.util.concurrent.atomic.AtomicLong HANDED_TO_SINK = new java.util.concurrent.atomic.AtomicLong();

    @Test
    void aFullBufferHoldsTheJobBackWhileElasticsearchIsUnreachable() throws Exception {
        int buffered = 40;
        int batch = 10;
        ElasticsearchSink<Incident> sink =
                toUnreachableElasticsearch()
                        .setMaxBatchSize(batch)
                        .setMaxBufferedRequests(buffered)
                        .setMaxInFlightRequests(1)
                        .build();
        HANDED_TO_SINK.set(0);
        long available = 1_000_000;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSequence(1, available)
                .map(i -> {
                    HANDED_TO_SINK.incrementAndGet();
                    return TestData.incident("held-" + i, 1);
                })
                .returns(Incident.class)
                .sinkTo(sink);
        JobClient job = env.executeAsync("elasticsearch-unreachable-back-pressure");
        try {
            // Wait until the count of records taken in stops moving (unchanged for 2 s). The writer holds a failed
            // bulk in flight through its backoff and waits for room in flight before sending more, so the task stops
            // taking input once that wait begins (here after 20-50 records, before the buffer is full).
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (HANDED_TO_SINK.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // the job is still starting
            }
            long taken = -1;
            int unchanged = 0;
            while (unchanged < 4 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                long now = HANDED_TO_SINK.get();
                unchanged = now == taken ? unchanged + 1 : 0;
                taken = now;
            }
            System.out.printf("ElasticsearchSinkITCase: held back after taking in %d records (buffer %d, batch %d)%n",
                    taken, buffered, batch);
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "an unreachable Elasticsearch does not fail the job");
            assertEquals(4, unchanged, "the job stops taking in records while Elasticsearch is unreachable; it had taken "
                    + taken + " of " + available);
            // Never more than the buffer, a batch in flight and the record being written: the job (and through it
            // its Kafka reader) is held back instead of filling memory or dropping documents.
            assertTrue(taken <= buffered + batch + 1,
                    "at most the sink's buffer is taken in while Elasticsearch is unreachable, got " + taken);
            long retried = metrics(job.getJobID()).get(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED);
            Thread.sleep(1_000);
            assertTrue(metrics(job.getJobID()).get(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED) > retried,
                    "the held documents are retried meanwhile (backoff at most 200 ms)");
            assertEquals(taken, HANDED_TO_SINK.get(), "still held back");
        } finally {
            job.cancel().get();
        }
    }

    /** A sink to a port nothing listens on, retrying every 20-200 ms. */
    private static ElasticsearchSinkBuilder<Incident> toUnreachableElasticsearch() {
        return ElasticsearchSink.<Incident>builder()
                .setHosts("http://127.0.0.1:" + io.sift.testing.Ports.freePort())
                .setEmitter(new IncidentDocumentEmitter(uniquePrefix("sift-incidents-")))
                .setRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .setMaxTimeInBuffer(Duration.ofMillis(50));
    }

    // ---------------------------------------------------------------------------------------------

    /** Emits incidents, but puts a string into a double field or a date field for some ids. */
    static final class BreakingEmitter implements ElasticsearchEmitter<Incident> {
        private static final long serialVersionUID = 1L;
        private final IncidentDocumentEmitter delegate;
        private final Set<String> broken;

        BreakingEmitter(String prefix, Set<String> broken) {
            this.delegate = new IncidentDocumentEmitter(prefix);
            this.broken = Set.copyOf(broken);
        }

        @Override
        public IndexRequestEntry toRequest(Incident incident) {
            IndexRequestEntry entry = delegate.toRequest(incident);
            if (!broken.contains(incident.getId())) {
                return entry;
            }
            String json = entry.sourceAsString();
            String bad =
                    incident.getId().equals("bad-score")
                            ? json.replace("\"peak_score\":93.5", "\"peak_score\":\"very high\"")
                            : json.replaceFirst("\"@timestamp\":\"[^\"]+\"", "\"@timestamp\":\"yesterday-ish\"");
            if (bad.equals(json)) {
                throw new IllegalStateException("test emitter did not break " + incident.getId());
            }
            return IndexRequestEntry.versioned(entry.index(), entry.id(), entry.externalVersion(), bad);
        }
    }

    private static ElasticsearchSink<Incident> sink(String prefix, String handlerName, int batchSize) {
        return ElasticsearchSink.builder()
                .setConnection(connection)
                .setEmitter(new IncidentDocumentEmitter(prefix))
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                .setMaxBatchSize(batchSize)
                .setMaxBufferedRequests(100)
                .setMaxInFlightRequests(1)
                .setMaxTimeInBuffer(Duration.ofSeconds(10))
                .build();
    }

    /** Runs a bounded job writing {@code incidents} through {@code sink}; returns the sink's metrics. */
    private static Map<String, Long> runJob(ElasticsearchSink<Incident> sink, List<Incident> incidents)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(incidents).sinkTo(sink).name("elasticsearch");
        JobExecutionResult result = env.execute("elasticsearch-sink-it");
        return metrics(result.getJobID());
    }

    /** The sink writer's counters of a job, summed over subtasks. */
    private static Map<String, Long> metrics(JobID job) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String name :
                List.of(
                        ElasticsearchSink.METRIC_DOCUMENTS_SENT,
                        ElasticsearchSink.METRIC_DOCUMENTS_RETRIED,
                        ElasticsearchSink.METRIC_DOCUMENTS_REJECTED,
                        ElasticsearchSink.METRIC_STALE_VERSIONS_SKIPPED,
                        ElasticsearchSink.METRIC_BULK_REQUESTS)) {
            long sum = 0;
            boolean found = false;
            for (Map.Entry<String, Metric> e : METRICS.getMetricsByIdentifiers(job).entrySet()) {
                if (e.getKey().endsWith("." + name) && e.getValue() instanceof Counter) {
                    sum += ((Counter) e.getValue()).getCount();
                    found = true;
                }
            }
            if (found) {
                out.put(name, sum);
            }
        }
        boolean latency =
                METRICS.getMetricsByIdentifiers(job).entrySet().stream()
                        .anyMatch(e -> e.getKey().endsWith("." + ElasticsearchSink.METRIC_BULK_LATENCY_MS)
                                && e.getValue() instanceof Gauge);
        assertTrue(latency || out.isEmpty(), "bulk latency gauge registered");
        return out;
    }

    private static GetResponse<ObjectNode> get(String index, String id) throws IOException {
        return client.get(g -> g.index(index).id(id), ObjectNode.class);
    }

    private static JsonNode perform(String method, String endpoint) throws IOException {
        return perform(method, endpoint, null);
    }

    private static JsonNode perform(String method, String endpoint, String body) throws IOException {
        Request request = new Request(method, endpoint);
        if (body != null) {
            request.setJsonEntity(body);
        }
        Response response = rest.performRequest(request);
        return JSON.readTree(response.getEntity().getContent());
    }

    private static String uniquePrefix(String base) {
        return base + "it-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + "-";
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
