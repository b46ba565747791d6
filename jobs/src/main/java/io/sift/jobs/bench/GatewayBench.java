package io.sift.jobs.bench;

import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.gateway.GatewayServer;
import io.sift.gateway.GatewaySettings;
import io.sift.gateway.KafkaPublisher;
import io.sift.gateway.RemoteWriteDecoder;
import io.sift.gateway.prompb.Remote;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The ingestion gateway under load against a real Kafka: Alertmanager webhooks (groups of 10 alerts) and Prometheus
 * remote_write requests (500 series of one sample each, as Prometheus batches them) posted by 64 concurrent HTTP
 * clients in this JVM, each answered only once Kafka acknowledged its records. Per core counts the CPU time of the
 * gateway's own threads (Netty event loops and its Kafka producer's I/O thread), not the load generator's or the
 * broker's. Baseline: the same records, encoded in advance, sent with the same producer settings from one thread (no
 * HTTP, no decoding): the floor of what writing to Kafka costs.
 */
public final class GatewayBench {

    public static final String ALERTS = "gateway-alerts";
    public static final String REMOTE_WRITE = "gateway-remote-write";

    static final int ALERTS_PER_GROUP = 10;
    static final int SERIES_PER_WRITE = 500;
    private static final int BODIES = 200;
    private static final int CONCURRENCY = 64;
    private static final String BASELINE_CLIENT = "sift-gateway-bench-baseline";

    private GatewayBench() {}

    /** Runs the stage against the Kafka named by SIFT_KAFKA_BOOTSTRAP, or reports it skipped without one. */
    public static StageReport run(BenchSettings settings, String stage) throws Exception {
        return run(settings, stage, System.getenv("SIFT_KAFKA_BOOTSTRAP"));
    }

