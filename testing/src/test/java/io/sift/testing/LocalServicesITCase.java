package io.sift.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Talks to the real services that {@link LocalServices} starts. */
class LocalServicesITCase {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startBoth() {
        LocalServices.startAll();
    }

    @Test
    void addressesAreLoopbackAndStable() {
        assertTrue(LocalServices.kafkaBootstrap().matches("127\\.0\\.0\\.1:\\d+"), LocalServices.kafkaBootstrap());
        assertTrue(LocalServices.elasticsearchUrl().matches("http://127\\.0\\.0\\.1:\\d+"),
                LocalServices.elasticsearchUrl());
        assertSame(LocalServices.kafkaBootstrap(), LocalServices.kafkaBootstrap());
    }

    @Test
    void kafkaProducesAndConsumesOneRecord() throws Exception {
        String topic = "sift-it-" + UUID.randomUUID();
        String bootstrap = LocalServices.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {
            sent = producer.send(new ProducerRecord<>(topic, "host-1", "cpu=0.93")).get(30, TimeUnit.SECONDS);
        }
        assertEquals(0L, sent.offset());

        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            ConsumerRecord<String, String> received = null;
            while (received == null && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    received = record;
                }
            }
            assertTrue(received != null, "no record consumed from " + topic);
            assertEquals("host-1", received.key());
            assertEquals("cpu=0.93", received.value());
        }
    }

    @Test
    void elasticsearchIndexesAndFindsOneDocument() throws Exception {
        String index = "sift-it-" + UUID.randomUUID();
        String base = LocalServices.elasticsearchUrl();

        HttpResponse<String> indexed = send("PUT", base + "/" + index + "/_doc/1?refresh=true",
                "{\"message\":\"disk latency high on host-1\",\"@timestamp\":\"" + FixedInstants.T0 + "\"}");
        assertEquals(201, indexed.statusCode(), indexed.body());

        HttpResponse<String> found = send("POST", base + "/" + index + "/_search",
                "{\"query\":{\"match\":{\"message\":\"latency\"}}}");
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().contains("\"total\":{\"value\":1,"), found.body());
        assertTrue(found.body().contains("host-1"), found.body());

        HttpResponse<String> deleted = send("DELETE", base + "/" + index, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
    }

    private static HttpResponse<String> send(String method, String url, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
