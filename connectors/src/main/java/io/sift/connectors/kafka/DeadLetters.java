package io.sift.connectors.kafka;

import io.sift.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds dead-letter envelopes that keep the original bytes and where they came from. */
public final class DeadLetters {

    /** Longest message kept; the reason of a rejection, not a copy of the payload. */
    static final int MAX_MESSAGE_CHARS = 2_000;

    /**
     * Largest payload kept whole: with the envelope it fits the dead-letter producer's request size and the topic's
     * max.message.bytes (4 MiB, deploy/kafka/topics.json). A larger payload keeps its first bytes and the message
     * says so, so the envelope is never refused by Kafka (which would fail the job).
     */
    public static final int MAX_PAYLOAD_BYTES = 3 * 1024 * 1024;

    private DeadLetters() {}

    public static DeadLetter fromKafka(ConsumerRecord<byte[], byte[]> record, String stage, String errorKind,
            String message) {
        return DeadLetter.newBuilder()
                .setTime(Instant.now())
                .setStage(stage)
                .setErrorKind(errorKind)
                .setMessage(truncate(withPayloadNote(message, record.value())))
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setPayload(payload(record.value()))
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
                .setMessage(truncate(withPayloadNote(message, payload)))
                .setRecordId(recordId)
                .setPayload(payload(payload))
                .build();
    }

    private static ByteBuffer payload(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, MAX_PAYLOAD_BYTES)).slice();
    }

    private static String withPayloadNote(String message, byte[] bytes) {
        if (bytes == null || bytes.length <= MAX_PAYLOAD_BYTES) {
            return message;
        }
        // Said first, so that truncating a long message keeps it.
        return "[payload truncated to its first " + MAX_PAYLOAD_BYTES + " of " + bytes.length + " bytes] " + message;
    }

    static String truncate(String message) {
        if (message == null) {
            return "";
        }
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }
}
