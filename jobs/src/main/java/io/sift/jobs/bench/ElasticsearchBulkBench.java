package io.sift.jobs.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.elasticsearch.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.ElasticsearchConnection;
import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IndexRequestEntry;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Bulk indexing into a real Elasticsearch: Sift's sink in a local Flink job against the plain elasticsearch-java bulk
 * API on the same documents, one after the other. Documents land in months of the year 2000 (indices made from
 * Sift's templates) that are deleted afterwards.
 */
public final class ElasticsearchBulkBench {

    /** Anomaly onsets in January 2000 (sink) and February 2000 (baseline): indices nobody else uses. */
    private static final Instant SINK_MONTH = Instant.parse("2000-01-10T00:00:00Z");
    private static final Instant BASELINE_MONTH = Instant.parse("2000-02-10T00:00:00Z");

    public record Result(String stage, long documents, double seconds, double documentsPerSecond) {}

    private ElasticsearchBulkBench() {}

    public static List<Result> run(String url, int documents, int bulkSize) throws Exception {
        ElasticsearchTemplates.install(url);
        ElasticsearchConnection connection = ElasticsearchConnection.forUrl(url);
        ElasticsearchClient client = connection.createClient();
        try {
            deleteBenchIndices(client);
            List<Result> results = new ArrayList<>();
            results.add(baseline(client, anomalies(documents, BASELINE_MONTH), bulkSize));
            results.add(sink(url, anomalies(documents, SINK_MONTH), bulkSize));
            return results;
        } finally {
            deleteBenchIndices(client);
            client._transport().close();
        }
    }

    /** The plain client: one synchronous bulk request after the other, as a hand-written loader would do. */
    private static Result baseline(ElasticsearchClient client, List<Anomaly> anomalies, int bulkSize) throws Exception {
        AnomalyDocumentEmitter emitter = new AnomalyDocumentEmitter();
        long start = System.nanoTime();
        for (int from = 0; from < anomalies.size(); from += bulkSize) {
            BulkRequest.Builder bulk = new BulkRequest.Builder();
            for (Anomaly anomaly : anomalies.subList(from, Math.min(anomalies.size(), from + bulkSize))) {
                IndexRequestEntry entry = emitter.toRequest(anomaly);
                bulk.operations(op -> op.index(index -> index.index(entry.index()).id(entry.id())
                        .version(entry.externalVersion()).versionType(co.elastic.clients.elasticsearch._types.VersionType.External)
                        .document(co.elastic.clients.json.JsonData.from(new ByteArrayInputStream(entry.source())))));
            }
            BulkResponse response = client.bulk(bulk.build());
            if (response.errors()) {
                throw new IllegalStateException("baseline bulk had item errors: " + response.items().stream()
                        .filter(item -> item.error() != null).findFirst().map(item -> item.error().reason()).orElse("?"));
            }
        }
        return result("elasticsearch-java bulk loop (baseline)", anomalies.size(), start);
    }

    /** Sift's sink in a local Flink job with parallelism 1. */
    private static Result sink(String url, List<Anomaly> anomalies, int bulkSize) throws Exception {
        String handler = "bench-" + System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(Map.of("parallelism.default", "1")));
        env.fromData(anomalies).sinkTo(ElasticsearchSink.<Anomaly>builder().setHosts(url)
                .setEmitter(new AnomalyDocumentEmitter())
                .setMaxBatchSize(bulkSize)
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler))
                .build()).name("anomalies → Elasticsearch");
        long start = System.nanoTime();
        env.execute("sift-bench-elasticsearch");
        if (!CollectingRejectedDocumentHandler.collected(handler).isEmpty()) {
            throw new IllegalStateException("the sink rejected documents: "
                    + CollectingRejectedDocumentHandler.collected(handler).get(0).getMessage());
        }
        return result("Sift ElasticsearchSink (Flink, parallelism 1)", anomalies.size(), start);
    }

    private static Result result(String stage, long documents, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Result(stage, documents, seconds, documents / seconds);
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
