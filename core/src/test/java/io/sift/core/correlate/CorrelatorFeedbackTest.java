package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.topology.Topology;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.ResolutionSource;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A person's actions in the ITSM tool change the incident's lifecycle; recurrences still reopen it. */
class CorrelatorFeedbackTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long MIN = 60_000;

    private final Correlator correlator = new Correlator(CorrelationConfig.defaults());
    private final Topology topology = new Topology();
    private final CorrelationState state = new CorrelationState();

    private static Instant at(double minutes) {
        return T0.plusMillis((long) (minutes * MIN));
    }

    private static Anomaly anomaly(String id, String item, double onsetMin, double timeMin, Double endMin, long version) {
        return Anomaly.newBuilder().setId(id).setVersion(version).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey("latency|" + item).setMetric("latency")
                .setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build()).setLabels(Map.of())
                .setOnset(at(onsetMin)).setTime(at(timeMin)).setEnd(endMin == null ? null : at(endMin))
                .setObserved(400).setExpected(40).setLowerBound(20).setUpperBound(60).setDeviation(12)
                .setDirection(Direction.UP).setScore(90).setSamples(3).build();
    }

    private static ItsmUpdate update(String incidentId, ItsmAction action, double minutes) {
        return ItsmUpdate.newBuilder().setIncidentId(incidentId).setEnvironment("prod").setAction(action)
                .setTime(at(minutes)).setTicket("INC0010001").setAssignee(null).setNote(null).setSource("servicenow")
                .build();
    }

    private Incident open() {
        List<Incident> out = correlator.onAnomaly(state, anomaly("a1", "orders-db", 0, 1, null, 1), topology);
        assertEquals(1, out.size());
        assertEquals(at(1), out.get(0).getDetectedAt(), "detected at the sample that opened it");
        return out.get(0);
    }

    private Incident single(Correlator.FeedbackOutcome outcome) {
        assertTrue(!outcome.isRejected(), () -> outcome.reason());
        assertEquals(1, outcome.incidents().size(), () -> "one version: " + outcome.incidents());
        return outcome.incidents().get(0);
    }

    @Test
    void acknowledgementAndAssignmentAddToTheIncidentOnce() {
        Incident opened = open();
        Incident acked = single(correlator.onFeedback(state, update(opened.getId(), ItsmAction.ACKNOWLEDGED, 4), topology));
        assertEquals(IncidentChange.ACKNOWLEDGED, acked.getChange());
        assertEquals(IncidentStatus.OPEN, acked.getStatus());
        assertEquals(at(4), acked.getAcknowledgedAt());
        assertEquals(at(4), acked.getUpdatedAt());
        assertEquals("INC0010001", acked.getTicket());
        assertEquals(opened.getVersion() + 1, acked.getVersion());

        assertTrue(correlator.onFeedback(state, update(opened.getId(), ItsmAction.ACKNOWLEDGED, 5), topology)
                .incidents().isEmpty(), "a repeated acknowledgement is no change");
        ItsmUpdate assign = update(opened.getId(), ItsmAction.ASSIGNED, 6);
        assign.setAssignee("dba-oncall");
        Incident assigned = single(correlator.onFeedback(state, assign, topology));
        assertEquals("dba-oncall", assigned.getAssignee());
        assertEquals(at(4), assigned.getAcknowledgedAt(), "the first acknowledgement stays");
    }

    @Test
    void aHumanResolutionResolvesTheTailOfTheEpisodeDoesNotReopenButARecurrenceReopensTheSameId() {
        Incident opened = open();
        Incident resolved = single(correlator.onFeedback(state, update(opened.getId(), ItsmAction.RESOLVED, 8), topology));
        assertEquals(IncidentStatus.RESOLVED, resolved.getStatus());
        assertEquals(ResolutionSource.HUMAN, resolved.getResolvedBy());
        assertEquals(at(8), resolved.getResolvedAt());

        // The episode the person saw keeps reporting, then ends: no new version, and no automatic re-resolution.
        assertTrue(correlator.onAnomaly(state, anomaly("a1", "orders-db", 0, 9, null, 2), topology).isEmpty());
        assertTrue(correlator.onAnomaly(state, anomaly("a1", "orders-db", 0, 10, 10.0, 3), topology).isEmpty());
        assertTrue(correlator.advance(state, at(25).toEpochMilli(), topology).isEmpty());

        // A new episode on the same item within the cool-down: the same incident again.
        List<Incident> again = correlator.onAnomaly(state, anomaly("a2", "orders-db", 30, 31, null, 1), topology);
        assertEquals(1, again.size());
        assertEquals(opened.getId(), again.get(0).getId());
        assertEquals(IncidentChange.REOPENED, again.get(0).getChange());
        assertNull(again.get(0).getResolvedBy());
        // ... which the quiet period resolves again, this time by Sift.
        correlator.onAnomaly(state, anomaly("a2", "orders-db", 30, 33, 33.0, 2), topology);
        List<Incident> quiet = correlator.advance(state, at(60).toEpochMilli(), topology);
        assertEquals(ResolutionSource.SIFT, quiet.get(0).getResolvedBy());
    }

    @Test
    void aClosedIncidentIsForgottenSoARecurrenceOpensANewOne() {
        Incident opened = open();
        Incident closed = single(correlator.onFeedback(state, update(opened.getId(), ItsmAction.CLOSED, 8), topology));
        assertEquals(IncidentStatus.CLOSED, closed.getStatus());
        assertEquals(IncidentChange.CLOSED, closed.getChange());
        assertTrue(state.incidents.isEmpty());
        List<Incident> next = correlator.onAnomaly(state, anomaly("a2", "orders-db", 20, 21, null, 1), topology);
        assertEquals(IncidentChange.OPENED, next.get(0).getChange());
        assertNotEquals(opened.getId(), next.get(0).getId());
    }

    @Test
    void anAnomalyGoingOnAfterItsIncidentWasClosedOpensAnIncidentUnderAnotherId() {
        Incident opened = open();
        single(correlator.onFeedback(state, update(opened.getId(), ItsmAction.CLOSED, 8), topology));
        List<Incident> next = correlator.onAnomaly(state, anomaly("a1", "orders-db", 0, 9, null, 2), topology);
        assertEquals(IncidentChange.OPENED, next.get(0).getChange());
        assertEquals(1, next.get(0).getVersion());
        assertNotEquals(opened.getId(), next.get(0).getId(),
                "version 1 under the closed incident's id would be refused by every consumer holding its later versions");
        assertEquals(next.get(0).getId(), correlator.onAnomaly(new CorrelationState(),
                anomaly("a1", "orders-db", 0, 9, null, 2), topology).get(0).getId(), "still deterministic");
    }

    @Test
    void aPersonsReopeningHoldsTheIncidentOpenUntilAPersonResolvesIt() {
        Incident opened = open();
        correlator.onAnomaly(state, anomaly("a1", "orders-db", 0, 3, 3.0, 2), topology);
        assertEquals(ResolutionSource.SIFT, correlator.advance(state, at(20).toEpochMilli(), topology).get(0)
                .getResolvedBy());
        Incident reopened = single(correlator.onFeedback(state, update(opened.getId(), ItsmAction.REOPENED, 22), topology));
        assertEquals(IncidentStatus.OPEN, reopened.getStatus());
        assertTrue(correlator.advance(state, at(200).toEpochMilli(), topology).isEmpty(), "held open");
        assertEquals(Long.MAX_VALUE, correlator.nextDeadline(state));
        Incident resolved = single(correlator.onFeedback(state, update(opened.getId(), ItsmAction.RESOLVED, 201), topology));
        assertEquals(ResolutionSource.HUMAN, resolved.getResolvedBy());
    }

    @Test
    void unknownIncidentsAndActionsAreRejectedWithAReason() {
        open();
        Correlator.FeedbackOutcome unknown = correlator.onFeedback(state, update("inc-nope", ItsmAction.RESOLVED, 5),
                topology);
        assertEquals("UNKNOWN_INCIDENT", unknown.errorKind());
        assertTrue(unknown.reason().contains("inc-nope"));
        Correlator.FeedbackOutcome action = correlator.onFeedback(state,
                update(state.incidents.get(0).id, ItsmAction.UNKNOWN, 5), topology);
        assertEquals("UNKNOWN_ACTION", action.errorKind());
    }
}
