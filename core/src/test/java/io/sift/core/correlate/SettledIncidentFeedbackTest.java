package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.Priority;
import io.sift.schema.ResolutionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettledIncidentFeedbackTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    /** An incident Sift resolved after its quiet period, never acknowledged. */
    private static Incident.Builder resolvedBySift() {
        return Incident.newBuilder().setId("inc-1").setVersion(7).setStatus(IncidentStatus.RESOLVED)
                .setChange(IncidentChange.RESOLVED).setEnvironment("prod").setTitle("orders-db: latency up")
                .setPriority(Priority.P2).setPeakScore(90).setOpenedAt(T0).setUpdatedAt(T0.plusSeconds(1800))
                .setLastSeen(T0.plusSeconds(600)).setResolvedAt(T0.plusSeconds(1800)).setServices(List.of("orders-db"))
                .setAnomalyCount(1).setAnomalies(List.of()).setRootCauses(List.of()).setSuspectChanges(List.of())
                .setResolvedBy(ResolutionSource.SIFT);
    }

    private static ItsmUpdate update(ItsmAction action, Instant time, String assignee) {
        return ItsmUpdate.newBuilder().setIncidentId("inc-1").setEnvironment("prod").setAction(action).setTime(time)
                .setTicket("INC0010001").setAssignee(assignee).setNote(null).setSource("servicenow").build();
    }

    private static Incident only(Correlator.FeedbackOutcome outcome) {
        assertFalse(outcome.isRejected(), outcome::reason);
        assertEquals(1, outcome.incidents().size(), () -> outcome.incidents().toString());
        return outcome.incidents().get(0);
    }

    @Test
    void acknowledgingThenReassigningGiveOneVersionEachAndARepeatNone() {
        Instant day = T0.plus(Duration.ofDays(1));
        Incident acknowledged = only(SettledIncidentFeedback.apply(resolvedBySift().build(),
                update(ItsmAction.ACKNOWLEDGED, day, "dba-oncall")));
        assertEquals(IncidentChange.ACKNOWLEDGED, acknowledged.getChange());
        assertEquals(8, acknowledged.getVersion());
        assertEquals(day, acknowledged.getAcknowledgedAt());
        assertEquals(day, acknowledged.getUpdatedAt());
        assertEquals(IncidentStatus.RESOLVED, acknowledged.getStatus());
        assertEquals(ResolutionSource.SIFT, acknowledged.getResolvedBy(), "acknowledging does not resolve");

        assertTrue(SettledIncidentFeedback.apply(acknowledged, update(ItsmAction.ACKNOWLEDGED, day.plusSeconds(60),
                "dba-oncall")).incidents().isEmpty(), "the same acknowledgement again changes nothing");
        Incident reassigned = only(SettledIncidentFeedback.apply(acknowledged, update(ItsmAction.ASSIGNED,
                day.plusSeconds(120), "network-oncall")));
        assertEquals(IncidentChange.ASSIGNED, reassigned.getChange());
        assertEquals("network-oncall", reassigned.getAssignee());
        assertEquals(day, reassigned.getAcknowledgedAt(), "first acknowledgement kept");
    }

    @Test
    void aPersonsResolutionReplacesSiftsAndAClosureIsFinal() {
        Instant later = T0.plus(Duration.ofHours(5));
        Incident resolved = only(SettledIncidentFeedback.apply(resolvedBySift().build(),
                update(ItsmAction.RESOLVED, later, null)));
        assertEquals(ResolutionSource.HUMAN, resolved.getResolvedBy());
        assertEquals(later, resolved.getResolvedAt());
        assertTrue(SettledIncidentFeedback.apply(resolved, update(ItsmAction.RESOLVED, later.plusSeconds(9), null))
                .incidents().isEmpty(), "resolved by a person already");

        Incident closed = only(SettledIncidentFeedback.apply(resolved, update(ItsmAction.CLOSED,
                later.plus(Duration.ofDays(7)), null)));
        assertEquals(IncidentStatus.CLOSED, closed.getStatus());
        assertEquals(later, closed.getResolvedAt(), "the person's resolution stays the resolution time");
        for (ItsmAction action : List.of(ItsmAction.CLOSED, ItsmAction.RESOLVED)) {
            assertTrue(SettledIncidentFeedback.apply(closed, update(action, later.plus(Duration.ofDays(8)), null))
                    .incidents().isEmpty(), action + " after closure");
        }
    }

    @Test
    void closingWhatSiftResolvedMakesItAPersonsResolutionAtTheClosure() {
        Instant week = T0.plus(Duration.ofDays(7));
        Incident closed = only(SettledIncidentFeedback.apply(resolvedBySift().build(),
                update(ItsmAction.CLOSED, week, null)));
        assertEquals(IncidentChange.CLOSED, closed.getChange());
        assertEquals(ResolutionSource.HUMAN, closed.getResolvedBy());
        assertEquals(week, closed.getResolvedAt());
        assertEquals(week.toEpochMilli() + Duration.ofDays(14).toMillis(),
                SettledIncidentFeedback.expiry(closed, Duration.ofDays(14)), "remembered from its last version");
    }

    @Test
    void feedbackIsTakenUntilTheMemoryAfterTheLastVersionRoundedUpToTheHour() {
        Incident last = resolvedBySift().setUpdatedAt(T0.plusSeconds(1800 + 61)).build(); // 09:31:01
        Duration memory = Duration.ofDays(14);
        Instant expiry = T0.plus(memory).plusSeconds(3600); // 10:00 fourteen days later
        assertEquals(expiry.toEpochMilli(), SettledIncidentFeedback.expiry(last, memory));
        assertTrue(SettledIncidentFeedback.takesFeedback(last, memory,
                update(ItsmAction.CLOSED, expiry.minusMillis(1), null)));
        assertFalse(SettledIncidentFeedback.takesFeedback(last, memory, update(ItsmAction.CLOSED, expiry, null)),
                "not at the expiry, even before the sweep has dropped it");
        assertFalse(SettledIncidentFeedback.takesFeedback(last, Duration.ZERO,
                update(ItsmAction.CLOSED, T0.plusSeconds(1900), null)), "a memory of zero keeps nothing");
    }

    @Test
    void reopeningIsRefusedAndAnUpdateStampedBeforeTheOnsetTakesTheOnset() {
        Correlator.FeedbackOutcome reopened = SettledIncidentFeedback.apply(resolvedBySift().build(),
                update(ItsmAction.REOPENED, T0.plus(Duration.ofDays(2)), null));
        assertTrue(reopened.isRejected());
        assertEquals("SETTLED_INCIDENT", reopened.errorKind());

        Incident early = only(SettledIncidentFeedback.apply(resolvedBySift().build(),
                update(ItsmAction.ACKNOWLEDGED, T0.minusSeconds(3600), "dba-oncall")));
        assertEquals(T0, early.getAcknowledgedAt(), "a clock behind Sift's does not put acknowledgement before onset");
    }
}
