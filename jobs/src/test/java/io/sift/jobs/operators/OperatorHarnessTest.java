package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.Correlator;
import io.sift.core.correlate.GroupingRules;
import io.sift.core.detect.BaselineConfig;
import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.Direction;
import io.sift.schema.EdgeType;
import io.sift.schema.Incident;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItemType;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** The operators under Flink's own test harnesses: output, and state and timers dropping to zero. */
class OperatorHarnessTest {

    private static final Instant T0 = FixedInstants.T0;
    private static final long HOUR = 3_600_000;

    private static MetricPoint point(long second, double value) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(second)).setName("latency").setValue(value)
                .setUnit("ms").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService("orders").setEnvironment("prod").build())
                .setLabels(Map.of()).build();
    }

    @Test
    void detectorEmitsOneEpisodeAndForgetsTheSeriesAfterItsTtl() throws Exception {
        MetricDetectorFunction function = new MetricDetectorFunction(BaselineConfig.defaults(), Map.of(), 300_000, HOUR);
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, p -> "latency|orders", Types.STRING)) {
            Random random = new Random(3);
            for (int i = 0; i < 300; i++) {
                double value = 100 * (1 + 0.03 * random.nextGaussian()) * (i >= 200 && i < 240 ? 5 : 1);
                harness.processElement(point(10L * i, value), T0.toEpochMilli() + 10_000L * i);
                harness.processWatermark(T0.toEpochMilli() + 10_000L * i - 1);
            }
            List<Anomaly> out = harness.extractOutputValues();
            assertTrue(out.size() >= 2, "open and end: " + out);
            assertEquals(1, out.stream().map(Anomaly::getId).distinct().count());
            assertNotNull(out.get(out.size() - 1).getEnd());
            assertEquals(1, harness.numKeyedStateEntries() > 0 ? 1 : 0, "state held while the series is live");

            harness.processWatermark(T0.toEpochMilli() + 3000 * 1000L + 2 * HOUR);
            assertEquals(0, harness.numKeyedStateEntries(), "series state dropped after the TTL");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }

    @Test
    void detectorEndsAnOpenEpisodeWhenTheSeriesFallsSilent() throws Exception {
        MetricDetectorFunction function = new MetricDetectorFunction(BaselineConfig.defaults(), Map.of(), 300_000, HOUR);
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, p -> "latency|orders", Types.STRING)) {
            Random random = new Random(4);
            episodeUntilSecond990(harness, random);
            harness.processWatermark(T0.toEpochMilli() + 990_000 + 300_000);
            Anomaly last = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(T0.plusSeconds(990), last.getEnd(), "ended at the last sample seen");
        }
    }

    /**
     * A series goes quiet during an episode and comes back after a gap longer than its TTL. Whether the watermark passed
     * the silence and expiry deadlines before the first sample after the gap arrived is a race in a running job
     * (periodic watermarks); the anomalies, and the times they are stamped with, must not depend on it.
     */
    @Test
    void detectorGivesTheSameOutputWhetherOrNotTheWatermarkPassedTheDeadlinesBeforeTheNextSample() throws Exception {
        List<String> watermarkFirst = afterAGap(true);
        List<String> sampleFirst = afterAGap(false);
        assertEquals(watermarkFirst, sampleFirst);
        assertTrue(watermarkFirst.stream().anyMatch(v -> v.contains("end=" + T0.plusSeconds(990))),
                "the episode was closed at its last sample: " + watermarkFirst);
    }

    /** 100 samples 10 s apart from {@code T0}, the last five eight times the level: an episode open at second 990. */
    private static void episodeUntilSecond990(
            KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> harness, Random random) throws Exception {
        for (int i = 0; i < 100; i++) {
            double value = 100 * (1 + 0.03 * random.nextGaussian()) * (i >= 95 ? 8 : 1);
            harness.processElement(point(10L * i, value), T0.toEpochMilli() + 10_000L * i);
        }
    }

    private static List<String> afterAGap(boolean watermarkPassesTheGapFirst) throws Exception {
        MetricDetectorFunction function = new MetricDetectorFunction(BaselineConfig.defaults(), Map.of(), 300_000, HOUR);
        try (KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, p -> "latency|orders", Types.STRING)) {
            Random random = new Random(4);
            episodeUntilSecond990(harness, random);
            long back = 990 + 2 * 3600;
            if (watermarkPassesTheGapFirst) {
                harness.processWatermark(T0.toEpochMilli() + back * 1000 - 1);
            }
            for (int i = 0; i < 40; i++) {
                long second = back + 10L * i;
                double value = 100 * (1 + 0.03 * random.nextGaussian()) * (i >= 30 ? 8 : 1);
                harness.processElement(point(second, value), T0.toEpochMilli() + second * 1000);
            }
            harness.processWatermark(Long.MAX_VALUE);
            List<String> versions = new ArrayList<>();
            for (Object o : harness.getOutput()) {
                if (o instanceof StreamRecord<?> r && r.getValue() instanceof Anomaly a) {
                    versions.add(r.getTimestamp() + " " + a.getId() + " v" + a.getVersion() + " end=" + a.getEnd());
                }
            }
            assertEquals(0, harness.numKeyedStateEntries(), "state dropped once the series expired");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
            return versions;
        }
    }

    private static Anomaly anomaly(String item, long minute, Long endMinute, long version) {
        return Anomaly.newBuilder().setId("anom-" + item).setVersion(version).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey("latency|" + item).setMetric("latency")
                .setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build()).setLabels(Map.of())
                .setOnset(T0.plusSeconds(60 * minute)).setTime(T0.plusSeconds(60 * (endMinute == null ? minute : endMinute)))
                .setEnd(endMinute == null ? null : T0.plusSeconds(60 * endMinute)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(95)
                .setSamples(3).build();
    }

    private static TopologyUpdate edge(String from, String to) {
        return TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build();
    }

    private static TopologyUpdate item(String id) {
        return TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setItem(ConfigurationItem.newBuilder().setId(id).setType(ItemType.SERVICE)
                        .setCriticality(Criticality.HIGH).build()).build();
    }

    /** Event time moves when both inputs' watermarks move (the topology input's too). */
    private static void watermark(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness, long time) throws Exception {
        harness.processWatermark(time);
        harness.processBroadcastWatermark(time);
    }

    /**
     * After resolution plus cool-down the correlator holds nothing; only the settled memory is left (the settled
     * incidents' last versions, their expiry and its timer, for late ITSM feedback), and that goes 14 days later.
     */
    private static void assertForgottenThenSettledMemoryExpires(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness)
            throws Exception {
        assertEquals(2, keyedStateEntries(harness), "only the settled memory left after resolution plus cool-down");
        assertEquals(1, harness.numEventTimeTimers(), "only the settled memory's expiry timer left");
        watermark(harness, T0.toEpochMilli() + 15 * 24 * HOUR);
        assertEquals(0, keyedStateEntries(harness), "state dropped after the settled memory");
        assertEquals(0, harness.numEventTimeTimers(), "no timer left");
    }

    /** The broadcast harness lacks numKeyedStateEntries(); ask the heap backend as the keyed harness does. */
    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
        var backend = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator())
                .getKeyedStateBackend();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void correlatorOrdersByEventTimeResolvesAndDropsItsStateAndTimers() throws Exception {
        CorrelateFunction function = new CorrelateFunction(new Correlator(CorrelationConfig.defaults()));
        try (KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate, Incident> harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, e -> "prod", Types.STRING,
                        CorrelateFunction.TOPOLOGY)) {
            harness.processBroadcastElement(item("orders"), T0.toEpochMilli());
            harness.processBroadcastElement(item("orders-db"), T0.toEpochMilli());
            harness.processBroadcastElement(edge("orders", "orders-db"), T0.toEpochMilli());

            // Arrival order is the reverse of event-time order: the result must not depend on it.
            Anomaly caller = anomaly("orders", 2, null, 1);
            Anomaly cause = anomaly("orders-db", 1, null, 1);
            harness.processElement(CorrelateFunction.input(caller), caller.getTime().toEpochMilli());
            harness.processElement(CorrelateFunction.input(cause), cause.getTime().toEpochMilli());
            assertTrue(harness.extractOutputValues().isEmpty(), "held until the watermark passes");

            watermark(harness, T0.toEpochMilli() + 3 * 60_000);
            List<Incident> out = harness.extractOutputValues();
            assertEquals(2, out.size());
            assertEquals(IncidentChange.OPENED, out.get(0).getChange());
            assertEquals(List.of("orders-db"), out.get(0).getServices(), "the earlier anomaly opened it");
            assertEquals("orders-db", out.get(1).getRootCauses().get(0).getItem());

            Anomaly causeEnd = anomaly("orders-db", 1, 5L, 2);
            Anomaly callerEnd = anomaly("orders", 2, 6L, 2);
            harness.processElement(CorrelateFunction.input(causeEnd), causeEnd.getTime().toEpochMilli());
            harness.processElement(CorrelateFunction.input(callerEnd), callerEnd.getTime().toEpochMilli());
            watermark(harness, T0.toEpochMilli() + 20 * 60_000);
            Incident resolved = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(IncidentChange.RESOLVED, resolved.getChange());
            assertEquals(T0.plusSeconds(16 * 60), resolved.getResolvedAt(), "quiet period after the last end");

            watermark(harness, T0.toEpochMilli() + 2 * HOUR);
            assertForgottenThenSettledMemoryExpires(harness);
        }
    }

    @Test
    void anAlertOpensAnIncidentThatResolvesAfterItsResolveAndStateAndTimersDropToZero() throws Exception {
        CorrelateFunction function = new CorrelateFunction(new Correlator(CorrelationConfig.defaults()),
                java.time.Duration.ZERO);
        try (var harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function,
                e -> CorrelateFunction.environmentOf(new Correlator(CorrelationConfig.defaults()), e), Types.STRING,
                CorrelateFunction.TOPOLOGY)) {
            harness.processBroadcastElement(edge("orders", "orders-db"), T0.toEpochMilli());
            Alert firing = alert(io.sift.schema.AlertStatus.FIRING, 1, 1);
            Alert repeat = alert(io.sift.schema.AlertStatus.FIRING, 1, 3);
            Alert resolved = alert(io.sift.schema.AlertStatus.RESOLVED, 1, 6);
            // Out of order on arrival: applied in event-time order all the same.
            harness.processElement(CorrelateFunction.input(repeat), repeat.getTime().toEpochMilli());
            harness.processElement(CorrelateFunction.input(firing), firing.getTime().toEpochMilli());
            Anomaly caller = anomaly("orders", 2, 5L, 2);
            harness.processElement(CorrelateFunction.input(caller), caller.getTime().toEpochMilli());
            harness.processElement(CorrelateFunction.input(resolved), resolved.getTime().toEpochMilli());
            assertTrue(harness.extractOutputValues().isEmpty(), "held until the watermark passes");

            watermark(harness, T0.toEpochMilli() + 5 * 60_000);
            List<Incident> out = harness.extractOutputValues();
            assertEquals(IncidentChange.OPENED, out.get(0).getChange());
            assertEquals(1, out.get(0).getAlertCount());
            assertEquals("fp-db", out.get(0).getAlerts().get(0).getFingerprint());
            assertEquals("orders-db", out.get(0).getRootCauses().get(0).getItem());
            Incident joined = out.get(out.size() - 1);
            assertEquals(out.get(0).getId(), joined.getId(), "the caller's anomaly joined the alert's incident");
            assertEquals(1, joined.getAnomalyCount());
            assertEquals(1, joined.getAlertCount(), "the repeat deduplicated");

            watermark(harness, T0.toEpochMilli() + 20 * 60_000);
            Incident last = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(IncidentChange.RESOLVED, last.getChange());
            assertEquals(T0.plusSeconds(16 * 60), last.getResolvedAt(), "quiet period after the alert's resolve");
            assertEquals(false, last.getAlerts().get(0).getFiring());

            watermark(harness, T0.toEpochMilli() + 2 * HOUR);
            assertEquals(0, keyedStateEntries(harness), "nothing kept after the cool-down");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }

    private static Alert alert(io.sift.schema.AlertStatus status, long startMinute, long timeMinute) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint("fp-db").setStatus(status)
                .setSeverity(io.sift.schema.AlertSeverity.CRITICAL).setName("MySQLDown")
                .setResource(Resource.newBuilder().setService("orders-db").setEnvironment("prod").build())
                .setStartsAt(T0.plusSeconds(60 * startMinute))
                .setEndsAt(status == io.sift.schema.AlertStatus.RESOLVED ? T0.plusSeconds(60 * timeMinute) : null)
                .setTime(T0.plusSeconds(60 * timeMinute)).build();
    }

    private static Anomaly episode(String id, String item, long onsetMinute, Long endMinute, long version) {
        return Anomaly.newBuilder(anomaly(item, onsetMinute, endMinute, version)).setId(id)
                .setSeriesKey("latency|" + id).build();
    }

    private static KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate, Incident>
            correlateHarness(CorrelationConfig config) throws Exception {
        var harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new CorrelateFunction(new Correlator(config)), e -> "prod", Types.STRING, CorrelateFunction.TOPOLOGY);
        // checkout and cart both call orders; orders calls orders-db
        harness.processBroadcastElement(edge("checkout", "orders"), T0.toEpochMilli());
        harness.processBroadcastElement(edge("cart", "orders"), T0.toEpochMilli());
        harness.processBroadcastElement(edge("orders", "orders-db"), T0.toEpochMilli());
        return harness;
    }

    private static void send(KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate,
            Incident> harness, Anomaly... anomalies) throws Exception {
        for (Anomaly a : anomalies) {
            harness.processElement(CorrelateFunction.input(a), a.getTime().toEpochMilli());
        }
    }

    private static long minutes(long m) {
        return T0.toEpochMilli() + m * 60_000;
    }

    @Test
    void correlatorMergesIncidentsABridgingCauseConnectsIntoTheOldest() throws Exception {
        try (var harness = correlateHarness(CorrelationConfig.defaults())) {
            // Two callers of orders are not linked to each other: two incidents, until orders itself shows up.
            send(harness, episode("a-checkout", "checkout", 1, null, 1), episode("a-cart", "cart", 1, null, 1));
            watermark(harness, minutes(1));
            List<Incident> opened = harness.extractOutputValues();
            assertEquals(2, opened.stream().map(Incident::getId).distinct().count(), "two incidents: " + opened);
            String oldest = opened.get(0).getId();

            send(harness, episode("a-orders", "orders", 2, null, 1));
            watermark(harness, minutes(2));
            List<Incident> out = harness.extractOutputValues().subList(2, harness.extractOutputValues().size());
            Incident merged = out.stream().filter(i -> i.getStatus() == IncidentStatus.MERGED).findFirst().orElseThrow();
            Incident survivor = out.get(out.size() - 1);
            assertEquals(oldest, survivor.getId(), "the surviving id is the oldest one");
            assertEquals(oldest, merged.getMergedInto(), "the merged incident points to the survivor");
            assertEquals(3, survivor.getAnomalyCount());
            assertEquals("orders", survivor.getRootCauses().get(0).getItem());
        }
    }

    @Test
    void correlatorHoldsARecordStampedAfterItsOwnTimeUntilTheWatermarkPassesTheStamp() throws Exception {
        try (var harness = correlateHarness(CorrelationConfig.defaults())) {
            send(harness, episode("a-db", "orders-db", 1, null, 1));
            watermark(harness, minutes(2));
            assertEquals(1, harness.extractOutputValues().size(), "opened");

            // As an operator's timer emits it: stamped at the timer's minute 5, while its own time (minute 1) is
            // already behind the watermark. Applying it on arrival would make the outcome depend on how far the
            // other upstream subtasks' watermarks had come; it waits for the stamp instead.
            Anomaly stampedLater = episode("a-orders", "orders", 1, null, 1);
            harness.processElement(CorrelateFunction.input(stampedLater), minutes(5));
            assertEquals(1, harness.extractOutputValues().size(), "held until the watermark passes its stamp");

            watermark(harness, minutes(5));
            List<Incident> out = harness.extractOutputValues();
            assertEquals(2, out.size(), "applied once the watermark passed: " + out);
            assertEquals(2, out.get(1).getAnomalyCount());
        }
    }

    @Test
    void correlatorDeduplicatesRepeatsOfAnAnomalyWhateverTheirArrivalOrder() throws Exception {
        try (var harness = correlateHarness(CorrelationConfig.defaults())) {
            Anomaly v1 = episode("a-db", "orders-db", 1, null, 1);
            Anomaly v2 = Anomaly.newBuilder(v1).setVersion(2).setTime(T0.plusSeconds(150)).build();
            Anomaly v3 = Anomaly.newBuilder(v1).setVersion(3).setTime(T0.plusSeconds(180)).setEnd(T0.plusSeconds(180))
                    .build();
            send(harness, v3, v1, v2, v1); // out of order, and one delivered twice
            watermark(harness, minutes(14));
            List<Incident> out = harness.extractOutputValues();
            assertEquals(List.of(IncidentChange.OPENED, IncidentChange.RESOLVED),
                    out.stream().map(Incident::getChange).toList(), "repeats update silently: " + out);
            assertEquals(out.get(0).getId(), out.get(1).getId());
            Incident last = out.get(1);
            assertEquals(1, last.getAnomalyCount());
            assertEquals(4, last.getAnomalyUpdates(), "every version delivered is counted, none opens another");
        }
    }

    @Test
    void correlatorResolvesReopensUnderTheSameIdAndThenForgetsEverything() throws Exception {
        try (var harness = correlateHarness(CorrelationConfig.defaults())) {
            send(harness, episode("a-db", "orders-db", 1, null, 1), episode("a-db", "orders-db", 1, 3L, 2));
            watermark(harness, minutes(14));
            Incident resolved = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(IncidentChange.RESOLVED, resolved.getChange());
            assertEquals(T0.plusSeconds(13 * 60), resolved.getResolvedAt(), "quiet period after the end");

            send(harness, episode("a-db-2", "orders-db", 20, null, 1));
            watermark(harness, minutes(20));
            Incident reopened = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(IncidentChange.REOPENED, reopened.getChange());
            assertEquals(resolved.getId(), reopened.getId(), "same id");
            assertEquals(resolved.getVersion() + 1, reopened.getVersion(), "versions keep rising");
            assertTrue(keyedStateEntries(harness) > 0, "state held while live");

            send(harness, episode("a-db-2", "orders-db", 20, 22L, 2));
            watermark(harness, minutes(40));
            assertEquals(IncidentChange.RESOLVED,
                    harness.extractOutputValues().get(harness.extractOutputValues().size() - 1).getChange());
            watermark(harness, minutes(32 + 31));
            assertForgottenThenSettledMemoryExpires(harness);
        }
    }

    @Test
    void correlatorMarksAFlappingIncidentHoldsItOpenLongerThenForgetsIt() throws Exception {
        CorrelationConfig config = CorrelationConfig.builder().flapCount(2).build();
        try (var harness = correlateHarness(config)) {
            long t = 1;
            // Trouble for a minute, quiet for 12: resolved after 10, back 2 minutes later; three times.
            for (int cycle = 0; cycle < 3; cycle++, t += 13) {
                send(harness, episode("a-db-" + cycle, "orders-db", t, null, 1),
                        episode("a-db-" + cycle, "orders-db", t, t + 1, 2));
                watermark(harness, minutes(t + 12));
            }
            List<Incident> out = harness.extractOutputValues();
            assertEquals(1, out.stream().map(Incident::getId).distinct().count(), "one incident: " + out);
            Incident last = out.get(out.size() - 1);
            assertEquals(IncidentChange.REOPENED, last.getChange(), "the third recurrence does not resolve in 10 min");
            assertTrue(last.getTitle().endsWith("(flapping)"), last.getTitle());
            assertTrue(last.getFlapping(), "the flapping field says so");
            assertTrue(out.subList(0, 2).stream().noneMatch(Incident::getFlapping), "not before the toggles: " + out);
            assertEquals(1, out.stream().map(Incident::getFingerprint).distinct().count(),
                    "every version carries the incident's fingerprint");

            long lastEnd = t - 13 + 1;
            watermark(harness, minutes(lastEnd) + config.flapQuietMillis);
            Incident resolved = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(IncidentChange.RESOLVED, resolved.getChange(), "resolved after the flap quiet");
            assertEquals(false, resolved.getFlapping(), "the long quiet ends the flapping");
            assertEquals(T0.plusMillis(lastEnd * 60_000 + config.flapQuietMillis), resolved.getResolvedAt());

            watermark(harness, minutes(lastEnd) + config.flapQuietMillis + config.reopenMillis);
            assertForgottenThenSettledMemoryExpires(harness);
        }
    }

    /** An anomaly of a series labelled with a cluster (or without one when {@code cluster} is null). */
    private static Anomaly inCluster(String id, String item, String cluster, long onsetMinute, Long endMinute,
            long version) {
        return Anomaly.newBuilder(episode(id, item, onsetMinute, endMinute, version))
                .setLabels(cluster == null ? Map.of() : Map.of("cluster", cluster)).build();
    }

    @Test
    void correlatorGroupsByAUserAttributeWithoutATopologyPathAcrossARestoreAndThenForgetsEverything()
            throws Exception {
        CorrelationConfig config = CorrelationConfig.builder()
                .grouping(GroupingRules.parse("by-cluster: group-by=cluster window=5m")).build();
        OperatorSubtaskState snapshot;
        Incident grouped;
        try (var harness = correlateHarness(config)) {
            // orders-db and payments-db share no topology path, but run in one cluster.
            send(harness, inCluster("a-db", "orders-db", "eu-1", 1, null, 1),
                    inCluster("a-pay", "payments-db", "eu-1", 2, null, 1));
            watermark(harness, minutes(2));
            List<Incident> out = harness.extractOutputValues();
            assertEquals(1, out.stream().map(Incident::getId).distinct().count(), "one incident: " + out);
            grouped = out.get(out.size() - 1);
            assertEquals(List.of("orders-db", "payments-db"), grouped.getServices());
            assertEquals("by-cluster{cluster=eu-1}", grouped.getGroupKey());
            assertTrue(grouped.getFingerprint().startsWith("fp-"), grouped.getFingerprint());
            snapshot = harness.snapshot(1, minutes(2));
        }
        try (var restored = new KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>,
                TopologyUpdate, Incident>(new CoBroadcastWithKeyedOperator<>(new CorrelateFunction(new Correlator(config)),
                        List.of(CorrelateFunction.TOPOLOGY)), e -> "prod", Types.STRING, 1, 1, 0)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            // Only the restored group keys can join a third cluster member; one outside the cluster stays apart.
            send(restored, inCluster("a-cache", "sessions-cache", "eu-1", 3, null, 1),
                    inCluster("a-queue", "jobs-queue", "us-2", 3, null, 1));
            watermark(restored, minutes(3));
            List<Incident> after = restored.extractOutputValues();
            assertEquals(2, after.size(), after.toString());
            Incident joined = after.stream().filter(i -> i.getId().equals(grouped.getId())).findFirst().orElseThrow();
            assertEquals(List.of("orders-db", "payments-db", "sessions-cache"), joined.getServices());

            send(restored, inCluster("a-db", "orders-db", "eu-1", 1, 4L, 2),
                    inCluster("a-pay", "payments-db", "eu-1", 2, 4L, 2),
                    inCluster("a-cache", "sessions-cache", "eu-1", 3, 4L, 2),
                    inCluster("a-queue", "jobs-queue", "us-2", 3, 4L, 2));
            watermark(restored, minutes(14));
            List<Incident> resolved = restored.extractOutputValues().stream()
                    .filter(i -> i.getChange() == IncidentChange.RESOLVED).toList();
            assertEquals(2, resolved.size(), "both resolved: " + restored.extractOutputValues());

            watermark(restored, minutes(14 + 31));
            assertForgottenThenSettledMemoryExpires(restored);
        }
    }

    @Test
    void withoutTheRuleTheSameAnomaliesAreTwoIncidents() throws Exception {
        try (var harness = correlateHarness(CorrelationConfig.defaults())) {
            send(harness, inCluster("a-db", "orders-db", "eu-1", 1, null, 1),
                    inCluster("a-pay", "payments-db", "eu-1", 2, null, 1));
            watermark(harness, minutes(2));
            List<Incident> out = harness.extractOutputValues();
            assertEquals(2, out.stream().map(Incident::getId).distinct().count(), "two incidents: " + out);
            assertTrue(out.stream().allMatch(i -> i.getGroupKey() == null), "no rule, no group key");
            assertEquals(2, out.stream().map(Incident::getFingerprint).distinct().count(), "one per opening series");
        }
    }
}
