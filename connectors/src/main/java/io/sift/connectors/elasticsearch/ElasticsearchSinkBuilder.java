package io.sift.connectors.elasticsearch;

import io.sift.connectors.deadletter.LoggingRejectedDocumentHandler;
import io.sift.connectors.deadletter.RejectedDocumentHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds an {@link ElasticsearchSink}. Only {@link #setHosts} (or {@link #setConnection}) and
 * {@link #setEmitter} are required; {@link #build()} checks everything and says what to change.
 *
 * <p>Defaults: batches of at most {@value #DEFAULT_MAX_BATCH_SIZE} documents or {@value
 * #DEFAULT_MAX_BATCH_SIZE_IN_BYTES} bytes, {@value #DEFAULT_MAX_IN_FLIGHT_REQUESTS} bulk requests
 * in flight, {@value #DEFAULT_MAX_BUFFERED_REQUESTS} documents buffered, sent at the latest after
 * {@value #DEFAULT_MAX_TIME_IN_BUFFER_MS} ms; retries back off from 100 ms to 30 s; rejected
 * documents are logged ({@link LoggingRejectedDocumentHandler}).
 */
public final class ElasticsearchSinkBuilder<T> {

    public static final int DEFAULT_MAX_BATCH_SIZE = 500;
    public static final long DEFAULT_MAX_BATCH_SIZE_IN_BYTES = 5L * 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 2;
    public static final int DEFAULT_MAX_BUFFERED_REQUESTS = 10_000;
    public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1_000;

    private ElasticsearchConnection connection;
    private final ElasticsearchConnection.Builder connectionBuilder = ElasticsearchConnection.builder();
    private boolean connectionSettingsUsed;
    private ElasticsearchEmitter<?> emitter;
    private RejectedDocumentHandler rejectedHandler = new LoggingRejectedDocumentHandler();
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private long maxBatchSizeInBytes = DEFAULT_MAX_BATCH_SIZE_IN_BYTES;
    private Long maxRecordSizeInBytes;
    private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT_REQUESTS;
    private int maxBufferedRequests = DEFAULT_MAX_BUFFERED_REQUESTS;
    private Duration maxTimeInBuffer = Duration.ofMillis(DEFAULT_MAX_TIME_IN_BUFFER_MS);
    private Duration requestTimeout = Duration.ofMinutes(2);
    private Duration backoffInitial = Duration.ofMillis(100);
    private Duration backoffMax = Duration.ofSeconds(30);

    ElasticsearchSinkBuilder() {}

    /** Cluster HTTP endpoints, e.g. {@code "http://127.0.0.1:9200"}; comma-separated works too. */
    public ElasticsearchSinkBuilder<T> setHosts(String... urls) {
        connectionBuilder.setHosts(urls);
        connectionSettingsUsed = true;
        return this;
    }

    public ElasticsearchSinkBuilder<T> setHosts(List<String> urls) {
        connectionBuilder.setHosts(urls);
        connectionSettingsUsed = true;
        return this;
    }

    /** HTTP basic authentication; exclusive with {@link #setApiKey}. */
    public ElasticsearchSinkBuilder<T> setBasicAuth(String username, String password) {
        connectionBuilder.setBasicAuth(username, password);
        connectionSettingsUsed = true;
        return this;
    }

    /** API key authentication with the base64 "encoded" key; exclusive with basic auth. */
    public ElasticsearchSinkBuilder<T> setApiKey(String encodedApiKey) {
        connectionBuilder.setApiKey(encodedApiKey);
        connectionSettingsUsed = true;
        return this;
    }

    /** PEM CA certificate to trust for https hosts; read when {@link #build()} runs. */
    public ElasticsearchSinkBuilder<T> setTrustedCaCertificate(Path caCertificatePem) {
        connectionBuilder.setTrustedCaCertificate(caCertificatePem);
        connectionSettingsUsed = true;
        return this;
    }

    public ElasticsearchSinkBuilder<T> setConnectTimeout(Duration timeout) {
        connectionBuilder.setConnectTimeout(timeout);
        connectionSettingsUsed = true;
        return this;
    }

    public ElasticsearchSinkBuilder<T> setSocketTimeout(Duration timeout) {
        connectionBuilder.setSocketTimeout(timeout);
        connectionSettingsUsed = true;
        return this;
    }

    /**
     * A complete connection (e.g. the one also used for {@link ElasticsearchTemplates#install});
     * instead of {@link #setHosts} and the other connection setters.
     */
    public ElasticsearchSinkBuilder<T> setConnection(ElasticsearchConnection connection) {
        this.connection = connection;
        return this;
    }

    /** How elements become documents; the builder takes the emitter's element type. */
    @SuppressWarnings("unchecked")
    public <E> ElasticsearchSinkBuilder<E> setEmitter(ElasticsearchEmitter<E> emitter) {
        this.emitter = emitter;
        return (ElasticsearchSinkBuilder<E>) this;
    }

    /** Receives documents Elasticsearch will never accept; default: log them. */
    public ElasticsearchSinkBuilder<T> setRejectedDocumentHandler(RejectedDocumentHandler handler) {
        this.rejectedHandler = handler;
        return this;
    }

    /** Most documents per bulk request. */
    public ElasticsearchSinkBuilder<T> setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    /** Most bytes per bulk request (approximate: sources plus action lines). */
    public ElasticsearchSinkBuilder<T> setMaxBatchSizeInBytes(long maxBatchSizeInBytes) {
        this.maxBatchSizeInBytes = maxBatchSizeInBytes;
        return this;
    }

    /**
     * Largest single document; larger ones are dead-lettered as {@code DOCUMENT_TOO_LARGE}.
     * Default: the batch byte limit.
     */
    public ElasticsearchSinkBuilder<T> setMaxRecordSizeInBytes(long maxRecordSizeInBytes) {
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        return this;
    }

    /** Most bulk requests in flight at once per parallel writer. */
    public ElasticsearchSinkBuilder<T> setMaxInFlightRequests(int maxInFlightRequests) {
        this.maxInFlightRequests = maxInFlightRequests;
        return this;
    }

    /** Most documents buffered per writer before writing blocks (backpressure). */
    public ElasticsearchSinkBuilder<T> setMaxBufferedRequests(int maxBufferedRequests) {
        this.maxBufferedRequests = maxBufferedRequests;
        return this;
    }

    /** Longest a document waits in the buffer before a (smaller) bulk is sent. */
    public ElasticsearchSinkBuilder<T> setMaxTimeInBuffer(Duration maxTimeInBuffer) {
        this.maxTimeInBuffer = maxTimeInBuffer;
        return this;
    }

    /** A bulk request unanswered this long is retried (Elasticsearch versions make it safe). */
    public ElasticsearchSinkBuilder<T> setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    /** Backoff before retries: {@code initial}, doubling per failure in a row, at most {@code max}. */
    public ElasticsearchSinkBuilder<T> setRetryBackoff(Duration initial, Duration max) {
        this.backoffInitial = initial;
        this.backoffMax = max;
        return this;
    }

    @SuppressWarnings("unchecked")
    public ElasticsearchSink<T> build() {
        if (emitter == null) {
            throw new IllegalArgumentException(
                    "setEmitter: give the ElasticsearchEmitter that turns elements into documents, "
                            + "e.g. new IncidentDocumentEmitter() or new AnomalyDocumentEmitter()");
        }
        ElasticsearchConnection conn = connection;
        if (conn == null) {
            conn = connectionBuilder.build(); // says "setHosts: ..." when no hosts were given
        } else if (connectionSettingsUsed) {
            throw new IllegalArgumentException(
                    "setConnection and setHosts/setBasicAuth/setApiKey/setTrustedCaCertificate/timeouts "
                            + "are exclusive: put all connection settings into the ElasticsearchConnection");
        }
        if (rejectedHandler == null) {
            throw new IllegalArgumentException(
                    "setRejectedDocumentHandler: give a handler (e.g. new LoggingRejectedDocumentHandler()); "
                            + "rejected documents must go somewhere");
        }
        requirePositive(maxBatchSize, "setMaxBatchSize: give at least 1 document per bulk");
        requirePositive(maxBatchSizeInBytes, "setMaxBatchSizeInBytes: give a positive byte count, e.g. 5 MiB");
        requirePositive(maxInFlightRequests, "setMaxInFlightRequests: give at least 1");
        long recordLimit = maxRecordSizeInBytes == null ? maxBatchSizeInBytes : maxRecordSizeInBytes;
        requirePositive(recordLimit, "setMaxRecordSizeInBytes: give a positive byte count");
        if (recordLimit > maxBatchSizeInBytes) {
            throw new IllegalArgumentException(
                    "setMaxRecordSizeInBytes ("
                            + recordLimit
                            + ") must not exceed setMaxBatchSizeInBytes ("
                            + maxBatchSizeInBytes
                            + "): raise the batch limit or lower the record limit");
        }
        if (maxBufferedRequests <= maxBatchSize) {
            throw new IllegalArgumentException(
                    "setMaxBufferedRequests ("
                            + maxBufferedRequests
                            + ") must be greater than setMaxBatchSize ("
                            + maxBatchSize
                            + "): buffer at least one batch more than you send");
        }
        requirePositive(maxTimeInBuffer, "setMaxTimeInBuffer");
        requirePositive(requestTimeout, "setRequestTimeout");
        if (backoffInitial == null || backoffMax == null || backoffInitial.isNegative()
                || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException(
                    "setRetryBackoff: give 0 <= initial <= max, e.g. (100 ms, 30 s)");
        }
        return new ElasticsearchSink<>(
                (ElasticsearchEmitter<T>) emitter,
                conn,
                rejectedHandler,
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBuffer.toMillis(),
                recordLimit,
                requestTimeout.toMillis(),
                backoffInitial.toMillis(),
                backoffMax.toMillis());
    }

    private static void requirePositive(long value, String message) {
        if (value <= 0) {
            throw new IllegalArgumentException(message + " (got " + value + ")");
        }
    }

    private static void requirePositive(Duration value, String setter) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() == 0) {
            throw new IllegalArgumentException(
                    setter + ": give a positive duration of at least 1 ms (got " + value + ")");
        }
    }
}
