package io.sift.connectors.kafka;

import io.sift.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds dead-letter envelopes that keep the original bytes and where they came from. */
public final class DeadLetters {

    /** Longest message kept; the reason of a rejection, not a copy of the payload. */
    static final int MAX_MESSAGE_CHARS = 2_000;

    private DeadLetters() {}

    public static DeadLetter fromKafka(ConsumerRecord<byte[], byte[]> record, String stage, String errorKind,
            String message) {
        return DeadLetter.newBuilder()
                .setTime(Instant.now())
                .setStage(stage)
                .setErrorKind(errorKind)
                .setMessage(truncate(message))
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setPayload(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setRecordId(null)
                .build();
    }

    /** A record that decoded but cannot be used (invalid value, far-off timestamp, ...). */
    public static DeadLetter invalid(String stage, String errorKind, String message, String recordId,
            byte[] payload) {
        return DeadLetter.newBuilder()
                .setTime(Instant.now())
                .setStage(stage)
                .setErrorKind(errorKind)
                .setMessage(truncate(message))
                .setRecordId(recordId)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .build();
    }

    static String truncate(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
