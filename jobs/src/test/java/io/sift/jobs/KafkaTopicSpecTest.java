package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.schema.SiftSchemas;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/kafka/topics.json is reviewed data: it must agree with the job's topic settings and schemas. */
class KafkaTopicSpecTest {

    private static final Path SPEC = Path.of("..", "deploy", "kafka", "topics.json");
    private static final Map<String, JsonNode> TOPICS = new HashMap<>();

    @BeforeAll
    static void readSpec() throws Exception {
        for (JsonNode topic : new ObjectMapper().readTree(SPEC.toFile()).get("topics")) {
            TOPICS.put(topic.get("name").asText(), topic);
        }
    }

    @Test
    void everyTopicSettingsDefaultIsDeclaredAndNothingElse() {
        Set<String> fromSettings = new TreeSet<>();
        for (ConfigOption<?> option : OptionsCatalog.all()) {
            if (option.key().startsWith("sift.kafka.topic.")) {
                fromSettings.add((String) option.defaultValue());
            }
        }
        assertEquals(fromSettings, new TreeSet<>(TOPICS.keySet()));
    }

    @Test
    void incidentTopicKeepsTheLatestVersionOfEveryIncident() {
        JsonNode incidents = TOPICS.get(SiftOptions.TOPIC_INCIDENTS.defaultValue());
        assertTrue(incidents.at("/config/cleanup.policy").asText().contains("compact"),
                "consumers starting late must find every incident's latest version");
        assertEquals("io.sift.schema.Incident", incidents.get("schema").asText());
    }

    @Test
    void everyTopicNamesAKnownSchemaAndAProductionReplication() throws Exception {
        for (JsonNode topic : TOPICS.values()) {
            String schema = topic.get("schema").asText();
            String simpleName = schema.substring(schema.lastIndexOf('.') + 1);
            assertTrue(SiftSchemas.FILES.contains(simpleName)
                            && SiftSchemas.current(simpleName).getFullName().equals(schema),
                    topic.get("name") + " names unknown schema " + schema);
            assertTrue(topic.get("partitions").asInt() >= 1);
            assertTrue(topic.get("replicationFactor").asInt() >= 3, topic.get("name") + ": replicate in production");
            assertTrue(topic.get("config").get("min.insync.replicas").asInt() >= 2);
        }
    }
}
