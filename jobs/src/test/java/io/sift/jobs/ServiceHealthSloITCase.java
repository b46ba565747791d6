package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.ServiceHealthDocumentEmitter;
import io.sift.connectors.elasticsearch.SloStatusDocumentEmitter;
import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SloStatus;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ground truth for SLOs and service health, through the job in a MiniCluster into a real Elasticsearch: a small
 * estate (frontend calls checkout and search, checkout calls payments; inventory stands apart), two instances per
 * service, one sample per metric and instance every 15 s for 150 minutes. Payments fails completely (error ratio
 * 1.0 on both instances) for exactly 12 minutes; otherwise every error ratio alternates 0.04 % / 0.06 % (mean
 * 0.05 %). With the SLO 'payments at 99.9 % over 28 days' the budget is 40.32 minutes and the run spends
 * 12 + 138 x 0.0005 = 12.069 of them: sift-slo must say so (to 1e-6), and sift-service-health must show payments
 * critical, its callers degraded less with every hop, and search and inventory healthy throughout.
 */
class ServiceHealthSloITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant T0 = FixedInstants.T0;
    private static final int MINUTES = 150;
    private static final int FAULT_FROM = 90;
    private static final int FAULT_MINUTES = 12;
    private static final List<String> SERVICES = List.of("frontend", "checkout", "payments", "search", "inventory");

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theRemainingBudgetMatchesTheInjectedErrorMinutesAndHealthFollowsTheDependencies() throws Exception {
        String environment = "health-it-" + UUID.randomUUID().toString().substring(0, 8);
        String url = LocalServices.elasticsearchUrl();
        ElasticsearchTemplates.install(url);
        Configuration conf = SiftSettings.load(null, Map.of("parallelism.default", "2", "restart-strategy.type", "none",
                SiftOptions.DEFAULT_ENVIRONMENT.key(), environment,
                SiftOptions.SLO_OBJECTIVES.key(), "payments-availability=payments:http.server.error.ratio:99.9/28d;"
                        + " search:http.server.error.ratio:99.5"));
        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        String handler = environment;
        SiftJob.Outputs outputs = new SiftJob.Outputs(
                List.of(ElasticsearchSink.<Anomaly>builder().setHosts(url).setEmitter(new AnomalyDocumentEmitter())
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler)).build()),
                List.of(), List.of(), List.of(),
                List.of(ElasticsearchSink.<SloStatus>builder().setHosts(url).setEmitter(new SloStatusDocumentEmitter())
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler)).build()),
                List.of(ElasticsearchSink.<ServiceHealth>builder().setHosts(url)
                        .setEmitter(new ServiceHealthDocumentEmitter())
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler)).build()));
        SiftJob.Inputs inputs = new SiftJob.Inputs(SiftSource.of(metrics(environment), MetricPoint.class),
                // No logs and no changes: empty in-memory inputs must not stop the job.
                SiftSource.of(List.of(), LogRecord.class),
                SiftSource.of(List.of(), ChangeEvent.class),
                SiftSource.of(topology(environment), TopologyUpdate.class));
        long started = System.nanoTime();
        SiftJob.build(env, inputs, outputs, new SiftSettings(conf));
        env.execute("service-health-slo-it");
        System.out.printf("ServiceHealthSloITCase: job ran in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertTrue(CollectingRejectedDocumentHandler.collected(handler).isEmpty(), "Elasticsearch rejected documents: "
                + CollectingRejectedDocumentHandler.collected(handler));
        HTTP.send(HttpRequest.newBuilder(URI.create(url + "/sift-*/_refresh")).POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());

        // ---- SLO: one status per minute; the budget spent is the injected error minutes plus the baseline ----
        JsonNode payments = search("sift-slo", "{\"size\":1000,\"sort\":[{\"@timestamp\":\"asc\"}],\"query\":{\"bool\":"
                + "{\"filter\":[{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                + "{\"term\":{\"sift.slo.name\":\"payments-availability\"}}]}}}").at("/hits/hits");
        assertEquals(MINUTES, payments.size(), "one status per minute with samples");
        JsonNode last = payments.get(MINUTES - 1).at("/_source/sift/slo");
        double injected = FAULT_MINUTES * 1.0;
        double baseline = (MINUTES - FAULT_MINUTES) * 0.0005;
        assertEquals(40.32, last.at("/budget/total_minutes").asDouble(), 1e-9);
        assertEquals(injected + baseline, last.at("/budget/consumed_minutes").asDouble(), 1e-6,
                "budget spent = injected error minutes + baseline: " + last);
        assertEquals(40.32 - injected - baseline, last.at("/budget/remaining_minutes").asDouble(), 1e-6);
        assertEquals((40.32 - injected - baseline) / 40.32, last.at("/budget/remaining_fraction").asDouble(), 1e-9);
        assertEquals(MINUTES, last.at("/observed_minutes").asLong());
        assertEquals("SLOW_BURN", last.at("/status").asText(), "80x over 6h/3d, quiet over 30m: a ticket");
        JsonNode duringFault = payments.get(FAULT_FROM + 5).at("/_source/sift/slo");
        assertEquals("FAST_BURN", duringFault.at("/status").asText(), duringFault.toString());
        assertEquals(1.0 / 0.001, duringFault.at("/burn_rate_5m").asDouble(), 1e-6);
        assertEquals("OK", payments.get(FAULT_FROM - 1).at("/_source/sift/slo/status").asText());
        assertEquals(FAULT_FROM * 0.0005,
                payments.get(FAULT_FROM - 1).at("/_source/sift/slo/budget/consumed_minutes").asDouble(), 1e-6);
        JsonNode search = search("sift-slo", "{\"size\":0,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                + "{\"term\":{\"service.name\":\"search\"}},{\"terms\":{\"sift.slo.status\":[\"OK\"]}}]}}}");
        assertEquals(MINUTES, search.at("/hits/total/value").asLong(), "search's SLO stays OK every minute");
        // The status and the burn-rate anomaly agree: the anomaly fired on payments' error ratio.
        JsonNode burn = search("sift-anomalies", "{\"size\":10,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                + "{\"term\":{\"sift.detector\":\"slo-burn-rate\"}}]}}}").at("/hits/hits");
        assertTrue(burn.size() >= 1, "a burn-rate anomaly on payments");
        for (JsonNode a : burn) {
            assertEquals("payments", a.at("/_source/service/name").asText());
        }

        // ---- Service health: payments critical, callers degraded less per hop, the rest healthy ----
        Map<String, Double> atFault = new HashMap<>();
        String faultWindow = JsonDocumentTime.of(T0.plusSeconds(60L * (FAULT_FROM + 5)));
        for (JsonNode h : search("sift-service-health", "{\"size\":100,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                + "{\"term\":{\"@timestamp\":\"" + faultWindow + "\"}}]}}}").at("/hits/hits")) {
            atFault.put(h.at("/_source/service/name").asText(), h.at("/_source/sift/health/score").asDouble());
        }
        System.out.println("ServiceHealthSloITCase: health at minute " + (FAULT_FROM + 5) + ": " + atFault);
        assertEquals(SERVICES.size(), atFault.size(), atFault.toString());
        assertTrue(atFault.get("payments") < 50, "payments is critical: " + atFault);
        assertTrue(atFault.get("checkout") < 80 && atFault.get("checkout") > atFault.get("payments"),
                "checkout is degraded, less than payments: " + atFault);
        assertTrue(atFault.get("frontend") < 80 && atFault.get("frontend") > atFault.get("checkout"),
                "frontend is degraded, less than checkout: " + atFault);
        for (String healthy : List.of("search", "inventory")) {
            JsonNode worst = search("sift-service-health", "{\"size\":0,\"query\":{\"bool\":{\"filter\":["
                    + "{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                    + "{\"term\":{\"service.name\":\"" + healthy + "\"}}]}},"
                    + "\"aggs\":{\"min\":{\"min\":{\"field\":\"sift.health.score\"}},"
                    + "\"windows\":{\"value_count\":{\"field\":\"sift.id\"}}}}");
            assertEquals(100.0, worst.at("/aggregations/min/value").asDouble(), 1e-9, healthy + " stays healthy");
            assertEquals(MINUTES, worst.at("/aggregations/windows/value").asLong(), healthy + ": a document a minute");
        }
        JsonNode before = search("sift-service-health", "{\"size\":0,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                + "{\"term\":{\"service.name\":\"payments\"}},"
                + "{\"range\":{\"@timestamp\":{\"lt\":\"" + JsonDocumentTime.of(T0.plusSeconds(60L * FAULT_FROM)) + "\"}}}]}},"
                + "\"aggs\":{\"min\":{\"min\":{\"field\":\"sift.health.score\"}}}}");
        assertEquals(100.0, before.at("/aggregations/min/value").asDouble(), 1e-9, "payments healthy before the fault");
        JsonNode kpi = search("sift-service-health", "{\"size\":1,\"query\":{\"bool\":{\"filter\":["
                + "{\"term\":{\"service.environment\":\"" + environment + "\"}},"
                + "{\"term\":{\"service.name\":\"payments\"}},"
                + "{\"term\":{\"@timestamp\":\"" + faultWindow + "\"}}]}}}").at("/hits/hits/0/_source/sift");
        assertEquals(0.0, kpi.at("/kpi/availability").asDouble(), 1e-9, "availability 0 during the outage");
        assertEquals(200.0, kpi.at("/kpi/throughput").asDouble(), 10.0, "two instances at about 100 rps");
        assertEquals("CRITICAL", kpi.at("/health/status").asText());
        assertTrue(kpi.at("/severity/availability").asDouble() >= 50, kpi.toString());
    }

    /** ISO timestamps for date queries. */
    private static final class JsonDocumentTime {
        static String of(Instant t) {
            return t.toString();
        }
    }

    private static List<MetricPoint> metrics(String environment) {
        Random random = new Random(42);
        List<MetricPoint> points = new ArrayList<>();
        for (int step = 0; step < MINUTES * 4; step++) {
            Instant t = T0.plusSeconds(15L * step);
            int minute = step / 4;
            for (String service : SERVICES) {
                for (int instance = 0; instance < 2; instance++) {
                    Resource r = Resource.newBuilder().setService(service).setInstance(service + "-" + instance)
                            .setHost("host-" + service + "-" + instance).setEnvironment(environment).build();
                    boolean down = service.equals("payments") && minute >= FAULT_FROM
                            && minute < FAULT_FROM + FAULT_MINUTES;
                    double errors = down ? 1.0 : step % 2 == 0 ? 0.0004 : 0.0006;
                    points.add(point(t, "http.server.error.ratio", "1", errors, r));
                    points.add(point(t, "http.server.request.rate", "{request}/s",
                            100 * (1 + 0.02 * random.nextGaussian()), r));
                    points.add(point(t, "http.server.request.duration.p95", "ms",
                            120 * (1 + 0.02 * random.nextGaussian()), r));
                }
            }
        }
        return points;
    }

    private static MetricPoint point(Instant t, String name, String unit, double value, Resource r) {
        return MetricPoint.newBuilder().setTime(t).setName(name).setUnit(unit).setValue(value)
                .setKind(name.endsWith("p95") ? MetricKind.HISTOGRAM_SUMMARY : MetricKind.GAUGE)
                .setResource(r).setLabels(Map.of()).build();
    }

    private static List<TopologyUpdate> topology(String environment) {
        List<TopologyUpdate> updates = new ArrayList<>();
        for (String s : SERVICES) {
            updates.add(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                    .setItem(ConfigurationItem.newBuilder().setId(s).setType(ItemType.SERVICE)
                            .setCriticality(Criticality.HIGH).setEnvironment(environment).setAttributes(Map.of())
                            .build())
                    .setEdge(null).build());
        }
        for (String[] e : new String[][] {{"frontend", "checkout"}, {"frontend", "search"}, {"checkout", "payments"}}) {
            updates.add(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT).setItem(null)
                    .setEdge(TopologyEdge.newBuilder().setFrom(e[0]).setTo(e[1]).setType(EdgeType.CALLS).build())
                    .build());
        }
        return updates;
    }

    private static JsonNode search(String index, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(LocalServices.elasticsearchUrl() + "/" + index + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(response.body());
        assertTrue(response.statusCode() == 200, index + ": " + response.body());
        return json;
    }
}
