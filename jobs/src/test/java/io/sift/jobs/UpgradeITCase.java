package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.testing.FixedInstants;
import io.sift.testing.LocalServices;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upgrade in the middle of a scenario changes no incident: the job reads the first half from Kafka and is stopped
 * with a savepoint; a changed job graph (an extra stateless operator at another parallelism and an extra sink, what
 * an upgrade adds) starts from that savepoint with non-restored state refused, reads the second half, and ends with
 * the same incidents (ids, final versions, status, services, top root cause) as one uninterrupted run of the whole
 * input. Each run ends with a drained stop, so every event-time timer fires as at the end of a bounded input.
 */
class UpgradeITCase {

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aSavepointUpgradeInTheMiddleLeavesTheIncidentsOfAnUninterruptedRun(@TempDir Path savepoints) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "upgrade-" + run;
        Scenario scenario = ScenarioGenerator.builder()
                .seed(31)
                .environment(environment)
                .services(20)
                .start(FixedInstants.T0)
                .duration(Duration.ofMinutes(140))
                .fault(FaultSpec.of(FaultType.RESOURCE_SATURATION).at(Duration.ofMinutes(70)).lasting(Duration.ofMinutes(8)))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).at(Duration.ofMinutes(110)).lasting(Duration.ofMinutes(8)))
                .build()
                .generate();
        // The split falls inside the first fault: its incident is open in the savepoint.
        Instant half = FixedInstants.T0.plus(Duration.ofMinutes(74));
        List<MetricPoint> metrics = scenario.metrics().toList();
        List<LogRecord> logs = scenario.logs().toList();

        String bootstrap = LocalServices.kafkaBootstrap();
        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, bootstrap, false);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "300 ms");
        Configuration conf = SiftSettings.load(null, settings);
        List<String> inputs = List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY));
        try (ScenarioKafka kafka = new ScenarioKafka(bootstrap)) {
            kafka.recreateTopics(List.of(inputs.get(0), inputs.get(1), inputs.get(2), inputs.get(3),
                    incidents(environment, "straight"), incidents(environment, "upgraded"),
                    conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            kafka.sendScenario(conf, scenario, before(metrics, half), before(logs, half));
        }

        // The old build on the first half, stopped with a savepoint (not drained: timers stay in the state).
        JobClient first = start(settings, "upgraded", null, false);
        awaitConsumed(bootstrap, group(environment, "upgraded"), inputs);
        String savepoint = first.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        try (ScenarioKafka kafka = new ScenarioKafka(bootstrap)) {
            kafka.send(conf.get(SiftOptions.TOPIC_METRICS), after(metrics, half), MetricPoint.class,
                    p -> p.getResource().getService());
            kafka.send(conf.get(SiftOptions.TOPIC_LOGS), after(logs, half), LogRecord.class,
                    l -> l.getResource().getService());
            kafka.flush();
        }
        // The changed build from the savepoint, to the end of the input.
        JobClient second = start(settings, "upgraded", savepoint, true);
        awaitConsumed(bootstrap, group(environment, "upgraded"), inputs);
        second.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        // The same build over the whole input without a stop.
        JobClient straight = start(settings, "straight", null, false);
        awaitConsumed(bootstrap, group(environment, "straight"), inputs);
        straight.stopWithSavepoint(true, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);

        Map<String, String> expected = summary(bootstrap, incidents(environment, "straight"));
        Map<String, String> upgraded = summary(bootstrap, incidents(environment, "upgraded"));
        assertFalse(expected.isEmpty(), "the scenario's faults give incidents");
        assertTrue(expected.values().stream().anyMatch(s -> s.contains("|RESOLVED|")),
                "an incident resolves by the end: " + expected);
        assertEquals(expected, upgraded, "the upgrade changed no incident");
    }

    private static String group(String environment, String name) {
        return environment + "-" + name;
    }

    private static String incidents(String environment, String name) {
        return environment + ".incidents-" + name;
    }

    private static <T> List<T> before(List<T> records, Instant half) {
        return records.stream().filter(r -> time(r).isBefore(half)).toList();
    }

    private static <T> List<T> after(List<T> records, Instant half) {
        return records.stream().filter(r -> !time(r).isBefore(half)).toList();
    }

    private static Instant time(Object record) {
        return record instanceof MetricPoint p ? p.getTime() : ((LogRecord) record).getTime();
    }

    /**
     * Starts the job (the changed graph when {@code changed}: an extra stateless map at parallelism 1 on the
     * incidents and an extra sink), from the savepoint if given, with unclaimed state refused.
     */
    private static JobClient start(Map<String, String> base, String name, String savepoint, boolean changed)
            throws Exception {
        Map<String, String> settings = new HashMap<>(base);
        String environment = base.get(SiftOptions.DEFAULT_ENVIRONMENT.key());
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), group(environment, name));
        settings.put(SiftOptions.TOPIC_INCIDENTS.key(), incidents(environment, name));
        if (savepoint != null) {
            settings.put("execution.state-recovery.path", savepoint);
            settings.put("execution.state-recovery.ignore-unclaimed-state", "false");
        }
        Configuration conf = SiftSettings.load(null, settings);
        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        SiftJob.Streams streams = SiftJob.build(env, SiftWiring.kafkaInputs(conf), SiftWiring.outputs(conf),
                new SiftSettings(conf));
        if (changed) {
            streams.incidents().map(Incident::getId).uid("upgrade-added-incident-ids").name("Incident ids (added)")
                    .setParallelism(1)
                    .sinkTo(new DiscardingSink<>()).uid("upgrade-added-sink").name("Added sink");
        }
        return env.executeAsync("upgrade-" + name);
    }

    /** Waits until the group's committed offsets (committed on completed checkpoints) reach the topics' ends. */
    private static void awaitConsumed(String bootstrap, String group, List<String> topics) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        long deadline = System.currentTimeMillis() + 180_000;
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var description : admin.describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(p -> latest.put(
                        new TopicPartition(description.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            while (System.currentTimeMillis() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = ends.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue());
                if (done) {
                    return;
                }
                Thread.sleep(250);
            }
        }
        throw new AssertionError("group " + group + " did not consume " + topics + " within 180 s");
    }

    /** id → "version|status|anomaly count|services|top root cause" of the latest record of every incident. */
    private static Map<String, String> summary(String bootstrap, String topic) throws Exception {
        Map<String, String> summary = new TreeMap<>();
        ScenarioKafka.latestIncidents(bootstrap, topic, FixedInstants.T0).forEach((id, incident) -> summary.put(id,
                incident.getVersion() + "|" + incident.getStatus() + "|" + incident.getAnomalyCount() + "|"
                        + incident.getServices() + "|"
                        + (incident.getRootCauses().isEmpty() ? "" : incident.getRootCauses().get(0).getItem())));
        return summary;
    }
}
