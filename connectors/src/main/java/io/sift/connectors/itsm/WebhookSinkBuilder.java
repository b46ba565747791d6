package io.sift.connectors.itsm;

import io.sift.connectors.deadletter.LoggingRejectedDocumentHandler;
import io.sift.connectors.deadletter.RejectedDocumentHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/** Builds a {@link WebhookSink}; {@link #build()} refuses incomplete or contradictory settings, saying what to set. */
public final class WebhookSinkBuilder<T> {

    private ElementConverter<T, WebhookRequest> converter;
    private String url;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final List<String> redactedValues = new ArrayList<>();
    private RejectedDocumentHandler rejectedHandler = new LoggingRejectedDocumentHandler();
    private int maxBatchSize = 50;
    private int maxBufferedRequests = 10_000;
    private long maxTimeInBufferMs = 500;
    private long maxRecordSizeInBytes = 512 * 1024;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private long backoffInitialMs = 200;
    private long backoffMaxMs = 60_000;
    private WebhookSink.Filter<T> filter = element -> true;

    WebhookSinkBuilder() {
    }

    @SuppressWarnings("unchecked")
    public <R> WebhookSinkBuilder<R> setConverter(ElementConverter<R, WebhookRequest> converter) {
        WebhookSinkBuilder<R> self = (WebhookSinkBuilder<R>) this;
        self.converter = converter;
        return self;
    }

    /** Sends only the elements the filter accepts (default: all); e.g. {@code Suppression::notifies} for incidents. */
    public WebhookSinkBuilder<T> setFilter(WebhookSink.Filter<T> filter) {
        if (filter == null) {
            throw new IllegalArgumentException("setFilter(...): give a filter, or leave it unset to send everything");
        }
        this.filter = filter;
        return this;
    }

    public WebhookSinkBuilder<T> setUrl(String url) {
        this.url = url;
        return this;
    }

    /** A header sent with every request, e.g. {@code Authorization}; values never reach logs or dead letters. */
    public WebhookSinkBuilder<T> setHeader(String name, String value) {
        headers.put(name, value);
        redactedValues.add(value);
        return this;
    }

    /** Values (e.g. a routing key inside the body) replaced by {@code [redacted]} in dead letters. */
    public WebhookSinkBuilder<T> setRedactedValues(List<String> values) {
        values.stream().filter(v -> v != null && !v.isEmpty()).forEach(redactedValues::add);
        return this;
    }

    public WebhookSinkBuilder<T> setRejectedDocumentHandler(RejectedDocumentHandler handler) {
        this.rejectedHandler = handler;
        return this;
    }

    public WebhookSinkBuilder<T> setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
        return this;
    }

    public WebhookSinkBuilder<T> setMaxBufferedRequests(int maxBufferedRequests) {
        this.maxBufferedRequests = maxBufferedRequests;
        return this;
    }

    public WebhookSinkBuilder<T> setMaxTimeInBufferMs(long maxTimeInBufferMs) {
        this.maxTimeInBufferMs = maxTimeInBufferMs;
        return this;
    }

    public WebhookSinkBuilder<T> setMaxRecordSizeInBytes(long maxRecordSizeInBytes) {
        this.maxRecordSizeInBytes = maxRecordSizeInBytes;
        return this;
    }

    public WebhookSinkBuilder<T> setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
        return this;
    }

    public WebhookSinkBuilder<T> setBackoff(long initialMs, long maxMs) {
        this.backoffInitialMs = initialMs;
        this.backoffMaxMs = maxMs;
        return this;
    }

    public WebhookSink<T> build() {
        if (converter == null) {
            throw new IllegalArgumentException(
                    "setConverter(...): e.g. new IncidentWebhookConverter(WebhookFormat.SERVICENOW, null)");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("setUrl(...): the endpoint to POST to, e.g. https://example.service-now.com/api/global/em/jsonv2");
        }
        URI endpoint;
        try {
            endpoint = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setUrl(...): '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("setUrl(...): '" + url + "' must be an http:// or https:// URL with a host");
        }
        if (rejectedHandler == null) {
            throw new IllegalArgumentException("setRejectedDocumentHandler(...): refused requests must go somewhere");
        }
        if (maxBatchSize < 1 || maxBufferedRequests < maxBatchSize) {
            throw new IllegalArgumentException("maxBatchSize must be ≥ 1 and maxBufferedRequests ≥ maxBatchSize (got "
                    + maxBatchSize + " and " + maxBufferedRequests + ")");
        }
        if (backoffInitialMs < 1 || backoffMaxMs < backoffInitialMs) {
            throw new IllegalArgumentException("setBackoff(initial, max): need 1 ≤ initial ≤ max (got "
                    + backoffInitialMs + ", " + backoffMaxMs + ")");
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("setRequestTimeout(...): a positive duration");
        }
        return new WebhookSink<>(converter, endpoint, headers, redactedValues, rejectedHandler, maxBatchSize,
                maxBufferedRequests, maxTimeInBufferMs, maxRecordSizeInBytes, requestTimeout, backoffInitialMs,
                backoffMaxMs, filter);
    }
}
