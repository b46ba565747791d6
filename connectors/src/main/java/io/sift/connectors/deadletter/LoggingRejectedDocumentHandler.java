package io.sift.connectors.deadletter;

import io.sift.schema.DeadLetter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Logs each rejected document at WARN with its reason and the start of its JSON. The default
 * handler of the {@code ElasticsearchSink}; use a dead-letter handler in production so rejected
 * documents can be inspected and replayed.
 */
public class LoggingRejectedDocumentHandler implements RejectedDocumentHandler {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoggingRejectedDocumentHandler.class);

    private final int maxPayloadChars;

    public LoggingRejectedDocumentHandler() {
        this(2000);
    }

    /** @param maxPayloadChars how much of the document JSON to log */
    public LoggingRejectedDocumentHandler(int maxPayloadChars) {
        this.maxPayloadChars = Math.max(0, maxPayloadChars);
    }

    @Override
    public void handle(DeadLetter deadLetter) {
        LOG.warn(
                "Elasticsearch document {} can never be indexed and is dropped ({}): {}; document: {}",
                deadLetter.getRecordId(),
                deadLetter.getErrorKind(),
                deadLetter.getMessage(),
                payloadPreview(deadLetter.getPayload(), maxPayloadChars));
    }

    static String payloadPreview(ByteBuffer payload, int maxChars) {
        if (payload == null) {
            return "<none>";
        }
        ByteBuffer copy = payload.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() <= maxChars
                ? text
                : text.substring(0, maxChars) + "... (" + text.length() + " chars)";
    }
}
