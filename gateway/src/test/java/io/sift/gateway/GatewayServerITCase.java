package io.sift.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.gateway.prompb.Remote;
import io.sift.schema.Alert;
import io.sift.schema.DeadLetter;
import io.sift.schema.MetricPoint;
import io.sift.testing.LocalServices;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xerial.snappy.Snappy;

/** The gateway's HTTP contract against the real Kafka: authentication, limits, refusals dead-lettered, and no loss. */
class GatewayServerITCase {

    private static final String TOKEN = "secret-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Topics(String alerts, String metrics, String deadLetters) {}

    private static Topics topics(String bootstrap) throws Exception {
        String prefix = "gw-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Topics topics = new Topics(prefix + "alerts", prefix + "metrics", prefix + "deadletter");
        TopicReader.createTopics(bootstrap, List.of(topics.alerts(), topics.metrics(), topics.deadLetters()), 2);
        return topics;
    }

    private static HttpResponse<String> post(int port, String path, byte[] body, String token, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void badRequestsAreRefusedCountedAndDeadLetteredGoodOnesAcknowledgedAfterKafka() throws Exception {
        String bootstrap = LocalServices.kafkaBootstrap();
        Topics topics = topics(bootstrap);
        GatewaySettings settings = GatewaySettings.defaults(bootstrap).withListen("127.0.0.1", 0)
                .withBearerToken(TOKEN).withTopics(topics.alerts(), topics.metrics(), topics.deadLetters())
                .withMaxBodyBytes(64 * 1024).withIoThreads(2);
        try (GatewayServer gateway = GatewayServer.start(settings);
                TopicReader<Alert> alerts = new TopicReader<>(bootstrap, topics.alerts(), Alert.class);
                TopicReader<MetricPoint> metrics = new TopicReader<>(bootstrap, topics.metrics(), MetricPoint.class);
                TopicReader<DeadLetter> deadLetters = new TopicReader<>(bootstrap, topics.deadLetters(),
                        DeadLetter.class)) {
            int port = gateway.port();
            byte[] generic = "{\"name\":\"DiskFull\",\"service\":\"ledger\",\"severity\":\"critical\"}"
                    .getBytes(StandardCharsets.UTF_8);

            HttpResponse<String> unauthorized = post(port, GatewayServer.GENERIC, generic, null);
            assertEquals(401, unauthorized.statusCode());
            assertEquals(401, post(port, GatewayServer.GENERIC, generic, "wrong").statusCode());

            HttpResponse<String> accepted = post(port, GatewayServer.GENERIC, generic, TOKEN,
                    "Content-Type", "application/json");
            assertEquals(200, accepted.statusCode(), accepted.body());
            assertEquals("{\"accepted\":1}", accepted.body());
            // Answered only after Kafka acknowledged: the record is there as soon as we look.
            List<Alert> read = alerts.until(list -> !list.isEmpty(), Duration.ofSeconds(30));
            assertEquals("DiskFull", read.get(0).getName());
            assertEquals("ledger", read.get(0).getResource().getService());

            byte[] malformed = "{\"version\":\"4\",\"alerts\":[".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> bad = post(port, GatewayServer.ALERTMANAGER, malformed, TOKEN);
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("MALFORMED_JSON"), bad.body());
            HttpResponse<String> badSnappy = post(port, GatewayServer.REMOTE_WRITE, "nope".getBytes(), TOKEN,
                    "Content-Encoding", "snappy");
            assertEquals(400, badSnappy.statusCode(), badSnappy.body());
            HttpResponse<String> gzip = post(port, GatewayServer.REMOTE_WRITE, "nope".getBytes(), TOKEN,
                    "Content-Encoding", "gzip");
            assertEquals(415, gzip.statusCode(), gzip.body());
            HttpResponse<String> tooLarge = post(port, GatewayServer.GENERIC, new byte[65 * 1024], TOKEN);
            assertEquals(413, tooLarge.statusCode());
            assertEquals(404, post(port, "/api/v1/nothing", generic, TOKEN).statusCode());

            List<DeadLetter> letters = deadLetters.until(list -> list.size() >= 3, Duration.ofSeconds(30));
            assertEquals(3, letters.size(), "malformed JSON, bad snappy, gzip; never the unauthorized: " + letters);
            DeadLetter json = letters.stream().filter(d -> d.getErrorKind().equals("MALFORMED_JSON")).findFirst()
                    .orElseThrow();
            assertEquals("gateway", json.getStage());
            assertTrue(json.getMessage().startsWith("POST " + GatewayServer.ALERTMANAGER), json.getMessage());
            assertArrayEquals(malformed, io.sift.testing.Bytes.of(json.getPayload()), "the body, unchanged");
            assertEquals(Set.of("MALFORMED_JSON", "MALFORMED_SNAPPY", "UNSUPPORTED_ENCODING"),
                    new HashSet<>(letters.stream().map(DeadLetter::getErrorKind).toList()));

            Remote.WriteRequest write = Remote.WriteRequest.newBuilder().addTimeseries(Remote.TimeSeries.newBuilder()
                    .addLabels(Remote.Label.newBuilder().setName("__name__").setValue("up"))
                    .addLabels(Remote.Label.newBuilder().setName("job").setValue("node"))
                    .addSamples(Remote.Sample.newBuilder().setValue(1).setTimestamp(1_780_000_000_000L))).build();
            HttpResponse<String> written = post(port, GatewayServer.REMOTE_WRITE, Snappy.compress(write.toByteArray()),
                    TOKEN, "Content-Encoding", "snappy", "Content-Type", "application/x-protobuf");
            assertEquals(204, written.statusCode(), written.body());
            assertEquals("node", metrics.until(list -> !list.isEmpty(), Duration.ofSeconds(30)).get(0).getResource()
                    .getService());

            GatewayCounters counters = gateway.counters();
            assertEquals(6, counters.total("sift_gateway_rejected_total"), counters.exposition());
            assertEquals(2, counters.get("sift_gateway_rejected_total{endpoint=\"generic\",kind=\"UNAUTHORIZED\"}"));
            assertEquals(1, counters.get("sift_gateway_rejected_total{endpoint=\"generic\",kind=\"TOO_LARGE\"}"));
            assertEquals(3, counters.total("sift_gateway_dead_letters_total"));
            assertEquals(1, counters.get("sift_gateway_alerts_total{source=\"generic\"}"));
            assertEquals(1, counters.total("sift_gateway_samples_total"));
            HttpResponse<String> exposition = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(exposition.body().contains("sift_gateway_dead_letters_total 3"), exposition.body());
        }
    }

