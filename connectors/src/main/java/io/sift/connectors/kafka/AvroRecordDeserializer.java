package io.sift.connectors.kafka;

import io.sift.schema.DeadLetter;
import io.sift.schema.SiftSchemas;
import io.sift.core.validate.ErrorKinds;
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
 * Decodes Kafka record values written with Avro single-object encoding, resolving every released schema version,
 * and applies the {@link SourceScreen} (size, UTF-8, validation, lateness and duplicates per partition). It never
 * throws: a record that cannot be decoded or is refused becomes a {@link DeadLetter} on the left, with its original
 * bytes and position, so bad input neither crashes the job nor disappears.
 */
public final class AvroRecordDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    public static final String STAGE = "decode";

    /** Stage of the records refused by the screen after decoding. */
    public static final String SCREEN_STAGE = "validate";

    private final Class<T> recordClass;
    private final SourceScreen screen;
    private transient BinaryMessageDecoder<T> decoder;
    /** Per partition of this reader; the deserializer is called from the reader's task thread only. */
    private transient RecordScreening screening;

    public AvroRecordDeserializer(Class<T> recordClass) {
        this(recordClass, SourceScreen.none());
    }

    public AvroRecordDeserializer(Class<T> recordClass, SourceScreen screen) {
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
        this.screen = Objects.requireNonNull(screen, "screen");
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
            return Either.Left(DeadLetters.fromKafka(record, STAGE, ErrorKinds.EMPTY_RECORD,
                    "record has no value (tombstone) on a topic of " + recordClass.getSimpleName()));
        }
        if (screen.maxRecordBytes() > 0 && record.value().length > screen.maxRecordBytes()) {
            return Either.Left(DeadLetters.fromKafka(record, STAGE, ErrorKinds.TOO_LARGE, "record of "
                    + record.value().length + " bytes is larger than the " + screen.maxRecordBytes()
                    + " bytes accepted (sift.validate.max-record-size); not decoded"));
        }
        T decoded;
        try {
            decoded = decoder.decode(ByteBuffer.wrap(record.value()));
        } catch (BadHeaderException e) {
            return Either.Left(DeadLetters.fromKafka(record, STAGE, ErrorKinds.NOT_SINGLE_OBJECT_AVRO,
                    "not Avro single-object encoding: " + e.getMessage()));
        } catch (MissingSchemaException e) {
            return Either.Left(DeadLetters.fromKafka(record, STAGE, ErrorKinds.UNKNOWN_SCHEMA,
                    "schema fingerprint unknown to " + recordClass.getSimpleName() + " (written by a newer or "
                            + "foreign producer?): " + e.getMessage()));
        } catch (java.io.IOException | RuntimeException e) {
            // Truncated or corrupt bodies surface as EOF, negative lengths, bad unions or array bounds.
            return Either.Left(DeadLetters.fromKafka(record, STAGE, ErrorKinds.MALFORMED_AVRO,
                    "cannot decode " + recordClass.getSimpleName() + ": " + e));
        }
        return screen(record, decoded);
    }

    private Either<DeadLetter, T> screen(ConsumerRecord<byte[], byte[]> record, T decoded) {
        int replaced = Utf8Check.replacementChars(decoded);
        // The raw bytes are scanned only when U+FFFD was decoded at all, which valid input almost never has.
        if (replaced > 0 && replaced > Utf8Check.encodedReplacementChars(record.value())) {
            return Either.Left(DeadLetters.fromKafka(record, SCREEN_STAGE, ErrorKinds.INVALID_UTF8,
                    recordClass.getSimpleName() + " has a string that is not valid UTF-8 (" + replaced
                            + " malformed sequence(s) would be replaced by U+FFFD)"));
        }
        if (screening == null) {
            screening = new RecordScreening(screen);
        }
        long fingerprint = screening.remembersRepeats() ? PartitionMemory.fingerprint(record.value()) : 0;
        return screening.screen(record, decoded, fingerprint, null);
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(recordClass));
    }
}
