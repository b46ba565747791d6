package io.sift.connectors.kafka;

import io.sift.core.validate.ErrorKinds;
import io.sift.core.validate.InputValidator;
import io.sift.schema.DeadLetter;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The checks of a {@link SourceScreen} after decoding (validity, lateness and repeats per partition), shared by every
 * input format. Per reader; called from the reader's task thread only.
 */
final class RecordScreening {

    private final SourceScreen screen;
    private Map<TopicPartition, PartitionMemory> partitions;

    RecordScreening(SourceScreen screen) {
        this.screen = screen;
    }

    boolean remembersRepeats() {
        return screen.checksEventTime() && screen.duplicateMemory() > 0;
    }

    /**
     * The decoded record, or its dead letter.
     *
     * @param fingerprint of the record's bytes (0 when repeats are not remembered)
     * @param what        how the record is named in messages, e.g. "MetricPoint 3 of 20 of the otlp-proto batch"
     */
    <T> Either<DeadLetter, T> screen(ConsumerRecord<byte[], byte[]> record, T decoded, long fingerprint, String what) {
        if (screen.validator() != null) {
            InputValidator.Rejection rejection = screen.validator().check(decoded, System.currentTimeMillis());
            if (rejection != null) {
                return Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.SCREEN_STAGE,
                        rejection.errorKind(), prefixed(what, rejection.message())));
            }
        }
        if (!screen.checksEventTime()) {
            return Either.Right(decoded);
        }
        if (partitions == null) {
            partitions = new HashMap<>();
        }
        PartitionMemory memory = partitions.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                tp -> new PartitionMemory(screen.duplicateMemory()));
        long time = InputValidator.eventTime(decoded);
        long behind = memory.behind(time);
        if (behind > screen.allowedLatenessMillis()) {
            return Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.SCREEN_STAGE, ErrorKinds.LATE,
                    prefixed(what, "event time " + Instant.ofEpochMilli(time) + " is " + behind
                            + " ms behind the newest record of partition " + record.topic() + "-" + record.partition()
                            + " (" + Instant.ofEpochMilli(memory.newest) + "), later than the allowed lateness of "
                            + screen.allowedLatenessMillis() + " ms (sift.watermark.out-of-orderness): event-time"
                            + " operators have moved past it")));
        }
        if (memory.repeat(fingerprint, time)) {
            return Either.Left(DeadLetters.fromKafka(record, AvroRecordDeserializer.SCREEN_STAGE, ErrorKinds.DUPLICATE,
                    prefixed(what, "byte-identical repeat of a recent record of partition " + record.topic() + "-"
                            + record.partition() + " (a producer retry?); the first one was used")));
        }
        memory.accept(fingerprint, time, screen.allowedLatenessMillis());
        return Either.Right(decoded);
    }

    private static String prefixed(String what, String message) {
        return what == null ? message : what + ": " + message;
    }
}
