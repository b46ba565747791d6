package io.sift.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;

import io.sift.connectors.deadletter.RejectedDocumentHandler;
import io.sift.schema.DeadLetter;

import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.DequeRequestBuffer;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.SimpleBatchCreator;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sends buffered documents as bulk index requests and sorts the answer per document (see {@link
 * BulkOutcome}). Buffering, batching, in-flight limits, flush on checkpoint and keeping unsent
 * documents in checkpoints come from {@link AsyncSinkWriter}; this class adds exponential backoff
 * before retries, dead letters and metrics.
 *
 * <p>Bulk results are processed on the task thread (through the mailbox), so the rejected document
 * handler and the counters are only ever used from one thread.
 */
final class ElasticsearchSinkWriter<T> extends AsyncSinkWriter<T, IndexRequestEntry> {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    private final ElasticsearchAsyncClient client;
    private final RejectedDocumentHandler rejectedHandler;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timeService;
    private final long backoffInitialMs;
    private final long backoffMaxMs;

    private final Counter documentsSent;
    private final Counter documentsRetried;
    private final Counter documentsRejected;
    private final Counter staleVersionsSkipped;
    private final Counter bulkRequests;
    private volatile long lastBulkLatencyMs;

    /** Failed or partly retried bulks in a row; drives the backoff. Task thread only. */
    private int consecutiveFailures;

    ElasticsearchSinkWriter(
            ElementConverter<T, IndexRequestEntry> elementConverter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<IndexRequestEntry>> states,
            ElasticsearchConnection connection,
            RejectedDocumentHandler rejectedHandler,
            long backoffInitialMs,
            long backoffMaxMs)
            throws IOException {
        super(
                elementConverter,
                context,
                configuration,
                states,
                new SimpleBatchCreator<>(configuration.getMaxBatchSizeInBytes()),
                new DequeRequestBuffer<>());
        this.mailbox = context.getMailboxExecutor();
        this.timeService = context.getProcessingTimeService();
        this.backoffInitialMs = backoffInitialMs;
        this.backoffMaxMs = backoffMaxMs;
        this.rejectedHandler = rejectedHandler;

        SinkWriterMetricGroup metrics = context.metricGroup();
        this.documentsSent = metrics.counter(ElasticsearchSink.METRIC_DOCUMENTS_SENT);
        this.documentsRetried = metrics.counter(ElasticsearchSink.METRIC_DOCUMENTS_RETRIED);
        this.documentsRejected = metrics.counter(ElasticsearchSink.METRIC_DOCUMENTS_REJECTED);
        this.staleVersionsSkipped =
                metrics.counter(ElasticsearchSink.METRIC_STALE_VERSIONS_SKIPPED);
        this.bulkRequests = metrics.counter(ElasticsearchSink.METRIC_BULK_REQUESTS);
        Gauge<Long> bulkLatency = () -> lastBulkLatencyMs;
        metrics.gauge(ElasticsearchSink.METRIC_BULK_LATENCY_MS, bulkLatency);

        try {
            rejectedHandler.open(context);
        } catch (Exception e) {
            throw new IOException("Could not open the rejected document handler " + rejectedHandler, e);
        }
        this.client = connection.createAsyncClient();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        try {
            super.write(element, context);
        } catch (EmitterElementConverter.DocumentTooLargeException tooLarge) {
            reject(
                    tooLarge.entry,
                    RejectedDocumentHandler.DOCUMENT_TOO_LARGE,
                    tooLarge.getMessage());
        }
    }

