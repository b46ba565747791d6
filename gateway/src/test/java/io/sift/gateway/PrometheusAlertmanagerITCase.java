package io.sift.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.testing.LocalServices;
import io.sift.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway against the real thing: Debian's Prometheus (2.42), Alertmanager (0.25) and node exporter on loopback
 * with non-default ports and temporary data directories. Prometheus scrapes the node exporter, evaluates a rule that
 * fires while the exporter is up, sends the alert to Alertmanager, whose webhook (bearer token) points at the
 * gateway, and remote-writes its samples to the gateway (both configured with the README's snippets, as a user copies
 * them). Asserts the Alert records and MetricPoints in the real Kafka, then kills the exporter and asserts that the
 * resolve arrives.
 */
class PrometheusAlertmanagerITCase {

    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final Duration ARRIVAL = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void alertsAndSamplesFromPrometheusAndAlertmanagerArriveInKafkaAndTheResolveFollows() throws Exception {
        String bootstrap = LocalServices.kafkaBootstrap();
        String prefix = "gw-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String alertsTopic = prefix + "alerts";
        String metricsTopic = prefix + "metrics";
        String deadLetters = prefix + "deadletter";
        TopicReader.createTopics(bootstrap, List.of(alertsTopic, metricsTopic, deadLetters), 2);

        GatewaySettings settings = GatewaySettings.defaults(bootstrap).withListen("127.0.0.1", 0)
                .withBearerToken(TOKEN).withTopics(alertsTopic, metricsTopic, deadLetters).withIoThreads(2);
        int exporterPort = Ports.freePort();
        int alertmanagerPort = Ports.freePort();
        int alertmanagerClusterPort = Ports.freePort();
        int prometheusPort = Ports.freePort();
        try (GatewayServer gateway = GatewayServer.start(settings);
                TopicReader<Alert> alerts = new TopicReader<>(bootstrap, alertsTopic, Alert.class);
                TopicReader<MetricPoint> metrics = new TopicReader<>(bootstrap, metricsTopic, MetricPoint.class)) {
            String gatewayUrl = "http://127.0.0.1:" + gateway.port();
            Path tokenFile = Files.writeString(temp.resolve("token"), TOKEN);

            ManagedProcess exporter = ManagedProcess.start("node-exporter", List.of("/usr/bin/prometheus-node-exporter",
                    "--web.listen-address=127.0.0.1:" + exporterPort, "--collector.disable-defaults",
                    "--collector.cpu", "--collector.loadavg", "--collector.meminfo"), temp.resolve("exporter"));
            // The README's snippets, as a user copies them, with this test's gateway address and token file.
            Path amConfig = Files.writeString(temp.resolve("alertmanager.yml"), String.join("\n",
                    "route:",
                    "  receiver: sift",
                    "  group_by: [alertname]",
                    "  group_wait: 1s",
                    "  group_interval: 1s",
                    "  repeat_interval: 1h",
                    readmeSnippet("Alertmanager (`alertmanager.yml`):", gatewayUrl, tokenFile)));
            Path rules = Files.writeString(temp.resolve("rules.yml"), String.join("\n",
                    "groups:",
                    "  - name: gateway-test",
                    "    rules:",
                    "      - alert: NodeExporterUp",
                    "        expr: up{job=\"node\"} == 1",
                    "        for: 0s",
                    "        labels:",
                    "          severity: warning",
                    "          env: test",
                    "        annotations:",
                    "          summary: node exporter {{ $labels.instance }} is up",
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
                    readmeSnippet("Prometheus (`prometheus.yml`):", gatewayUrl, tokenFile)));
            try (ManagedProcess exporterProcess = exporter.awaitReady(
                        "http://127.0.0.1:" + exporterPort + "/metrics", Duration.ofSeconds(30));
                    ManagedProcess alertmanager = ManagedProcess.start("alertmanager", List.of(
                            "/usr/bin/prometheus-alertmanager", "--config.file=" + amConfig,
                            "--storage.path=" + temp.resolve("am-data"),
                            "--web.listen-address=127.0.0.1:" + alertmanagerPort,
                            "--cluster.listen-address=127.0.0.1:" + alertmanagerClusterPort),
                            temp.resolve("am")).awaitReady("http://127.0.0.1:" + alertmanagerPort + "/-/ready",
                            Duration.ofSeconds(30));
                    ManagedProcess prometheus = ManagedProcess.start("prometheus", List.of("/usr/bin/prometheus",
                            "--config.file=" + promConfig, "--storage.tsdb.path=" + temp.resolve("prom-data"),
                            "--web.listen-address=127.0.0.1:" + prometheusPort), temp.resolve("prom"))
                            .awaitReady("http://127.0.0.1:" + prometheusPort + "/-/ready", Duration.ofSeconds(60))) {

                String instance = "127.0.0.1:" + exporterPort;
                List<Alert> read = alerts.until(list -> list.stream().anyMatch(a -> isTestAlert(a)
                        && a.getStatus() == AlertStatus.FIRING), ARRIVAL);
                Alert firing = read.stream().filter(a -> isTestAlert(a) && a.getStatus() == AlertStatus.FIRING)
                        .findFirst().orElseThrow(() -> new AssertionError("no firing alert in Kafka; read " + read
                                + "\nalertmanager log:\n" + alertmanager.log() + "\nprometheus log:\n"
                                + prometheus.log()));
                assertEquals("alertmanager", firing.getSource());
                assertEquals("node", firing.getResource().getService(), "service from the job label");
                assertEquals("127.0.0.1", firing.getResource().getHost(), "host from instance, port dropped");
                assertEquals(instance, firing.getResource().getInstance());
                assertEquals("test", firing.getResource().getEnvironment());
                assertEquals(AlertSeverity.WARNING, firing.getSeverity());
                assertEquals("warning", firing.getRawSeverity());
                assertEquals("node exporter " + instance + " is up", firing.getSummary());
                assertTrue(firing.getFingerprint().matches("[0-9a-f]{16}"), "Alertmanager's fingerprint: "
                        + firing.getFingerprint());
                assertNull(firing.getEndsAt(), "Alertmanager's zero endsAt of a firing alert means none");
                assertEquals(firing.getStartsAt(), firing.getTime());
                assertTrue(firing.getGeneratorUrl().contains(":" + prometheusPort + "/"), firing.getGeneratorUrl());

                List<MetricPoint> points = metrics.until(list -> list.stream().anyMatch(p -> isUp(p, instance))
                        && list.stream().anyMatch(p -> p.getName().equals("node_cpu_seconds_total")), ARRIVAL);
                MetricPoint up = points.stream().filter(p -> isUp(p, instance)).findFirst()
                        .orElseThrow(() -> new AssertionError("no 'up' sample from remote_write; prometheus log:\n"
                                + prometheus.log()));
                assertEquals(1.0, up.getValue());
                assertEquals("127.0.0.1", up.getResource().getHost());
                assertTrue(up.getLabels().isEmpty(), "job and instance went into the entity: " + up.getLabels());
                MetricPoint cpu = points.stream().filter(p -> p.getName().equals("node_cpu_seconds_total"))
                        .findFirst().orElseThrow(() -> new AssertionError("no node_cpu_seconds_total sample"));
                assertEquals(MetricKind.COUNTER, cpu.getKind());
                assertTrue(cpu.getLabels().containsKey("mode"), "series dimensions stay labels: " + cpu.getLabels());

                exporterProcess.kill();
                List<Alert> after = alerts.until(list -> list.stream().anyMatch(a -> isTestAlert(a)
                        && a.getStatus() == AlertStatus.RESOLVED), ARRIVAL);
                Alert resolved = after.stream().filter(a -> isTestAlert(a) && a.getStatus() == AlertStatus.RESOLVED)
                        .findFirst().orElseThrow(() -> new AssertionError("no resolve in Kafka after the exporter"
                                + " stopped; read " + after + "\nalertmanager log:\n" + alertmanager.log()));
                assertEquals(firing.getFingerprint(), resolved.getFingerprint(), "the resolve is the same alert");
                assertNotNull(resolved.getEndsAt());
                assertEquals(resolved.getEndsAt(), resolved.getTime());
                assertTrue(resolved.getEndsAt().isAfter(firing.getStartsAt()));
                assertEquals(0, gateway.counters().total("sift_gateway_rejected_total"),
                        "nothing Prometheus or Alertmanager sent was refused: " + gateway.counters().exposition());
            }
        }
    }

    /** The YAML block after a README line, with the README's gateway address and token files replaced. */
    static String readmeSnippet(String heading, String gatewayUrl, Path tokenFile) throws java.io.IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int at = readme.indexOf(heading);
        assertTrue(at >= 0, "README.md has the snippet '" + heading + "'");
        int start = readme.indexOf("```yaml\n", at) + "```yaml\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        assertTrue(snippet.contains("http://sift-gateway:9095/"), snippet);
        return snippet.replace("http://sift-gateway:9095", gatewayUrl)
                .replaceAll("/etc/[a-z]+/sift-token", tokenFile.toString());
    }

    private static boolean isTestAlert(Alert alert) {
        return alert.getName().equals("NodeExporterUp");
    }

    private static boolean isUp(MetricPoint point, String instance) {
        return point.getName().equals("up") && instance.equals(point.getResource().getInstance());
    }
}
