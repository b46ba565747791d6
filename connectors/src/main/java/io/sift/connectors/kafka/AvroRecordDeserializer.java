package io.sift.connectors.kafka;

import io.sift.schema.DeadLetter;
import io.sift.schema.SiftSchemas;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes Kafka record values written with Avro single-object encoding, resolving every released schema version.
 * It never throws: a record that cannot be decoded becomes a {@link DeadLetter} on the left, with its original
 * bytes and position, so bad input neither crashes the job nor disappears.
 */
public final class AvroRecordDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    public static final String STAGE = "decode";

    private final Class<T> recordClass;
    private transient BinaryMessageDecoder<T> decoder;

    public AvroRecordDeserializer(Class<T> recordClass) {
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = SiftSchemas.decoderFor(recordClass);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        out.collect(decode(record));
    }

    /** Decodes one record; visible for tests that feed random bytes. */
    public Either<DeadLetter, T> decode(ConsumerRecord<byte[], byte[]> record) {
        if (decoder == null) {
            decoder = SiftSchemas.decoderFor(recordClass);
        }
        if (record.value() == null) {
            return Either.Left(DeadLetters.fromKafka(record, STAGE, "EMPTY_RECORD",
                    "record has no value (tombstone) on a topic of " + recordClass.getSimpleName()));
        }
        try {
            return Either.Right(decoder.decode(ByteBuffer.wrap(record.value())));
        } catch (BadHeaderException e) {
            return Either.Left(DeadLetters.fromKafka(record, STAGE, "NOT_SINGLE_OBJECT_AVRO",
                    "not Avro single-object encoding: " + e.getMessage()));
        } catch (MissingSchemaException e) {
            return Either.Left(DeadLetters.fromKafka(record, STAGE, "UNKNOWN_SCHEMA",
                    "schema fingerprint unknown to " + recordClass.getSimpleName() + " (written by a newer or "
                            + "foreign producer?): " + e.getMessage()));
        } catch (java.io.IOException | RuntimeException e) {
            // Truncated or corrupt bodies surface as EOF, negative lengths, bad unions or array bounds.
            return Either.Left(DeadLetters.fromKafka(record, STAGE, "MALFORMED_AVRO",
                    "cannot decode " + recordClass.getSimpleName() + ": " + e));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(recordClass));
    }
}