    @Override
    protected void submitRequestEntries(
            List<IndexRequestEntry> entries, ResultHandler<IndexRequestEntry> result) {
        long start = System.nanoTime();
        CompletableFuture<BulkResponse> response;
        try {
            response = client.bulk(toBulkRequest(entries));
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete(
                (bulk, failure) -> {
                    try {
                        mailbox.execute(
                                () -> onBulkDone(entries, result, bulk, failure, start),
                                "Elasticsearch bulk result for %d documents",
                                entries.size());
                    } catch (RejectedExecutionException taskEnding) {
                        // The task is shutting down; unacknowledged documents are replayed from
                        // the last checkpoint.
                        LOG.debug("Dropping a bulk result, the task is ending", taskEnding);
                    }
                });
    }

    static BulkRequest toBulkRequest(List<IndexRequestEntry> entries) {
        List<BulkOperation> operations = new ArrayList<>(entries.size());
        for (IndexRequestEntry entry : entries) {
            operations.add(
                    BulkOperation.of(
                            op ->
                                    op.index(
                                            index -> {
                                                index.index(entry.index())
                                                        .document(
                                                                BinaryData.of(
                                                                        entry.source(),
                                                                        "application/json"));
                                                if (entry.id() != null) {
                                                    index.id(entry.id());
                                                }
                                                if (entry.hasExternalVersion()) {
                                                    index.version(entry.externalVersion())
                                                            .versionType(VersionType.External);
                                                }
                                                return index;
                                            })));
        }
        return BulkRequest.of(b -> b.operations(operations));
    }

    private void onBulkDone(
            List<IndexRequestEntry> entries,
            ResultHandler<IndexRequestEntry> result,
            BulkResponse bulk,
            Throwable failure,
            long startNanos) {
        lastBulkLatencyMs = (System.nanoTime() - startNanos) / 1_000_000L;
        try {
            if (failure != null) {
                onRequestFailed(entries, result, BulkOutcome.unwrap(failure));
                return;
            }
            bulkRequests.inc();
            BulkOutcome outcome = BulkOutcome.classify(entries, bulk);
            documentsSent.inc(outcome.indexed);
            staleVersionsSkipped.inc(outcome.stale);
            for (BulkOutcome.Rejection rejection : outcome.rejected) {
                reject(
                        rejection.entry,
                        RejectedDocumentHandler.REJECTED_BY_ELASTICSEARCH,
                        rejection.message());
            }
            if (outcome.retry.isEmpty()) {
                consecutiveFailures = 0;
                result.complete();
            } else {
                documentsRetried.inc(outcome.retry.size());
                long delay = nextBackoffMs();
                LOG.info(
                        "Elasticsearch asked to retry {} of {} documents (overloaded or unavailable shards); retrying in {} ms",
                        outcome.retry.size(),
                        entries.size(),
                        delay);
                retryLater(result, outcome.retry(), delay);
            }
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
    }

    private void onRequestFailed(
            List<IndexRequestEntry> entries, ResultHandler<IndexRequestEntry> result, Throwable cause) {
        if (!BulkOutcome.isRetryableRequestFailure(cause)) {
            int status = BulkOutcome.statusOf(cause);
            result.completeExceptionally(
                    new ElasticsearchSinkException(
                            "Elasticsearch refused a bulk request of "
                                    + entries.size()
                                    + " documents with HTTP "
                                    + status
                                    + ": "
                                    + BulkOutcome.adviceFor(status)
                                    + " ("
                                    + cause
                                    + ")",
                            cause));
            return;
        }
        documentsRetried.inc(entries.size());
        long delay = nextBackoffMs();
        LOG.warn(
                "Bulk request of {} documents failed ({}); retrying all of them in {} ms (failure {} in a row)",
                entries.size(),
                cause.toString(),
                delay,
                consecutiveFailures);
        retryLater(result, entries, delay);
    }

    private long nextBackoffMs() {
        consecutiveFailures++;
        int shift = Math.min(consecutiveFailures - 1, 30);
        long delay = backoffInitialMs << shift;
        return delay < 0 || delay > backoffMaxMs ? backoffMaxMs : delay;
    }

    private void retryLater(
            ResultHandler<IndexRequestEntry> result, List<IndexRequestEntry> entries, long delayMs) {
        if (delayMs <= 0) {
            result.retryForEntries(entries);
            return;
        }
        timeService.registerTimer(
                timeService.getCurrentProcessingTime() + delayMs,
                time -> result.retryForEntries(entries));
    }

    private void reject(IndexRequestEntry entry, String errorKind, String message) {
        documentsRejected.inc();
        DeadLetter deadLetter =
                DeadLetter.newBuilder()
                        .setTime(Instant.now())
                        .setStage(RejectedDocumentHandler.STAGE)
                        .setErrorKind(errorKind)
                        .setMessage(message)
                        .setRecordId(entry.id())
                        .setPayload(ByteBuffer.wrap(entry.source()))
                        .build();
        try {
            rejectedHandler.handle(deadLetter);
        } catch (Exception e) {
            throw new ElasticsearchSinkException(
                    "The rejected document handler "
                            + rejectedHandler
                            + " failed for document "
                            + entry.id()
                            + "; failing so the document is not lost: "
                            + message,
                    e);
        }
    }

    @Override
    protected long getSizeInBytes(IndexRequestEntry entry) {
        return entry.sizeInBytes();
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        super.flush(endOfInput);
        try {
            rejectedHandler.flush();
        } catch (Exception e) {
            throw new ElasticsearchSinkException(
                    "The rejected document handler " + rejectedHandler + " could not flush", e);
        }
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            try {
                rejectedHandler.close();
            } catch (Exception e) {
                LOG.warn("Closing the rejected document handler failed", e);
            }
            try {
                client._transport().close();
            } catch (Exception e) {
                LOG.warn("Closing the Elasticsearch client failed", e);
            }
        }
    }
}
