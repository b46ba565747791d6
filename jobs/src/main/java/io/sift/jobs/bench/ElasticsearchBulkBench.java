package io.sift.jobs.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.JsonData;
import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.ElasticsearchConnection;
import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IndexRequestEntry;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Bulk indexing into a real Elasticsearch: Sift's sink in a local Flink job against the plain elasticsearch-java bulk
 * API on the same documents, one after the other. Documents land in months of the year 2000 (indices made from
 * Sift's templates) that are deleted afterwards. Elasticsearch runs on the same machine: the CPU figures are this
 * process's only, not the server's.
 */
public final class ElasticsearchBulkBench {

    public static final String STAGE = "elasticsearch";
    private static final String DESCRIPTION = "Bulk indexing of anomaly documents into Elasticsearch: Sift's"
            + " ElasticsearchSink in a local Flink job against a plain elasticsearch-java bulk loop";

    /** Anomaly onsets in January 2000 (sink) and February 2000 (baseline): indices nobody else uses. */
    private static final Instant SINK_MONTH = Instant.parse("2000-01-10T00:00:00Z");
    private static final Instant BASELINE_MONTH = Instant.parse("2000-02-10T00:00:00Z");

    private ElasticsearchBulkBench() {}

    /** Runs the stage, or reports it skipped when nothing answers at the URL. */
    public static StageReport run(BenchSettings settings) throws Exception {
        String url = settings.elasticsearchUrl();
        String unreachable = unreachable(url);
        if (unreachable != null) {
            return StageReport.skipped(STAGE, DESCRIPTION, "Elasticsearch is not reachable at " + url + " ("
                    + unreachable + "); start the local stack (./sift stack up) or pass --elasticsearch URL");
        }
        int documents = settings.documents();
        int bulkSize = settings.bulkSize();
        ElasticsearchTemplates.install(url);
        ElasticsearchConnection connection = ElasticsearchConnection.forUrl(url);
        ElasticsearchClient client = connection.createClient();
        StageReport report = new StageReport(STAGE, DESCRIPTION + " at " + url);
        try {
            deleteBenchIndices(client);
            report.add(sink(url, anomalies(documents, SINK_MONTH), bulkSize));
            report.add(baseline(client, anomalies(documents, BASELINE_MONTH), bulkSize));
        } finally {
            deleteBenchIndices(client);
            client._transport().close();
        }
        return report.figure("bulk size", bulkSize, "documents")
                .note("Elasticsearch shares the machine: cores and per-core figures count this process only, not"
                        + " the server's indexing");
    }

    /** Null when Elasticsearch's cluster health answers with a success status, else what went wrong. */
    static String unreachable(String url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1).build();
        try {
            String health = url.replaceAll("/+$", "") + "/_cluster/health";
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(health))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
        } catch (IOException | IllegalArgumentException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The plain client: one synchronous bulk request after the other, as a hand-written loader would do. */
    private static Measurement baseline(ElasticsearchClient client, List<Anomaly> anomalies, int bulkSize)
            throws Exception {
        AnomalyDocumentEmitter emitter = new AnomalyDocumentEmitter();
        long cpu = Machine.processCpuNanos();
        long start = System.nanoTime();
        for (int from = 0; from < anomalies.size(); from += bulkSize) {
            BulkRequest.Builder bulk = new BulkRequest.Builder();
            for (Anomaly anomaly : anomalies.subList(from, Math.min(anomalies.size(), from + bulkSize))) {
                IndexRequestEntry entry = emitter.toRequest(anomaly);
                bulk.operations(op -> op.index(index -> index.index(entry.index()).id(entry.id())
                        .version(entry.externalVersion()).versionType(VersionType.External)
                        .document(JsonData.from(new ByteArrayInputStream(entry.source())))));
            }
            BulkResponse response = client.bulk(bulk.build());
            if (response.errors()) {
                throw new IllegalStateException("baseline bulk had item errors: " + response.items().stream()
                        .filter(item -> item.error() != null).findFirst().map(item -> item.error().reason()).orElse("?"));
            }
        }
        return measurement("elasticsearch-java bulk loop (baseline)", Measurement.Role.BASELINE, anomalies.size(), start,
                cpu);
    }

    /**
     * Sift's sink in a local Flink job with parallelism 1, timed from the first document entering the job to the
     * job's end, so that starting the MiniCluster does not count.
     */
    private static Measurement sink(String url, List<Anomaly> anomalies, int bulkSize) throws Exception {
        String handler = "bench-" + System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(Map.of("parallelism.default", "1")));
        env.fromData(anomalies).map(new FirstRecordClock<>(handler)).name("first document clock")
                .sinkTo(ElasticsearchSink.<Anomaly>builder().setHosts(url)
                .setEmitter(new AnomalyDocumentEmitter())
                .setMaxBatchSize(bulkSize)
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler))
                .build()).name("anomalies → Elasticsearch");
        env.execute("sift-bench-elasticsearch");
        long[] first = FirstRecordClock.STARTED.remove(handler);
        if (!CollectingRejectedDocumentHandler.collected(handler).isEmpty()) {
            throw new IllegalStateException("the sink rejected documents: "
                    + CollectingRejectedDocumentHandler.collected(handler).get(0).getMessage());
        }
        return measurement("Sift ElasticsearchSink (Flink, parallelism 1)", Measurement.Role.SUBJECT,
                anomalies.size(), first[0], first[1]);
    }

    /** Notes the wall and CPU clocks when the first record passes (the job runs in this JVM). */
    private static final class FirstRecordClock<T> implements org.apache.flink.api.common.functions.MapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        static final Map<String, long[]> STARTED = new ConcurrentHashMap<>();
        private final String key;
        private transient boolean seen;

        FirstRecordClock(String key) {
            this.key = key;
        }

        @Override
        public T map(T value) {
            if (!seen) {
                seen = true;
                STARTED.putIfAbsent(key, new long[] {System.nanoTime(), Machine.processCpuNanos()});
            }
            return value;
        }
    }

    private static Measurement measurement(String name, Measurement.Role role, long documents, long startNanos,
            long startCpu) {
        return new Measurement(name, role, documents, System.nanoTime() - startNanos,
                Machine.processCpuNanos() - startCpu);
    }

    private static List<Anomaly> anomalies(int count, Instant month) {
        List<Anomaly> anomalies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String service = "svc-" + (i % 40);
            anomalies.add(Anomaly.newBuilder()
                    .setId("bench-" + month.toEpochMilli() + "-" + i)
                    .setVersion(1)
                    .setSignal(SignalType.METRIC)
                    .setDetector("robust-baseline")
                    .setSeriesKey("http.server.request.duration.p95|" + service + "|route=/r" + (i % 7))
                    .setMetric("http.server.request.duration.p95")
                    .setResource(Resource.newBuilder().setService(service).setHost("node-" + (i % 9))
                            .setInstance(service + "-" + (i % 3)).setEnvironment("bench").build())
                    .setLabels(Map.of("route", "/r" + (i % 7)))
                    .setOnset(month.plusSeconds(i))
                    .setTime(month.plusSeconds(i + 60))
                    .setEnd(month.plusSeconds(i + 600))
                    .setObserved(800 + i % 100)
                    .setExpected(120.0)
                    .setLowerBound(80.0)
                    .setUpperBound(190.0)
                    .setDeviation(9.5)
                    .setDirection(Direction.UP)
                    .setScore(90.0)
                    .setSamples(12)
                    .build());
        }
        return anomalies;
    }

    private static void deleteBenchIndices(ElasticsearchClient client) throws Exception {
        client.indices().delete(d -> d.index("sift-anomalies-2000.01", "sift-anomalies-2000.02").ignoreUnavailable(true));
    }
}
