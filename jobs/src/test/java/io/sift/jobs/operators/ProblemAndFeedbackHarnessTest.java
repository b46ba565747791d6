package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.Correlator;
import io.sift.core.problem.ProblemConfig;
import io.sift.core.problem.ProblemDetector;
import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.Priority;
import io.sift.schema.Problem;
import io.sift.schema.ResolutionSource;
import io.sift.schema.Resource;
import io.sift.schema.RootCauseHint;
import io.sift.schema.SignalType;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** Problem detection and ITSM feedback under Flink's harnesses: output, dead letters, state dropping to zero. */
class ProblemAndFeedbackHarnessTest {

    private static final Instant T0 = FixedInstants.T0;
    private static final long HOUR = 3_600_000;

    private static Incident settled(String id, double hour) {
        Instant opened = T0.plusMillis((long) (hour * HOUR));
        return Incident.newBuilder().setId(id).setVersion(4).setStatus(IncidentStatus.RESOLVED)
                .setChange(IncidentChange.RESOLVED).setEnvironment("prod").setTitle("orders-db")
                .setPriority(Priority.P2).setPeakScore(90).setOpenedAt(opened).setUpdatedAt(opened.plusSeconds(900))
                .setLastSeen(opened.plusSeconds(300)).setResolvedAt(opened.plusSeconds(900))
                .setServices(List.of("orders", "orders-db")).setAnomalyCount(2).setAnomalyUpdates(8)
                .setAnomalies(List.of(AnomalyRef.newBuilder().setId(id + "-a").setService("orders-db")
                        .setMetric("db.client.operation.duration.p95").setOnset(opened).setScore(95)
                        .setDirection(Direction.UP).build()))
                .setRootCauses(List.of(RootCauseHint.newBuilder().setItem("orders-db").setRank(1).setScore(1)
                        .setReasons(List.of()).build()))
                .build();
    }

    @Test
    void threeRecurrencesMakeOneProblemAndTheStateDropsAWindowAfterTheLast() throws Exception {
        ProblemFunction function = new ProblemFunction(new ProblemDetector(new ProblemConfig(3, Duration.ofDays(1))));
        try (KeyedOneInputStreamOperatorTestHarness<String, Incident, Problem> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, ProblemFunction::key, Types.STRING)) {
            for (int k = 0; k < 3; k++) {
                Incident incident = settled("inc-" + k, 2.0 * k);
                assertTrue(ProblemFunction.counts(incident));
                harness.processElement(incident, incident.getUpdatedAt().toEpochMilli());
                harness.processWatermark(incident.getUpdatedAt().toEpochMilli());
            }
            // The same incident resolving again after a reopening is still one incident.
            Incident again = settled("inc-2", 4.0);
            harness.processElement(again, again.getUpdatedAt().toEpochMilli() + 60_000);
            List<Problem> out = harness.extractOutputValues();
            assertEquals(1, out.size(), () -> "one problem version: " + out);
            assertEquals(List.of("inc-0", "inc-1", "inc-2"), out.get(0).getIncidentIds());
            assertTrue(harness.numKeyedStateEntries() > 0);

            harness.processWatermark(T0.toEpochMilli() + 4 * HOUR + 24 * HOUR + HOUR);
            assertEquals(0, harness.numKeyedStateEntries(), "state dropped a window after the last incident");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }

    private static Anomaly anomaly(String item, long minute, Long endMinute, long version) {
        return Anomaly.newBuilder().setId("anom-" + item).setVersion(version).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey("latency|" + item).setMetric("latency")
                .setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build()).setLabels(Map.of())
                .setOnset(T0.plusSeconds(60 * minute))
                .setTime(T0.plusSeconds(60 * (endMinute == null ? minute : endMinute)))
                .setEnd(endMinute == null ? null : T0.plusSeconds(60 * endMinute)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(95)
                .setSamples(3).build();
    }

    private static ItsmUpdate feedback(String incidentId, ItsmAction action, long minute) {
        return ItsmUpdate.newBuilder().setIncidentId(incidentId).setEnvironment("prod").setAction(action)
                .setTime(T0.plusSeconds(60 * minute)).setTicket("INC0010001").setAssignee("dba-oncall")
                .setNote(null).setSource("servicenow").build();
    }

