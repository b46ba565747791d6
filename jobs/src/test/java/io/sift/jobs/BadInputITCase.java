package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.core.validate.ErrorKinds;
import io.sift.jobs.operators.DeadLetterCounter;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.Bytes;
import io.sift.testing.LocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Kafka broker: a generated scenario with one fault, and among its records one or more of
 * every kind of bad input (raw bytes through a plain producer). The bounded job finishes; every bad record is on the
 * dead-letter topic exactly once, with its bytes, source topic, partition and offset (where the source refused it),
 * kind, message and time; the counts per kind of the job's dead-letter counters match; nothing else is
 * dead-lettered; and the fault still becomes its incident.
 */
class BadInputITCase {

    /** A bad record sent, and what the dead letter must say. */
    private record Sent(String kind, String topic, int partition, long offset, byte[] bytes, boolean positioned) {}

    @BeforeAll
    static void services() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void everyBadRecordIsDeadLetteredOnceWithItsBytesAndPositionAndTheFaultStillBecomesItsIncident()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "bad-" + run;
        Scenario scenario = ScenarioRuns.oneFault(environment, 11);
        InjectedFault fault = scenario.faults().get(0);

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "bad-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        Configuration conf = SiftSettings.load(null, settings);
        String metricsTopic = conf.get(SiftOptions.TOPIC_METRICS);
        String logsTopic = conf.get(SiftOptions.TOPIC_LOGS);
        String changesTopic = conf.get(SiftOptions.TOPIC_CHANGES);
        String topologyTopic = conf.get(SiftOptions.TOPIC_TOPOLOGY);

