package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.testing.LocalServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, item 6: {@code sift reset} deletes what a run left behind, so a rerun with other settings does not keep
 * the first run's documents: the job's Elasticsearch indices, its output topics and its consumer group; the inputs
 * stay unless {@code --inputs}; without {@code --yes} nothing is deleted. Through the command line, as a person types it.
 */
class ResetITCase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void resetDeletesTheRunsDocumentsOutputTopicsAndConsumerGroupAndKeepsItsInputs() throws Exception {
        String run = "reset-" + UUID.randomUUID().toString().substring(0, 8);
        String kafka = LocalServices.kafkaBootstrap();
        String elasticsearch = LocalServices.elasticsearchUrl();
        Map<String, String> topics = ScenarioKafka.topicSettings(run + ".");
        String incidentsIndex = "sift-incidents-" + run + "-2026.11";
        String anomaliesIndex = "sift-anomalies-" + run + "-2026.11";
        String foreignIndex = "other-" + run;
        try (ScenarioKafka producer = new ScenarioKafka(kafka)) {
            producer.recreateTopics(List.copyOf(topics.values()), 1);
        }
        commitOffsets(run, topics.get(SiftOptions.TOPIC_METRICS.key()));
        for (String index : List.of(incidentsIndex, anomaliesIndex, foreignIndex)) {
            http("PUT", elasticsearch + "/" + index + "/_doc/inc-1?refresh=true", "{\"sift\":{\"id\":\"inc-1\"}}");
        }

        String[] args = args(run, kafka, elasticsearch, topics);
        String dryRun = cli(args);
        assertTrue(dryRun.contains("would delete Kafka topic " + run + ".incidents"), dryRun);
        assertTrue(dryRun.contains("would delete Elasticsearch index " + incidentsIndex), dryRun);
        assertTrue(dryRun.contains("would delete Kafka consumer group " + run), dryRun);
        assertEquals(200, http("GET", elasticsearch + "/" + incidentsIndex, null), "a dry run deletes nothing");

        String[] withYes = java.util.Arrays.copyOf(args, args.length + 1);
        withYes[args.length] = "--yes";
        String done = cli(withYes);
        assertTrue(done.contains("deleted Elasticsearch index " + anomaliesIndex), done);

        assertEquals(404, http("GET", elasticsearch + "/" + incidentsIndex, null), "the run's incidents are gone");
        assertEquals(404, http("GET", elasticsearch + "/" + anomaliesIndex, null), "and its anomalies");
        assertEquals(200, http("GET", elasticsearch + "/" + foreignIndex, null), "other indices stay");
        try (Admin admin = admin(kafka)) {
            long deadline = System.currentTimeMillis() + 30_000;
            Set<String> left;
            do {
                Thread.sleep(200);
                left = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            } while (left.contains(run + ".incidents") && System.currentTimeMillis() < deadline);
            for (String output : List.of("incidents", "problems", "deadletter")) {
                assertFalse(left.contains(run + "." + output), output + " deleted");
            }
            for (String input : List.of("metrics", "logs", "changes", "topology", "itsm-feedback")) {
                assertTrue(left.contains(run + "." + input), input + " kept");
            }
            assertTrue(admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .noneMatch(g -> g.groupId().equals(run)), "the consumer group is gone: a rerun reads from the start");
        }
        String again = cli(withYes);
        assertFalse(again.contains(incidentsIndex) || again.contains("topic " + run + ".incidents"),
                "a second reset finds nothing of the run: " + again);
        http("DELETE", elasticsearch + "/" + foreignIndex, null);
    }

    private static String[] args(String run, String kafka, String elasticsearch, Map<String, String> topics) {
        java.util.List<String> args = new java.util.ArrayList<>(List.of("reset",
                "-D" + SiftOptions.KAFKA_BOOTSTRAP.key() + "=" + kafka,
                "-D" + SiftOptions.ELASTICSEARCH_URL.key() + "=" + elasticsearch,
                "-D" + SiftOptions.KAFKA_GROUP_ID.key() + "=" + run));
        topics.forEach((key, value) -> args.add("-D" + key + "=" + value));
        return args.toArray(String[]::new);
    }

    private static String cli(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = io.sift.jobs.cli.SiftCliAccess.execute(args);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        return out;
    }

    /** The job's consumer group, with an offset committed on an input topic, as a run leaves it. */
    private static void commitOffsets(String group, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(0)), Duration.ofSeconds(30));
        }
    }

    private static Admin admin(String kafka) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        return Admin.create(props);
    }

    private static int http(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