    private static void watermark(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness, long minute)
            throws Exception {
        harness.processWatermark(T0.toEpochMilli() + minute * 60_000);
        harness.processBroadcastWatermark(T0.toEpochMilli() + minute * 60_000);
    }

    @Test
    void feedbackIsAppliedInEventTimeOrderAndAnUnknownIncidentIsADeadLetter() throws Exception {
        CorrelateFunction function = new CorrelateFunction(new Correlator(CorrelationConfig.defaults()));
        try (KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>,
                TopologyUpdate, Incident> harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        function, e -> "prod", Types.STRING, CorrelateFunction.TOPOLOGY)) {
            Anomaly first = anomaly("orders-db", 1, null, 1);
            harness.processElement(CorrelateFunction.input(first), first.getTime().toEpochMilli());
            watermark(harness, 1);
            Incident opened = harness.extractOutputValues().get(0);
            assertEquals(T0.plusSeconds(60), opened.getDetectedAt());

            // Resolve arrives before acknowledge but happened after it: applied in event-time order.
            harness.processElement(CorrelateFunction.input(feedback(opened.getId(), ItsmAction.RESOLVED, 9)),
                    T0.toEpochMilli() + 9 * 60_000);
            harness.processElement(CorrelateFunction.input(feedback(opened.getId(), ItsmAction.ACKNOWLEDGED, 4)),
                    T0.toEpochMilli() + 4 * 60_000);
            harness.processElement(CorrelateFunction.input(feedback("inc-unknown", ItsmAction.ACKNOWLEDGED, 5)),
                    T0.toEpochMilli() + 5 * 60_000);
            watermark(harness, 10);
            List<Incident> out = harness.extractOutputValues();
            assertEquals(3, out.size(), () -> "opened, acknowledged, resolved: " + out);
            assertEquals(IncidentChange.ACKNOWLEDGED, out.get(1).getChange());
            assertEquals("dba-oncall", out.get(1).getAssignee());
            assertEquals(IncidentChange.RESOLVED, out.get(2).getChange());
            assertEquals(ResolutionSource.HUMAN, out.get(2).getResolvedBy());
            assertEquals(T0.plusSeconds(240), out.get(2).getAcknowledgedAt());

            var deadLetters = harness.getSideOutput(DeadLetterTag.DEAD_LETTERS);
            assertNotNull(deadLetters);
            assertEquals(1, deadLetters.size());
            DeadLetter dl = deadLetters.peek().getValue();
            assertEquals("UNKNOWN_INCIDENT", dl.getErrorKind());
            assertEquals("inc-unknown", dl.getRecordId());
            assertNotNull(dl.getPayload(), "the update itself is kept");

            watermark(harness, 24 * 60);
            assertEquals(1, harness.numEventTimeTimers(), "only the settled memory's expiry is left");
            watermark(harness, 15 * 24 * 60);
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
            assertEquals(0, keyedStateEntries(harness), "state dropped after the settled memory");
        }
    }

    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
        var backend = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator())
                .getKeyedStateBackend();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    private static List<DeadLetter> deadLetters(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
        var side = harness.getSideOutput(DeadLetterTag.DEAD_LETTERS);
        return side == null ? List.of() : side.stream().map(r -> r.getValue()).toList();
    }

    /** Feeds one update and lets event time pass it. */
    private static void feed(KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>,
            TopologyUpdate, Incident> harness, ItsmUpdate update) throws Exception {
        harness.processElement(CorrelateFunction.input(update), update.getTime().toEpochMilli());
        watermark(harness, Duration.between(T0, update.getTime()).toMinutes() + 1);
    }

    private static KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>, Either<Anomaly, Alert>>,
            TopologyUpdate, Incident> correlating(Duration settledMemory) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new CorrelateFunction(new Correlator(CorrelationConfig.defaults()), settledMemory), e -> "prod",
                Types.STRING, CorrelateFunction.TOPOLOGY);
    }

    /** An incident on orders-db from minute 1 to 5, then event time to 2 h: Sift resolved and forgot it. */
    private static Incident resolvedAndForgotten(KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent,
            ItsmUpdate>, Either<Anomaly, Alert>>, TopologyUpdate, Incident> harness) throws Exception {
        Anomaly onset = anomaly("orders-db", 1, null, 1);
        Anomaly end = anomaly("orders-db", 1, 5L, 2);
        harness.processElement(CorrelateFunction.input(onset), onset.getTime().toEpochMilli());
        harness.processElement(CorrelateFunction.input(end), end.getTime().toEpochMilli());
        watermark(harness, 2 * 60); // resolved after the quiet period, forgotten after the cool-down
        Incident resolved = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
        assertEquals(IncidentStatus.RESOLVED, resolved.getStatus());
        return resolved;
    }

    @Test
    void aTicketClosedDaysAfterSiftForgotTheIncidentClosesItsLastVersionUntilTheSettledMemoryEnds() throws Exception {
        try (var harness = correlating(Duration.ofDays(14))) {
            Incident resolved = resolvedAndForgotten(harness);
            assertEquals(ResolutionSource.SIFT, resolved.getResolvedBy());
            int before = harness.extractOutputValues().size();

            feed(harness, feedback(resolved.getId(), ItsmAction.ACKNOWLEDGED, 3 * 60));
            feed(harness, feedback(resolved.getId(), ItsmAction.CLOSED, 2 * 24 * 60));
            feed(harness, feedback(resolved.getId(), ItsmAction.CLOSED, 2 * 24 * 60 + 1)); // a repeat
            feed(harness, feedback(resolved.getId(), ItsmAction.REOPENED, 3 * 24 * 60));

            List<Incident> out = harness.extractOutputValues().subList(before, harness.extractOutputValues().size());
            assertEquals(2, out.size(), () -> "acknowledged and closed, the repeat changes nothing: " + out);
            Incident acknowledged = out.get(0);
            assertEquals(IncidentChange.ACKNOWLEDGED, acknowledged.getChange());
            assertEquals(resolved.getVersion() + 1, acknowledged.getVersion());
            assertEquals(IncidentStatus.RESOLVED, acknowledged.getStatus());
            assertEquals(T0.plusSeconds(3 * 3600), acknowledged.getAcknowledgedAt());
            assertEquals("dba-oncall", acknowledged.getAssignee());
            assertEquals(resolved.getResolvedAt(), acknowledged.getResolvedAt());
            Incident closed = out.get(1);
            assertEquals(IncidentChange.CLOSED, closed.getChange());
            assertEquals(IncidentStatus.CLOSED, closed.getStatus());
            assertEquals(resolved.getVersion() + 2, closed.getVersion());
            assertEquals(ResolutionSource.HUMAN, closed.getResolvedBy());
            assertEquals(T0.plusSeconds(2 * 24 * 3600), closed.getResolvedAt());
            assertEquals(acknowledged.getAcknowledgedAt(), closed.getAcknowledgedAt());
            assertEquals(resolved.getAnomalies(), closed.getAnomalies(), "the rest of the incident is its last version");
            assertEquals(resolved.getRootCauses(), closed.getRootCauses());

            List<DeadLetter> refused = deadLetters(harness);
            assertEquals(1, refused.size(), () -> "only the reopening is refused: " + refused);
            assertEquals("SETTLED_INCIDENT", refused.get(0).getErrorKind());
            assertTrue(refused.get(0).getMessage().contains("cannot be reopened"), refused.get(0).getMessage());

            // 14 days after the closure the incident is gone: feedback for it is a dead letter again.
            watermark(harness, 17 * 24 * 60);
            assertEquals(0, keyedStateEntries(harness), "state dropped after the settled memory");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
            feed(harness, feedback(resolved.getId(), ItsmAction.CLOSED, 17 * 24 * 60 + 1));
            assertEquals("UNKNOWN_INCIDENT", deadLetters(harness).get(1).getErrorKind());
            assertEquals(before + 2, harness.extractOutputValues().size());
        }
    }

    @Test
    void withoutASettledMemoryFeedbackAfterTheCoolDownIsADeadLetter() throws Exception {
        try (var harness = correlating(Duration.ZERO)) {
            String id = resolvedAndForgotten(harness).getId();
            assertEquals(0, keyedStateEntries(harness), "nothing kept after the cool-down");
            feed(harness, feedback(id, ItsmAction.CLOSED, 3 * 60));
            assertEquals("UNKNOWN_INCIDENT", deadLetters(harness).get(0).getErrorKind());
        }
    }
}
