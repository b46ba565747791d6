package io.sift.connectors.itsm;

import io.sift.connectors.deadletter.RejectedDocumentHandler;
import io.sift.schema.DeadLetter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/** Sends a batch one request after the other; see {@link WebhookSink} for what happens to each answer. */
final class WebhookSinkWriter<T> extends AsyncSinkWriter<T, WebhookRequest> {

    /** Answers after which the same request may succeed later. */
    private static final java.util.Set<Integer> RETRIABLE = java.util.Set.of(408, 425, 429);
    private static final int MAX_ANSWER_IN_DEAD_LETTER = 2_000;

    private final URI endpoint;
    private final Map<String, String> headers;
    private final List<String> redactedValues;
    private final RejectedDocumentHandler rejectedHandler;
    private final Duration requestTimeout;
    private final long backoffInitialMs;
    private final long backoffMaxMs;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timeService;
    private final HttpClient client;
    private final Counter sent;
    private final Counter retried;
    private final Counter rejected;
    private final Counter filtered;
    private final WebhookSink.Filter<T> filter;
    private volatile long lastLatencyMs;
    /** Failed attempts in a row; drives the backoff. Task thread only. */
    private int consecutiveFailures;

    WebhookSinkWriter(ElementConverter<T, WebhookRequest> converter, WriterInitContext context,
            AsyncSinkWriterConfiguration configuration, Collection<BufferedRequestState<WebhookRequest>> states,
            URI endpoint, Map<String, String> headers, List<String> redactedValues,
            RejectedDocumentHandler rejectedHandler, Duration requestTimeout, long backoffInitialMs,
            long backoffMaxMs, WebhookSink.Filter<T> filter) throws IOException {
        super(converter, context, configuration, states);
        this.endpoint = endpoint;
        this.headers = headers;
        this.redactedValues = redactedValues;
        this.rejectedHandler = rejectedHandler;
        this.requestTimeout = requestTimeout;
        this.backoffInitialMs = backoffInitialMs;
        this.backoffMaxMs = backoffMaxMs;
        this.mailbox = context.getMailboxExecutor();
        this.timeService = context.getProcessingTimeService();
        this.client = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.sent = metrics.counter(WebhookSink.METRIC_SENT);
        this.retried = metrics.counter(WebhookSink.METRIC_RETRIED);
        this.rejected = metrics.counter(WebhookSink.METRIC_REJECTED);
        this.filtered = metrics.counter(WebhookSink.METRIC_FILTERED);
        this.filter = filter;
        Gauge<Long> latency = () -> lastLatencyMs;
        metrics.gauge(WebhookSink.METRIC_LATENCY_MS, latency);
        try {
            rejectedHandler.open(context);
        } catch (Exception e) {
            throw new IOException("could not open the rejected-request handler " + rejectedHandler, e);
        }
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        if (!filter.sends(element)) {
            filtered.inc();
            return;
        }
        super.write(element, context);
    }

    @Override
    protected void submitRequestEntries(List<WebhookRequest> entries, ResultHandler<WebhookRequest> result) {
        sendFrom(entries, 0, result);
    }

    private void sendFrom(List<WebhookRequest> entries, int index, ResultHandler<WebhookRequest> result) {
        if (index == entries.size()) {
            result.complete();
            return;
        }
        WebhookRequest request = entries.get(index);
        HttpRequest.Builder http = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", request.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        headers.forEach(http::header);
        long start = System.nanoTime();
        client.sendAsync(http.build(), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, error) -> mailbox.execute(
                        () -> onAnswer(entries, index, result, response, error, start), "webhook answer"));
    }

    /** Runs on the task thread (mailbox), so the handler and the counters see one caller at a time. */
    private void onAnswer(List<WebhookRequest> entries, int index, ResultHandler<WebhookRequest> result,
            HttpResponse<String> response, Throwable error, long start) {
        lastLatencyMs = (System.nanoTime() - start) / 1_000_000;
        int status = response == null ? -1 : response.statusCode();
        if (error != null || status >= 500 || RETRIABLE.contains(status)) {
            List<WebhookRequest> remaining = List.copyOf(entries.subList(index, entries.size()));
            retried.inc(remaining.size());
            long delay = nextBackoffMs();
            if (response != null) {
                delay = Math.min(backoffMaxMs, Math.max(delay, retryAfterMs(response)));
            }
            timeService.registerTimer(timeService.getCurrentProcessingTime() + delay,
                    time -> result.retryForEntries(remaining));
            return;
        }
        consecutiveFailures = 0;
        if (status >= 200 && status < 300) {
            sent.inc();
        } else {
            reject(entries.get(index), status, response.body());
        }
        sendFrom(entries, index + 1, result);
    }

    private long nextBackoffMs() {
        consecutiveFailures++;
        int shift = Math.min(consecutiveFailures - 1, 30);
        long delay = backoffInitialMs << shift;
        return delay < 0 || delay > backoffMaxMs ? backoffMaxMs : delay;
    }

    private static long retryAfterMs(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Long.parseLong(value.trim()) * 1000;
            } catch (NumberFormatException httpDate) {
                return 0L;
            }
        }).orElse(0L);
    }

    private void reject(WebhookRequest request, int status, String answer) {
        rejected.inc();
        String shortAnswer = answer == null ? "" : answer.length() > MAX_ANSWER_IN_DEAD_LETTER
                ? answer.substring(0, MAX_ANSWER_IN_DEAD_LETTER) + "…" : answer;
        DeadLetter deadLetter = DeadLetter.newBuilder()
                .setTime(Instant.now())
                .setStage(WebhookSink.STAGE)
                .setErrorKind(WebhookSink.REJECTED_BY_RECEIVER)
                .setMessage(redact("HTTP " + status + " from " + endpoint + ": " + shortAnswer))
                .setRecordId(request.recordId())
                .setPayload(ByteBuffer.wrap(redact(request.bodyText()).getBytes(StandardCharsets.UTF_8)))
                .build();
        try {
            rejectedHandler.handle(deadLetter);
        } catch (Exception e) {
            throw new IllegalStateException("the rejected-request handler " + rejectedHandler + " failed for "
                    + request.idempotencyKey() + "; failing so the request is not lost", e);
        }
    }

    private String redact(String text) {
        String result = text;
        for (String secret : redactedValues) {
            result = result.replace(secret, "[redacted]");
        }
        return result;
    }

    @Override
    protected long getSizeInBytes(WebhookRequest request) {
        return request.sizeInBytes();
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        super.flush(endOfInput);
        try {
            rejectedHandler.flush();
        } catch (Exception e) {
            throw new IllegalStateException("the rejected-request handler " + rejectedHandler + " could not flush", e);
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
                throw new IllegalStateException("could not close " + rejectedHandler, e);
            }
        }
    }
}
