package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.gateway.GatewayServer;
import io.sift.gateway.GatewaySettings;
import io.sift.schema.Alert;
import io.sift.schema.AlertStatus;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import io.sift.testing.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silence on a real alert: Debian's Prometheus evaluates a rule that fires while the node exporter is up and sends
 * it to Debian's Alertmanager, whose webhook points at the gateway, which writes it to the real Kafka. The job then
 * reads that topic (bounded) with a maintenance window matching the alert: the incident it opens is SUPPRESSED with
 * the window's id, and is RELEASED at the window's end since the alert still fires.
 */
class AlertmanagerMaintenanceITCase {

    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path temp;

    @BeforeAll
    static void kafka() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void anAlertmanagerAlertInsideAMaintenanceWindowIsSuppressedAndReleasedAtItsEnd() throws Exception {
        String bootstrap = LocalServices.kafkaBootstrap();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "am-maint-" + run;
        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, bootstrap, true);
        settings.put(AlertOptions.TOPIC_ALERTS.key(), environment + ".alerts");
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-am-maint-it-" + run);
        // A window around now, as an SRE sets one before touching the hosts, whole minutes so it reads well.
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        Instant end = start.plus(Duration.ofHours(1));
        settings.put(MaintenanceOptions.WINDOWS.key(), "node-patching: alertname=NodeExporterUp, host=127.0.0.1 @ "
                + start + "/" + end);
        Configuration conf = SiftSettings.load(null, settings);
        String alertsTopic = conf.get(AlertOptions.TOPIC_ALERTS);
        String incidentsTopic = conf.get(SiftOptions.TOPIC_INCIDENTS);
        try (ScenarioKafka kafka = new ScenarioKafka(bootstrap)) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY), incidentsTopic,
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS), conf.get(ItsmOptions.TOPIC_PROBLEMS),
                    conf.get(ItsmOptions.TOPIC_ITSM_FEEDBACK), alertsTopic), 2);
        }

        Alert firing = firingAlertThroughTheGateway(bootstrap, environment, alertsTopic,
                conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS));
        assertTrue(!firing.getStartsAt().isBefore(start) && firing.getStartsAt().isBefore(end),
                "the alert started inside the window: " + firing.getStartsAt());

        SiftJobMain.run(conf);

        var decoder = SiftSchemas.decoderFor(Incident.class);
        List<Incident> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : ScenarioRuns.readToEnd(bootstrap, incidentsTopic, false)) {
            versions.add(decoder.decode(ByteBuffer.wrap(record.value())));
        }
        versions.sort(java.util.Comparator.comparingLong(Incident::getVersion));
        System.out.println("AlertmanagerMaintenanceITCase: " + versions.stream().map(i -> i.getServices() + " v"
                + i.getVersion() + " " + i.getChange() + " suppressedBy=" + i.getSuppressedBy() + " at "
                + i.getUpdatedAt()).toList());
        Incident opened = versions.stream().filter(i -> i.getChange() == IncidentChange.OPENED).findFirst()
                .orElseThrow(() -> new AssertionError("the job emitted no incident for the firing alert"));
        assertEquals(1, opened.getAlertCount());
        assertEquals("NodeExporterUp", opened.getAlerts().get(0).getName());
        assertEquals("node-patching", opened.getSuppressedBy(), "the maintenance window suppresses it");
        Incident released = versions.stream().filter(i -> i.getChange() == IncidentChange.RELEASED).findFirst()
                .orElseThrow(() -> new AssertionError("no RELEASED version at the window's end: " + versions));
        assertEquals(opened.getId(), released.getId());
        assertNull(released.getSuppressedBy());
        assertEquals(end, released.getUpdatedAt(), "released when the window ended, the alert still firing");
    }

    /** Runs the exporter, Alertmanager, Prometheus and the gateway until the rule's firing alert is in Kafka. */
    private Alert firingAlertThroughTheGateway(String bootstrap, String environment, String alertsTopic,
            String metricsTopic, String deadLetters) throws Exception {
        GatewaySettings gatewaySettings = GatewaySettings.defaults(bootstrap).withListen("127.0.0.1", 0)
                .withBearerToken(TOKEN).withTopics(alertsTopic, metricsTopic, deadLetters).withIoThreads(2);
        int exporterPort = Ports.freePort();
        int alertmanagerPort = Ports.freePort();
        int alertmanagerClusterPort = Ports.freePort();
        int prometheusPort = Ports.freePort();
        try (GatewayServer gateway = GatewayServer.start(gatewaySettings)) {
            Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN);
            Path amConfig = Files.writeString(temp.resolve("alertmanager.yml"), String.join("\n",
                    "route:",
                    "  receiver: sift",
                    "  group_by: [alertname]",
                    "  group_wait: 1s",
                    "  group_interval: 1s",
                    "  repeat_interval: 1h",
                    "receivers:",
                    "  - name: sift",
                    "    webhook_configs:",
                    "      - url: http://127.0.0.1:" + gateway.port() + "/api/v1/alerts/alertmanager",
                    "        send_resolved: true",
                    "        http_config:",
                    "          authorization:",
                    "            credentials_file: " + tokenFile,
                    ""));
            Path rules = Files.writeString(temp.resolve("rules.yml"), String.join("\n",
                    "groups:",
                    "  - name: maintenance-test",
                    "    rules:",
                    "      - alert: NodeExporterUp",
                    "        expr: up{job=\"node\"} == 1",
                    "        for: 0s",
                    "        labels:",
                    "          severity: critical",
                    "          env: " + environment,
                    ""));
            Path promConfig = Files.writeString(temp.resolve("prometheus.yml"), String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  evaluation_interval: 1s",
                    "rule_files: [" + rules + "]",
                    "alerting:",
                    "  alertmanagers:",
                    "    - static_configs:",
                    "        - targets: ['127.0.0.1:" + alertmanagerPort + "']",
                    "scrape_configs:",
                    "  - job_name: node",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + exporterPort + "']",
                    ""));
            try (Daemon exporter = Daemon.start(temp.resolve("exporter.log"), "/usr/bin/prometheus-node-exporter",
                        "--web.listen-address=127.0.0.1:" + exporterPort, "--collector.disable-defaults",
                        "--collector.loadavg").awaitReady("http://127.0.0.1:" + exporterPort + "/metrics");
                    Daemon alertmanager = Daemon.start(temp.resolve("am.log"), "/usr/bin/prometheus-alertmanager",
                            "--config.file=" + amConfig, "--storage.path=" + temp.resolve("am-data"),
                            "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                            "--cluster.listen-address=127.0.0.1:" + alertmanagerClusterPort)
                            .awaitReady("http://127.0.0.1:" + alertmanagerPort + "/-/ready");
                    Daemon prometheus = Daemon.start(temp.resolve("prom.log"), "/usr/bin/prometheus",
                            "--config.file=" + promConfig, "--storage.tsdb.path=" + temp.resolve("prom-data"),
                            "--web.listen-address=127.0.0.1:" + prometheusPort)
                            .awaitReady("http://127.0.0.1:" + prometheusPort + "/-/ready")) {
                var decoder = SiftSchemas.decoderFor(Alert.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : ScenarioRuns.readToEnd(bootstrap, alertsTopic,
                            false)) {
                        Alert alert = decoder.decode(ByteBuffer.wrap(record.value()));
                        if (alert.getName().equals("NodeExporterUp") && alert.getStatus() == AlertStatus.FIRING) {
                            return alert;
                        }
                    }
                    Thread.sleep(1_000);
                }
                throw new AssertionError("no firing alert in Kafka; alertmanager log:\n" + alertmanager.log()
                        + "\nprometheus log:\n" + prometheus.log());
            }
        }
    }

    /** A server process of the test, its output in a log file, stopped on close. */
    private record Daemon(Process process, Path logFile) implements AutoCloseable {

        static Daemon start(Path log, String... command) throws java.io.IOException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Daemon(process, log);
        }

        Daemon awaitReady(String url) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(url + ": the process ended; its log:\n" + log());
                }
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return this;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            close();
            throw new AssertionError(url + " not ready within 60 s; log:\n" + log());
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (java.io.IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
