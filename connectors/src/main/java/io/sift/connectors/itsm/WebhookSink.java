package io.sift.connectors.itsm;

import io.sift.connectors.deadletter.RejectedDocumentHandler;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Posts each element to an HTTP endpoint (an ITSM tool's event API, a chat hook), at least once and in order: one
 * request at a time per writer, each with an {@code Idempotency-Key} header, so a receiver sees the versions of an
 * incident in the order they were made and can drop repeats after a retry or a replay.
 *
 * <p>Per request: delivered (2xx); retried with exponential backoff, honouring {@code Retry-After} (no answer, 408,
 * 425, 429, 5xx); or refused for good (any other status), then handed to the {@link RejectedDocumentHandler} as a dead
 * letter (stage {@value #STAGE}) with the status and the answer, never silently dropped. Secrets given with
 * {@link WebhookSinkBuilder#setRedactedValues} are replaced in dead letters.
 *
 * <p>Writer metrics: {@value #METRIC_SENT}, {@value #METRIC_RETRIED}, {@value #METRIC_REJECTED} (counters) and
 * {@value #METRIC_LATENCY_MS} (gauge, the last request's round trip).
 */
public final class WebhookSink<T> extends AsyncSinkBase<T, WebhookRequest> {

    private static final long serialVersionUID = 1L;

    public static final String STAGE = "webhook";
    public static final String REJECTED_BY_RECEIVER = "REJECTED_BY_WEBHOOK_RECEIVER";
    public static final String METRIC_SENT = "webhooksSent";
    public static final String METRIC_RETRIED = "webhooksRetried";
    public static final String METRIC_REJECTED = "webhooksRejected";
    public static final String METRIC_LATENCY_MS = "webhookLatencyMs";
    /** Elements the filter kept back (e.g. versions of incidents a maintenance window suppresses). */
    public static final String METRIC_FILTERED = "webhooksFiltered";

    /** Which elements are sent at all; the others are counted ({@value #METRIC_FILTERED}) and skipped. */
    @FunctionalInterface
    public interface Filter<T> extends java.io.Serializable {
        boolean sends(T element);
    }

    private final URI endpoint;
    private final Map<String, String> headers;
    private final List<String> redactedValues;
    private final RejectedDocumentHandler rejectedHandler;
    private final Duration requestTimeout;
    private final long backoffInitialMs;
    private final long backoffMaxMs;
    private final Filter<T> filter;

    WebhookSink(ElementConverter<T, WebhookRequest> converter, URI endpoint, Map<String, String> headers,
            List<String> redactedValues, RejectedDocumentHandler rejectedHandler, int maxBatchSize,
            int maxBufferedRequests, long maxTimeInBufferMs, long maxRecordSizeInBytes, Duration requestTimeout,
            long backoffInitialMs, long backoffMaxMs, Filter<T> filter) {
        // One request in flight: the order of an incident's versions is the order of delivery.
        super(converter, maxBatchSize, 1, maxBufferedRequests, maxRecordSizeInBytes * maxBatchSize,
                maxTimeInBufferMs, maxRecordSizeInBytes);
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.redactedValues = List.copyOf(redactedValues);
        this.rejectedHandler = rejectedHandler;
        this.requestTimeout = requestTimeout;
        this.backoffInitialMs = backoffInitialMs;
        this.backoffMaxMs = backoffMaxMs;
        this.filter = filter;
    }

    public static <T> WebhookSinkBuilder<T> builder() {
        return new WebhookSinkBuilder<>();
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<WebhookRequest>> createWriter(WriterInitContext context)
            throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<WebhookRequest>> restoreWriter(WriterInitContext context,
            Collection<BufferedRequestState<WebhookRequest>> states) throws IOException {
        AsyncSinkWriterConfiguration configuration = AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .build();
        return new WebhookSinkWriter<>(getElementConverter(), context, configuration, states, endpoint, headers,
                redactedValues, rejectedHandler, requestTimeout, backoffInitialMs, backoffMaxMs, filter);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<WebhookRequest>> getWriterStateSerializer() {
        return new WebhookRequestStateSerializer();
    }
}
