package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.elasticsearch.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IncidentDocumentEmitter;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Anomaly;
import io.sift.schema.Incident;
import io.sift.testing.FixedInstants;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task failure mid-stream changes nothing downstream: the same Kafka input runs once without and once with an
 * operator failing after a completed checkpoint; the job recovers from its checkpoint, and Elasticsearch ends with the
 * same incidents (ids, final versions, anomaly counts, root causes) and anomalies, and the incident topic with the same
 * latest record per key.
 */
class RecoveryITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Trips once per test name, across the restarts of the job in this JVM. */
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aTaskFailureAfterACheckpointLeavesTheSameIncidentsAsAFailureFreeRun() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Scenario scenario = ScenarioGenerator.builder()
                .seed(23)
                .environment("recovery-" + run)
                .services(24)
                .start(FixedInstants.T0)
                .duration(Duration.ofMinutes(150))
                .fault(FaultSpec.of(FaultType.RESOURCE_SATURATION).at(Duration.ofMinutes(75)).lasting(Duration.ofMinutes(8)))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).at(Duration.ofMinutes(115)).lasting(Duration.ofMinutes(8)))
                .build()
                .generate();
        Map<String, String> settings = new HashMap<>(ScenarioKafka.topicSettings("recovery-" + run + "."));
        settings.put(SiftOptions.KAFKA_BOOTSTRAP.key(), LocalServices.kafkaBootstrap());
        settings.put(SiftOptions.KAFKA_BOUNDED.key(), "true");
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "500 ms");
        settings.put(SiftOptions.DEFAULT_ENVIRONMENT.key(), "recovery-" + run);
        settings.put("parallelism.default", "2");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "3");
        settings.put("restart-strategy.fixed-delay.delay", "1 s");
        Configuration conf = SiftSettings.load(null, settings);
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    topic(run, "clean"), topic(run, "failing"), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            kafka.sendScenario(conf, scenario);
        }
        ElasticsearchTemplates.install(LocalServices.elasticsearchUrl());

        runJob(settings, run, "clean", false);
        String failureName = "recovery-" + run;
        FAILED.put(failureName, new AtomicBoolean());
        runJob(settings, run, "failing", true);
        assertTrue(FAILED.get(failureName).get(), "the injected failure must have happened");

        Map<String, String> clean = incidents(run, "clean");
        Map<String, String> failing = incidents(run, "failing");
        assertFalse(clean.isEmpty(), "the scenario's faults give incidents");
        assertEquals(clean, failing, "the same incidents, final versions and contents after recovery");
        assertEquals(anomalyVersions(run, "clean"), anomalyVersions(run, "failing"), "the same anomalies");

        Map<String, Long> cleanTopic = latestVersions(topic(run, "clean"));
        assertEquals(cleanTopic, latestVersions(topic(run, "failing")), "the same latest record per key on the topic");
        assertEquals(clean.keySet(), cleanTopic.keySet(), "the topic and Elasticsearch name the same incidents");
    }

    private static void runJob(Map<String, String> base, String run, String name, boolean injectFailure)
            throws Exception {
        Map<String, String> settings = new HashMap<>(base);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "recovery-" + run + "-" + name);
        settings.put(SiftOptions.TOPIC_INCIDENTS.key(), topic(run, name));
        Configuration conf = SiftSettings.load(null, settings);
        String elasticsearch = LocalServices.elasticsearchUrl();
        String rejected = "recovery-" + run + "-" + name;
        SiftJob.Outputs kafkaOutputs = SiftWiring.outputs(conf);
        List<Sink<Anomaly>> anomalySinks = new ArrayList<>(kafkaOutputs.anomalies());
        anomalySinks.add(ElasticsearchSink.<Anomaly>builder().setHosts(elasticsearch)
                .setEmitter(new AnomalyDocumentEmitter("sift-anomalies-" + run + "-" + name + "-"))
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(rejected)).build());
        List<Sink<Incident>> incidentSinks = new ArrayList<>(kafkaOutputs.incidents());
        incidentSinks.add(ElasticsearchSink.<Incident>builder().setHosts(elasticsearch)
                .setEmitter(new IncidentDocumentEmitter("sift-incidents-" + run + "-" + name + "-"))
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(rejected)).build());

        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        SiftJob.Streams streams = SiftJob.build(env, SiftWiring.kafkaInputs(conf),
                new SiftJob.Outputs(anomalySinks, incidentSinks, kafkaOutputs.deadLetters()), new SiftSettings(conf));
        if (injectFailure) {
            streams.anomalies().map(new FailOnceAfterCheckpoint<>("recovery-" + run, 20))
                    .sinkTo(new DiscardingSink<>()).name("Inject one failure");
        }
        env.execute("recovery-" + name);
        assertTrue(CollectingRejectedDocumentHandler.collected(rejected).isEmpty(), "Elasticsearch rejected documents");
    }

    /** Throws once, on a record after at least one completed checkpoint and {@code afterRecords} records. */
    static final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
        private final String name;
        private final int afterRecords;
        private transient boolean checkpointCompleted;
        private transient int seen;

        FailOnceAfterCheckpoint(String name, int afterRecords) {
            this.name = name;
            this.afterRecords = afterRecords;
        }

        @Override
        public void open(OpenContext context) {
            checkpointCompleted = false;
            seen = 0;
        }

        @Override
        public T map(T value) {
            seen++;
            if (checkpointCompleted && seen >= afterRecords && FAILED.get(name).compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure (RecoveryITCase)");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
        }
    }

    private static String topic(String run, String name) {
        return "recovery-" + run + ".incidents-" + name;
    }

    /** id → "version|status|anomalyCount|services|top root cause" of every incident document. */
    private static Map<String, String> incidents(String run, String name) throws Exception {
        Map<String, String> incidents = new TreeMap<>();
        for (JsonNode hit : search("sift-incidents-" + run + "-" + name + "-*")) {
            JsonNode sift = hit.at("/_source/sift");
            incidents.put(sift.get("id").asText(), hit.get("_version").asLong() + "|" + sift.get("status").asText() + "|"
                    + sift.get("anomaly_count").asInt() + "|" + sift.get("services") + "|"
                    + sift.at("/root_causes/0/item").asText());
        }
        return incidents;
    }

    /** anomaly id → final version. */
    private static Map<String, Long> anomalyVersions(String run, String name) throws Exception {
        Map<String, Long> anomalies = new TreeMap<>();
        for (JsonNode hit : search("sift-anomalies-" + run + "-" + name + "-*")) {
            anomalies.put(hit.get("_id").asText(), hit.get("_version").asLong());
        }
        return anomalies;
    }

    private static JsonNode search(String indices) throws Exception {
        String base = LocalServices.elasticsearchUrl() + "/" + indices;
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":10000,\"version\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).at("/hits/hits");
    }

    private static Map<String, Long> latestVersions(String topic) throws Exception {
        Map<String, Long> latest = new TreeMap<>();
        ScenarioKafka.latestIncidents(LocalServices.kafkaBootstrap(), topic, FixedInstants.T0)
                .forEach((id, incident) -> latest.put(id, incident.getVersion()));
        return latest;
    }
}
