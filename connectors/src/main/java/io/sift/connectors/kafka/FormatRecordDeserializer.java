package io.sift.connectors.kafka;

import io.sift.connectors.formats.DecodeException;
import io.sift.connectors.formats.RecordDecoder;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes the records of several topics, each in its own format: Avro topics as {@link AvroRecordDeserializer} does,
 * the others with their {@link RecordDecoder}, one message giving any number of records (an OTLP batch). Every decoded
 * record passes the same {@link SourceScreen}. It never throws: a message that is not of its topic's format becomes one
 * dead letter whose message names the format; a record of a batch that the screen refuses becomes a dead letter (with
 * the whole message's bytes) while the rest of the batch is used.
 */
public final class FormatRecordDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    private final Class<T> recordClass;
    private final SourceScreen screen;
    private final long maxBatchBytes;
    /** Topic → decoder; topics not in it are Avro. */
    private final Map<String, RecordDecoder<T>> decoders;
    /** Messages that hold no record by design (see {@link RecordDecoder#passesOverEmpty()}). */
    private transient org.apache.flink.metrics.Counter passedOver;
    private final AvroRecordDeserializer<T> avro;
    private transient RecordScreening screening;

    /**
     * @param decoders      the decoder of each topic that is not Avro
     * @param maxBatchBytes largest message of a batch format accepted (0 = any); single records keep the screen's
     *                      record size limit
     */
    public FormatRecordDeserializer(Class<T> recordClass, SourceScreen screen, Map<String, RecordDecoder<T>> decoders,
            long maxBatchBytes) {
        this.recordClass = Objects.requireNonNull(recordClass, "recordClass");
        this.screen = Objects.requireNonNull(screen, "screen");
        this.decoders = Map.copyOf(decoders);
        this.maxBatchBytes = maxBatchBytes;
        this.avro = new AvroRecordDeserializer<>(recordClass, screen);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        avro.open(context);
        passedOver = context.getMetricGroup().counter("inputMessagesPassedOver");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out) {
        RecordDecoder<T> decoder = decoders.get(record.topic());
        if (decoder == null) {
            avro.deserialize(record, out);
            return;
        }
        String format = decoder.format().toString();
        if (record.value() == null) {
            out.collect(Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.STAGE,
                    ErrorKinds.EMPTY_RECORD, format + ": record has no value (tombstone) on a topic of "
                            + recordClass.getSimpleName())));
            return;
        }
        long limit = decoder.format().batch() ? maxBatchBytes : screen.maxRecordBytes();
        if (limit > 0 && record.value().length > limit) {
            out.collect(Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.STAGE, ErrorKinds.TOO_LARGE,
                    format + ": message of " + record.value().length + " bytes is larger than the " + limit
                            + " bytes accepted (" + (decoder.format().batch() ? "sift.input.max-batch-size"
                                    : "sift.validate.max-record-size") + "); not decoded")));
            return;
        }
        List<T> decoded = new ArrayList<>();
        try {
            decoder.decode(record.value(), decoded);
        } catch (DecodeException e) {
            out.collect(Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.STAGE, e.errorKind(),
                    e.getMessage())));
            return;
        } catch (RuntimeException e) {
            // A decoder's bug or a structure it did not expect: the message is dead-lettered, the job goes on.
            out.collect(Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.STAGE,
                    malformedKind(decoder),
                    format + ": cannot decode into " + recordClass.getSimpleName() + ": " + e)));
            return;
        }
        if (decoded.isEmpty() && decoder.passesOverEmpty()) {
            if (passedOver != null) {
                passedOver.inc();
            }
            return;
        }
        if (decoded.isEmpty()) {
            out.collect(Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.STAGE,
                    ErrorKinds.EMPTY_RECORD, format + ": message holds no " + recordClass.getSimpleName()
                            + " (no data points, log records or spans)")));
            return;
        }
        if (screening == null) {
            screening = new RecordScreening(screen);
        }
        // A retried batch repeats its records in order: each record's fingerprint is the message's and its place.
        long base = screening.remembersRepeats() ? PartitionMemory.fingerprint(record.value()) : 0;
        int n = decoded.size();
        for (int i = 0; i < n; i++) {
            String what = n == 1 ? null : recordClass.getSimpleName() + " " + (i + 1) + " of " + n + " of the "
                    + format + " message";
            long fingerprint = base == 0 ? 0 : base ^ (0x9E3779B97F4A7C15L * (i + 1));
            out.collect(screening.screen(record, decoded.get(i), fingerprint, n == 1 ? format : what));
        }
    }

    private static String malformedKind(RecordDecoder<?> decoder) {
        return switch (decoder.format()) {
            case OTLP_PROTO, OTLP_JSON -> ErrorKinds.MALFORMED_OTLP;
            case INFLUX_LINE, SYSLOG -> ErrorKinds.MALFORMED_LINE_PROTOCOL;
            default -> ErrorKinds.MALFORMED_JSON;
        };
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return avro.getProducedType();
    }
}
