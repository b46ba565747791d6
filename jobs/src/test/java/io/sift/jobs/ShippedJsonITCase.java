package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.core.validate.ErrorKinds;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No producer written for Sift: Debian's kcat ships the single-fault estate's metrics as prometheus-kafka-adapter JSON
 * samples (value a string, job/instance labels) and its logs as Filebeat-style ECS JSON events, one per line of a file,
 * keyed by service, to the real Kafka. The bounded job, told only the topics' formats, turns the fault into its
 * incident naming the faulty item; a line of each topic that is not its format is dead-lettered once as MALFORMED_JSON
 * with the format named, and nothing else is.
 */
class ShippedJsonITCase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void kafka() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void prometheusSamplesAndEcsLogLinesShippedByKcatBecomeTheFaultsIncident() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "shipped-" + run;
        Scenario scenario = ScenarioRuns.oneFault(environment, 11);
        InjectedFault fault = scenario.faults().get(0);

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "shipped-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        settings.put(SiftOptions.TOPIC_METRICS.key(), environment + ".prometheus");
        settings.put(InputOptions.METRICS_FORMAT.key(), "prometheus-json");
        settings.put(SiftOptions.TOPIC_LOGS.key(), environment + ".filebeat");
        settings.put(InputOptions.LOGS_FORMAT.key(), "json");
        settings.put(InputOptions.LOGS_JSON_PRESET.key(), "ecs");
        Configuration conf = SiftSettings.load(null, settings);
        String metricsTopic = conf.get(SiftOptions.TOPIC_METRICS);
        String logsTopic = conf.get(SiftOptions.TOPIC_LOGS);

        Path metricLines = dir.resolve("prometheus.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(metricLines)) {
            for (MetricPoint point : (Iterable<MetricPoint>) scenario.metrics()::iterator) {
                out.write(point.getResource().getService() + "\t" + prometheusSample(point) + "\n");
            }
            out.write("x\tup{job=\"node\"} 1\n");
        }
        Path logLines = dir.resolve("filebeat.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(logLines)) {
            for (LogRecord line : (Iterable<LogRecord>) scenario.logs()::iterator) {
                out.write(line.getResource().getService() + "\t" + ecsEvent(line) + "\n");
            }
            out.write("x\tDec  7 11:00:00 web01 sshd[42]: Accepted publickey for root\n");
        }

        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(metricsTopic, logsTopic, conf.get(SiftOptions.TOPIC_CHANGES),
                    conf.get(SiftOptions.TOPIC_TOPOLOGY), conf.get(SiftOptions.TOPIC_INCIDENTS),
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            kafka.sendScenario(conf, scenario, List.of(), List.of()); // topology and changes, in Avro
        }
        kcat(metricsTopic, metricLines);
        kcat(logsTopic, logLines);

        long started = System.nanoTime();
        SiftJobMain.run(conf);
        System.out.printf("ShippedJsonITCase: bounded job finished in %.1f s%n", (System.nanoTime() - started) / 1e9);

        Map<String, Incident> incidents = ScenarioKafka.latestIncidents(LocalServices.kafkaBootstrap(),
                conf.get(SiftOptions.TOPIC_INCIDENTS), Instant.EPOCH);
        assertEquals(1, incidents.size(), () -> "exactly one incident for one fault: " + incidents.values());
        Incident incident = incidents.values().iterator().next();
        assertTrue(incident.getServices().contains(fault.rootCauseItem()),
                () -> "the incident names the faulty item " + fault.rootCauseItem() + ": " + incident);
        assertEquals(fault.rootCauseItem(), incident.getRootCauses().get(0).getItem(),
                () -> "top root-cause hint: " + incident.getRootCauses());

        List<DeadLetter> deadLetters = readAll(conf.get(SiftOptions.TOPIC_DEAD_LETTERS));
        Map<String, Long> byKind = new TreeMap<>();
        deadLetters.forEach(dl -> byKind.merge(dl.getErrorKind(), 1L, Long::sum));
        assertEquals(Map.of(ErrorKinds.MALFORMED_JSON, 2L), byKind, () -> "dead letters: " + deadLetters);
        for (DeadLetter dl : deadLetters) {
            String expected = dl.getSourceTopic().equals(metricsTopic) ? "prometheus-json: " : "json: ";
            assertTrue(dl.getMessage().startsWith(expected), dl.getSourceTopic() + ": " + dl.getMessage());
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void deploymentsPostedAsGithubWebhookJsonAreTheBadDeploysSuspectChange() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "deploys-" + run;
        Scenario scenario = io.sift.scenario.ScenarioGenerator.builder().seed(29).environment(environment).services(20)
                .start(io.sift.testing.FixedInstants.T0).duration(Duration.ofMinutes(120))
                .fault(io.sift.scenario.FaultSpec.of(io.sift.scenario.FaultType.BAD_DEPLOY).at(Duration.ofMinutes(90))
                        .lasting(Duration.ofMinutes(8)))
                .build().generate();
        InjectedFault fault = scenario.faults().get(0);

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "deploys-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        settings.put(SiftOptions.TOPIC_CHANGES.key(), environment + ".github-deployments");
        settings.put(InputOptions.CHANGES_FORMAT.key(), "json");
        Configuration conf = SiftSettings.load(null, settings);
        String changesTopic = conf.get(SiftOptions.TOPIC_CHANGES);

        // What a webhook relay puts on Kafka for each deploy: GitHub's deployment_status events, in progress then done.
        Path changeLines = dir.resolve("deployments.jsonl");
        int deploys = 0;
        try (BufferedWriter out = Files.newBufferedWriter(changeLines)) {
            for (io.sift.schema.ChangeEvent change : scenario.changes()) {
                for (String state : List.of("in_progress", "success")) {
                    out.write(change.getConfigurationItem() + "\t" + githubDeploymentStatus(change, state) + "\n");
                }
                deploys++;
            }
            out.write("x\t{\"deployment_status\":{\"state\":\"success\"},\"repository\":{\"name\":\"orders\"}}\n");
        }
        assertTrue(deploys > 0 && fault.changeId() != null, "the scenario has deploys and a bad one");

        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    changesTopic, conf.get(SiftOptions.TOPIC_TOPOLOGY), conf.get(SiftOptions.TOPIC_INCIDENTS),
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            kafka.sendTopology(conf.get(SiftOptions.TOPIC_TOPOLOGY), scenario.topology());
            kafka.send(conf.get(SiftOptions.TOPIC_METRICS), scenario.metrics().toList(), MetricPoint.class,
                    p -> p.getResource().getService());
            kafka.send(conf.get(SiftOptions.TOPIC_LOGS), scenario.logs().toList(), LogRecord.class,
                    l -> l.getResource().getService());
            kafka.flush();
        }
        kcat(changesTopic, changeLines);

        SiftJobMain.run(conf);

        Map<String, Incident> incidents = ScenarioKafka.latestIncidents(LocalServices.kafkaBootstrap(),
                conf.get(SiftOptions.TOPIC_INCIDENTS), Instant.EPOCH);
        Incident incident = incidents.values().stream()
                .filter(i -> i.getServices().contains(fault.rootCauseItem())).findFirst()
                .orElseThrow(() -> new AssertionError("no incident on " + fault.rootCauseItem() + ": "
                        + incidents.values()));
        assertTrue(incident.getSuspectChanges().stream().anyMatch(c -> c.getId().equals(fault.changeId())),
                () -> "the bad deploy " + fault.changeId() + " is a suspect change: " + incident.getSuspectChanges());

        List<DeadLetter> deadLetters = readAll(conf.get(SiftOptions.TOPIC_DEAD_LETTERS));
        assertEquals(1, deadLetters.size(), () -> "only the event without a time is refused: " + deadLetters);
        assertEquals(ErrorKinds.MALFORMED_JSON, deadLetters.get(0).getErrorKind());
        assertTrue(deadLetters.get(0).getMessage().startsWith("json change: no time stamp"),
                deadLetters.get(0).getMessage());
    }

    /** GitHub's deployment_status webhook event (abridged) for a Sift change. */
    private static String githubDeploymentStatus(io.sift.schema.ChangeEvent change, String state) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("action", "created");
        ObjectNode status = event.putObject("deployment_status");
        status.put("id", state.equals("success") ? change.getId() : change.getId() + "-started");
        status.put("state", state);
        status.put("environment", change.getEnvironment());
        status.put("created_at", change.getTime().minusSeconds(60).toString());
        status.put("updated_at", state.equals("success") ? change.getTime().toString()
                : change.getTime().minusSeconds(60).toString());
        ObjectNode deployment = event.putObject("deployment");
        deployment.put("sha", change.getAttributes().getOrDefault("version", "0000000"));
        deployment.put("description", change.getSummary());
        deployment.putObject("creator").put("login", change.getAuthor() == null ? "ci" : change.getAuthor());
        event.putObject("repository").put("name", change.getConfigurationItem());
        return JSON.writeValueAsString(event);
    }

    /** What prometheus-kafka-adapter writes for a sample (Prometheus 3 allows the dotted names as they are). */
    private static String prometheusSample(MetricPoint point) throws Exception {
        ObjectNode sample = JSON.createObjectNode();
        sample.put("timestamp", point.getTime().toString());
        sample.put("value", Double.toString(point.getValue()));
        sample.put("name", point.getName());
        ObjectNode labels = sample.putObject("labels");
        labels.put("__name__", point.getName());
        labels.put("job", point.getResource().getService());
        if (point.getResource().getInstance() != null) {
            labels.put("instance", point.getResource().getInstance());
        }
        if (point.getResource().getHost() != null) {
            labels.put("host", point.getResource().getHost());
        }
        if (point.getResource().getEnvironment() != null) {
            labels.put("environment", point.getResource().getEnvironment());
        }
        point.getLabels().forEach(labels::put);
        return JSON.writeValueAsString(sample);
    }

    /** A log line as Filebeat ships an ECS logger's event (nested ECS fields). */
    private static String ecsEvent(LogRecord line) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        event.put("@timestamp", line.getTime().toString());
        event.put("message", line.getBody());
        event.putObject("log").put("level", level(line.getSeverityNumber()));
        event.putObject("service").put("name", line.getResource().getService());
        if (line.getResource().getEnvironment() != null) {
            ((ObjectNode) event.get("service")).put("environment", line.getResource().getEnvironment());
        }
        if (line.getResource().getHost() != null) {
            event.putObject("host").put("name", line.getResource().getHost());
        }
        if (line.getResource().getInstance() != null) {
            event.putObject("kubernetes").putObject("pod").put("name", line.getResource().getInstance());
        }
        if (line.getTraceId() != null) {
            event.putObject("trace").put("id", line.getTraceId());
        }
        event.putObject("ecs").put("version", "8.11.0");
        return JSON.writeValueAsString(event);
    }

    private static String level(int severity) {
        return severity >= 21 ? "fatal" : severity >= 17 ? "error" : severity >= 13 ? "warn" : severity >= 9 ? "info"
                : severity >= 5 ? "debug" : "trace";
    }

    /** kcat as a user runs it: one message per line of the file, the key before the tab. */
    private static void kcat(String topic, Path lines) throws Exception {
        Process kcat = new ProcessBuilder("kcat", "-P", "-b", LocalServices.kafkaBootstrap(), "-t", topic,
                "-K", "\t", "-l", lines.toString()).redirectErrorStream(true).start();
        boolean ended = kcat.waitFor(3, TimeUnit.MINUTES);
        String output = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended && kcat.exitValue() == 0, "kcat -P to " + topic + ": " + output);
    }

    private static List<DeadLetter> readAll(String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dl-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        var decoder = SiftSchemas.decoderFor(DeadLetter.class);
        List<DeadLetter> all = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            int emptyPolls = 0;
            while (System.currentTimeMillis() < deadline && emptyPolls < 3) {
                var records = consumer.poll(Duration.ofSeconds(1));
                if (records.isEmpty() && !all.isEmpty()) {
                    emptyPolls++;
                }
                for (var record : records) {
                    all.add(decoder.decode(ByteBuffer.wrap(record.value())));
                }
            }
        }
        return all;
    }
}
