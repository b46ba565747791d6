package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.ChangeEvent;
import io.sift.testing.FixedInstants;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Change outcomes end to end against a real Kafka broker and a real Elasticsearch server: a generated estate with
 * routine deploys and one bad deploy goes through Kafka and the job (bounded, so event time runs to the end); the
 * bad deploy's document in {@code sift-changes} is IMPLICATED by the incident whose root-cause hint names it, with
 * its team from the topology, and routine deploys that no hint named are CLEAN. No change is left PENDING.
 *
 * <p>A second environment on the same topics has changes with the same ids: copies of this scenario's, and those of
 * the single-fault scenario (seed 11) the other end-to-end tests generate, as other environments or tenants using the
 * same change ids would. Each environment's changes get their own outcome and document; none of that environment's
 * incidents name them, so they are all clean, the bad deploy's namesake too. (Run before {@code SiftJobITCase} in one
 * JVM, its seed-11 documents are already indexed, at a higher version, when that test indexes the same ids.)
 */
class ChangeOutcomesITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theBadDeployIsImplicatedByItsIncidentAndRoutineDeploysAreClean() throws Exception {
        String environment = "chg-" + UUID.randomUUID().toString().substring(0, 8);
        Scenario scenario = ScenarioGenerator.builder()
                .seed(31)
                .environment(environment)
                .services(20)
                .start(FixedInstants.T0)
                .duration(Duration.ofMinutes(120))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).at(Duration.ofMinutes(80)).lasting(Duration.ofMinutes(8)))
                .build()
                .generate();
        InjectedFault fault = scenario.faults().get(0);
        String badDeploy = fault.changeId();
        assertTrue(scenario.changes().size() >= 3, "routine deploys besides the bad one: " + scenario.changes());
        String twin = environment + "-twin";
        List<ChangeEvent> twinChanges = new ArrayList<>();
        for (ChangeEvent change : scenario.changes()) {
            twinChanges.add(ChangeEvent.newBuilder(change).setEnvironment(twin).build());
        }
        twinChanges.addAll(ScenarioRuns.oneFault(twin, 11).changes());
        Set<String> twinIds = new HashSet<>();
        twinChanges.forEach(change -> twinIds.add(change.getId()));
        assertEquals(twinChanges.size(), twinIds.size(), "distinct ids in the twin environment");

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.ELASTICSEARCH_URL.key(), LocalServices.elasticsearchUrl());
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-it-changes-" + UUID.randomUUID());
        Configuration conf = SiftSettings.load(null, settings);
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            // The twin environment's changes go in time order with this one's, on the same topic.
            List<ChangeEvent> changes = new ArrayList<>(scenario.changes());
            changes.addAll(twinChanges);
            changes.sort(java.util.Comparator.comparing(ChangeEvent::getTime));
            kafka.sendTopology(conf.get(SiftOptions.TOPIC_TOPOLOGY), scenario.topology());
            kafka.send(conf.get(SiftOptions.TOPIC_CHANGES), changes, ChangeEvent.class,
                    ChangeEvent::getConfigurationItem);
            kafka.send(conf.get(SiftOptions.TOPIC_METRICS), scenario.metrics().toList(),
                    io.sift.schema.MetricPoint.class, p -> p.getResource().getService());
            kafka.send(conf.get(SiftOptions.TOPIC_LOGS), scenario.logs().toList(), io.sift.schema.LogRecord.class,
                    l -> l.getResource().getService());
            kafka.flush();
        }
        ElasticsearchTemplates.install(LocalServices.elasticsearchUrl());
        SiftJobMain.run(conf);

        refresh("sift-changes");
        refresh("sift-incidents");
        JsonNode hits = search("sift-changes", "{\"size\":200,\"version\":true,\"query\":{\"term\":"
                + "{\"service.environment\":\"" + environment + "\"}}}").at("/hits/hits");
        assertEquals(scenario.changes().size(), hits.size(), () -> "one document per change: " + hits);
        Map<String, JsonNode> byId = new HashMap<>();
        List<String> clean = new ArrayList<>();
        for (JsonNode hit : hits) {
            JsonNode change = hit.at("/_source/sift/change");
            byId.put(hit.at("/_source/sift/id").asText(), hit);
            assertFalse(change.path("outcome").asText().equals("PENDING"),
                    () -> "event time ran to the end of the input: every change is decided: " + hit);
            assertEquals(change.path("version").asLong(), hit.path("_version").asLong(),
                    "_version is the outcome version");
            if (change.path("outcome").asText().equals("CLEAN")) {
                clean.add(hit.path("_id").asText());
                assertEquals(0, change.path("failed").asInt(-1), hit::toString);
                assertTrue(change.path("incident_ids").isMissingNode(), hit::toString);
            }
        }
        assertFalse(clean.isEmpty(), () -> "routine deploys no hint named are clean: " + hits);

        JsonNode bad = byId.get(badDeploy);
        assertTrue(bad != null, () -> "the bad deploy " + badDeploy + " is indexed: " + byId.keySet());
        JsonNode outcome = bad.at("/_source/sift/change");
        assertEquals("IMPLICATED", outcome.path("outcome").asText(), bad::toString);
        assertEquals(1, outcome.path("failed").asInt());
        assertTrue(outcome.path("incident_count").asInt() >= 1, bad::toString);
        assertTrue(outcome.path("minutes_to_incident").asDouble(-1) >= 0
                && outcome.path("minutes_to_incident").asDouble() <= 30, () -> "within the look-back: " + bad);
        assertEquals(scenario.estate().item(fault.rootCauseItem()).orElseThrow().attributes().get("team"),
                outcome.path("team").asText(), "the team of the changed item in the topology");
        assertEquals("deploy", bad.at("/_source/sift/summary").asText().split(" ")[0], "the whole change document");

        // The incidents it names exist and list it among their suspects (their latest version: a hint may have moved
        // on since it named the change, which leaves the change implicated).
        Set<String> naming = new HashSet<>();
        for (JsonNode id : outcome.path("incident_ids")) {
            JsonNode incident = search("sift-incidents", "{\"query\":{\"term\":{\"sift.id\":\"" + id.asText()
                    + "\"}}}").at("/hits/hits/0/_source");
            for (JsonNode suspect : incident.at("/sift/suspect_changes")) {
                if (suspect.path("id").asText().equals(badDeploy)) {
                    naming.add(id.asText());
                }
            }
        }
        assertFalse(naming.isEmpty(), () -> "an incident in sift-incidents suspects " + badDeploy + ": " + bad);

        // The twin environment: every change its own document, all clean (its incidents, none, named none of them).
        JsonNode twinHits = search("sift-changes", "{\"size\":500,\"version\":true,\"query\":{\"term\":"
                + "{\"service.environment\":\"" + twin + "\"}}}").at("/hits/hits");
        Map<String, JsonNode> twinById = new HashMap<>();
        for (JsonNode hit : twinHits) {
            twinById.put(hit.at("/_source/sift/id").asText(), hit);
            assertEquals("CLEAN", hit.at("/_source/sift/change/outcome").asText(), hit::toString);
            assertEquals(hit.at("/_source/sift/change/version").asLong(), hit.path("_version").asLong(), hit::toString);
        }
        assertEquals(twinIds, twinById.keySet(), () -> "one document per change of the twin environment: " + twinHits);
        assertFalse(twinById.get(badDeploy).path("_id").asText().equals(bad.path("_id").asText()),
                "the same change id in two environments: two documents");
        assertEquals("IMPLICATED", byId.get(badDeploy).at("/_source/sift/change/outcome").asText(),
                "still implicated in its own environment, whatever the twin's outcome");
    }

    private static void refresh(String index) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/" + index + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode search(String index, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/" + index
                + "/_search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }
}
