package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Resource;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Maintenance windows end to end (real Kafka, the job in a MiniCluster, a webhook receiver on loopback): alerts as
 * the gateway writes them to the alerts topic, one silenced by {@code sift.maintenance.windows}, one on an item of a
 * change's planned window, one in neither. The incident topic shows the first two SUPPRESSED (the silenced one
 * RELEASED when its window ends while it still fires); the webhook gets the unsuppressed incident, the release, and
 * the resolution of the planned-window one, but none of the suppressed versions.
 */
class MaintenanceWindowITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    @BeforeAll
    static void services() {
        LocalServices.kafkaBootstrap();
    }

    private static Alert alert(String name, String service, String host, AlertStatus status, long startMinute,
            long timeMinute, String environment) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint("fp-" + name + "-" + service)
                .setStatus(status).setSeverity(AlertSeverity.CRITICAL).setRawSeverity("critical").setName(name)
                .setResource(Resource.newBuilder().setService(service).setHost(host).setEnvironment(environment)
                        .build())
                .setStartsAt(T0.plusSeconds(60 * startMinute))
                .setEndsAt(status == AlertStatus.RESOLVED ? T0.plusSeconds(60 * timeMinute) : null)
                .setTime(T0.plusSeconds(60 * timeMinute)).setLabels(Map.of("alertname", name, "job", service))
                .setAnnotations(Map.of()).build();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void silencedAndPlannedWindowIncidentsAreSuppressedReleasedAndKeptFromTheWebhook() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "maint-" + run;
        List<JsonNode> delivered = Collections.synchronizedList(new ArrayList<>());
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/incidents", exchange -> {
            delivered.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(),
                    true);
            settings.put(AlertOptions.TOPIC_ALERTS.key(), environment + ".alerts");
            settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-maint-it-" + run);
            settings.put(DeliveryOptions.WEBHOOK_URL.key(), "http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/incidents");
            settings.put(MaintenanceOptions.WINDOWS.key(),
                    "db-maintenance: alertname=MySQLDown, host=~\"db-.*\" @ 2026-11-02T08:00Z/2026-11-02T09:30Z");
            Configuration conf = SiftSettings.load(null, settings);
            String alertsTopic = conf.get(AlertOptions.TOPIC_ALERTS);
            String changesTopic = conf.get(SiftOptions.TOPIC_CHANGES);
            String incidentsTopic = conf.get(SiftOptions.TOPIC_INCIDENTS);

            try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
                kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                        changesTopic, conf.get(SiftOptions.TOPIC_TOPOLOGY), incidentsTopic,
                        conf.get(SiftOptions.TOPIC_DEAD_LETTERS), conf.get(ItsmOptions.TOPIC_PROBLEMS),
                        conf.get(ItsmOptions.TOPIC_ITSM_FEEDBACK), alertsTopic), 2);
                ChangeEvent failover = ChangeEvent.newBuilder().setId("chg-failover-" + run).setTime(T0)
                        .setType(ChangeType.INFRASTRUCTURE).setConfigurationItem("catalog")
                        .setEnvironment(environment).setSummary("catalog failover").setChangeRequest("CHG0031337")
                        .setPlannedStart(T0).setPlannedEnd(T0.plusSeconds(3600)).build();
                kafka.send(changesTopic, List.of(failover), ChangeEvent.class, c -> c.getConfigurationItem());
                kafka.send(alertsTopic, List.of(
                        alert("MySQLDown", "orders-db", "db-1", AlertStatus.FIRING, 1, 1, environment),
                        alert("DiskFull", "search", "search-1", AlertStatus.FIRING, 5, 5, environment),
                        alert("HighLatency", "catalog", "cat-1", AlertStatus.FIRING, 10, 10, environment),
                        alert("HighLatency", "catalog", "cat-1", AlertStatus.RESOLVED, 10, 15, environment)),
                        Alert.class, a -> a.getResource().getService());
                kafka.flush();
            }
            SiftJobMain.run(conf);

            var decoder = SiftSchemas.decoderFor(Incident.class);
            List<Incident> versions = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : ScenarioRuns.readToEnd(LocalServices.kafkaBootstrap(),
                    incidentsTopic, false)) {
                versions.add(decoder.decode(ByteBuffer.wrap(record.value())));
            }
            versions.sort(java.util.Comparator.comparing(Incident::getId).thenComparingLong(Incident::getVersion));
            Incident mysql = only(versions, "orders-db", IncidentChange.OPENED);
            assertEquals("db-maintenance", mysql.getSuppressedBy(), "silenced by the settings window");
            Incident released = only(versions, "orders-db", IncidentChange.RELEASED);
            assertNull(released.getSuppressedBy());
            assertEquals(T0.plusSeconds(30 * 60), released.getUpdatedAt(), "released when the window ended");
            Incident disk = only(versions, "search", IncidentChange.OPENED);
            assertNull(disk.getSuppressedBy(), "no window covers it");
            Incident catalog = only(versions, "catalog", IncidentChange.OPENED);
            assertEquals("chg-failover-" + run, catalog.getSuppressedBy(), "inside the change's planned window");
            Incident catalogResolved = only(versions, "catalog", IncidentChange.RESOLVED);
            assertEquals(IncidentStatus.RESOLVED, catalogResolved.getStatus());
            assertEquals("chg-failover-" + run, catalogResolved.getSuppressedBy());

            List<String> webhook = new ArrayList<>();
            synchronized (delivered) {
                for (JsonNode body : delivered) {
                    webhook.add(body.get("id").asText() + " " + body.get("change").asText());
                }
            }
            System.out.println("MaintenanceWindowITCase: incident versions " + versions.stream()
                    .map(i -> i.getServices() + " v" + i.getVersion() + " " + i.getChange() + " suppressedBy="
                            + i.getSuppressedBy()).toList() + "; webhook " + webhook);
            assertTrue(webhook.contains(disk.getId() + " OPENED"), webhook.toString());
            assertTrue(webhook.contains(mysql.getId() + " RELEASED"), webhook.toString());
            assertTrue(webhook.contains(catalog.getId() + " RESOLVED"), "a resolution passes: " + webhook);
            assertTrue(!webhook.contains(mysql.getId() + " OPENED") && !webhook.contains(catalog.getId() + " OPENED"),
                    "no suppressed version reaches the webhook: " + webhook);
        } finally {
            receiver.stop(0);
        }
    }

    private static Incident only(List<Incident> versions, String service, IncidentChange change) {
        List<Incident> found = versions.stream()
                .filter(i -> i.getServices().contains(service) && i.getChange() == change).toList();
        assertEquals(1, found.size(), () -> "one " + change + " version on " + service + ": " + versions.stream()
                .map(i -> i.getServices() + " v" + i.getVersion() + " " + i.getChange()).toList());
        return found.get(0);
    }
}
