package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Problem management and incident metrics end to end (real Kafka, real Elasticsearch, the job in a MiniCluster):
 * a resource saturation injected three times on the same database gives three incidents, exactly one problem in
 * {@code sift-problems} linking those three, and one metrics document per incident in {@code sift-incident-metrics}
 * whose time to detect agrees with the ground truth.
 */
class ProblemsITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    /** The scenario of eval's RecurringFaultProblemTest (which checks the plain-Java mirror gives the same). */
    static Scenario recurringSaturation(String environment) {
        return ScenarioGenerator.builder().seed(5).environment(environment).services(20)
                .start(Instant.parse("2026-11-02T06:00:00Z"))
                .duration(Duration.ofMinutes(215))
                .recurringFault(FaultSpec.of(FaultType.RESOURCE_SATURATION).on("orders-db")
                        .at(Duration.ofMinutes(65)).lasting(Duration.ofMinutes(6)), 3, Duration.ofMinutes(50))
                .build().generate();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void aFaultRecurringThreeTimesOnOneItemIsOneProblemLinkingThreeIncidents() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "problems-" + run;
        Scenario scenario = recurringSaturation(environment);
        List<InjectedFault> faults = scenario.faults();
        assertEquals(3, faults.size());

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.ELASTICSEARCH_URL.key(), LocalServices.elasticsearchUrl());
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-problems-it-" + run);
        Configuration conf = SiftSettings.load(null, settings);

        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS),
                    conf.get(ItsmOptions.TOPIC_PROBLEMS)), 2);
            kafka.sendScenario(conf, scenario);
        }
        ElasticsearchTemplates.install(LocalServices.elasticsearchUrl());
        long started = System.nanoTime();
        SiftJobMain.run(conf);
        System.out.printf("ProblemsITCase: job ran in %.1f s%n", (System.nanoTime() - started) / 1e9);

        JsonNode incidents = search("sift-incidents", "{\"size\":100,\"sort\":[{\"event.start\":\"asc\"}],\"query\":{\"bool\":{"
                + "\"filter\":[{\"term\":{\"service.environment\":\"" + environment + "\"}}],"
                + "\"must_not\":[{\"term\":{\"sift.status\":\"MERGED\"}}]}}}").at("/hits/hits");
        List<String> incidentIds = new ArrayList<>();
        incidents.forEach(hit -> incidentIds.add(hit.at("/_source/sift/id").asText()));
        assertEquals(3, incidentIds.size(), () -> "one incident per injection: " + incidents);

        JsonNode problems = search("sift-problems", "{\"size\":10,\"query\":{\"term\":{\"service.environment\":\""
                + environment + "\"}}}").at("/hits/hits");
        assertEquals(1, problems.size(), () -> "exactly one problem: " + problems);
        JsonNode problem = problems.get(0).get("_source");
        List<String> linked = new ArrayList<>();
        problem.at("/sift/incident_ids").forEach(id -> linked.add(id.asText()));
        assertEquals(incidentIds, linked, "the problem links the three incidents, oldest first");
        assertEquals("orders-db", problem.at("/sift/root_cause_item").asText());
        assertEquals(3, problem.at("/sift/occurrences").asInt());
        assertEquals(1, problems.get(0).get("_version").asLong() > 0 ? 1 : 0);
        System.out.println("ProblemsITCase: problem " + problem.at("/sift/id").asText() + " '"
                + problem.at("/sift/title").asText() + "' links " + linked);

        JsonNode metrics = search("sift-incident-metrics", "{\"size\":100,\"sort\":[{\"@timestamp\":\"asc\"}],"
                + "\"query\":{\"bool\":{\"filter\":[{\"term\":{\"service.environment\":\"" + environment + "\"}}],"
                + "\"must_not\":[{\"term\":{\"sift.status\":\"MERGED\"}}]}}}").at("/hits/hits");
        assertEquals(3, metrics.size(), () -> "one metrics document per incident: " + metrics);
        for (int k = 0; k < 3; k++) {
            JsonNode m = metrics.get(k).get("_source").get("sift");
            InjectedFault fault = faults.get(k);
            assertEquals(incidentIds.get(k), m.get("incident_id").asText());
            long detected = Instant.parse(m.get("detected_at").asText()).toEpochMilli();
            long truth = detected - fault.start().toEpochMilli();
            long measured = m.get("time_to_detect_ms").asLong();
            System.out.printf("ProblemsITCase: %s %s time to detect %d ms (ground truth %d ms), resolve %d ms, "
                    + "%d anomalies, %d anomaly versions%n", fault.id(), m.get("incident_id").asText(), measured,
                    truth, m.path("time_to_resolve_ms").asLong(-1), m.get("anomaly_count").asInt(),
                    m.get("anomaly_updates").asInt());
            // The earliest onset is the fault's first anomalous sample: within a few sample intervals of the start.
            assertTrue(Math.abs(measured - truth) <= 3 * scenario.sampleInterval().toMillis(),
                    "time to detect " + measured + " ms vs ground truth " + truth + " ms");
            assertTrue(m.has("time_to_resolve_ms"), "resolved at the end of the input: " + m);
            assertEquals("SIFT", m.get("resolved_by").asText());
        }
    }

    private static JsonNode search(String index, String body) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/" + index + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/" + index
                        + "/_search?version=true"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
