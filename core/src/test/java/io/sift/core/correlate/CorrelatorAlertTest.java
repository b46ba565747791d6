package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.topology.Topology;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.EdgeType;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Resource;
import io.sift.schema.RootCauseHint;
import io.sift.schema.SignalType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts from existing monitoring in correlation: they join, dedup, end and resolve like anomalies. */
class CorrelatorAlertTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long MIN = 60_000;

    private final Correlator correlator = new Correlator(CorrelationConfig.defaults());
    private final Topology topology = new Topology();
    private CorrelationState state;

    @BeforeEach
    void estate() {
        state = new CorrelationState();
        // checkout -> orders -> orders-db (runs on db-host-1); search -> catalog
        edge("checkout", "orders");
        edge("orders", "orders-db");
        edge("search", "catalog");
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom("orders-db").setTo("db-host-1").setType(EdgeType.RUNS_ON)
                        .build()).build());
    }

    private void edge(String from, String to) {
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build());
    }

    static Alert alert(String fingerprint, String service, AlertStatus status, long startMinute, long timeMinute) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint(fingerprint).setStatus(status)
                .setSeverity(AlertSeverity.CRITICAL).setRawSeverity("critical").setName("HighLatency")
                .setResource(Resource.newBuilder().setService(service).build())
                .setStartsAt(T0.plusSeconds(60 * startMinute))
                .setEndsAt(status == AlertStatus.RESOLVED ? T0.plusSeconds(60 * timeMinute) : null)
                .setTime(T0.plusSeconds(60 * timeMinute)).setLabels(Map.of("alertname", "HighLatency"))
                .setAnnotations(Map.of()).build();
    }

    private static Anomaly anomaly(String item, long onsetMinute, Long endMinute) {
        return Anomaly.newBuilder().setId("anom-" + item).setVersion(endMinute == null ? 1 : 2)
                .setSignal(SignalType.METRIC).setDetector("robust-baseline").setSeriesKey("latency|" + item)
                .setMetric("latency").setResource(Resource.newBuilder().setService(item).build()).setLabels(Map.of())
                .setOnset(T0.plusSeconds(60 * onsetMinute))
                .setTime(T0.plusSeconds(60 * (endMinute == null ? onsetMinute : endMinute)))
                .setEnd(endMinute == null ? null : T0.plusSeconds(60 * endMinute)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(95)
                .setSamples(3).build();
    }

    private List<Incident> fold(Alert alert) {
        return correlator.onAlert(state, alert, topology).incidents();
    }

    @Test
    void aFiringAlertOpensAnIncidentItsRepeatsDedupAndItsResolveLetsItResolve() {
        List<Incident> opened = fold(alert("fp-1", "orders-db", AlertStatus.FIRING, 0, 0));
        assertEquals(1, opened.size());
        Incident incident = opened.get(0);
        assertEquals(IncidentChange.OPENED, incident.getChange());
        assertEquals(1, incident.getAlertCount());
        assertEquals(0, incident.getAnomalyCount(), "an alert is no anomaly of Sift's own");
        assertEquals("fp-1", incident.getAlerts().get(0).getFingerprint());
        assertTrue(incident.getAlerts().get(0).getFiring());
        assertEquals("orders-db", incident.getRootCauses().get(0).getItem());
        assertTrue(incident.getTitle().contains("alert HighLatency"), incident.getTitle());

        // Repeats (Alertmanager re-sends every group interval, a start may move): the same entry, no new incident.
        assertTrue(fold(alert("fp-1", "orders-db", AlertStatus.FIRING, 0, 5)).isEmpty());
        assertTrue(fold(alert("fp-1", "orders-db", AlertStatus.FIRING, 1, 6)).isEmpty());
        assertEquals(1, state.incidents.size());
        assertEquals(1, state.incidents.get(0).anomalies.size());
        assertEquals(3, state.incidents.get(0).anomalyUpdates);

        // Firing: the incident stays open however long.
        assertTrue(correlator.advance(state, T0.toEpochMilli() + 60 * MIN, topology).isEmpty());
        List<Incident> resolvedAlert = fold(alert("fp-1", "orders-db", AlertStatus.RESOLVED, 0, 70));
        assertTrue(resolvedAlert.isEmpty(), "a resolve only ends the alert's part");
        List<Incident> resolved = correlator.advance(state, T0.toEpochMilli() + 80 * MIN, topology);
        assertEquals(1, resolved.size());
        assertEquals(IncidentStatus.RESOLVED, resolved.get(0).getStatus());
        assertEquals(T0.plusSeconds(80 * 60), resolved.get(0).getResolvedAt(), "quiet period after the alert ended");
        assertFalse(resolved.get(0).getAlerts().get(0).getFiring());
        assertEquals(T0.plusSeconds(70 * 60), resolved.get(0).getAlerts().get(0).getEndsAt());

        // A late repeat of the resolved episode does not reopen it.
        assertTrue(fold(alert("fp-1", "orders-db", AlertStatus.FIRING, 0, 81)).isEmpty());
        assertTrue(fold(alert("fp-1", "orders-db", AlertStatus.RESOLVED, 0, 82)).isEmpty());
        assertEquals(IncidentStatus.RESOLVED, resolved.get(0).getStatus());
    }

    @Test
    void anAlertAndSiftsOwnAnomaliesOfOneFaultLandInOneIncident() {
        correlator.onAnomaly(state, anomaly("orders", 2, null), topology);
        correlator.onAnomaly(state, anomaly("checkout", 3, null), topology);
        // The database's own alert arrives a little later than the anomalies of its callers (a rule's 'for').
        List<Incident> out = fold(alert("fp-db", "orders-db", AlertStatus.FIRING, 2, 3));
        assertEquals(1, state.incidents.size(), "one incident: " + out);
        Incident incident = out.get(out.size() - 1);
        assertEquals(2, incident.getAnomalyCount());
        assertEquals(1, incident.getAlertCount());
        assertEquals(List.of("checkout", "orders", "orders-db"), incident.getServices());
        List<String> hints = incident.getRootCauses().stream().map(RootCauseHint::getItem).toList();
        assertTrue(hints.contains("orders-db"), "the alert's entity is a candidate: " + hints);

        // An alert on an unrelated item is another incident.
        fold(alert("fp-search", "search", AlertStatus.FIRING, 3, 3));
        assertEquals(2, state.incidents.size());
    }

    @Test
    void aCausesAlertThatStartsLaterThanItsVictimsStillJoinsTheirIncident() {
        // A rule with a pending period fires minutes after the fault began, later than the callers' anomalies.
        correlator.onAnomaly(state, anomaly("orders", 1, null), topology);
        fold(alert("fp-host", "db-host-1", AlertStatus.FIRING, 6, 6));
        assertEquals(1, state.incidents.size(), "the host's alert joined along RUNS_ON, two hops from orders");
    }

    @Test
    void alertsOnItemsNoTopologyDescribesGroupByTimeWhileActiveAndByTheHostTheyName() {
        fold(alert("fp-a", "orders", AlertStatus.FIRING, 0, 0));
        // 10.0.0.7 is unknown to the topology: starting with the incident (within the onset tolerance), it joins.
        fold(alert("fp-b", "10.0.0.7", AlertStatus.FIRING, 1, 1));
        assertEquals(1, state.incidents.size());
        // An alert on a known item related to none of the incident's, starting later, is another incident.
        fold(alert("fp-c", "search", AlertStatus.FIRING, 4, 4));
        assertEquals(2, state.incidents.size());
        fold(alert("fp-g", "10.0.0.9", AlertStatus.FIRING, 8, 8));
        assertEquals(3, state.incidents.size(), "co-onset only: an unknown item's alert minutes later is its own");
        // An alert naming host h9 and one on h9 itself: related through the host.
        Alert onSearchHost = Alert.newBuilder(alert("fp-d", "catalog", AlertStatus.FIRING, 5, 5))
                .setResource(Resource.newBuilder().setService("catalog").setHost("h9").build()).build();
        fold(onSearchHost);
        assertEquals(3, state.incidents.size(), "catalog joined search's incident along the topology");
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom("h9").setTo("rack-1").setType(EdgeType.DEPENDS_ON)
                        .build()).build());
        fold(alert("fp-e", "h9", AlertStatus.FIRING, 6, 6));
        assertEquals(3, state.incidents.size(), "h9's alert joined the incident of the alert that named h9");
        // Once everything ended, an unknown item's alert opens an incident of its own.
        for (String fp : List.of("fp-a", "fp-b", "fp-c", "fp-d", "fp-e", "fp-g")) {
            IncidentState holder = state.incidents.stream()
                    .filter(i -> i.anomalies.stream().anyMatch(e -> fp.equals(e.alertFingerprint))).findFirst()
                    .orElseThrow();
            AnomalyEntry entry = holder.anomalies.stream().filter(e -> fp.equals(e.alertFingerprint)).findFirst()
                    .orElseThrow();
            fold(alert(fp, entry.item, AlertStatus.RESOLVED, entry.onset / MIN - T0.toEpochMilli() / MIN, 9));
        }
        fold(alert("fp-f", "10.0.0.8", AlertStatus.FIRING, 12, 12));
        assertEquals(4, state.incidents.size());
    }

    @Test
    void anAlertIsEvidenceNotProof() {
        // The fault's first anomaly is on orders-db; a warning-level alert on the caller came in too.
        correlator.onAnomaly(state, anomaly("orders-db", 1, null), topology);
        correlator.onAnomaly(state, anomaly("orders", 2, null), topology);
        List<Incident> out = fold(Alert.newBuilder(alert("fp-orders", "orders", AlertStatus.FIRING, 2, 2))
                .setSeverity(AlertSeverity.WARNING).build());
        Incident incident = out.get(out.size() - 1);
        assertEquals("orders-db", incident.getRootCauses().get(0).getItem(),
                "an alert on a victim does not make it the cause");
    }

    @Test
    void aResolveOfAnAlertNeverSeenFiringChangesNothingAndIsReported() {
        Correlator.AlertOutcome outcome = correlator.onAlert(state,
                alert("fp-x", "orders", AlertStatus.RESOLVED, 0, 5), topology);
        assertTrue(outcome.unknownResolve());
        assertTrue(outcome.incidents().isEmpty());
        assertTrue(state.isEmpty());
    }

    @Test
    void aNewEpisodeOfAResolvedAlertReopensItsIncidentWithinTheCoolDown() {
        fold(alert("fp-1", "orders-db", AlertStatus.FIRING, 0, 0));
        fold(alert("fp-1", "orders-db", AlertStatus.RESOLVED, 0, 2));
        assertEquals(1, correlator.advance(state, T0.toEpochMilli() + 12 * MIN, topology).size());
        List<Incident> again = fold(alert("fp-1", "orders-db", AlertStatus.FIRING, 15, 15));
        assertEquals(IncidentChange.REOPENED, again.get(again.size() - 1).getChange());
        assertEquals(2, again.get(again.size() - 1).getAlertCount(), "two episodes of one alert");
    }
}
