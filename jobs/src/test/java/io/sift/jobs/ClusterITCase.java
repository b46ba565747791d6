package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.jobs.cli.SiftCli;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.schema.ChangeEvent;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.LocalCluster;
import io.sift.testing.LocalServices;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The job on a real Flink standalone session cluster (a JobManager and two TaskManager processes from
 * {@code deploy/cluster}), submitted as the shaded job jar through the REST API by {@code sift submit}, against
 * real Kafka and Elasticsearch: a generated scenario's fault becomes its incident in Elasticsearch; and a job
 * stopped with {@code sift savepoint --stop} resumes from that savepoint and finds the fault in data written
 * after the stop.
 */
class ClusterITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PARALLELISM = 2;

    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        // two TaskManagers of one slot each: the job's two parallel pipelines exchange records over the network
        CompletableFuture<LocalCluster> flink = CompletableFuture.supplyAsync(
                () -> LocalCluster.start(Path.of("target", "it-cluster"), 2, 1));
        LocalServices.startAll();
        cluster = flink.join();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void boundedRunOnTheClusterTurnsTheFaultIntoItsIncidentInElasticsearch() throws Exception {
        String run = "clu-" + UUID.randomUUID().toString().substring(0, 8);
        Scenario scenario = scenario(run, 11);
        InjectedFault fault = scenario.faults().get(0);
        Map<String, String> settings = settings(run, true);
        writeTopics(settings, scenario, r -> true, true);

        String jobId = submit(settings, List.of());

        assertEquals("FINISHED", awaitState(jobId, Duration.ofMinutes(3), "FINISHED", "FAILED", "CANCELED"),
                () -> "the bounded job ends FINISHED; exceptions: " + safeGet("/jobs/" + jobId + "/exceptions"));
        JsonNode job = get("/jobs/" + jobId);
        for (JsonNode vertex : job.path("vertices")) {
            assertEquals(PARALLELISM, vertex.path("parallelism").asInt(),
                    () -> "the -D settings reach the job: parallelism of " + vertex.path("name").asText());
        }
        JsonNode incidents = incidentsIn(run);
        assertEquals(1, incidents.size(), () -> "exactly one incident for one fault, got " + incidents);
        assertNamesFault(incidents.get(0).get("_source"), fault);
    }

    @Test
    @Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
    void stopWithSavepointThenResumeFromItFindsTheFaultWrittenAfterTheStop() throws Exception {
        String run = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        Scenario scenario = scenario(run, 23);
        InjectedFault fault = scenario.faults().get(0);
        // before the split: the detectors' warm-up only; from it on: the fault
        Instant split = fault.start().minus(Duration.ofMinutes(3));
        Map<String, String> settings = settings(run, false);
        writeTopics(settings, scenario, r -> Scenario.timeOf(r).isBefore(split), true);

        String first = submit(settings, List.of());
        awaitState(first, Duration.ofMinutes(1), "RUNNING");
        awaitCommittedToEnd(settings, Duration.ofMinutes(2));

        String savepoint = cli("savepoint", first, "--stop", "--rest", cluster.restUrl());
        assertEquals("FINISHED", awaitState(first, Duration.ofMinutes(1), "FINISHED", "FAILED", "CANCELED"),
                "stop-with-savepoint ends the job FINISHED");
        Path savepointDir = Path.of(URI.create(savepoint.startsWith("file:") ? savepoint : "file://" + savepoint));
        assertTrue(savepointDir.startsWith(cluster.savepointDirectory().toRealPath()),
                () -> savepoint + " lies in the cluster's savepoint directory " + cluster.savepointDirectory());
        assertTrue(Files.isRegularFile(savepointDir.resolve("_metadata")), () -> savepoint + " has no _metadata");
        assertTrue(findFaultIncident(run, fault) == null, "no incident before the fault's data is written");

        String resumed = submit(settings, List.of("--from-savepoint", savepoint));
        awaitState(resumed, Duration.ofMinutes(1), "RUNNING");
        JsonNode restored = get("/jobs/" + resumed + "/checkpoints").at("/latest/restored");
        assertTrue(restored.path("is_savepoint").asBoolean(), () -> "restored from a savepoint: " + restored);
        assertEquals(savepoint, restored.path("external_path").asText(), "restored from the savepoint taken");

        writeTopics(settings, scenario, r -> !Scenario.timeOf(r).isBefore(split), false);
        JsonNode incident = null;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (incident == null && System.nanoTime() < deadline) {
            assertEquals("RUNNING", get("/jobs/" + resumed).path("state").asText(), "the resumed job keeps running");
            incident = findFaultIncident(run, fault);
            if (incident == null) {
                Thread.sleep(1000);
            }
        }
        assertTrue(incident != null, () -> "the resumed job opens an incident naming " + fault.rootCauseItem()
                + "; incidents: " + safeIncidents(run));
        // The incident is still growing while the job reads the rest of the scenario: judge its root cause once
        // everything is read and its version has stopped moving, not at whichever early version the poll saw.
        awaitCommittedToEnd(settings, Duration.ofMinutes(2));
        incident = settled(run, fault, Duration.ofMinutes(1));
        assertNamesFault(incident, fault);
        cli("savepoint", resumed, "--stop", "--rest", cluster.restUrl());
    }

    @Test
    void submitWithoutAClusterSaysHowToStartOne() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SiftCli()).setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err)).execute("submit", "--rest", "http://127.0.0.1:" + io.sift.testing.Ports.freePort(),
                        "-Dsift.kafka.bootstrap-servers=127.0.0.1:9");
        assertEquals(1, exit, err::toString);
        assertTrue(err.toString().contains("./sift cluster up"), err::toString);
    }

    private static Scenario scenario(String environment, long seed) {
        return ScenarioRuns.oneFault(environment, seed);
    }

    private static Map<String, String> settings(String run, boolean bounded) {
        Map<String, String> settings = ScenarioRuns.kafkaSettings(run, LocalServices.kafkaBootstrap(), bounded);
        settings.put(SiftOptions.ELASTICSEARCH_URL.key(), LocalServices.elasticsearchUrl());
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        // An input partition without records (a quiet change topic) must not hold event time back for long, yet a
        // reader stalled on a loaded machine must not be taken for idle (its records would come late and could
        // split the fault's incident): 10 s.
        settings.put(SiftOptions.IDLENESS.key(), "10 s");
        settings.put("parallelism.default", Integer.toString(PARALLELISM));
        return settings;
    }

    private static List<String> inputTopics(Map<String, String> settings) throws IOException {
        var conf = SiftSettings.load(null, settings);
        return List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY));
    }

    /** Writes the scenario's records that {@code include} accepts; creates the topics first if {@code create}. */
    private static void writeTopics(Map<String, String> settings, Scenario scenario, Predicate<SpecificRecord> include,
            boolean create) throws Exception {
        var conf = SiftSettings.load(null, settings);
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            if (create) {
                List<String> topics = new ArrayList<>(inputTopics(settings));
                topics.add(conf.get(SiftOptions.TOPIC_INCIDENTS));
                topics.add(conf.get(SiftOptions.TOPIC_DEAD_LETTERS));
                kafka.recreateTopics(topics, PARALLELISM);
                kafka.send(conf.get(SiftOptions.TOPIC_TOPOLOGY), scenario.topology(), TopologyUpdate.class, u -> null);
            }
            kafka.send(conf.get(SiftOptions.TOPIC_CHANGES), only(scenario.changes().stream(), include),
                    ChangeEvent.class, ChangeEvent::getConfigurationItem);
            kafka.send(conf.get(SiftOptions.TOPIC_METRICS), only(scenario.metrics(), include), MetricPoint.class,
                    p -> p.getResource().getService());
            kafka.send(conf.get(SiftOptions.TOPIC_LOGS), only(scenario.logs(), include), LogRecord.class,
                    l -> l.getResource().getService());
            kafka.flush();
        }
    }

    private static <T extends SpecificRecord> List<T> only(Stream<T> records, Predicate<SpecificRecord> include) {
        return records.filter(include).toList();
    }

    /** {@code sift submit} as a user runs it; returns the job id it prints. */
    private static String submit(Map<String, String> settings, List<String> extra) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("sift-jobs-.*-job\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shaded job jar in target/: run mvn package first"));
        }
        List<String> args = new ArrayList<>(List.of("submit", "--rest", cluster.restUrl(), "--jar", jar.toString()));
        settings.forEach((key, value) -> args.add("-D" + key + "=" + value));
        args.addAll(extra);
        String jobId = cli(args.toArray(String[]::new));
        assertTrue(jobId.matches("[0-9a-f]{32}"), () -> "submit prints the job id, got '" + jobId + "'");
        return jobId;
    }

    /** Runs the sift command line in this JVM; returns its standard output, stripped; fails on a non-zero exit. */
    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SiftCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        System.err.print(err);
        assertEquals(0, exit, () -> "sift " + String.join(" ", args) + " failed:\n" + err);
        return out.toString().strip();
    }

    private static String awaitState(String jobId, Duration timeout, String... wanted) throws Exception {
        List<String> states = List.of(wanted);
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = "?";
        while (System.nanoTime() < deadline) {
            state = get("/jobs/" + jobId).path("state").asText();
            if (states.contains(state)) {
                return state;
            }
            assertFalse(List.of("FAILED", "CANCELED").contains(state),
                    () -> "job " + jobId + " ended early; exceptions: " + safeGet("/jobs/" + jobId + "/exceptions"));
            Thread.sleep(300);
        }
        throw new AssertionError("job " + jobId + " is " + state + ", not " + states + ", after " + timeout);
    }

    /** Waits until the job's consumer group has committed (on a checkpoint) every record of the input topics. */
    private static void awaitCommittedToEnd(Map<String, String> settings, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        String group = settings.get(SiftOptions.KAFKA_GROUP_ID.key());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : inputTopics(settings)) {
                for (int p = 0; p < PARALLELISM; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> now = committed;
                if (ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || now.get(e.getKey()) != null && now.get(e.getKey()).offset() >= e.getValue())) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError("group " + group + " committed " + committed + ", not the ends " + ends);
        }
    }

    /** The fault's incident once its version has stayed the same for three polls a second apart. */
    private JsonNode settled(String run, InjectedFault fault, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode incident = findFaultIncident(run, fault);
        int unchanged = 0;
        while (unchanged < 3 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            JsonNode now = findFaultIncident(run, fault);
            unchanged = now != null && incident != null
                    && now.at("/sift/version").asLong() == incident.at("/sift/version").asLong() ? unchanged + 1 : 0;
            incident = now;
        }
        return incident;
    }

    private static void assertNamesFault(JsonNode incident, InjectedFault fault) {
        List<?> services = JSON.convertValue(incident.at("/sift/services"), List.class);
        assertTrue(services.contains(fault.rootCauseItem()),
                () -> "the incident names the faulty item " + fault.rootCauseItem() + ": " + services);
        assertEquals(fault.rootCauseItem(), incident.at("/sift/root_causes/0/item").asText(),
                () -> "top root-cause hint: " + incident.at("/sift/root_causes"));
    }

    /** The first incident (its source) whose services include the fault's item, or null. */
    private static JsonNode findFaultIncident(String environment, InjectedFault fault) throws Exception {
        for (JsonNode hit : incidentsIn(environment)) {
            JsonNode source = hit.get("_source");
            for (JsonNode service : source.at("/sift/services")) {
                if (service.asText().equals(fault.rootCauseItem())) {
                    return source;
                }
            }
        }
        return null;
    }

    private static JsonNode incidentsIn(String environment) throws Exception {
        String es = LocalServices.elasticsearchUrl();
        HTTP.send(HttpRequest.newBuilder(URI.create(es + "/sift-incidents/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String query = "{\"size\":100,\"query\":{\"bool\":{"
                + "\"filter\":[{\"term\":{\"service.environment\":\"" + environment + "\"}}],"
                + "\"must_not\":[{\"term\":{\"sift.status\":\"MERGED\"}}]}}}";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(es + "/sift-incidents/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(query)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return JSON.createArrayNode(); // no incident written yet anywhere
        }
        assertEquals(200, response.statusCode(), response::body);
        return JSON.readTree(response.body()).at("/hits/hits");
    }

    private static String safeIncidents(String environment) {
        try {
            return incidentsIn(environment).toString();
        } catch (Exception e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.restUrl() + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static String safeGet(String path) {
        try {
            return get(path).toString();
        } catch (Exception | AssertionError e) {
            return "(unreadable: " + e + ")";
        }
    }
}
