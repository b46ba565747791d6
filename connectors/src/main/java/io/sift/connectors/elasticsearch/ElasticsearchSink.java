package io.sift.connectors.elasticsearch;

import io.sift.connectors.deadletter.RejectedDocumentHandler;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Sift's Elasticsearch sink: indexes each element as one document (shaped by an {@link
 * ElasticsearchEmitter}) with bulk requests, at least once. With external versions (as Sift's
 * emitters use), replays and out-of-order versions never overwrite a newer document: the
 * resulting version conflicts are counted as stale and skipped.
 *
 * <p>Per document: indexed; stale (skipped); retried (429, 5xx) with exponential backoff; or
 * rejected for good (other 4xx, e.g. a mapping error), then handed to the {@link
 * RejectedDocumentHandler} as a dead letter without failing the job or holding back the other
 * documents of the bulk. A bulk request that fails as a whole (no connection, 429, 5xx) is retried
 * in full with backoff, never dropped; a whole-request 401/403/413 fails the job with advice.
 * Documents still buffered at a checkpoint are flushed first (AsyncSinkWriter), and entries not yet
 * acknowledged are part of the checkpoint.
 *
 * <pre>{@code
 * ElasticsearchSink<Incident> sink = ElasticsearchSink.builder()
 *     .setHosts("http://127.0.0.1:9200")
 *     .setEmitter(new IncidentDocumentEmitter())
 *     .setRejectedDocumentHandler(new LoggingRejectedDocumentHandler())
 *     .build();
 * incidents.sinkTo(sink).name("incidents-to-elasticsearch");
 * }</pre>
 *
 * <p>Writer metrics (in the sink writer's metric group): {@value #METRIC_DOCUMENTS_SENT}, {@value
 * #METRIC_DOCUMENTS_RETRIED}, {@value #METRIC_DOCUMENTS_REJECTED}, {@value
 * #METRIC_STALE_VERSIONS_SKIPPED}, {@value #METRIC_BULK_REQUESTS} (counters) and {@value #METRIC_BULK_LATENCY_MS} (gauge, the last
 * bulk request's round trip in ms).
 */
public final class ElasticsearchSink<T> extends AsyncSinkBase<T, IndexRequestEntry> {

    private static final long serialVersionUID = 1L;

    /** Counter: documents Elasticsearch indexed (created or updated). */
    public static final String METRIC_DOCUMENTS_SENT = "documentsSent";

    /** Counter: document sends that will be retried (a document retried twice counts twice). */
    public static final String METRIC_DOCUMENTS_RETRIED = "documentsRetried";

    /** Counter: documents handed to the RejectedDocumentHandler. */
    public static final String METRIC_DOCUMENTS_REJECTED = "documentsRejected";

    /** Counter: documents skipped because Elasticsearch already had that or a newer version. */
    public static final String METRIC_STALE_VERSIONS_SKIPPED = "staleVersionsSkipped";

    /** Counter: bulk requests answered by Elasticsearch (failed requests without an answer excluded). */
    public static final String METRIC_BULK_REQUESTS = "bulkRequests";

    /** Gauge: round-trip time of the last bulk request in milliseconds. */
    public static final String METRIC_BULK_LATENCY_MS = "bulkLatencyMs";

    private final ElasticsearchConnection connection;
    private final RejectedDocumentHandler rejectedHandler;
    private final long backoffInitialMs;
    private final long backoffMaxMs;

    ElasticsearchSink(
            ElasticsearchEmitter<T> emitter,
            ElasticsearchConnection connection,
            RejectedDocumentHandler rejectedHandler,
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMs,
            long maxRecordSizeInBytes,
            long requestTimeoutMs,
            long backoffInitialMs,
            long backoffMaxMs) {
        super(
                new EmitterElementConverter<>(emitter, maxRecordSizeInBytes),
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMs,
                maxRecordSizeInBytes,
                requestTimeoutMs,
                false);
        this.connection = connection;
        this.rejectedHandler = rejectedHandler;
        this.backoffInitialMs = backoffInitialMs;
        this.backoffMaxMs = backoffMaxMs;
    }

    /**
     * A builder. Its type follows the emitter: {@code ElasticsearchSink.builder().setEmitter(new
     * IncidentDocumentEmitter())} builds an {@code ElasticsearchSink<Incident>}.
     */
    public static <T> ElasticsearchSinkBuilder<T> builder() {
        return new ElasticsearchSinkBuilder<>();
    }

    public ElasticsearchConnection getConnection() {
        return connection;
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<IndexRequestEntry>> createWriter(
            WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<IndexRequestEntry>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<IndexRequestEntry>> states)
            throws IOException {
        AsyncSinkWriterConfiguration configuration =
                AsyncSinkWriterConfiguration.builder()
                        .setMaxBatchSize(getMaxBatchSize())
                        .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                        .setMaxInFlightRequests(getMaxInFlightRequests())
                        .setMaxBufferedRequests(getMaxBufferedRequests())
                        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                        .setRequestTimeoutMS(getRequestTimeoutMS())
                        .setFailOnTimeout(getFailOnTimeout())
                        .build();
        return new ElasticsearchSinkWriter<>(
                getElementConverter(),
                context,
                configuration,
                states,
                connection,
                rejectedHandler,
                backoffInitialMs,
                backoffMaxMs);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<IndexRequestEntry>>
            getWriterStateSerializer() {
        return new IndexRequestEntryStateSerializer();
    }
}
