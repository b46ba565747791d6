package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.schema.Incident;
import io.sift.schema.SchemaContract;
import io.sift.testing.LocalServices;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka contract checked from outside Java: the example client {@code deploy/kafka/examples/sift_client.py}
 * (Debian's python3-avro and python3-confluent-kafka) computes the schema fingerprints by the documented rule (they
 * must equal {@code sift schemas}'), writes a topology and metrics (latencies in seconds and milliseconds, a request
 * counter) in single-object encoding, the job runs over them, and the client reads the incident topic back: the same
 * latest incidents the Java reader sees, among them the injected database slowdown. Needs
 * {@code apt-get install python3-avro python3-confluent-kafka} (as .ci/run does).
 */
class PythonClientITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLIENT = Path.of("..", "deploy", "kafka", "examples", "sift_client.py");

    @BeforeAll
    static void services() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aPythonClientWritesTelemetryAndReadsTheIncidentsBack() throws Exception {
        String python = python();

        Map<String, String> fromPython = new TreeMap<>();
        for (String line : run(python, List.of("fingerprints"), 60)) {
            JsonNode row = JSON.readTree(line);
            fromPython.put(row.get("name").asText() + "@" + row.get("version").asText(), row.get("fingerprint").asText()
                    + " " + row.get("canonicalForm").asText());
        }
        Map<String, String> fromJava = new TreeMap<>();
        for (SchemaContract.Entry e : SchemaContract.entries()) {
            fromJava.put(e.name() + "@" + e.version(), e.fingerprint() + " " + e.canonicalForm());
        }
        assertEquals(fromJava, fromPython, "fingerprints and canonical forms computed by the documented rule");

        String environment = "py-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = LocalServices.kafkaBootstrap();
        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, bootstrap, true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), environment);
        Configuration conf = SiftSettings.load(null, settings);
        try (ScenarioKafka kafka = new ScenarioKafka(bootstrap)) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
        }
        run(python, List.of("produce", "--bootstrap", bootstrap, "--prefix", environment + "."), 120);

        var result = SiftJobMain.run(conf);
        assertEquals(0L, (Long) result.getAccumulatorResult("deadLettered"), "the client's records are all accepted");

        List<String> lines = run(python, List.of("consume", "--bootstrap", bootstrap, "--topic",
                conf.get(SiftOptions.TOPIC_INCIDENTS), "--timeout", "90"), 120);
        Map<String, JsonNode> read = new TreeMap<>();
        for (String line : lines) {
            JsonNode incident = JSON.readTree(line);
            read.put(incident.get("id").asText(), incident);
        }
        Map<String, Incident> java = ScenarioKafka.latestIncidents(bootstrap, conf.get(SiftOptions.TOPIC_INCIDENTS),
                Instant.EPOCH);
        assertFalse(java.isEmpty(), "the slowdown becomes an incident");
        assertEquals(java.keySet(), read.keySet(), "the Python client reads every incident");
        for (Incident incident : java.values()) {
            JsonNode python_ = read.get(incident.getId());
            assertEquals(incident.getVersion(), python_.get("version").asInt(), incident.getId());
            assertEquals(incident.getStatus().name(), python_.get("status").asText(), incident.getId());
        }
        assertTrue(read.values().stream().anyMatch(i -> i.get("services").toString().contains("orders-db")),
                () -> "the database slowdown is an incident: " + read.values());
    }

    private static List<String> run(String python, List<String> args, int timeoutSeconds) throws Exception {
        List<String> command = new ArrayList<>(List.of(python, CLIENT.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        var stderr = new java.io.ByteArrayOutputStream();
        Thread drain = new Thread(() -> {
            try {
                process.getErrorStream().transferTo(stderr);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        drain.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), "sift_client.py " + args + " timed out");
        drain.join(5_000);
        assertEquals(0, process.exitValue(), () -> "sift_client.py " + args + " failed:\n" + out + "\n"
                + stderr.toString(StandardCharsets.UTF_8));
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Debian's python3 (the packages are Debian's), or SIFT_CLIENT_PYTHON. */
    private static String python() throws Exception {
        String configured = System.getenv("SIFT_CLIENT_PYTHON");
        String python = configured != null && !configured.isBlank() ? configured
                : new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
        Process check = new ProcessBuilder(python, "-c", "import avro.io, confluent_kafka").redirectErrorStream(true)
                .start();
        String answer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0, python
                + " lacks the client packages: apt-get install python3-avro python3-confluent-kafka (as .ci/run does),"
                + " or set SIFT_CLIENT_PYTHON\n" + answer);
        return python;
    }
}
