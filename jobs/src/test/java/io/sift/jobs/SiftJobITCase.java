package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.schema.Incident;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Kafka broker and a real Elasticsearch server: generated telemetry with one injected
 * fault goes through Kafka and the job in a MiniCluster; exactly one incident naming the faulty item lands in
 * Elasticsearch and on the incident topic, and running the same input again leaves exactly that one incident.
 */
class SiftJobITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
    void oneFaultBecomesExactlyOneIncidentInElasticsearchAndOnTheTopicAndReplaysDoNotDuplicateIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "it-" + run;
        Scenario scenario = ScenarioRuns.oneFault(environment, 11);
        InjectedFault fault = scenario.faults().get(0);

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.ELASTICSEARCH_URL.key(), LocalServices.elasticsearchUrl());
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        Configuration conf = SiftSettings.load(null, settings);

        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            kafka.sendScenario(conf, scenario);
        }

        ElasticsearchTemplates.install(LocalServices.elasticsearchUrl());
        SiftJobMain.run(withGroup(settings, "first"));

        JsonNode first = incidentsIn(environment);
        assertEquals(1, first.size(), () -> "exactly one incident for one fault, got " + first);
        JsonNode incident = first.get(0).get("_source");
        String id = incident.at("/sift/id").asText();
        long version = first.get(0).get("_version").asLong();
        List<String> services = JSON.convertValue(incident.at("/sift/services"), List.class);
        assertTrue(services.contains(fault.rootCauseItem()),
                () -> "the incident names the faulty item " + fault.rootCauseItem() + ": " + services);
        assertEquals(fault.rootCauseItem(), incident.at("/sift/root_causes/0/item").asText(),
                () -> "top root-cause hint: " + incident.at("/sift/root_causes"));
        assertEquals(version, incident.at("/sift/version").asLong(), "_version is the incident version");

        Map<String, Incident> onTopic = latestOnTopic(conf.get(SiftOptions.TOPIC_INCIDENTS));
        assertEquals(List.of(id), List.copyOf(onTopic.keySet()), "the topic carries the same single incident");
        assertEquals(version, onTopic.get(id).getVersion(), "the topic's latest version is Elasticsearch's");

        // The same input again (a replay after a failure, or a rerun): still one incident, same id and version.
        SiftJobMain.run(withGroup(settings, "second"));
        JsonNode second = incidentsIn(environment);
        assertEquals(1, second.size(), () -> "a replay must not add incidents: " + second);
        assertEquals(id, second.get(0).at("/_source/sift/id").asText());
        assertEquals(version, second.get(0).get("_version").asLong());
        assertEquals(Map.of(id, version), Map.of(id, latestOnTopic(conf.get(SiftOptions.TOPIC_INCIDENTS)).get(id).getVersion()));

        JsonNode anomalies = search("sift-anomalies", "{\"size\":0,\"query\":{\"term\":{\"service.environment\":\"" + environment + "\"}}}");
        assertTrue(anomalies.at("/hits/total/value").asLong() >= 2, "anomalies are indexed too: " + anomalies);
        HTTP.send(HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/sift-changes/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode changes = search("sift-changes", "{\"size\":0,\"query\":{\"term\":{\"service.environment\":\"" + environment + "\"}}}");
        assertEquals(scenario.changes().size(), changes.at("/hits/total/value").asLong(),
                () -> "every change is indexed once (one _id per environment and change id): " + changes);
    }

    private static Configuration withGroup(Map<String, String> settings, String group) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-it-" + group + "-" + UUID.randomUUID());
        try {
            return SiftSettings.load(null, copy);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode incidentsIn(String environment) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(LocalServices.elasticsearchUrl() + "/sift-incidents/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode result = search("sift-incidents", "{\"size\":100,\"version\":true,\"query\":{\"bool\":{"
                + "\"filter\":[{\"term\":{\"service.environment\":\"" + environment + "\"}}],"
                + "\"must_not\":[{\"term\":{\"sift.status\":\"MERGED\"}}]}}}");
        return result.at("/hits/hits");
    }

    private static JsonNode search(String index, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create(LocalServices.elasticsearchUrl() + "/" + index + "/_search"))
                .header("Content-Type", "application/json");
        request = body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static Map<String, Incident> latestOnTopic(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Incident> latest = new HashMap<>();
        var decoder = SiftSchemas.decoderFor(Incident.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000; // a loaded CI machine can take long to join the group
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline && emptyPolls < 3) {
                var records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty() && !latest.isEmpty()) {
                    emptyPolls++;
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    Incident incident = decoder.decode(ByteBuffer.wrap(record.value()));
                    assertEquals(incident.getId(), new String(record.key(), StandardCharsets.UTF_8), "key = incident id");
                    if (incident.getStatus() != io.sift.schema.IncidentStatus.MERGED) {
                        latest.merge(incident.getId(), incident, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(latest.isEmpty(), "no incident on topic " + topic);
        return latest;
    }
}
