package io.sift.gateway;

import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.schema.Alert;
import io.sift.schema.DeadLetter;
import io.sift.schema.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the gateway's records to Kafka as Avro single-object encoding, and tells when every record of a request is
 * acknowledged: the producer is idempotent with {@code acks=all}, so an acknowledged record is on every in-sync
 * replica and survives the gateway's crash. One producer for the whole process (it is thread-safe and batches across
 * requests).
 */
public final class KafkaPublisher implements AutoCloseable {

    /** Key of the gateway's dead letters (the dead-letter topic is keyed by the stage that refused a record). */
    public static final String STAGE = "gateway";

    private final Producer<byte[], byte[]> producer;
    private final String alertsTopic;
    private final String metricsTopic;
    private final String deadLetterTopic;
    private final BinaryMessageEncoder<Alert> alertEncoder = AvroRecordSerializer.encoderFor(Alert.class);
    private final BinaryMessageEncoder<MetricPoint> metricEncoder = AvroRecordSerializer.encoderFor(MetricPoint.class);
    private final BinaryMessageEncoder<DeadLetter> deadLetterEncoder = AvroRecordSerializer.encoderFor(DeadLetter.class);

    public KafkaPublisher(GatewaySettings settings) {
        this(new KafkaProducer<>(producerProperties(settings)), settings.alertsTopic(), settings.metricsTopic(),
                settings.deadLetterTopic());
    }

    KafkaPublisher(Producer<byte[], byte[]> producer, String alertsTopic, String metricsTopic, String deadLetterTopic) {
        this.producer = producer;
        this.alertsTopic = alertsTopic;
        this.metricsTopic = metricsTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    /** The producer settings the gateway runs with (acks=all, idempotent, its batching). */
    public static Properties producerProperties(GatewaySettings settings) {
        Properties props = new Properties();
        // Tuning first, so that what must hold for "no loss" cannot be overridden below.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sift-gateway");
        props.putAll(settings.producerProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** The Kafka record of an alert, keyed by its fingerprint: repeats of one alert stay in order on one partition. */
    public ProducerRecord<byte[], byte[]> alertRecord(Alert alert) {
        return new ProducerRecord<>(alertsTopic, alert.getFingerprint().getBytes(StandardCharsets.UTF_8),
                AvroRecordSerializer.encode(alertEncoder, alert));
    }

    /** The Kafka record of a sample, keyed by its service, as every producer of sift.metrics does. */
    public ProducerRecord<byte[], byte[]> metricRecord(MetricPoint point) {
        return new ProducerRecord<>(metricsTopic, point.getResource().getService().getBytes(StandardCharsets.UTF_8),
                AvroRecordSerializer.encode(metricEncoder, point));
    }

    public ProducerRecord<byte[], byte[]> deadLetterRecord(DeadLetter deadLetter) {
        return new ProducerRecord<>(deadLetterTopic, STAGE.getBytes(StandardCharsets.UTF_8),
                AvroRecordSerializer.encode(deadLetterEncoder, deadLetter));
    }

    /** Sends the records; the future completes when Kafka has acknowledged every one, or fails with the first error. */
    public CompletableFuture<Void> send(List<ProducerRecord<byte[], byte[]>> records) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        // One extra count held while sending, so that early acknowledgements cannot complete the future too soon.
        AtomicInteger pending = new AtomicInteger(records.size() + 1);
        for (ProducerRecord<byte[], byte[]> record : records) {
            try {
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        acknowledged.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        acknowledged.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                acknowledged.completeExceptionally(e);
                return acknowledged;
            }
        }
        if (pending.decrementAndGet() == 0) {
            acknowledged.complete(null);
        }
        return acknowledged;
    }


    @Override
    public void close() {
        producer.close();
    }
}