    /**
     * Kill the gateway (SIGKILL, its own JVM) while clients post alerts to it: every request it answered 2xx has all
     * its alerts in Kafka.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void killedMidLoadEveryAcknowledgedAlertIsInKafka() throws Exception {
        String bootstrap = LocalServices.kafkaBootstrap();
        Topics topics = topics(bootstrap);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GatewayProcess.class.getName(), bootstrap, topics.alerts(), topics.metrics(), topics.deadLetters())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            for (String line; port < 0 && (line = out.readLine()) != null; ) {
                if (line.startsWith("PORT=")) {
                    port = Integer.parseInt(line.substring(5));
                }
            }
            assertTrue(port > 0, "the gateway process did not start");
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "gateway-output");
            drain.setDaemon(true);
            drain.start();

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicInteger failed = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            final int gatewayPort = port;
            for (int c = 0; c < 4; c++) {
                final int client = c;
                Thread thread = new Thread(() -> {
                    for (int request = 0; !stop.get(); request++) {
                        StringBuilder body = new StringBuilder("[");
                        List<String> fingerprints = new ArrayList<>();
                        for (int a = 0; a < 10; a++) {
                            String fingerprint = "loss-" + client + "-" + request + "-" + a;
                            fingerprints.add(fingerprint);
                            body.append(a == 0 ? "" : ",").append("{\"name\":\"LoadTest\",\"service\":\"svc-")
                                    .append(a).append("\",\"fingerprint\":\"").append(fingerprint).append("\"}");
                        }
                        try {
                            HttpResponse<String> response = post(gatewayPort, GatewayServer.GENERIC,
                                    body.append(']').toString().getBytes(StandardCharsets.UTF_8), null);
                            if (response.statusCode() == 200) {
                                acknowledged.addAll(fingerprints);
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            if (!process.isAlive()) {
                                return;
                            }
                        }
                    }
                }, "load-" + c);
                thread.start();
                clients.add(thread);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.size() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            stop.set(true);
            for (Thread thread : clients) {
                thread.join(30_000);
            }
            Set<String> snapshot = Set.copyOf(acknowledged);
            assertTrue(snapshot.size() >= 1_000, "the load reached the gateway before the kill: " + snapshot.size());
            try (TopicReader<Alert> reader = new TopicReader<>(bootstrap, topics.alerts(), Alert.class)) {
                Set<String> inKafka = new HashSet<>();
                reader.readToEnd(Duration.ofSeconds(60)).forEach(a -> inKafka.add(a.getFingerprint()));
                Set<String> lost = new HashSet<>(snapshot);
                lost.removeAll(inKafka);
                System.out.printf("loss test: %d alerts acknowledged before the kill, %d in Kafka (%d unacknowledged"
                        + " that made it), %d requests failed or cut off, lost %d%n", snapshot.size(), inKafka.size(),
                        inKafka.size() - (snapshot.size() - lost.size()), failed.get(), lost.size());
                assertTrue(lost.isEmpty(), lost.size() + " acknowledged alerts are not in Kafka, e.g. "
                        + lost.stream().limit(5).toList());
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
