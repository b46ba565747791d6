package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.scenario.Scenario;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.MetricPoint;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, item 2: a replay of old telemetry (the scenario's event times are weeks before today) writes output
 * records that the broker's time-based retention cannot delete at once. The output topics are created with a retention
 * of one day, far shorter than the age of the events; every incident and dead-letter record must carry the time it was
 * written as its Kafka timestamp (so it is kept for the topic's retention from now), while its fields keep the event
 * time.
 */
class OutputTimestampITCase {

    @BeforeAll
    static void services() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void replayedOutputCarriesTheTimeOfWritingAsItsKafkaTimestamp() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "ts-" + run;
        Scenario scenario = ScenarioRuns.oneFault(environment, 11);
        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), environment);
        Configuration conf = SiftSettings.load(null, settings);
        String incidents = conf.get(SiftOptions.TOPIC_INCIDENTS);
        String deadLetters = conf.get(SiftOptions.TOPIC_DEAD_LETTERS);
        long oneDay = Duration.ofDays(1).toMillis();
        assertTrue(scenario.start().isBefore(Instant.now().minus(Duration.ofDays(2))),
                "the replayed events are older than the output topics' retention");

        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY)), 2);
            createWithRetention(List.of(incidents, deadLetters), oneDay);
            List<MetricPoint> metrics = new ArrayList<>(scenario.metrics().toList());
            // A second sample of a series at the same time with another value: dead-lettered by the detector, inside
            // the job (its Kafka sink writes the dead letter, as it writes incidents).
            MetricPoint first = metrics.get(0);
            metrics.add(1, MetricPoint.newBuilder(first).setValue(first.getValue() + 1).build());
            kafka.sendScenario(conf, scenario, metrics, scenario.logs().toList());
        }

        long started = System.currentTimeMillis();
        SiftJobMain.run(conf);
        long finished = System.currentTimeMillis();

        String kafkaBootstrap = LocalServices.kafkaBootstrap();
        List<ConsumerRecord<byte[], byte[]>> incidentRecords = ScenarioRuns.readToEnd(kafkaBootstrap, incidents, false);
        List<ConsumerRecord<byte[], byte[]>> deadLetterRecords = ScenarioRuns.readToEnd(kafkaBootstrap, deadLetters,
                false);
        assertFalse(incidentRecords.isEmpty(), "the fault becomes an incident");
        assertFalse(deadLetterRecords.isEmpty(), "the repeated sample is dead-lettered");
        var incidentDecoder = SiftSchemas.decoderFor(Incident.class);
        for (ConsumerRecord<byte[], byte[]> record : incidentRecords) {
            assertWrittenNow(record, started, finished);
            Incident incident = incidentDecoder.decode(ByteBuffer.wrap(record.value()));
            assertTrue(incident.getUpdatedAt().isBefore(scenario.start().plus(Duration.ofHours(3))),
                    () -> "the record keeps the event time: " + incident.getUpdatedAt());
        }
        var deadLetterDecoder = SiftSchemas.decoderFor(DeadLetter.class);
        for (ConsumerRecord<byte[], byte[]> record : deadLetterRecords) {
            assertWrittenNow(record, started, finished);
            deadLetterDecoder.decode(ByteBuffer.wrap(record.value()));
        }
        boolean fromTheJob = false;
        for (ConsumerRecord<byte[], byte[]> record : deadLetterRecords) {
            fromTheJob |= "detect".equals(deadLetterDecoder.decode(ByteBuffer.wrap(record.value())).getStage());
        }
        assertTrue(fromTheJob, "a dead letter written by the job's own Kafka sink");
    }

    private static void assertWrittenNow(ConsumerRecord<byte[], byte[]> record, long started, long finished) {
        assertEquals(TimestampType.CREATE_TIME, record.timestampType());
        assertTrue(record.timestamp() >= started - 1_000 && record.timestamp() <= finished + 1_000,
                () -> record.topic() + "-" + record.partition() + "@" + record.offset() + " has the Kafka timestamp "
                        + Instant.ofEpochMilli(record.timestamp()) + ", not the time it was written (between "
                        + Instant.ofEpochMilli(started) + " and " + Instant.ofEpochMilli(finished)
                        + "): retention would delete it as if it were that old");
    }

    private static void createWithRetention(List<String> topics, long retentionMillis) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> created = new ArrayList<>();
            for (String topic : topics) {
                created.add(new NewTopic(topic, 2, (short) 1).configs(Map.of(
                        "retention.ms", Long.toString(retentionMillis), "cleanup.policy", "compact,delete")));
            }
            admin.createTopics(created).all().get(30, TimeUnit.SECONDS);
        }
    }
}
