package io.sift.connectors.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to one topic as Avro single-object encoding, keyed by a stable id (e.g. the incident id) so that
 * every version of one entity lands in one partition, in order, and a compacted topic keeps the latest. The Kafka
 * timestamp is the time of writing, not the event time, so that retention counts from when Sift wrote a record.
 */
public final class AvroRecordSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> recordClass;
    private final SerializableFunction<T, String> key;
    private transient BinaryMessageEncoder<T> encoder;

    public AvroRecordSerializer(String topic, Class<T> recordClass, SerializableFunction<T, String> key) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic: give the Kafka topic to write " + recordClass.getSimpleName()
                    + " records to");
        }
        this.topic = topic;
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        encoder = encoderFor(recordClass);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (encoder == null) {
            encoder = encoderFor(recordClass);
        }
        String id = key.apply(element);
        // No timestamp: the producer stamps the record with the time it is sent (CreateTime = now). The element's
        // event time (Flink's record timestamp) may be months old on a replay, and the broker's time-based retention
        // would delete such a record within minutes of writing it; the event time stays in the record's fields.
        return new ProducerRecord<>(topic, null, null, id == null ? null : id.getBytes(StandardCharsets.UTF_8),
                encode(encoder, element));
    }

    public static <T extends SpecificRecord> BinaryMessageEncoder<T> encoderFor(Class<T> recordClass) {
        SpecificData model = SpecificData.getForClass(recordClass);
        return new BinaryMessageEncoder<>(model, model.getSchema(recordClass));
    }

    public static <T extends SpecificRecord> byte[] encode(BinaryMessageEncoder<T> encoder, T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getName(), e);
        }
    }
}
