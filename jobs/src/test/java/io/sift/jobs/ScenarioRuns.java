package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.ElasticsearchSinkBuilder;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IncidentDocumentEmitter;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Anomaly;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.SiftSchemas;
import io.sift.testing.FixedInstants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One generated scenario written once to Kafka, and runs of the Sift job over it that differ only in the faults a test
 * injects. Each run has its own incident and dead-letter topics and Elasticsearch indices, so that a run under faults
 * can be compared with a failure-free one: the same incidents (ids, final versions, contents) and anomalies in
 * Elasticsearch, and the same latest record per incident on the topic.
 */
final class ScenarioRuns {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Retries back off to at most 5 s (the default is 30 s) so that a run resumes soon after a service returns. */
    private static final Duration RETRY_BACKOFF_MAX = Duration.ofSeconds(5);

    private final String name;
    private final String kafka;
    private final String elasticsearch;
    private final Map<String, String> settings;
    private final long recordsIn;
    private final long metricsAndLogs;

    /**
     * Writes {@code scenario} to fresh input topics named {@code <name>.metrics} etc. on {@code kafka}, and installs the
     * Elasticsearch templates. {@code name} also names the scenario's default environment.
     */
    ScenarioRuns(String name, String kafka, String elasticsearch, Scenario scenario) throws Exception {
        this.name = name;
        this.kafka = kafka;
        this.elasticsearch = elasticsearch;
        this.settings = kafkaSettings(name, kafka, true);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "500 ms");
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "3");
        settings.put("restart-strategy.fixed-delay.delay", "1 s");
        Configuration conf = SiftSettings.load(null, settings);
        try (ScenarioKafka producer = new ScenarioKafka(kafka)) {
            producer.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY)), 2);
            List<MetricPoint> metrics = scenario.metrics().toList();
            List<LogRecord> logs = scenario.logs().toList();
            producer.sendScenario(conf, scenario, metrics, logs);
            recordsIn = producer.sent();
            metricsAndLogs = metrics.size() + logs.size();
        }
        ElasticsearchTemplates.install(elasticsearch);
    }

    /** A unique run name: {@code <purpose>-<8 random hex digits>}. */
    static String uniqueName(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * 150 minutes of 24 services in the environment {@code environment} with two faults, a resource saturation at
     * 75 min and a bad deploy at 115 min (8 minutes each): a few incidents with several versions each.
     */
    /** 20 services for 110 minutes with one random fault, the estate of the single-fault end-to-end tests. */
    static Scenario oneFault(String environment, long seed) {
        Scenario scenario = ScenarioGenerator.builder()
                .seed(seed)
                .environment(environment)
                .services(20)
                .start(FixedInstants.T0)
                .duration(Duration.ofMinutes(110))
                .randomFaults(1)
                .build()
                .generate();
        assertEquals(1, scenario.faults().size());
        return scenario;
    }

    /**
     * The settings every Kafka end-to-end test starts from: topics named {@code <environment>.metrics} etc., the
     * broker, bounded or not, {@code environment} as the default environment, parallelism 2. Mutable, to add to.
     */
    static Map<String, String> kafkaSettings(String environment, String bootstrap, boolean bounded) {
        Map<String, String> settings = new HashMap<>(ScenarioKafka.topicSettings(environment + "."));
        settings.put(SiftOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
        settings.put(SiftOptions.KAFKA_BOUNDED.key(), Boolean.toString(bounded));
        settings.put(SiftOptions.DEFAULT_ENVIRONMENT.key(), environment);
        settings.put("parallelism.default", "2");
        return settings;
    }

    static Scenario twoFaults(String environment) {
        return ScenarioGenerator.builder()
                .seed(23)
                .environment(environment)
                .services(24)
                .start(FixedInstants.T0)
                .duration(Duration.ofMinutes(150))
                .fault(FaultSpec.of(FaultType.RESOURCE_SATURATION).at(Duration.ofMinutes(75)).lasting(Duration.ofMinutes(8)))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).at(Duration.ofMinutes(115)).lasting(Duration.ofMinutes(8)))
                .build()
                .generate();
    }

    /** Records written to the input topics. */
    long recordsIn() {
        return recordsIn;
    }

    /** Of {@link #recordsIn()}, the metric points and log records (what {@link EventTimePace} paces). */
    long metricsAndLogs() {
        return metricsAndLogs;
    }

    /** Changes a setting of every run prepared from now on. */
    ScenarioRuns set(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /**
     * The job of run {@code run}, built but not started: inputs from the scenario's topics (passed through
     * {@code inputs}, e.g. to pace them), outputs to the run's own incident and dead-letter topics (created afresh) and
     * Elasticsearch indices, metrics kept in memory for the test.
     */
    Run prepare(String run, UnaryOperator<SiftJob.Inputs> inputs) throws Exception {
        Configuration conf = SiftSettings.load(null, runSettings(run));
        InMemoryReporter metrics = InMemoryReporter.createWithRetainedMetrics();
        metrics.addToConfiguration(conf);

        String rejected = name + "-" + run;
        SiftJob.Outputs kafkaOutputs = SiftWiring.outputs(conf);
        List<Sink<Anomaly>> anomalySinks = new ArrayList<>(kafkaOutputs.anomalies());
        anomalySinks.add(elasticsearchSink(conf, rejected)
                .setEmitter(new AnomalyDocumentEmitter(indexPrefix("anomalies", run))).build());
        List<Sink<Incident>> incidentSinks = new ArrayList<>(kafkaOutputs.incidents());
        incidentSinks.add(elasticsearchSink(conf, rejected)
                .setEmitter(new IncidentDocumentEmitter(indexPrefix("incidents", run))).build());

        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        SiftJob.Streams streams = SiftJob.build(env, inputs.apply(SiftWiring.kafkaInputs(conf)),
                new SiftJob.Outputs(anomalySinks, incidentSinks, kafkaOutputs.deadLetters()), new SiftSettings(conf));
        return new Run(run, conf, env, streams, rejected, metrics);
    }

    /**
     * The settings of run {@code run}: the scenario's input topics, the run's own consumer group and incident,
     * dead-letter and problem topics (created afresh). Also what a run in a process of its own ({@code ./sift run}, see
     * {@link Launcher}) takes as {@code -D} arguments; mutable, to add to.
     */
    Map<String, String> runSettings(String run) throws Exception {
        Map<String, String> runSettings = new HashMap<>(settings);
        runSettings.put(SiftOptions.KAFKA_GROUP_ID.key(), name + "-" + run);
        runSettings.put(SiftOptions.TOPIC_INCIDENTS.key(), name + ".incidents-" + run);
        runSettings.put(SiftOptions.TOPIC_DEAD_LETTERS.key(), name + ".deadletter-" + run);
        runSettings.put(ItsmOptions.TOPIC_PROBLEMS.key(), name + ".problems-" + run);
        Configuration conf = SiftSettings.load(null, runSettings);
        try (ScenarioKafka producer = new ScenarioKafka(kafka)) {
            producer.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_INCIDENTS),
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS), conf.get(ItsmOptions.TOPIC_PROBLEMS)), 2);
        }
        return runSettings;
    }

    /** Run {@code run}'s incident topic: the latest version per incident and how many records it holds. */
    IncidentTopic incidentTopic(String run) throws Exception {
        return incidentTopicOf(name + ".incidents-" + run);
    }

    /** A failure-free run, to completion. */
    Outcome runClean(String run) throws Exception {
        Run clean = prepare(run, UnaryOperator.identity());
        long start = System.nanoTime();
        clean.env.execute(name + "-" + run);
        System.err.printf("%s: run '%s' took %d ms%n", name, run, (System.nanoTime() - start) / 1_000_000);
        clean.assertNoRejections();
        return outcome(run);
    }

    /** The production sink settings (SiftWiring), with the test's rejected-document handler and backoff. */
    private ElasticsearchSinkBuilder<Object> elasticsearchSink(Configuration conf, String rejected) {
        return SiftWiring.elasticsearch(conf, elasticsearch)
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(rejected))
                .setRetryBackoff(Duration.ofMillis(100), RETRY_BACKOFF_MAX);
    }

    private String indexPrefix(String kind, String run) {
        return "sift-" + kind + "-" + name + "-" + run + "-";
    }

    /** One prepared run of the job. */
    final class Run {
        final String run;
        final Configuration conf;
        final StreamExecutionEnvironment env;
        final SiftJob.Streams streams;
        private final String rejected;
        private final InMemoryReporter metrics;

        private Run(String run, Configuration conf, StreamExecutionEnvironment env, SiftJob.Streams streams,
                String rejected, InMemoryReporter metrics) {
            this.run = run;
            this.conf = conf;
            this.env = env;
            this.streams = streams;
            this.rejected = rejected;
            this.metrics = metrics;
        }

        /**
         * The sum over the running job's subtasks of the counters named {@code name} (e.g. an Elasticsearch sink's
         * {@code documentsRetried}); metrics go when the job's local cluster shuts down, so read them while it runs.
         */
        long counter(JobID job, String counterName) {
            // by group: identifiers need not be unique (two writers of a sink register numBytesOutPerSecond alike)
            long sum = 0;
            for (Map.Entry<MetricGroup, Map<String, Metric>> group : metrics.getMetricsByGroup().entrySet()) {
                if (job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))
                        && group.getValue().get(counterName) instanceof Counter counter) {
                    sum += counter.getCount();
                }
            }
            return sum;
        }

        /** Elasticsearch refused no document of this run. */
        void assertNoRejections() {
            assertTrue(CollectingRejectedDocumentHandler.collected(rejected).isEmpty(),
                    "Elasticsearch rejected documents: " + CollectingRejectedDocumentHandler.collected(rejected));
        }

        Outcome outcome() throws Exception {
            return ScenarioRuns.this.outcome(run);
        }
    }

    /**
     * What a run left: incidents and anomalies in Elasticsearch, the incident topic, and how many records went to its
     * dead-letter topic.
     */
    record Outcome(Map<String, String> incidents, Map<String, Long> anomalies, IncidentTopic topic, long deadLetters) {}

    /** The incident topic: the latest version per incident, and how many records it holds in all. */
    record IncidentTopic(Map<String, Long> latestVersions, long records, long duplicates) {}

    Outcome outcome(String run) throws Exception {
        return new Outcome(incidents(run), anomalyVersions(run), incidentTopicOf(name + ".incidents-" + run),
                records(name + ".deadletter-" + run).size());
    }

    /**
     * Asserts that {@code actual} holds the same results as the failure-free {@code expected}: the same incidents
     * (ids, final versions, status, anomaly counts, services, top root cause) and anomalies (ids, final versions) in
     * Elasticsearch, and the same latest version per incident on the topic. Duplicated records on the topic are
     * allowed (delivery is at least once).
     */
    static void assertSameResults(Outcome expected, Outcome actual) {
        assertFalse(expected.incidents().isEmpty(), "the scenario's faults give incidents");
        // the failure-free run first: a fault of its own must not read as a difference of the run under faults
        assertEquals(expected.incidents().keySet(), expected.topic().latestVersions().keySet(),
                "the failure-free run's topic and Elasticsearch name the same incidents");
        assertEquals(expected.incidents(), actual.incidents(), "the same incidents, final versions and contents");
        assertEquals(expected.anomalies(), actual.anomalies(), "the same anomalies and final versions");
        assertEquals(expected.topic().latestVersions(), actual.topic().latestVersions(),
                "the same latest record per incident on the topic");
    }

    /**
     * Incidents and anomalies of the failure-free run that the other run lacks, or holds at a lower final version (in
     * Elasticsearch or on the topic).
     */
    static long lost(Outcome expected, Outcome actual) {
        long lost = 0;
        for (Map.Entry<String, Long> anomaly : expected.anomalies().entrySet()) {
            Long version = actual.anomalies().get(anomaly.getKey());
            lost += version == null || version < anomaly.getValue() ? 1 : 0;
        }
        for (Map.Entry<String, String> incident : expected.incidents().entrySet()) {
            String other = actual.incidents().get(incident.getKey());
            lost += other == null || version(other) < version(incident.getValue()) ? 1 : 0;
        }
        for (Map.Entry<String, Long> incident : expected.topic().latestVersions().entrySet()) {
            Long version = actual.topic().latestVersions().get(incident.getKey());
            lost += version == null || version < incident.getValue() ? 1 : 0;
        }
        return lost;
    }

    /** The figures of a run, for the test's report. */
    String figures(Outcome outcome, Outcome expected) {
        return String.format("records in %d, incidents out %d (%d records on the topic), anomalies %d, dead-lettered %d,"
                        + " lost %d, duplicated %d", recordsIn, outcome.incidents().size(), outcome.topic().records(),
                outcome.anomalies().size(), outcome.deadLetters(), lost(expected, outcome), outcome.topic().duplicates());
    }

    private static long version(String incident) {
        return Long.parseLong(incident.substring(0, incident.indexOf('|')));
    }

    /** id → "version|status|anomalyCount|services|top root cause" of every incident document. */
    private Map<String, String> incidents(String run) throws Exception {
        Map<String, String> incidents = new TreeMap<>();
        for (JsonNode hit : search(indexPrefix("incidents", run) + "*")) {
            JsonNode sift = hit.at("/_source/sift");
            incidents.put(sift.get("id").asText(), hit.get("_version").asLong() + "|" + sift.get("status").asText() + "|"
                    + sift.get("anomaly_count").asInt() + "|" + sift.get("services") + "|"
                    + sift.at("/root_causes/0/item").asText());
        }
        return incidents;
    }

    /** anomaly id → final version. */
    private Map<String, Long> anomalyVersions(String run) throws Exception {
        Map<String, Long> anomalies = new TreeMap<>();
        for (JsonNode hit : search(indexPrefix("anomalies", run) + "*")) {
            anomalies.put(hit.get("_id").asText(), hit.get("_version").asLong());
        }
        return anomalies;
    }

    private JsonNode search(String indices) throws Exception {
        String base = elasticsearch + "/" + indices;
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_search"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"size\":10000,\"version\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode result = JSON.readTree(response.body());
        assertTrue(result.at("/hits/total/value").asLong() < 10_000, "more than one page of hits in " + indices);
        return result.at("/hits/hits");
    }

    private IncidentTopic incidentTopicOf(String topic) throws Exception {
        var decoder = SiftSchemas.decoderFor(Incident.class);
        Map<String, Long> latest = new TreeMap<>();
        Set<String> versions = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> records = records(topic);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Incident incident = decoder.decode(ByteBuffer.wrap(record.value()));
            latest.merge(incident.getId(), incident.getVersion(), Math::max);
            versions.add(incident.getId() + "@" + incident.getVersion());
        }
        return new IncidentTopic(latest, records.size(), records.size() - versions.size());
    }

    /** Records on run {@code run}'s incident topic so far (0 while Kafka does not answer within 5 s). */
    long incidentRecords(String run) {
        String topic = name + ".incidents-" + run;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions, Duration.ofSeconds(5)).values().stream()
                    .mapToLong(Long::longValue).sum();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return 0;
        }
    }

    private Properties consumerProperties() {
        return consumerProperties(kafka);
    }

    private static Properties consumerProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return props;
    }

    /**
     * Every record of a topic, read up to the end offsets it has when reading starts. The run's topics are created
     * afresh and never deleted from: a log start offset above 0 means the broker deleted records (time-based retention
     * of records stamped with an old time), and the topic would read back short or empty.
     */
    private List<ConsumerRecord<byte[], byte[]>> records(String topic) {
        return readToEnd(kafka, topic, false);
    }

    /**
     * Every record of {@code topic} from its start to its end offsets of now. Unless {@code deletionsExpected} (a
     * compacted topic), a record the broker deleted fails the read: retention counted from old Kafka timestamps would
     * otherwise read as a topic with too little in it.
     */
    static List<ConsumerRecord<byte[], byte[]>> readToEnd(String bootstrap, String topic, boolean deletionsExpected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrap))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            assertFalse(partitions.isEmpty(), "topic " + topic + " has no partitions (not created?)");
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            assertTrue(deletionsExpected || start.values().stream().allMatch(offset -> offset == 0),
                    () -> "the broker deleted records of " + topic + " (log start offsets " + start + ", end offsets "
                            + end + "): retention counted from the records' Kafka timestamps");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "reading " + topic + " to its end took over 60 s");
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
