package io.sift.connectors.itsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.TestData;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook sink in a MiniCluster job against a local HTTP receiver that fails, throttles and refuses. */
class WebhookSinkTest {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    private static final String SECRET = "Bearer s3cr3t-token";

    /** What the receiver accepted, as idempotency keys, in arrival order. */
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/events", exchange -> {
            int attempt = attempts.incrementAndGet();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            int status;
            if (attempt <= 2) {
                status = 503; // the receiver is down for the first two attempts
            } else if (attempt == 4) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                status = 429;
            } else if (body.contains("\"id\":\"inc-poison\"")) {
                status = 400;
            } else {
                accepted.add(key);
                status = 202;
            }
            byte[] answer = (status == 400 ? "{\"error\":\"bad event\"}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void deliversEveryVersionInOrderThroughOutagesAndDeadLettersWhatTheReceiverRefuses() throws Exception {
        String handlerName = "webhook-" + System.nanoTime();
        WebhookSink<Incident> sink = WebhookSink.builder()
                .setConverter(new IncidentWebhookConverter(WebhookFormat.JSON, null))
                .setUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events")
                .setHeader("Authorization", SECRET)
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                .setBackoff(10, 100)
                .setMaxBatchSize(2)
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(TestData.incident("inc-a", 1), TestData.incident("inc-a", 2), TestData.incident("inc-poison", 1),
                        TestData.incident("inc-a", 3), TestData.incident("inc-b", 1))
                .sinkTo(sink);
        env.execute("webhook-sink-test");

        assertEquals(List.of("inc-a:1", "inc-a:2", "inc-a:3", "inc-b:1"), accepted,
                "every version accepted once, in the order made, the refused one skipped");
        assertTrue(attempts.get() >= 8, "503 twice and 429 once were retried: " + attempts.get() + " attempts");
        assertTrue(authorizations.stream().allMatch(SECRET::equals));

        List<DeadLetter> deadLetters = CollectingRejectedDocumentHandler.collected(handlerName);
        assertEquals(1, deadLetters.size());
        DeadLetter refused = deadLetters.get(0);
        assertEquals("inc-poison", refused.getRecordId());
        assertEquals(WebhookSink.STAGE, refused.getStage());
        assertTrue(refused.getMessage().startsWith("HTTP 400"), refused.getMessage());
        assertTrue(refused.getMessage().contains("bad event"), refused.getMessage());
        String payload = StandardCharsets.UTF_8.decode(refused.getPayload()).toString();
        assertTrue(payload.contains("inc-poison"));
        assertFalse(payload.contains("s3cr3t") || refused.getMessage().contains("s3cr3t"), "no secret in dead letters");
    }

    @Test
    void secretsInTheBodyAreRedactedInDeadLetters() throws Exception {
        String handlerName = "webhook-redact-" + System.nanoTime();
        attempts.set(10); // no outage for this test
        WebhookSink<Incident> sink = WebhookSink.builder()
                .setConverter(new IncidentWebhookConverter(WebhookFormat.PAGERDUTY, "routing-key-123"))
                .setUrl("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events")
                .setRedactedValues(List.of("routing-key-123"))
                .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handlerName))
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        Incident poison = TestData.incident("inc-poison", 1);
        poison.setStatus(io.sift.schema.IncidentStatus.OPEN);
        env.fromData(poison).sinkTo(sink);
        env.execute("webhook-sink-redaction-test");

        List<DeadLetter> deadLetters = CollectingRejectedDocumentHandler.collected(handlerName);
        assertEquals(1, deadLetters.size());
        String payload = StandardCharsets.UTF_8.decode(deadLetters.get(0).getPayload()).toString();
        assertTrue(payload.contains("[redacted]") && !payload.contains("routing-key-123"), payload);
    }

    @Test
    void builderSaysWhatIsMissing() {
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class, () -> WebhookSink.builder()
                .setConverter(new IncidentWebhookConverter(WebhookFormat.JSON, null)).build());
        assertTrue(noUrl.getMessage().contains("setUrl"));
        IllegalArgumentException badScheme = assertThrows(IllegalArgumentException.class, () -> WebhookSink.builder()
                .setConverter(new IncidentWebhookConverter(WebhookFormat.JSON, null)).setUrl("ftp://host/x").build());
        assertTrue(badScheme.getMessage().contains("http://"));
        IllegalArgumentException noConverter = assertThrows(IllegalArgumentException.class,
                () -> WebhookSink.builder().setUrl("http://localhost/x").build());
        assertTrue(noConverter.getMessage().contains("setConverter"));
    }
}