        List<Pending> pending = new ArrayList<>();
        List<Sent> bad = new ArrayList<>();
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap());
                KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            kafka.recreateTopics(List.of(metricsTopic, logsTopic, changesTopic, topologyTopic,
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            Encoders encode = new Encoders();
            for (TopologyUpdate update : scenario.topology()) {
                send(producer, topologyTopic, io.sift.schema.TopologyKeys.of(update), encode.of(update));
            }
            for (ChangeEvent change : scenario.changes()) {
                send(producer, changesTopic, change.getConfigurationItem(), encode.of(change));
            }
            // Metrics in time order; early on, one point is sent twice (a producer retry: byte-identical) and once
            // more with another value at the same time (not byte-identical: the detector finds it).
            Iterator<MetricPoint> points = scenario.metricIterator();
            MetricPoint first = null;
            for (int i = 0; points.hasNext(); i++) {
                MetricPoint point = points.next();
                String key = point.getResource().getService();
                byte[] bytes = encode.of(point);
                send(producer, metricsTopic, key, bytes);
                if (first == null) {
                    first = point;
                }
                if (i == 5_000) {
                    pending.add(sent(ErrorKinds.DUPLICATE, send(producer, metricsTopic, key, bytes), bytes, true));
                    byte[] other = encode.of(MetricPoint.newBuilder(point).setValue(point.getValue() + 1).build());
                    send(producer, metricsTopic, key, other);
                    pending.add(() -> new Sent(ErrorKinds.DUPLICATE, null, -1, -1, other, false));
                }
            }
            for (LogRecord log : (Iterable<LogRecord>) scenario.logs()::iterator) {
                send(producer, logsTopic, log.getResource().getService(), encode.of(log));
            }

            String key = first.getResource().getService();
            // Late: the first point again, with another value, after its partition has moved on by hours.
            byte[] late = encode.of(MetricPoint.newBuilder(first).setValue(first.getValue() + 7).build());
            pending.add(sent(ErrorKinds.LATE, send(producer, metricsTopic, key, late), late, true));
            byte[] valid = encode.of(first);
            byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);
            pending.add(sent(ErrorKinds.MALFORMED_AVRO, send(producer, metricsTopic, key, truncated), truncated, true));
            byte[] noAvro = "cpu=0.93 service=checkout".getBytes(StandardCharsets.UTF_8);
            pending.add(sent(ErrorKinds.NOT_SINGLE_OBJECT_AVRO, send(producer, metricsTopic, key, noAvro), noAvro, true));
            byte[] foreign = valid.clone();
            for (int i = 2; i < 10; i++) {
                foreign[i] = (byte) (0x5A + i); // another schema's fingerprint
            }
            pending.add(sent(ErrorKinds.UNKNOWN_SCHEMA, send(producer, metricsTopic, key, foreign), foreign, true));
            pending.add(sent(ErrorKinds.EMPTY_RECORD, send(producer, metricsTopic, key, null), null, true));
            for (double value : new double[] {Double.NaN, Double.NEGATIVE_INFINITY}) {
                byte[] b = encode.of(MetricPoint.newBuilder(first).setValue(value).build());
                pending.add(sent(ErrorKinds.INVALID_VALUE, send(producer, metricsTopic, key, b), b, true));
            }
            byte[] noName = encode.of(MetricPoint.newBuilder(first).setName("").build());
            pending.add(sent(ErrorKinds.MISSING_FIELD, send(producer, metricsTopic, key, noName), noName, true));
            byte[] future = encode.of(MetricPoint.newBuilder(first).setTime(Instant.now().plus(Duration.ofDays(30)))
                    .build());
            pending.add(sent(ErrorKinds.TIMESTAMP_IN_FUTURE, send(producer, metricsTopic, key, future), future, true));
            byte[] epoch = encode.of(MetricPoint.newBuilder(first).setTime(Instant.ofEpochMilli(1_762_074_000L))
                    .build()); // seconds sent as milliseconds: January 1970
            pending.add(sent(ErrorKinds.TIMESTAMP_TOO_OLD, send(producer, metricsTopic, key, epoch), epoch, true));

            LogRecord line = scenario.logs().filter(l -> l.getResource().getService().equals(key)).findFirst()
                    .orElseThrow();
            Instant end = scenario.start().plus(Duration.ofMinutes(110));
            byte[] huge = encode.of(LogRecord.newBuilder(line).setTime(end).setBody("x".repeat(1_000_000)).build());
            pending.add(sent(ErrorKinds.TOO_LARGE, send(producer, logsTopic, key, huge), huge, true));
            byte[] utf8 = encode.of(LogRecord.newBuilder(line).setTime(end).setBody("caf\u00e9 closed").build());
            int at = Bytes.indexOf(utf8, new byte[] {(byte) 0xC3, (byte) 0xA9});
            utf8[at + 1] = '(';
            pending.add(sent(ErrorKinds.INVALID_UTF8, send(producer, logsTopic, key, utf8), utf8, true));

            byte[] noItem = encode.of(ChangeEvent.newBuilder(scenario.changes().get(0)).setConfigurationItem("")
                    .build());
            pending.add(sent(ErrorKinds.MISSING_FIELD, send(producer, changesTopic, "x", noItem), noItem, true));
            byte[] ghost = encode.of(TopologyUpdate.newBuilder().setTime(end).setOperation(TopologyOperation.DELETE)
                    .setItem(null).setEdge(TopologyEdge.newBuilder().setFrom("ghost-a").setTo("ghost-b")
                            .setType(io.sift.schema.EdgeType.CALLS).build())
                    .build());
            send(producer, topologyTopic, "ghost-a", ghost);
            pending.add(() -> new Sent(ErrorKinds.UNKNOWN_REFERENCE, null, -1, -1, ghost, false));
            producer.flush();
            for (Pending p : pending) {
                bad.add(p.resolve());
            }
        }

        long started = System.nanoTime();
        JobExecutionResult result = SiftJobMain.run(conf);
        System.out.printf("BadInputITCase: bounded job finished in %.1f s%n", (System.nanoTime() - started) / 1e9);

        List<DeadLetter> deadLetters = TopicRecords.readAll(conf.get(SiftOptions.TOPIC_DEAD_LETTERS), DeadLetter.class);
        Map<String, Long> expectedByKind = new TreeMap<>();
        for (Sent s : bad) {
            expectedByKind.merge(s.kind(), 1L, Long::sum);
        }
        Map<String, Long> onTopicByKind = new TreeMap<>();
        deadLetters.forEach(dl -> onTopicByKind.merge(dl.getErrorKind(), 1L, Long::sum));
        assertEquals(expectedByKind, onTopicByKind, () -> "dead letters by kind; all: " + describe(deadLetters));

        List<DeadLetter> unmatched = new ArrayList<>(deadLetters);
        for (Sent s : bad) {
            DeadLetter match = unmatched.stream().filter(dl -> matches(s, dl)).findFirst().orElse(null);
            assertNotNull(match, () -> "no dead letter for " + s.kind() + " at " + s.topic() + "-" + s.partition()
                    + "@" + s.offset() + " among " + describe(deadLetters));
            unmatched.remove(match);
            assertTrue(match.getMessage() != null && !match.getMessage().isBlank(), "a reason");
            assertTrue(match.getTime().isAfter(Instant.now().minus(Duration.ofMinutes(10))), "rejection time");
        }
        assertTrue(unmatched.isEmpty(), () -> "dead letters for nothing bad: " + describe(unmatched));

        for (Map.Entry<String, Long> kind : expectedByKind.entrySet()) {
            Long counted = result.getAccumulatorResult(DeadLetterCounter.accumulatorName(kind.getKey()));
            assertEquals(kind.getValue(), counted, "the job's deadLettered counter of " + kind.getKey());
        }
        assertEquals((long) bad.size(), (Long) result.getAccumulatorResult("deadLettered"), "deadLettered in total");

        Map<String, Incident> incidents = ScenarioKafka.latestIncidents(LocalServices.kafkaBootstrap(),
                conf.get(SiftOptions.TOPIC_INCIDENTS), Instant.EPOCH);
        assertTrue(incidents.values().stream().anyMatch(i -> i.getServices().contains(fault.rootCauseItem())),
                () -> "the fault on " + fault.rootCauseItem() + " still becomes an incident: " + incidents.values());
    }

    private static boolean matches(Sent sent, DeadLetter dl) {
        if (!sent.kind().equals(dl.getErrorKind())) {
            return false;
        }
        if (!sent.positioned()) {
            // Refused after the shuffle: no Kafka position; the payload is the record re-encoded.
            return dl.getSourceTopic() == null && java.util.Arrays.equals(sent.bytes(), Bytes.of(dl.getPayload()));
        }
        boolean position = sent.topic().equals(dl.getSourceTopic()) && dl.getSourcePartition() == sent.partition()
                && dl.getSourceOffset() == sent.offset();
        if (position) {
            assertArrayEquals(sent.bytes(), Bytes.of(dl.getPayload()), "original bytes of " + sent.kind());
        }
        return position;
    }

    /** A bad record sent; its position is known once the broker acknowledged it (after the flush). */
    private static Pending sent(String kind, Future<RecordMetadata> at, byte[] bytes, boolean positioned) {
        return () -> {
            RecordMetadata m = at.get();
            return new Sent(kind, m.topic(), m.partition(), m.offset(), bytes, positioned);
        };
    }

    @FunctionalInterface
    private interface Pending {
        Sent resolve() throws Exception;
    }

    /** Asynchronous, one request in flight: the records of a partition stay in the order sent. */
    private static Future<RecordMetadata> send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
            byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * 1024 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private static String describe(List<DeadLetter> deadLetters) {
        StringBuilder text = new StringBuilder();
        for (DeadLetter dl : deadLetters) {
            text.append("\n  ").append(dl.getErrorKind()).append(' ').append(dl.getStage()).append(' ')
                    .append(dl.getSourceTopic()).append('-').append(dl.getSourcePartition()).append('@')
                    .append(dl.getSourceOffset()).append(": ")
                    .append(dl.getMessage().length() > 200 ? dl.getMessage().substring(0, 200) : dl.getMessage());
        }
        return text.toString();
    }

    /** Single-object encoders of the input types, as producers write them. */
    private static final class Encoders {
        private final Map<Class<?>, BinaryMessageEncoder<?>> byType = new HashMap<>();

        @SuppressWarnings("unchecked")
        <T extends SpecificRecord> byte[] of(T record) {
            BinaryMessageEncoder<T> encoder = (BinaryMessageEncoder<T>) byType.computeIfAbsent(record.getClass(),
                    c -> AvroRecordSerializer.encoderFor((Class<T>) c));
            return AvroRecordSerializer.encode(encoder, record);
        }
    }
}