    public static StageReport run(BenchSettings settings, String stage, String bootstrap) throws Exception {
        boolean alerts = stage.equals(ALERTS);
        String description = alerts
                ? "Gateway: Alertmanager webhooks (groups of " + ALERTS_PER_GROUP + " alerts) → Alert records in"
                        + " Kafka, answered after Kafka's acknowledgement; baseline: KafkaProducer alone"
                : "Gateway: Prometheus remote_write (snappy protobuf, " + SERIES_PER_WRITE + " samples a request) →"
                        + " MetricPoint records in Kafka; baseline: KafkaProducer alone";
        if (bootstrap == null || bootstrap.isBlank()) {
            return StageReport.skipped(stage, description, "no Kafka: set SIFT_KAFKA_BOOTSTRAP (./sift bench starts"
                    + " the local stack for the gateway stages)");
        }
        String prefix = "bench-gw-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        GatewaySettings gatewaySettings = GatewaySettings.defaults(bootstrap).withListen("127.0.0.1", 0)
                .withTopics(prefix + "alerts", prefix + "metrics", prefix + "deadletter");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(gatewaySettings.alertsTopic(), 2, (short) 1),
                    new NewTopic(gatewaySettings.metricsTopic(), 2, (short) 1),
                    new NewTopic(gatewaySettings.deadLetterTopic(), 1, (short) 1))).all().get();
            StageReport report = new StageReport(stage, description + " at " + bootstrap);
            List<byte[]> bodies = alerts ? alertBodies() : remoteWriteBodies();
            String path = alerts ? GatewayServer.ALERTMANAGER : GatewayServer.REMOTE_WRITE;
            int recordsPerBody = alerts ? ALERTS_PER_GROUP : SERIES_PER_WRITE;
            GatewayRun run;
            try (GatewayServer gateway = GatewayServer.start(gatewaySettings)) {
                run = load(gateway.port(), path, bodies, recordsPerBody, !alerts, settings);
                report.add(new Measurement(alerts ? "gateway: Alertmanager webhook → Kafka"
                        : "gateway: remote_write → Kafka", Measurement.Role.SUBJECT, run.records,
                        run.wallNanos, run.gatewayCpuNanos));
                if (gateway.counters().total("sift_gateway_rejected_total") > 0) {
                    report.note("refused requests while measuring: " + gateway.counters().exposition());
                }
            }
            report.add(baseline(gatewaySettings, alerts, settings));
            return report.figure("requests/s", run.requests / (run.wallNanos / 1e9), "requests/s")
                    .figure("latency p50", run.latencyMillis(0.50), "ms")
                    .figure("latency p99", run.latencyMillis(0.99), "ms")
                    .figure("failed requests", run.failed, "requests")
                    .figure("gateway CPU in its Kafka producer's I/O thread",
                            100.0 * run.producerCpuNanos / Math.max(1, run.gatewayCpuNanos), "%")
                    .figure("load generator and rest of JVM", run.processCpuNanos / (double) run.wallNanos, "cores")
                    .note(String.format(Locale.ROOT, "goal per core: %s; measured %,.0f per gateway CPU-second",
                            alerts ? "≥ 5,000 alerts/s" : "≥ 100,000 samples/s",
                            run.records / (run.gatewayCpuNanos / 1e9)))
                    .note("per core = records per CPU-second of the gateway's threads (event loops, producer I/O);"
                            + " the HTTP load generator and the Kafka broker share the machine and are not counted");
        } finally {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.deleteTopics(List.of(gatewaySettings.alertsTopic(), gatewaySettings.metricsTopic(),
                        gatewaySettings.deadLetterTopic())).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("gateway bench: could not delete its topics: " + e);
            }
        }
    }

    private static final class GatewayRun {
        long records;
        long requests;
        long failed;
        long wallNanos;
        long gatewayCpuNanos;
        long producerCpuNanos;
        long processCpuNanos;
        final List<Long> latencies = new ArrayList<>();

        double latencyMillis(double quantile) {
            if (latencies.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = latencies.stream().sorted().toList();
            return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
        }
    }

    /** Posts the bodies round-robin with CONCURRENCY requests in flight: warm-up, then the measured window. */
    private static GatewayRun load(int port, String path, List<byte[]> bodies, int recordsPerBody, boolean snappy,
            BenchSettings settings) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        Semaphore inFlight = new Semaphore(CONCURRENCY);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        GatewayRun run = new GatewayRun();
        long warmUpEnd = System.nanoTime() + (long) (settings.warmUpSeconds() * 1e9);
        long measureEnd = Long.MAX_VALUE;
        boolean measuring = false;
        long okAtStart = 0;
        long failedAtStart = 0;
        long cpuAtStart = 0;
        long producerCpuAtStart = 0;
        long processCpuAtStart = 0;
        long wallAtStart = 0;
        int next = 0;
        while (true) {
            long now = System.nanoTime();
            if (!measuring && now >= warmUpEnd) {
                inFlight.acquire(CONCURRENCY);
                measuring = true;
                okAtStart = ok.get();
                failedAtStart = failed.get();
                latencies.clear();
                cpuAtStart = gatewayCpuNanos();
                producerCpuAtStart = producerThreadCpuNanos();
                processCpuAtStart = Machine.processCpuNanos();
                wallAtStart = System.nanoTime();
                // From when the warm-up's requests have all been answered, which may be well after warmUpEnd.
                measureEnd = wallAtStart + (long) (settings.seconds() * 1e9);
                inFlight.release(CONCURRENCY);
                continue;
            }
            if (measuring && now >= measureEnd) {
                break;
            }
            inFlight.acquire();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(next++ % bodies.size())));
            if (snappy) {
                request.header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                        .header("X-Prometheus-Remote-Write-Version", "0.1.0");
            } else {
                request.header("Content-Type", "application/json");
            }
            long sent = System.nanoTime();
            http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() / 100 == 2) {
                    ok.incrementAndGet();
                    latencies.add(System.nanoTime() - sent);
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(CONCURRENCY);
        run.wallNanos = System.nanoTime() - wallAtStart;
        run.gatewayCpuNanos = gatewayCpuNanos() - cpuAtStart;
        run.producerCpuNanos = producerThreadCpuNanos() - producerCpuAtStart;
        run.processCpuNanos = Machine.processCpuNanos() - processCpuAtStart - run.gatewayCpuNanos;
        run.requests = ok.get() - okAtStart;
        run.records = run.requests * recordsPerBody;
        run.failed = failed.get() - failedAtStart;
        run.latencies.addAll(latencies);
        inFlight.release(CONCURRENCY);
        return run;
    }

    private static final String PRODUCER_THREAD = "kafka-producer-network-thread | sift-gateway";

    /** CPU time of the gateway's threads: its Netty event loops and its Kafka producer's I/O thread. */
    static long gatewayCpuNanos() {
        return threadCpuNanos(name -> name.startsWith(GatewayServer.THREAD_PREFIX) || name.equals(PRODUCER_THREAD));
    }

    static long producerThreadCpuNanos() {
        return threadCpuNanos(PRODUCER_THREAD::equals);
    }

    private static long threadCpuNanos(Predicate<String> names) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && names.test(info.getThreadName())) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }

    /** The same records, encoded beforehand, through a producer with the gateway's settings, from this thread. */
    private static Measurement baseline(GatewaySettings gatewaySettings, boolean alerts, BenchSettings settings)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        String topic = alerts ? gatewaySettings.alertsTopic() : gatewaySettings.metricsTopic();
        if (alerts) {
            BinaryMessageEncoder<Alert> encoder = AvroRecordSerializer.encoderFor(Alert.class);
            for (int i = 0; i < 10_000; i++) {
                Alert alert = alert(i);
                records.add(new ProducerRecord<>(topic, alert.getFingerprint().getBytes(StandardCharsets.UTF_8),
                        AvroRecordSerializer.encode(encoder, alert)));
            }
        } else {
            BinaryMessageEncoder<MetricPoint> encoder = AvroRecordSerializer.encoderFor(MetricPoint.class);
            for (int i = 0; i < 10_000; i++) {
                MetricPoint point = point(i);
                records.add(new ProducerRecord<>(topic, point.getResource().getService()
                        .getBytes(StandardCharsets.UTF_8), AvroRecordSerializer.encode(encoder, point)));
            }
        }
        Properties props = KafkaPublisher.producerProperties(gatewaySettings);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, BASELINE_CLIENT);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            sendFor(producer, records, settings.warmUpSeconds());
            Predicate<String> threads = name -> name.equals(Thread.currentThread().getName())
                    || name.equals("kafka-producer-network-thread | " + BASELINE_CLIENT);
            long cpu = threadCpuNanos(threads);
            long wall = System.nanoTime();
            long sent = sendFor(producer, records, settings.seconds());
            return new Measurement("KafkaProducer.send of pre-encoded records (acks=all, idempotent)",
                    Measurement.Role.BASELINE, sent, System.nanoTime() - wall, threadCpuNanos(threads) - cpu);
        }
    }

    private static long sendFor(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records,
            double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long sent = 0;
        do {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
            sent += records.size();
        } while (System.nanoTime() < end);
        return sent;
    }

    private static Alert alert(int i) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint(String.format(Locale.ROOT, "%016x", i))
                .setStatus(AlertStatus.FIRING).setSeverity(AlertSeverity.WARNING).setRawSeverity("warning")
                .setName("HighErrorRate" + (i % 20))
                .setResource(Resource.newBuilder().setService("svc-" + (i % 300)).setHost("10.0." + (i % 50) + ".7")
                        .setInstance("10.0." + (i % 50) + ".7:8080").setEnvironment("prod").build())
                .setStartsAt(Instant.parse("2026-12-07T09:00:00Z")).setTime(Instant.parse("2026-12-07T09:00:00Z"))
                .setSummary("error rate above 5% for svc-" + (i % 300))
                .setGeneratorUrl("http://prometheus:9090/graph?g0.expr=rate%28errors%5B5m%5D%29")
                .setLabels(Map.of("alertname", "HighErrorRate" + (i % 20), "severity", "warning",
                        "service", "svc-" + (i % 300), "instance", "10.0." + (i % 50) + ".7:8080", "env", "prod",
                        "job", "api", "namespace", "shop"))
                .setAnnotations(Map.of("summary", "error rate above 5% for svc-" + (i % 300),
                        "runbook_url", "https://runbooks.example/high-error-rate"))
                .build();
    }

    private static MetricPoint point(int i) {
        return MetricPoint.newBuilder().setTime(Instant.ofEpochMilli(1_780_000_000_000L + i)).setName(
                "http_server_requests_seconds_count").setValue(i).setKind(MetricKind.COUNTER)
                .setResource(Resource.newBuilder().setService("svc-" + (i % 300)).setHost("10.0." + (i % 50) + ".7")
                        .setInstance("10.0." + (i % 50) + ".7:8080").build())
                .setLabels(Map.of("method", "GET", "status", Integer.toString(200 + i % 5), "uri", "/api/" + (i % 40)))
                .build();
    }

    /** Alertmanager version-4 group payloads with distinct fingerprints, as Alertmanager would post them. */
    static List<byte[]> alertBodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < BODIES; b++) {
            StringBuilder json = new StringBuilder("{\"receiver\":\"sift\",\"status\":\"firing\",\"alerts\":[");
            for (int a = 0; a < ALERTS_PER_GROUP; a++) {
                int i = b * ALERTS_PER_GROUP + a;
                json.append(a == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighErrorRate%d\",\"severity\":\"warning\","
                                + "\"service\":\"svc-%d\",\"instance\":\"10.0.%d.7:8080\",\"env\":\"prod\","
                                + "\"job\":\"api\",\"namespace\":\"shop\"},\"annotations\":{\"summary\":\"error rate"
                                + " above 5%% for svc-%d\",\"runbook_url\":\"https://runbooks.example/high-error-rate\"},"
                                + "\"startsAt\":\"2026-12-07T09:00:00.123456789Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                                + "\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=rate%%28errors%%5B5m%%5D%%29\","
                                + "\"fingerprint\":\"%016x\"}", b % 20, i % 300, i % 50, i % 300, i));
            }
            json.append("],\"groupLabels\":{\"alertname\":\"HighErrorRate").append(b % 20)
                    .append("\"},\"commonLabels\":{\"job\":\"api\"},\"commonAnnotations\":{},\"externalURL\":"
                            + "\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\""
                            + "HighErrorRate").append(b % 20).append("\\\"}\",\"truncatedAlerts\":0}");
            bodies.add(json.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /** remote_write requests of SERIES_PER_WRITE series with one sample each, snappy-compressed, as Prometheus sends. */
    static List<byte[]> remoteWriteBodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (int b = 0; b < BODIES; b++) {
            Remote.WriteRequest.Builder request = Remote.WriteRequest.newBuilder();
            for (int s = 0; s < SERIES_PER_WRITE; s++) {
                int i = b * SERIES_PER_WRITE + s;
                request.addTimeseries(Remote.TimeSeries.newBuilder()
                        .addLabels(label("__name__", "http_server_requests_seconds_count"))
                        .addLabels(label("instance", "10.0." + (i % 50) + ".7:8080"))
                        .addLabels(label("job", "svc-" + (i % 300)))
                        .addLabels(label("method", "GET"))
                        .addLabels(label("status", Integer.toString(200 + i % 5)))
                        .addLabels(label("uri", "/api/" + (i % 40)))
                        .addSamples(Remote.Sample.newBuilder().setValue(i).setTimestamp(1_780_000_000_000L + i)));
            }
            bodies.add(RemoteWriteDecoder.body(request.build()));
        }
        return bodies;
    }

    private static Remote.Label label(String name, String value) {
        return Remote.Label.newBuilder().setName(name).setValue(value).build();
    }
}
