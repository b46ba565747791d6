package io.sift.connectors.formats;

import java.io.Serializable;
import java.util.List;

/**
 * Turns the bytes of one Kafka message of a foreign format into Sift records; one message may hold many (an OTLP
 * batch). Pure: no Kafka, no state between messages, so it can be tested on bytes alone.
 */
public interface RecordDecoder<T> extends Serializable {

    /** The format decoded, named in dead letters. */
    InputFormat format();

    /**
     * Whether a message that decodes to no record is passed over by design (counted, not dead-lettered): e.g. a
     * deployment's "in progress" event, which precedes the change its final event records.
     */
    default boolean passesOverEmpty() {
        return false;
    }

    /** Appends the records of {@code bytes} to {@code out}; throws when the bytes are not of the format. */
    void decode(byte[] bytes, List<T> out) throws DecodeException;
}
