package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.topology.Topology;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.EdgeType;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
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

/** Grouping by the direction faults travel, merging, dedup, reopening, flapping and forgetting. */
class CorrelatorLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long MIN = 60_000;

    private final Correlator correlator = new Correlator(CorrelationConfig.defaults());
    private final Topology topology = new Topology();
    private CorrelationState state;

    @BeforeEach
    void estate() {
        state = new CorrelationState();
        // frontend -> checkout -> orders -> orders-db; cart -> orders; checkout and orders run on node-1
        edge("frontend", "checkout");
        edge("checkout", "orders");
        edge("cart", "orders");
        edge("orders", "orders-db");
        edge("checkout", "node-1");
        edge("orders", "node-1");
    }

    private void edge(String from, String to) {
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build());
    }

    /** An anomaly of series "latency|item" (or the given metric), onset and time in minutes, ended when end given. */
    private static Anomaly anomaly(String id, String item, String metric, double onsetMin, double timeMin, Double endMin,
            long version) {
        return Anomaly.newBuilder().setId(id).setVersion(version).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey(metric + "|" + item).setMetric(metric)
                .setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build()).setLabels(Map.of())
                .setOnset(at(onsetMin)).setTime(at(timeMin)).setEnd(endMin == null ? null : at(endMin))
                .setObserved(400).setExpected(40).setLowerBound(20).setUpperBound(60).setDeviation(12)
                .setDirection(Direction.UP).setScore(90).setSamples(3).build();
    }

    private static Anomaly open(String id, String item, double onsetMin) {
        return anomaly(id, item, "latency", onsetMin, onsetMin, null, 1);
    }

    private static Anomaly ended(String id, String item, double onsetMin, double endMin) {
        return anomaly(id, item, "latency", onsetMin, endMin, endMin, 2);
    }

    private static Instant at(double minutes) {
        return T0.plusMillis((long) (minutes * MIN));
    }

    private List<Incident> feed(Anomaly... anomalies) {
        List<Incident> out = new ArrayList<>();
        for (Anomaly a : anomalies) {
            out.addAll(correlator.onAnomaly(state, a, topology));
        }
        return out;
    }

    private List<Incident> advanceTo(double minutes) {
        return correlator.advance(state, at(minutes).toEpochMilli(), topology);
    }

    private static long distinctIds(List<Incident> out) {
        return out.stream().map(Incident::getId).distinct().count();
    }

    @Test
    void twoCallersOfOneServiceAreNotLinkedThroughIt() {
        // frontend's checkout and cart both call orders, but neither depends on the other.
        List<Incident> out = feed(open("a1", "checkout", 0), open("a2", "cart", 0.5));
        assertEquals(2, distinctIds(out), "siblings stay apart: " + out);
    }

    @Test
    void aDependentThatStartsAfterItsDependencyRecoveredIsNotItsVictim() {
        feed(open("db", "orders-db", 0), ended("db", "orders-db", 0, 3));
        List<Incident> out = feed(open("o", "orders", 5));
        assertEquals(IncidentChange.OPENED, out.get(0).getChange(), "orders started after orders-db recovered");
        assertEquals(2, state.incidents.size());
    }

    @Test
    void aCauseDetectedSlightlyLaterStillJoinsButNotOneThatStartsMuchLater() {
        feed(open("o", "orders", 0));
        List<Incident> late = feed(open("db", "orders-db", 0.5));
        assertEquals(1, state.incidents.size(), "a dependency detected 30 s after its dependent joins: " + late);
        List<Incident> much = feed(open("n", "node-1", 5));
        assertEquals(IncidentChange.OPENED, much.get(0).getChange(),
                "a dependency starting 5 min after the dependents is not their cause");
    }

    @Test
    void aVictimOfTwoSeparateIncidentsJoinsTheCloserOneUnlessBothAreTight() {
        // orders-db trouble since minute 0; node-1 trouble from minute 10: both are dependencies of orders.
        feed(open("db", "orders-db", 0));
        List<Incident> node = feed(open("n", "node-1", 10));
        assertEquals(2, state.incidents.size());
        List<Incident> out = feed(open("o", "orders", 10.5));
        assertTrue(out.stream().noneMatch(i -> i.getStatus() == IncidentStatus.MERGED), "no merge: " + out);
        assertEquals(node.get(0).getId(), out.get(0).getId(), "orders follows node-1 closely, orders-db loosely");

        // Two victims detected before their common cause open two incidents; the cause merges them into the oldest.
        state = new CorrelationState();
        List<Incident> a = feed(open("c", "checkout", 20));
        List<Incident> b = feed(open("k", "cart", 20.2));
        List<Incident> merged = feed(open("o2", "orders", 20.4));
        Incident absorbed = merged.stream().filter(i -> i.getStatus() == IncidentStatus.MERGED).findFirst().orElseThrow();
        Incident survivor = merged.get(merged.size() - 1);
        assertEquals(a.get(0).getId(), survivor.getId(), "the oldest id survives");
        assertEquals(b.get(0).getId(), absorbed.getId());
        assertEquals(survivor.getId(), absorbed.getMergedInto(), "the merged one points to the survivor");
        assertEquals(3, survivor.getAnomalyCount());
        assertEquals(1, state.incidents.size());
    }

    @Test
    void repeatsOfASeriesNeverOpenASecondIncident() {
        feed(open("db", "orders-db", 0), ended("db", "orders-db", 0, 2));
        // A new episode of the same series shortly after: the same incident.
        List<Incident> again = feed(anomaly("db-2", "orders-db", "latency", 4, 4, null, 1));
        assertEquals(1, state.incidents.size());
        assertEquals(IncidentChange.UPDATED, again.get(0).getChange());
        assertEquals(2, again.get(0).getAnomalyCount());
        // Versions of a known anomaly only update counts.
        feed(anomaly("db-2", "orders-db", "latency", 4, 5, null, 2));
        assertEquals(4, state.incidents.get(0).anomalyUpdates);
        assertEquals(Correlator.fingerprint("prod", "latency|orders-db"), state.incidents.get(0).fingerprint,
                "the fingerprint is the opening series, without its onset");
    }

    @Test
    void aResolvedIncidentReopensOnItsRootButNotWhenItsRootIsANewFaultsVictim() {
        List<Incident> first = feed(open("o", "orders", 0), ended("o", "orders", 0, 5));
        assertEquals(IncidentChange.RESOLVED, advanceTo(15).get(0).getChange());

        // A new fault on orders-db: orders suffers again, but as orders-db's victim.
        List<Incident> outage = feed(open("db", "orders-db", 20), open("o-2", "orders", 20.2));
        assertTrue(outage.stream().noneMatch(i -> i.getId().equals(first.get(0).getId())),
                "the old orders incident stays resolved: " + outage);
        assertEquals(1, distinctIds(outage));
        feed(ended("db", "orders-db", 20, 25), anomaly("o-2", "orders", "latency", 20.2, 25, 25.0, 2));
        advanceTo(35);

        // orders alone, with nothing current to explain it: the old problem is back.
        List<Incident> back = feed(open("o-3", "orders", 40));
        assertEquals(first.get(0).getId(), back.get(0).getId());
        assertEquals(IncidentChange.REOPENED, back.get(0).getChange());
    }

    @Test
    void anIncidentThatTogglesTooOftenFlapsAndThenResolvesOnlyAfterTheLongerQuiet() {
        CorrelationConfig config = CorrelationConfig.defaults();
        String id = null;
        double t = 0;
        int reopenings = 0;
        // Each cycle: 1 min of trouble, resolution after the 10 min quiet, recurrence 2 min later.
        while (reopenings <= config.flapCount) {
            List<Incident> out = feed(open("o-" + t, "orders", t), ended("o-" + t, "orders", t, t + 1));
            if (id == null) {
                id = out.get(0).getId();
            } else {
                assertEquals(id, out.get(0).getId(), "same id on every recurrence");
                assertEquals(IncidentChange.REOPENED, out.get(0).getChange());
                reopenings++;
            }
            if (state.incidents.get(0).flapping) {
                break;
            }
            List<Incident> resolved = advanceTo(t + 11);
            assertEquals(IncidentChange.RESOLVED, resolved.get(0).getChange());
            t += 13;
        }
        IncidentState incident = state.incidents.get(0);
        assertTrue(incident.flapping, "flapping after more than " + config.flapCount + " toggles");
        assertTrue(correlator.advance(state, at(t + 11).toEpochMilli(), topology).isEmpty(),
                "a flapping incident does not resolve after the normal quiet");
        assertEquals(at(t + 1).toEpochMilli() + config.flapQuietMillis, correlator.nextDeadline(state));
        List<Incident> resolved = correlator.advance(state, at(t + 1).toEpochMilli() + config.flapQuietMillis, topology);
        assertEquals(IncidentChange.RESOLVED, resolved.get(0).getChange());
        assertFalse(incident.flapping, "the long quiet ends the flapping");

        correlator.advance(state, at(t + 1).toEpochMilli() + config.flapQuietMillis + config.reopenMillis, topology);
        assertTrue(state.isEmpty(), "forgotten after resolution plus cool-down");
    }

    @Test
    void flappingIsNamedInTheTitle() {
        CorrelationConfig config = CorrelationConfig.builder().flapCount(1).build();
        Correlator flappy = new Correlator(config);
        flappy.onAnomaly(state, ended("o", "orders", 0, 1), topology);
        flappy.advance(state, at(11).toEpochMilli(), topology);
        Incident reopened = flappy.onAnomaly(state, open("o-2", "orders", 12), topology).get(0);
        assertTrue(reopened.getTitle().endsWith("(flapping)"), reopened.getTitle());
        assertNotEquals(IncidentStatus.RESOLVED, reopened.getStatus());
    }
}
