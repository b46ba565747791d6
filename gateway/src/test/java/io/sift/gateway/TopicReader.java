package io.sift.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads Sift records back from a real Kafka topic, from the beginning, decoding Avro single-object encoding. */
final class TopicReader<T extends SpecificRecord> implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final BinaryMessageDecoder<T> decoder;
    private final List<T> records = new ArrayList<>();

    TopicReader(String bootstrap, String topic, Class<T> type) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        SpecificData model = SpecificData.getForClass(type);
        decoder = new BinaryMessageDecoder<>(model, model.getSchema(type));
    }

    /** Polls until a record read so far matches, or the timeout passes; returns every record read so far. */
    List<T> until(Predicate<List<T>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                try {
                    records.add(decoder.decode(record.value()));
                } catch (java.io.IOException e) {
                    throw new AssertionError("a record on " + record.topic() + " is not single-object encoded "
                            + "Avro of the expected schema", e);
                }
            }
        }
        return records;
    }

    /** Everything on the topic now: polls until a poll returns nothing after the end offsets were reached. */
    List<T> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int emptyPolls = 0;
        while (emptyPolls < 5 && System.nanoTime() < deadline) {
            var polled = consumer.poll(Duration.ofMillis(500));
            if (polled.isEmpty()) {
                emptyPolls++;
            } else {
                emptyPolls = 0;
            }
            for (ConsumerRecord<byte[], byte[]> record : polled) {
                try {
                    records.add(decoder.decode(record.value()));
                } catch (java.io.IOException e) {
                    throw new AssertionError("undecodable record on " + record.topic(), e);
                }
            }
        }
        return records;
    }

    static void createTopics(String bootstrap, List<String> topics, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
