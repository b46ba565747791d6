package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.topology.Topology;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.Direction;
import io.sift.schema.EdgeType;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItemType;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorrelatorTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long MIN = 60_000;

    private final Correlator correlator = new Correlator(CorrelationConfig.defaults());
    private final Topology topology = new Topology();
    private CorrelationState state;

    @BeforeEach
    void estate() {
        state = new CorrelationState();
        // frontend -> checkout -> orders -> orders-db ; search -> catalog (separate branch)
        item("frontend", Criticality.CRITICAL);
        item("checkout", Criticality.HIGH);
        item("orders", Criticality.MEDIUM);
        item("orders-db", Criticality.HIGH);
        item("search", Criticality.LOW);
        item("catalog", Criticality.LOW);
        edge("frontend", "checkout");
        edge("checkout", "orders");
        edge("orders", "orders-db");
        edge("search", "catalog");
    }

    private void item(String id, Criticality criticality) {
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setItem(ConfigurationItem.newBuilder().setId(id).setType(ItemType.SERVICE)
                        .setCriticality(criticality).build()).build());
    }

    private void edge(String from, String to) {
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build());
    }

    private static Anomaly anomaly(String item, long onsetMin, long timeMin, Long endMin, long version, double score) {
        return Anomaly.newBuilder().setId("anom-" + item).setVersion(version).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey("latency|" + item).setMetric("latency")
                .setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build()).setLabels(Map.of())
                .setOnset(T0.plusMillis(onsetMin * MIN)).setTime(T0.plusMillis(timeMin * MIN))
                .setEnd(endMin == null ? null : T0.plusMillis(endMin * MIN)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(score)
                .setSamples(3).build();
    }

    private List<Incident> feed(Anomaly... anomalies) {
        List<Incident> out = new ArrayList<>();
        for (Anomaly a : anomalies) {
            out.addAll(correlator.onAnomaly(state, a, topology));
        }
        return out;
    }

    @Test
    void aPropagatingFaultBecomesOneIncidentPointingAtTheDeepestDependency() {
        List<Incident> out = feed(
                anomaly("orders-db", 0, 0, null, 1, 95),
                anomaly("orders", 1, 1, null, 1, 80),
                anomaly("checkout", 2, 2, null, 1, 70),
                anomaly("frontend", 3, 3, null, 1, 60));
        assertEquals(1, out.stream().map(Incident::getId).distinct().count(), "one incident: " + out);
        Incident last = out.get(out.size() - 1);
        assertEquals(List.of("checkout", "frontend", "orders", "orders-db"), last.getServices());
        assertEquals("orders-db", last.getRootCauses().get(0).getItem());
        assertEquals(4, last.getAnomalyCount());
        assertEquals(4, last.getVersion());
        assertEquals(IncidentChange.OPENED, out.get(0).getChange());
        assertTrue(last.getTitle().startsWith("orders-db: latency up"), last.getTitle());
    }

    /** A second anomaly of another series on an item (and on its dependent) at a given onset. */
    private static Anomaly other(String item, String metric, long onsetMin) {
        Anomaly a = anomaly(item, onsetMin, onsetMin, null, 1, 80);
        a.setId("anom-" + item + "-" + metric + "-" + onsetMin);
        a.setSeriesKey(metric + "|" + item);
        a.setMetric(metric);
        return a;
    }

    @Test
    void aStandingConditionDrawsNoLaterFaultIntoItsIncident() {
        // orders-db has been off since minute 0 and stays off; 30 min in, its memory rises: the same trouble.
        List<Incident> early = feed(anomaly("orders-db", 0, 0, null, 1, 95), other("orders-db", "memory", 30));
        assertEquals(1, early.stream().map(Incident::getId).distinct().count(), "joined within the hour: " + early);
        // Two hours in, its CPU and then its caller's latency jump: a new fault, which opens its own incident.
        List<Incident> late = feed(anomaly("orders-db", 0, 120, null, 2, 95), other("orders-db", "cpu", 120),
                other("orders", "latency", 121));
        String standing = early.get(0).getId();
        List<String> lateIds = late.stream().map(Incident::getId).filter(id -> !id.equals(standing)).distinct()
                .toList();
        assertEquals(1, lateIds.size(), "one new incident for the late fault: " + late);
        Incident last = late.get(late.size() - 1);
        assertEquals(lateIds.get(0), last.getId());
        assertEquals(List.of("orders", "orders-db"), last.getServices());

        // With no limit (zero), the standing anomaly draws the late fault in, as before.
        Correlator unlimited = new Correlator(CorrelationConfig.builder().standingAfter(java.time.Duration.ZERO).build());
        CorrelationState other = new CorrelationState();
        List<Incident> all = new ArrayList<>();
        for (Anomaly a : List.of(anomaly("orders-db", 0, 0, null, 1, 95), anomaly("orders-db", 0, 120, null, 2, 95),
                other("orders-db", "cpu", 120), other("orders", "latency", 121))) {
            all.addAll(unlimited.onAnomaly(other, a, topology));
        }
        assertEquals(1, all.stream().map(Incident::getId).distinct().count(), "one incident without a limit");
    }

    @Test
    void anAnomalyEndedByLevelShiftAdoptionAfterAnHourStillDrawsNothingNew() {
        // orders-db was off for 70 minutes, then adopted as its new level (the anomaly ends at minute 70).
        List<Incident> first = feed(anomaly("orders-db", 0, 0, null, 1, 95), anomaly("orders-db", 0, 70, 70L, 2, 95));
        // Five minutes later its CPU jumps: within the gap, but the ended anomaly was a standing condition.
        List<Incident> later = feed(other("orders-db", "cpu", 75));
        assertEquals(1, later.size());
        assertNotEquals(first.get(0).getId(), later.get(0).getId(), "a new incident: " + later);
        assertEquals(IncidentChange.OPENED, later.get(0).getChange());
    }

    @Test
    void aHarmlessAnomalyJoinsOpenTroubleButOpensNothing() {
        // Disk usage falling (log rotation) on orders-db: harmless by its meaning, no incident.
        Anomaly freed = other("orders-db", "container_fs_usage_bytes", 0);
        freed.setDirection(Direction.DOWN);
        assertEquals(List.of(), feed(freed), "a falling usage opens nothing");
        // Its later versions open nothing either.
        Anomaly freedAgain = Anomaly.newBuilder(freed).setVersion(2).setTime(T0.plusMillis(3 * MIN)).build();
        assertEquals(List.of(), feed(freedAgain));

        // Latency rising opens an incident; the same item's memory falling then joins it.
        List<Incident> trouble = feed(anomaly("orders-db", 5, 5, null, 1, 95));
        assertEquals(1, trouble.size());
        Anomaly memoryDown = other("orders-db", "memory_usage", 6);
        memoryDown.setDirection(Direction.DOWN);
        List<Incident> joined = feed(memoryDown);
        assertEquals(1, joined.size());
        assertEquals(trouble.get(0).getId(), joined.get(0).getId());
        assertEquals(2, joined.get(0).getAnomalyCount());

        // A falling traffic rate is a symptom, not harmless: it opens an incident of its own on another branch.
        Anomaly trafficDown = other("catalog", "requests", 7);
        trafficDown.setDirection(Direction.DOWN);
        assertEquals(1, feed(trafficDown).size());

        // Opt-in: with open-on-harmless, the falling usage opens its own incident.
        Correlator permissive = new Correlator(CorrelationConfig.builder().openOnHarmless(true).build());
        assertEquals(1, permissive.onAnomaly(new CorrelationState(), freed, topology).size());
    }

    @Test
    void aRoutineDepartureJoinsOpenTroubleButOpensNothing() {
        // orders' process count steps up as it does several times a day: marked routine by the detector.
        Anomaly routine = other("orders", "container_processes", 0);
        routine.setLabels(Map.of(io.sift.core.detect.Excursions.ROUTINE_LABEL, "true"));
        assertEquals(List.of(), feed(routine), "a routine departure opens nothing");

        // Latency rising on orders-db opens an incident; a routine departure of orders then joins it.
        List<Incident> trouble = feed(anomaly("orders-db", 5, 5, null, 1, 95));
        assertEquals(1, trouble.size());
        Anomaly routineAgain = other("orders", "container_processes", 6);
        routineAgain.setLabels(Map.of(io.sift.core.detect.Excursions.ROUTINE_LABEL, "true"));
        List<Incident> joined = feed(routineAgain);
        assertEquals(1, joined.size());
        assertEquals(trouble.get(0).getId(), joined.get(0).getId());
        assertEquals(2, joined.get(0).getAnomalyCount());

        // The same departure without the mark is news.
        assertEquals(1, feed(other("catalog", "container_processes", 30)).size());
    }

    @Test
    void itemsWithoutTopologyAreGroupedByCoOnsetOnlyAtAnIncidentsOpening() {
        // node-7 and pod-a are unknown to the topology: starting within a minute of each other, one incident.
        List<Incident> together = feed(anomaly("node-7", 0, 0, null, 1, 90), anomaly("pod-a", 1, 1, null, 1, 80));
        assertEquals(1, together.stream().map(Incident::getId).distinct().count(), "co-onset: " + together);
        assertEquals(List.of("node-7", "pod-a"), together.get(together.size() - 1).getServices());
        // pod-b starts three minutes after the opening: no longer a co-onset, its own incident.
        List<Incident> later = feed(anomaly("pod-b", 3, 3, null, 1, 80));
        assertEquals(1, later.size());
        assertNotEquals(together.get(0).getId(), later.get(0).getId());
        // An item the topology places (orders-db) is grouped by its dependencies only, never by onset.
        List<Incident> placed = feed(anomaly("orders-db", 3, 3, null, 1, 95));
        assertNotEquals(later.get(0).getId(), placed.get(0).getId());
        // Zero turns it off.
        Correlator off = new Correlator(CorrelationConfig.builder().coOnset(java.time.Duration.ZERO).build());
        CorrelationState fresh = new CorrelationState();
        List<Incident> apart = new ArrayList<>(off.onAnomaly(fresh, anomaly("node-7", 0, 0, null, 1, 90), topology));
        apart.addAll(off.onAnomaly(fresh, anomaly("pod-a", 1, 1, null, 1, 80), topology));
        assertEquals(2, apart.stream().map(Incident::getId).distinct().count());
    }

    @Test
    void unrelatedItemsOpenSeparateIncidents() {
        List<Incident> out = feed(anomaly("orders-db", 0, 0, null, 1, 95), anomaly("catalog", 1, 1, null, 1, 80));
        assertEquals(2, out.stream().map(Incident::getId).distinct().count());
    }

    @Test
    void repeatsOfOneAnomalyUpdateTheIncidentInsteadOfOpeningAnother() {
        List<Incident> out = feed(
                anomaly("orders-db", 0, 0, null, 1, 60),
                anomaly("orders-db", 0, 2, null, 2, 62),
                anomaly("orders-db", 0, 3, null, 3, 90));
        assertEquals(2, out.size(), "the small rise is folded in silently, the big one emits: " + out);
        Incident last = out.get(1);
        assertEquals(1, last.getAnomalyCount());
        assertEquals(3, last.getAnomalyUpdates());
        assertEquals(90.0, last.getPeakScore());
    }

    @Test
    void resolvesAfterQuietPeriodReopensWithSameIdAndIsForgottenAfterCoolDown() {
        feed(anomaly("orders-db", 0, 0, null, 1, 95));
        assertTrue(correlator.advance(state, T0.toEpochMilli() + 60 * MIN, topology).isEmpty(),
                "an ongoing anomaly keeps the incident open");
        List<Incident> ended = feed(anomaly("orders-db", 0, 5, 5L, 2, 95));
        assertTrue(ended.isEmpty());
        assertEquals(T0.toEpochMilli() + 15 * MIN, correlator.nextDeadline(state));

        List<Incident> resolved = correlator.advance(state, T0.toEpochMilli() + 15 * MIN, topology);
        assertEquals(1, resolved.size());
        Incident r = resolved.get(0);
        assertEquals(IncidentStatus.RESOLVED, r.getStatus());
        assertEquals(T0.plusMillis(15 * MIN), r.getResolvedAt());

        assertEquals(2, correlator.onAnomaly(state, anomaly("orders", 18, 18, null, 1, 80), topology).stream()
                .map(Incident::getId).distinct().count() + 1, "a neighbour's new trouble opens a new incident");
        state.incidents.removeIf(i -> !i.id.equals(r.getId()));
        Incident reopened = feed(Anomaly.newBuilder(anomaly("orders-db", 20, 20, null, 1, 80)).setId("anom-orders-db-2").build()).get(0);
        assertEquals(r.getId(), reopened.getId());
        assertEquals(IncidentChange.REOPENED, reopened.getChange());
        assertEquals(r.getVersion() + 1, reopened.getVersion());

        feed(Anomaly.newBuilder(anomaly("orders-db", 20, 22, 22L, 2, 80)).setId("anom-orders-db-2").build());
        correlator.advance(state, T0.toEpochMilli() + 32 * MIN, topology);
        assertEquals(1, state.incidents.size());
        correlator.advance(state, T0.toEpochMilli() + 62 * MIN, topology);
        assertTrue(state.isEmpty(), "state is dropped after resolution plus cool-down");
        assertEquals(Long.MAX_VALUE, correlator.nextDeadline(state));
    }

    @Test
    void anAnomalyBridgingTwoIncidentsMergesThemIntoTheOldest() {
        // orders-db and frontend are 3 hops apart (> maxHops 2): two incidents; checkout bridges them.
        List<Incident> first = feed(anomaly("orders-db", 0, 0, null, 1, 95), anomaly("frontend", 1, 1, null, 1, 60));
        assertEquals(2, first.stream().map(Incident::getId).distinct().count());
        // checkout starts within the merge window of both: one fault seen from both ends.
        List<Incident> out = feed(anomaly("checkout", 1, 2, null, 1, 70));
        Incident merged = out.stream().filter(i -> i.getStatus() == IncidentStatus.MERGED).findFirst().orElseThrow();
        Incident survivor = out.get(out.size() - 1);
        assertEquals(first.get(0).getId(), survivor.getId(), "the oldest survives");
        assertEquals(survivor.getId(), merged.getMergedInto());
        assertNotEquals(survivor.getId(), merged.getId());
        assertEquals(3, survivor.getAnomalyCount());
        assertEquals(1, state.incidents.size());
    }

    @Test
    void aRecentChangeOnTheCauseIsCitedAndRaisesItsRank() {
        correlator.onChange(state, ChangeEvent.newBuilder().setId("chg-1").setTime(T0.minusSeconds(120))
                .setType(ChangeType.DEPLOY).setConfigurationItem("checkout").setSummary("deploy checkout 2.4.0")
                .setChangeRequest("CHG0012345").build());
        // checkout misbehaves after its deploy; orders (its dependency) also shows a weaker anomaly a bit later.
        Incident last = feed(anomaly("checkout", 0, 0, null, 1, 90), anomaly("orders", 1, 1, null, 1, 60))
                .get(1);
        assertEquals("checkout", last.getRootCauses().get(0).getItem());
        assertEquals(List.of("chg-1"), last.getRootCauses().get(0).getChanges());
        assertEquals("chg-1", last.getSuspectChanges().get(0).getId());
        assertTrue(String.join(" ", last.getRootCauses().get(0).getReasons()).contains("CHG0012345"));
    }

    @Test
    void advancingToTheNextDeadlineAlwaysMakesProgress() {
        correlator.onChange(state, ChangeEvent.newBuilder().setId("chg-old").setTime(T0.minusSeconds(600))
                .setType(ChangeType.DEPLOY).setConfigurationItem("orders").setSummary("deploy orders").build());
        correlator.onChange(state, ChangeEvent.newBuilder().setId("chg-new").setTime(T0.plusSeconds(60 * 30))
                .setType(ChangeType.DEPLOY).setConfigurationItem("catalog").setSummary("deploy catalog").build());
        feed(anomaly("orders", 0, 0, null, 1, 90));
        feed(anomaly("orders", 0, 40, 40L, 2, 90));
        long previous = Long.MIN_VALUE;
        int steps = 0;
        while (correlator.nextDeadline(state) != Long.MAX_VALUE) {
            long deadline = correlator.nextDeadline(state);
            assertTrue(deadline > previous, "deadlines must move on: " + deadline + " after " + previous);
            correlator.advance(state, deadline, topology);
            previous = deadline;
            assertTrue(++steps < 10, "advance must converge");
        }
        assertTrue(state.isEmpty());
    }

    @Test
    void incidentIdsAreDeterministic() {
        String id = feed(anomaly("orders-db", 0, 0, null, 1, 95)).get(0).getId();
        state = new CorrelationState();
        assertEquals(id, feed(anomaly("orders-db", 0, 0, null, 1, 95)).get(0).getId());
    }

    @Test
    void priorityFollowsCriticalityAndUrgency() {
        assertEquals("P1", Correlator.priority(java.util.Set.of("frontend"), 95, topology).name());
        assertEquals("P5", Correlator.priority(java.util.Set.of("search"), 55, topology).name());
    }
}
