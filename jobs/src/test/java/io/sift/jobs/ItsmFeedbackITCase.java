package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.ResolutionSource;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ITSM feedback path against a real Kafka broker (and Elasticsearch): the job runs unbounded; telemetry up to
 * just after a fault goes in and the incident opens; the "ITSM tool" then writes ACKNOWLEDGED and RESOLVED updates
 * (the incident id as correlation id) to the feedback topic, and the rest of the telemetry follows, with the same
 * fault recurring. The incident topic and Elasticsearch show the incident acknowledged and resolved by a person,
 * and the recurrence reopening it under the same id.
 */
class ItsmFeedbackITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void acknowledgedAndResolvedByAPersonThenReopenedByARecurrence() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "itsm-" + run;
        Scenario scenario = ScenarioGenerator.builder().seed(5).environment(environment).services(20)
                .start(Instant.parse("2026-11-02T06:00:00Z")).duration(Duration.ofMinutes(110))
                .recurringFault(FaultSpec.of(FaultType.RESOURCE_SATURATION).on("orders-db")
                        .at(Duration.ofMinutes(65)).lasting(Duration.ofMinutes(6)), 2, Duration.ofMinutes(30))
                .build().generate();
        InjectedFault first = scenario.faults().get(0);
        InjectedFault recurrence = scenario.faults().get(1);
        // The person acts just after the first fault: telemetry up to here goes in before the feedback.
        Instant split = first.end().plus(Duration.ofMinutes(2));

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), false);
        settings.put(SiftOptions.ELASTICSEARCH_URL.key(), LocalServices.elasticsearchUrl());
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        // Long enough that a loaded machine's stall of one source reader does not mark it idle: its records would
        // then be late, applied out of event-time order, and the incidents would differ from run to run (with 5 s
        // a CI run opened a second incident instead of reopening the first). The empty feedback topic holds event
        // time back this long, twice, which is most of this test's minute. Inputs silent while the test waits go
        // idle all the same: see how the rest of the telemetry is sent.
        settings.put(SiftOptions.IDLENESS.key(), "20 s");
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-itsm-it-" + run);
        Configuration conf = SiftSettings.load(null, settings);
        String incidentsTopic = conf.get(SiftOptions.TOPIC_INCIDENTS);
        String feedbackTopic = conf.get(ItsmOptions.TOPIC_ITSM_FEEDBACK);

        ElasticsearchTemplates.install(LocalServices.elasticsearchUrl());
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap());
                IncidentTopic incidents = new IncidentTopic(incidentsTopic)) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY), incidentsTopic,
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS), conf.get(ItsmOptions.TOPIC_PROBLEMS), feedbackTopic), 2);
            List<MetricPoint> metrics = scenario.metrics().toList();
            List<LogRecord> logs = scenario.logs().toList();
            kafka.sendScenario(conf, scenario, before(metrics, split, MetricPoint::getTime),
                    before(logs, split, LogRecord::getTime));

            StreamExecutionEnvironment env = SiftWiring.environment(conf);
            SiftJob.build(env, SiftWiring.kafkaInputs(conf), SiftWiring.outputs(conf), new SiftSettings(conf));
            JobClient job = env.executeAsync("itsm-feedback-it");
            try {
                Incident opened = incidents.await(i -> i.getChange() == IncidentChange.OPENED
                        && i.getServices().contains("orders-db"), "the first fault's incident opens");
                String id = opened.getId();

                Instant acknowledged = split.plusSeconds(10);
                Instant resolved = split.plusSeconds(20);
                // The inputs have been silent while the test waited, so their partitions may be idle. Partitions
                // that resume one after the other would let the first move event time past the others' records,
                // which then come late and are correlated in arrival order (on a loaded machine the recurrence
                // opened a second incident on api-gateway, partition 1, before orders-db's late anomalies, partition
                // 0). So first the feedback and each key's first record after the split, until the job has read
                // them all, so every partition with more to come is active again; then the rest, at once.
                String metricsTopic = conf.get(SiftOptions.TOPIC_METRICS);
                String logsTopic = conf.get(SiftOptions.TOPIC_LOGS);
                List<MetricPoint> laterMetrics = from(metrics, split, MetricPoint::getTime);
                List<LogRecord> laterLogs = from(logs, split, LogRecord::getTime);
                java.util.function.Function<MetricPoint, String> metricKey = p -> p.getResource().getService();
                java.util.function.Function<LogRecord, String> logKey = l -> l.getResource().getService();
                kafka.send(feedbackTopic, List.of(update(id, environment, ItsmAction.ACKNOWLEDGED, acknowledged),
                        update(id, environment, ItsmAction.RESOLVED, resolved),
                        update("inc-not-a-sift-incident", environment, ItsmAction.ACKNOWLEDGED, resolved)),
                        ItsmUpdate.class, ItsmUpdate::getIncidentId);
                kafka.send(metricsTopic, firstPerKey(laterMetrics, metricKey), MetricPoint.class, metricKey::apply);
                kafka.send(logsTopic, firstPerKey(laterLogs, logKey), LogRecord.class, logKey::apply);
                kafka.flush();
                Duration woken = awaitRead(conf.get(SiftOptions.KAFKA_GROUP_ID),
                        List.of(feedbackTopic, metricsTopic, logsTopic), job);
                assertTrue(woken.compareTo(conf.get(SiftOptions.IDLENESS)) < 0, "the job read the first records"
                        + " after the split within the idleness (" + woken.toMillis() + " ms), so no partition went"
                        + " idle again before the rest came");
                kafka.send(metricsTopic, allButFirstPerKey(laterMetrics, metricKey), MetricPoint.class,
                        metricKey::apply);
                kafka.send(logsTopic, allButFirstPerKey(laterLogs, logKey), LogRecord.class, logKey::apply);
                kafka.flush();

                Incident ack = incidents.await(i -> i.getId().equals(id) && i.getChange() == IncidentChange.ACKNOWLEDGED,
                        "the incident is acknowledged");
                assertEquals(acknowledged, ack.getAcknowledgedAt());
                assertEquals("INC0077001", ack.getTicket());
                Incident humanResolution = incidents.await(i -> i.getId().equals(id)
                        && i.getResolvedBy() == ResolutionSource.HUMAN, "the incident is resolved by a person");
                assertEquals(resolved, humanResolution.getResolvedAt());
                Incident reopened = incidents.await(i -> i.getId().equals(id) && i.getChange() == IncidentChange.REOPENED
                        && i.getVersion() > humanResolution.getVersion(), "the recurrence reopens the same incident");
                System.out.printf("ItsmFeedbackITCase: %s opened v%d, acknowledged v%d, resolved by a person v%d at %s,"
                        + " reopened v%d at %s (recurrence injected at %s)%n", id, opened.getVersion(),
                        ack.getVersion(), humanResolution.getVersion(), resolved, reopened.getVersion(),
                        reopened.getUpdatedAt(), recurrence.start());
                assertTrue(!reopened.getUpdatedAt().isBefore(recurrence.start().minusSeconds(60)),
                        "reopened by the recurrence, not by the tail of the episode the person resolved: "
                                + reopened.getUpdatedAt());
                assertNotNull(reopened.getAcknowledgedAt(), "the acknowledgement stays on the reopened incident");

                JsonNode document = awaitDocument("sift-incidents", id, d -> d.at("/sift/version").asLong()
                        >= reopened.getVersion());
                assertEquals(acknowledged.toString(), Instant.parse(document.at("/sift/acknowledged_at").asText()).toString());
                assertEquals("OPEN", document.at("/sift/status").asText());
                JsonNode metricsDocument = awaitDocument("sift-incident-metrics", id,
                        d -> d.at("/sift/time_to_acknowledge_ms").isNumber());
                assertEquals(acknowledged.toEpochMilli() - opened.getDetectedAt().toEpochMilli(),
                        metricsDocument.at("/sift/time_to_acknowledge_ms").asLong());
                assertTrue(deadLetters(conf.get(SiftOptions.TOPIC_DEAD_LETTERS)).contains("inc-not-a-sift-incident"),
                        "feedback for an unknown incident is a dead letter");
            } finally {
                job.cancel().get();
            }
        }
    }

    private static ItsmUpdate update(String id, String environment, ItsmAction action, Instant time) {
        return ItsmUpdate.newBuilder().setIncidentId(id).setEnvironment(environment).setAction(action).setTime(time)
                .setTicket("INC0077001").setAssignee("dba-oncall").setNote(null).setSource("servicenow").build();
    }

    private static <T> List<T> before(List<T> records, Instant split, java.util.function.Function<T, Instant> time) {
        return records.stream().filter(r -> time.apply(r).isBefore(split)).toList();
    }

    private static <T> List<T> from(List<T> records, Instant split, java.util.function.Function<T, Instant> time) {
        return records.stream().filter(r -> !time.apply(r).isBefore(split)).toList();
    }

    /** The first record of each key, in order. */
    private static <T> List<T> firstPerKey(List<T> records, java.util.function.Function<T, String> key) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        return records.stream().filter(r -> keys.add(key.apply(r))).toList();
    }

    /** All records but the first of each key, in order: sent after {@link #firstPerKey}, each key keeps its order. */
    private static <T> List<T> allButFirstPerKey(List<T> records, java.util.function.Function<T, String> key) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        return records.stream().filter(r -> !keys.add(key.apply(r))).toList();
    }

    /**
     * Waits until the job's consumer group has committed (on a checkpoint, so after the source emitted them) every
     * record on {@code topics}; returns how long that took.
     */
    private static Duration awaitRead(String group, List<String> topics, JobClient job) throws Exception {
        long start = System.nanoTime();
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                LocalServices.kafkaBootstrap());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                    new java.util.HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(
                            new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                            org.apache.kafka.clients.admin.OffsetSpec.latest())));
            Map<org.apache.kafka.common.TopicPartition, Long> end = new java.util.HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
            Map<org.apache.kafka.common.TopicPartition, Long> committed = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (System.nanoTime() < deadline) {
                committed = new java.util.HashMap<>();
                for (var entry : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .entrySet()) {
                    if (entry.getValue() != null) {
                        committed.put(entry.getKey(), entry.getValue().offset());
                    }
                }
                Map<org.apache.kafka.common.TopicPartition, Long> read = committed;
                if (end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || read.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                assertTrue(!job.getJobExecutionResult().isDone(), "the job ended");
                Thread.sleep(100);
            }
            throw new AssertionError("the job did not read " + topics + " to " + end + " within 2 minutes; committed: "
                    + committed);
        }
    }

    /** Every incident version on the topic so far, read by one consumer across the test. */
    private static final class IncidentTopic implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<Incident> seen = new ArrayList<>();
        private final org.apache.avro.message.BinaryMessageDecoder<Incident> decoder =
                SiftSchemas.decoderFor(Incident.class);

        IncidentTopic(String topic) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "itsm-it-reader-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumer = new KafkaConsumer<>(props);
            consumer.subscribe(List.of(topic));
        }

        Incident await(Predicate<Incident> wanted, String what) throws Exception {
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline) {
                for (Incident incident : seen) {
                    if (wanted.test(incident)) {
                        return incident;
                    }
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    seen.add(decoder.decode(ByteBuffer.wrap(record.value())));
                }
            }
            throw new AssertionError("timed out waiting until " + what + "; versions seen: " + describe(seen));
        }

        /** Per incident: its changes in order, and its last version's fingerprint, times, items and top cause. */
        private static String describe(List<Incident> versions) {
            Map<String, List<Incident>> byId = new java.util.LinkedHashMap<>();
            for (Incident incident : versions) {
                byId.computeIfAbsent(incident.getId(), k -> new ArrayList<>()).add(incident);
            }
            StringBuilder text = new StringBuilder();
            byId.forEach((id, list) -> {
                Incident last = list.get(list.size() - 1);
                text.append("\n").append(id).append(" fingerprint ").append(last.getFingerprint())
                        .append(" opened ").append(last.getOpenedAt()).append(" last seen ").append(last.getLastSeen())
                        .append(" resolved ").append(last.getResolvedAt()).append(" services ").append(last.getServices())
                        .append(" top cause ").append(last.getRootCauses().isEmpty() ? "-"
                                : last.getRootCauses().get(0).getItem())
                        .append(" opened by ").append(list.get(0).getAnomalies().stream()
                                .map(a -> a.getService() + "/" + a.getMetric() + "@" + a.getOnset()).toList())
                        .append(" changes ").append(list.stream().map(i -> i.getVersion() + ":" + i.getChange()
                                + (i.getChange() == IncidentChange.UPDATED ? "" : "@" + i.getUpdatedAt())).toList());
            });
            return text.toString();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    private static JsonNode awaitDocument(String index, String id, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            HTTP.send(HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/" + index + "/_refresh"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            JsonNode hits = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl()
                            + "/" + index + "/_search")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":{\"ids\":{\"values\":[\"" + id + "\"]}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body()).at("/hits/hits");
            if (hits.size() == 1) {
                last = hits.get(0).get("_source");
                if (wanted.test(last)) {
                    return last;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no matching " + index + " document for " + id + "; last: " + last);
    }

    /** The record ids of the dead letters on the topic. */
    private static String deadLetters(String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "itsm-it-dl-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        var decoder = SiftSchemas.decoderFor(io.sift.schema.DeadLetter.class);
        StringBuilder ids = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !ids.toString().contains("inc-not-a-sift-incident")) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    var dl = decoder.decode(ByteBuffer.wrap(record.value()));
                    ids.append(dl.getRecordId()).append(' ').append(dl.getErrorKind()).append('\n');
                }
            }
        }
        return ids.toString();
    }
}
