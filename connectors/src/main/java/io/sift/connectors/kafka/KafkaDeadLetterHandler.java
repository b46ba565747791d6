package io.sift.connectors.kafka;

import io.sift.connectors.deadletter.RejectedDocumentHandler;
import io.sift.schema.DeadLetter;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends documents Elasticsearch rejected to the dead-letter topic, made durable before each checkpoint
 * completes (flush), so a rejected document is never lost.
 */
public final class KafkaDeadLetterHandler implements RejectedDocumentHandler {

    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String topic;
    private final java.util.Map<String, String> clientProperties;
    private transient KafkaProducer<byte[], byte[]> producer;
    private transient BinaryMessageEncoder<DeadLetter> encoder;

    public KafkaDeadLetterHandler(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, java.util.Map.of());
    }

    /** With extra producer properties, e.g. security.protocol and sasl.jaas.config. */
    public KafkaDeadLetterHandler(String bootstrapServers, String topic, java.util.Map<String, String> clientProperties) {
        if (bootstrapServers == null || bootstrapServers.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("KafkaDeadLetterHandler needs the Kafka bootstrap servers and the "
                    + "dead-letter topic (sift.kafka.bootstrap-servers, sift.kafka.topic.dead-letters)");
        }
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.clientProperties = new java.util.HashMap<>(clientProperties);
    }

    @Override
    public void open(WriterInitContext context) {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A rejected document may exceed Kafka's default 1 MB request; the dead-letter topic takes 4 MiB.
        props.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
        encoder = AvroRecordSerializer.encoderFor(DeadLetter.class);
    }

    @Override
    public void handle(DeadLetter deadLetter) {
        byte[] key = deadLetter.getRecordId() == null ? null
                : deadLetter.getRecordId().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, key, AvroRecordSerializer.encode(encoder, deadLetter)));
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }
}
