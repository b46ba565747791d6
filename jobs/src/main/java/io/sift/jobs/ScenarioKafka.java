package io.sift.jobs;

import io.sift.connectors.kafka.AvroRecordSerializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.flink.util.function.SerializableFunction;

/** Writes records to Kafka as producers of telemetry would: Avro single-object encoding, keyed. */
public final class ScenarioKafka implements AutoCloseable {

    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;
    private long sent;

    public ScenarioKafka(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Not idempotent: on a just-created partition Kafka 4.2 can append a batch yet answer NOT_LEADER, and the
        // idempotent retry is then refused as out of order until the 2-minute delivery timeout. One request in flight
        // keeps the order; a rare duplicate is harmless (Sift drops repeated samples of a series).
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(props);
    }

    /**
     * Waits until every partition of the new topics has a leader. Writing earlier races the leader election: on a
     * fresh broker an idempotent producer's first batch can be appended yet answered NOT_LEADER, and its retry is
     * then refused as out of order until the delivery timeout (2 min) expires.
     */
    private static void awaitLeaders(Admin admin, List<String> topics, long deadline)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        while (true) {
            boolean allLed;
            try {
                allLed = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                allLed = false;
            }
            if (allLed) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("topics " + topics + " have partitions without a leader after 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** Deletes (if present) and creates the topics, so a rerun reads only its own records. */
    public void recreateTopics(List<String> topics, int partitions) throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> toDelete = topics.stream().filter(existing::contains).toList();
            if (!toDelete.isEmpty()) {
                try {
                    admin.deleteTopics(toDelete).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, partitions, (short) 1));
            }
            // Deletion completes asynchronously in the broker: retry creation until the old topic is gone.
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                try {
                    admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
                    awaitLeaders(admin, topics, deadline);
                    return;
                } catch (ExecutionException e) {
                    if (System.currentTimeMillis() > deadline
                            || !(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            } 
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within 30 s", e);
        }
    }

    /** Sends records of one type to a topic, keyed by {@code key} (same key, same partition, kept in order). */
    public <T extends SpecificRecordBase> void send(String topic, Iterable<T> records, Class<T> recordClass,
            SerializableFunction<T, String> key) throws Exception {
        BinaryMessageEncoder<T> encoder = AvroRecordSerializer.encoderFor(recordClass);
        for (T record : records) {
            String k = key.apply(record);
            producer.send(new ProducerRecord<>(topic, k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                    AvroRecordSerializer.encode(encoder, record)));
            sent++;
        }
    }

    /** Sends bytes a foreign format already encoded (e.g. OTLP export requests), keyed. */
    public void sendEncoded(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
        sent++;
    }

    /**
     * Sends topology updates keyed as the compacted topology topic needs: one key per item and per edge
     * ({@link io.sift.schema.TopologyKeys}), so compaction keeps every live fact.
     */
    public void sendTopology(String topic, Iterable<io.sift.schema.TopologyUpdate> updates) throws Exception {
        send(topic, updates, io.sift.schema.TopologyUpdate.class, io.sift.schema.TopologyKeys::of);
    }

    /**
     * Writes a generated scenario to the job's input topics (names from {@code conf}), each record keyed so that a
     * series or service stays on one partition in order: topology, changes, metrics, logs; then flushes.
     */
    public void sendScenario(org.apache.flink.configuration.Configuration conf, io.sift.scenario.Scenario scenario,
            List<io.sift.schema.MetricPoint> metrics, List<io.sift.schema.LogRecord> logs) throws Exception {
        sendTopology(conf.get(SiftOptions.TOPIC_TOPOLOGY), scenario.topology());
        send(conf.get(SiftOptions.TOPIC_CHANGES), scenario.changes(), io.sift.schema.ChangeEvent.class,
                io.sift.schema.ChangeEvent::getConfigurationItem);
        send(conf.get(SiftOptions.TOPIC_METRICS), metrics, io.sift.schema.MetricPoint.class,
                p -> p.getResource().getService());
        send(conf.get(SiftOptions.TOPIC_LOGS), logs, io.sift.schema.LogRecord.class, l -> l.getResource().getService());
        flush();
    }

    /** {@link #sendScenario(org.apache.flink.configuration.Configuration, io.sift.scenario.Scenario, List, List)} with all its records. */
    public void sendScenario(org.apache.flink.configuration.Configuration conf, io.sift.scenario.Scenario scenario)
            throws Exception {
        sendScenario(conf, scenario, scenario.metrics().toList(), scenario.logs().toList());
    }

    /** The latest version of every incident on the topic whose onset is not before {@code since}. */
    public static Map<String, io.sift.schema.Incident> latestIncidents(String bootstrap, String topic,
            java.time.Instant since) throws IOException {
        Properties props = new Properties();
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "sift-reader-" + java.util.UUID.randomUUID());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        props.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        Map<String, io.sift.schema.Incident> latest = new java.util.LinkedHashMap<>();
        var decoder = io.sift.schema.SiftSchemas.decoderFor(io.sift.schema.Incident.class);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline && emptyPolls < 3) {
                var records = consumer.poll(java.time.Duration.ofSeconds(1));
                if (records.isEmpty()) {
                    emptyPolls++;
                }
                for (var record : records) {
                    io.sift.schema.Incident incident = decoder.decode(java.nio.ByteBuffer.wrap(record.value()));
                    if (!incident.getOpenedAt().isBefore(since)) {
                        latest.merge(incident.getId(), incident, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
                    }
                }
            }
        }
        return latest;
    }

    public long sent() {
        return sent;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    /** Config map for tests and the demo. */
    public static Map<String, String> topicSettings(String prefix) {
        return Map.of(
                SiftOptions.TOPIC_METRICS.key(), prefix + "metrics",
                SiftOptions.TOPIC_LOGS.key(), prefix + "logs",
                SiftOptions.TOPIC_CHANGES.key(), prefix + "changes",
                SiftOptions.TOPIC_TOPOLOGY.key(), prefix + "topology",
                SiftOptions.TOPIC_INCIDENTS.key(), prefix + "incidents",
                SiftOptions.TOPIC_DEAD_LETTERS.key(), prefix + "deadletter",
                ItsmOptions.TOPIC_PROBLEMS.key(), prefix + "problems",
                ItsmOptions.TOPIC_ITSM_FEEDBACK.key(), prefix + "itsm-feedback");
    }
}
