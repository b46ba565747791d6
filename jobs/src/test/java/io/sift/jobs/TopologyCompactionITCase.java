package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.scenario.Scenario;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.SiftSchemas;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.LocalServices;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, item 3: the topology topic is compacted, and compaction keeps only the latest record per key. A generated
 * estate's topology is written as a producer would (keys from {@link ScenarioKafka#sendTopology}), then every item and
 * edge once more (a CMDB resync), and one edge deleted; segments roll every 100 ms and the broker's cleaner looks every
 * second (deploy/local/kafka.sh), so the test waits until the cleaner has removed every superseded record and then
 * reads back every live item and edge, and the deletion.
 */
class TopologyCompactionITCase {

    @BeforeAll
    static void services() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void compactionKeepsEveryLiveItemAndEdge() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "compact-" + run + ".topology";
        Scenario scenario = ScenarioRuns.oneFault("compact-" + run, 5);
        List<TopologyUpdate> first = scenario.topology();
        Instant later = scenario.start().plus(Duration.ofMinutes(1));
        List<TopologyUpdate> resync = new ArrayList<>();
        for (TopologyUpdate u : first) {
            TopologyUpdate.Builder again = TopologyUpdate.newBuilder(u).setTime(later);
            if (u.getItem() != null) {
                again.setItem(ConfigurationItem.newBuilder(u.getItem()).setName("resynced " + u.getItem().getId())
                        .build());
            }
            resync.add(again.build());
        }
        TopologyEdge deleted = first.stream().filter(u -> u.getEdge() != null).reduce((a, b) -> b).orElseThrow()
                .getEdge();
        resync.add(TopologyUpdate.newBuilder().setTime(later.plusSeconds(1)).setOperation(TopologyOperation.DELETE)
                .setItem(null).setEdge(deleted).build());

        // What must be readable after compaction: every item (resynced), every edge, the deletion of one.
        Map<String, String> expected = new TreeMap<>();
        for (TopologyUpdate u : resync) {
            expected.put(fact(u), describe(u));
        }
        long items = first.stream().filter(u -> u.getItem() != null).count();
        long edges = first.stream().filter(u -> u.getEdge() != null).count();
        assertTrue(items >= 10 && edges >= 10, "an estate with items and edges: " + items + ", " + edges);

        createCompacted(topic);
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap())) {
            kafka.sendTopology(topic, first);
            kafka.flush();
            Thread.sleep(200); // the next records start a new segment: the first ones become cleanable
            kafka.sendTopology(topic, resync);
            kafka.flush();
            // Keep rolling segments (the cleaner never touches the active one) until every superseded record is gone.
            long deadline = System.currentTimeMillis() + 120_000;
            List<ConsumerRecord<byte[], byte[]>> records;
            while (true) {
                Thread.sleep(1_000);
                kafka.sendTopology(topic, List.of(probe(later)));
                kafka.flush();
                records = ScenarioRuns.readToEnd(LocalServices.kafkaBootstrap(), topic, true);
                if (superseded(records) == 0 || System.currentTimeMillis() > deadline) {
                    break;
                }
            }
            assertEquals(0, superseded(records), "the cleaner compacted the topic within 2 minutes");

            Map<String, String> readBack = new TreeMap<>();
            var decoder = SiftSchemas.decoderFor(TopologyUpdate.class);
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopologyUpdate u = decoder.decode(ByteBuffer.wrap(record.value()));
                if (u.getItem() == null || !u.getItem().getId().toString().equals("compaction-probe")) {
                    readBack.put(fact(u), describe(u));
                }
            }
            assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(readBack.keySet()),
                    "every item and edge survives compaction");
            assertEquals(expected, readBack, "each with its latest state (the resync, the deletion)");
        }
    }

    /** An update that only makes the topic roll on; under a key of its own. */
    private static TopologyUpdate probe(Instant time) {
        return TopologyUpdate.newBuilder().setTime(time).setOperation(TopologyOperation.UPSERT).setEdge(null)
                .setItem(ConfigurationItem.newBuilder().setId("compaction-probe").setType(io.sift.schema.ItemType.OTHER)
                        .setAttributes(Map.of()).build()).build();
    }

    /** The fact an update is about, independent of any key scheme: the item, or the edge (from, type, to). */
    private static String fact(TopologyUpdate u) {
        return u.getItem() != null ? "item " + u.getItem().getId()
                : "edge " + u.getEdge().getFrom() + " " + u.getEdge().getType() + " " + u.getEdge().getTo();
    }

    private static String describe(TopologyUpdate u) {
        return u.getOperation() + (u.getItem() != null ? " " + u.getItem().getName() : "") + " at " + u.getTime();
    }

    /** Records whose key has a later record in the same partition (compaction removes them). */
    private static int superseded(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> perKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            perKey.merge(r.partition() + "/" + new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        int superseded = 0;
        for (Map.Entry<String, Integer> e : perKey.entrySet()) {
            if (!e.getKey().contains("compaction-probe")) { // the probe's latest records sit in the active segment
                superseded += e.getValue() - 1;
            }
        }
        return superseded;
    }

    private static void createCompacted(String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, LocalServices.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            // One partition: the probes that roll segments reach it (a partition without new records keeps its
            // active segment, which the cleaner never touches).
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact",
                    "segment.ms", "100",
                    "min.cleanable.dirty.ratio", "0.001",
                    "min.compaction.lag.ms", "0",
                    "max.compaction.lag.ms", "100",
                    "delete.retention.ms", "100")))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
