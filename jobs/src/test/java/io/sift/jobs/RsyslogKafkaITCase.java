package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No producer written for Sift, for logs: the applications write plain text lines to a log file, and Debian's rsyslog
 * (imfile) reads the file and ships each line to the real Kafka with omkafka (Debian's rsyslog-kafka) as a JSON event,
 * with the configuration the README gives (the line's own time, level and service picked out by rsyslog's
 * {@code re_extract}, deploy/rsyslog/sift-kafka.conf). The bounded job reads the topic with
 * {@code sift.input.logs.format: json}; the fault's incident names the faulty item and holds an anomaly of the
 * shipped lines; a stack frame joins its event, and an event whose time is no time is dead-lettered
 * once, as MALFORMED_JSON with the format named.
 */
class RsyslogKafkaITCase {

    /** Where Debian's rsyslog-kafka installs omkafka. */
    private static final Path OMKAFKA = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/omkafka.so");

    @TempDir
    Path dir;

    @BeforeAll
    static void kafka() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void plainLogLinesShippedByRsyslogBecomeTheFaultsIncident() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) && Files.exists(OMKAFKA)
                        || System.getenv("CI") != null,
                "rsyslog and rsyslog-kafka are installed by the test command (deploy/ci/test.sh)");
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "rsyslog-" + run;
        Scenario scenario = ScenarioRuns.oneFault(environment, 11);
        InjectedFault fault = scenario.faults().get(0);

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "rsyslog-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        settings.put(SiftOptions.TOPIC_LOGS.key(), environment + ".rsyslog");
        settings.put(InputOptions.LOGS_FORMAT.key(), "json");
        Configuration conf = SiftSettings.load(null, settings);
        String logsTopic = conf.get(SiftOptions.TOPIC_LOGS);

        List<LogRecord> logs = scenario.logs().toList();
        Path logFile = dir.resolve("app.log");
        try (BufferedWriter out = Files.newBufferedWriter(logFile)) {
            for (LogRecord line : logs) {
                // What a plain-text logger writes: time, level, the service's name, the message.
                out.write(line.getTime() + " " + level(line.getSeverityNumber()) + " "
                        + line.getResource().getService() + " " + line.getBody().replace('\n', ' ') + "\n");
            }
            // A stack frame continues the event before it (imfile's startmsg.regex); a time that is no time is refused.
            out.write("\tat com.example.Orders.place(Orders.java:42)\n");
            out.write("2026-13-45T99:00:00Z ERROR orders clock gone wrong\n");
        }
        int lines = logs.size() + 1;

        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), logsTopic,
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS),
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            List<MetricPoint> metrics = scenario.metrics().toList();
            kafka.sendScenario(conf, scenario, metrics, List.of()); // metrics, topology and changes in Avro
        }

        Process rsyslog = startRsyslog(logFile, logsTopic);
        try {
            awaitMessages(logsTopic, lines, rsyslog);
        } finally {
            rsyslog.destroy();
            rsyslog.waitFor(20, TimeUnit.SECONDS);
        }

        SiftJobMain.run(conf);

        Map<String, Incident> incidents = ScenarioKafka.latestIncidents(LocalServices.kafkaBootstrap(),
                conf.get(SiftOptions.TOPIC_INCIDENTS), Instant.EPOCH);
        assertEquals(1, incidents.size(), () -> "exactly one incident for one fault: " + incidents.values());
        Incident incident = incidents.values().iterator().next();
        assertEquals(fault.rootCauseItem(), incident.getRootCauses().get(0).getItem(),
                () -> "top root-cause hint: " + incident.getRootCauses());

        assertTrue(incident.getAnomalies().stream().anyMatch(a -> a.getMetric().startsWith("log.")),
                () -> "the incident holds an anomaly of the shipped lines: " + incident.getAnomalies());

        List<DeadLetter> deadLetters = readAll(conf.get(SiftOptions.TOPIC_DEAD_LETTERS), DeadLetter.class);
        Map<String, Long> byKind = new TreeMap<>();
        deadLetters.forEach(dl -> byKind.merge(dl.getErrorKind(), 1L, Long::sum));
        assertEquals(Map.of(ErrorKinds.MALFORMED_JSON, 1L), byKind, () -> "dead letters: " + deadLetters);
        assertTrue(deadLetters.get(0).getMessage().startsWith("json: "), deadLetters.get(0).getMessage());
    }

    /** rsyslogd in the foreground with the README's configuration, reading the file from its start. */
    private Process startRsyslog(Path logFile, String topic) throws Exception {
        Path work = Files.createDirectories(dir.resolve("rsyslog"));
        String config = Files.readString(Path.of("../deploy/rsyslog/sift-kafka.conf"))
                .replace("/var/log/app/*.log", logFile.toString())
                .replace("kafka:9092", LocalServices.kafkaBootstrap())
                .replace("topic=\"logs\"", "topic=\"" + topic + "\"");
        config = "global(workDirectory=\"" + work + "\")\n" + config;
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, config);
        Process check = new ProcessBuilder("rsyslogd", "-N1", "-f", conf.toString()).redirectErrorStream(true).start();
        assertTrue(check.waitFor(60, TimeUnit.SECONDS), "rsyslogd -N1");
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.exitValue(), () -> "rsyslogd refuses the configuration: " + checked);
        return new ProcessBuilder("rsyslogd", "-n", "-f", conf.toString(), "-i", work.resolve("pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
    }

    /** Waits until rsyslog has shipped every line (the topic's end offsets), failing with its output if it stops. */
    private void awaitMessages(String topic, long expected, Process rsyslog) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        long count = 0;
        try (Admin admin = Admin.create(props)) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            while (System.nanoTime() < deadline) {
                count = admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
                if (count >= expected) {
                    return;
                }
                assertTrue(rsyslog.isAlive(), () -> "rsyslogd stopped: " + output());
                Thread.sleep(500);
            }
        }
        long shipped = count;
        throw new AssertionError("rsyslog shipped " + shipped + " of " + expected + " lines: " + output());
    }

    private String output() {
        try {
            return Files.readString(dir.resolve("rsyslogd.out"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String level(int severity) {
        return severity >= 21 ? "FATAL" : severity >= 17 ? "ERROR" : severity >= 13 ? "WARN" : severity >= 9 ? "INFO"
                : "DEBUG";
    }

    private static <T extends SpecificRecordBase> List<T> readAll(String topic, Class<T> type) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        var decoder = SiftSchemas.decoderFor(type);
        List<T> all = new ArrayList<>();
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
