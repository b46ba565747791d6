package io.sift.connectors.deadletter;

import io.sift.schema.DeadLetter;

import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.Serializable;

/**
 * Receives every document Elasticsearch will never accept (mapping errors and other 4xx item
 * failures, documents larger than the sink's record limit), as a {@link DeadLetter} with stage
 * {@code "elasticsearch"}, so nothing disappears silently.
 *
 * <p>The sink serializes the handler with itself; each parallel writer gets its own copy and calls
 * {@link #open} once before the first document, {@link #flush} before every checkpoint completes
 * (so a handler that buffers, e.g. a Kafka producer, can make its output durable) and {@link
 * #close} at the end. All calls come from the writer's task thread, one at a time.
 *
 * <p>If {@link #handle} throws, the writer fails the job (the document would otherwise be lost);
 * after a restart it is sent again.
 */
public interface RejectedDocumentHandler extends Serializable {

    /** Stage name in the dead letters. */
    String STAGE = "elasticsearch";

    /** errorKind for documents Elasticsearch rejected (e.g. a mapping error). */
    String REJECTED_BY_ELASTICSEARCH = "REJECTED_BY_ELASTICSEARCH";

    /** errorKind for documents larger than the sink's maximum record size. */
    String DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE";

    /** Called once per writer before any other method. */
    default void open(WriterInitContext context) throws Exception {}

    /** One rejected document; {@code recordId} is the document id, {@code payload} its JSON. */
    void handle(DeadLetter deadLetter) throws Exception;

    /** Make everything handled so far durable; called before a checkpoint completes. */
    default void flush() throws Exception {}

    default void close() throws Exception {}
}
