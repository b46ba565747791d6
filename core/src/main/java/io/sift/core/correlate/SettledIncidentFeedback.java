package io.sift.core.correlate;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.ResolutionSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * ITSM feedback for a settled incident the correlator no longer holds: resolved and past its reopen cool-down, or
 * closed. Ticket tools close tickets days after the fault ended (ServiceNow auto-closes resolved incidents after a
 * week), long after Sift forgot the incident; such feedback is applied to the incident's last version rather than
 * dead-lettered. Same rules as {@link Correlator#onFeedback} for a resolved incident: acknowledging, assigning,
 * resolving by a person and closing give a new version (version + 1); repeats give none; reopening is refused, since
 * the incident's anomalies are no longer correlated (a recurrence opens a new incident).
 */
public final class SettledIncidentFeedback {

    private SettledIncidentFeedback() {
    }

    /** Whether an incident version is settled: resolved or closed, so it may outlive the correlator's memory of it. */
    public static boolean settled(Incident incident) {
        return incident.getStatus() == IncidentStatus.RESOLVED || incident.getStatus() == IncidentStatus.CLOSED;
    }

    /** Applies {@code update} to {@code last}, the incident's last version (settled); {@code last} is not changed. */
    public static Correlator.FeedbackOutcome apply(Incident last, ItsmUpdate update) {
        Instant time = update.getTime().isBefore(last.getOpenedAt()) ? last.getOpenedAt() : update.getTime();
        Incident.Builder next = Incident.newBuilder(last).setVersion(last.getVersion() + 1).setUpdatedAt(time);
        boolean details = false;
        if (update.getTicket() != null && !update.getTicket().equals(last.getTicket())) {
            next.setTicket(update.getTicket());
            details = true;
        }
        if (update.getAssignee() != null && !update.getAssignee().equals(last.getAssignee())) {
            next.setAssignee(update.getAssignee());
            details = true;
        }
        IncidentChange change = null;
        switch (update.getAction()) {
            case ACKNOWLEDGED -> {
                if (last.getAcknowledgedAt() == null) {
                    next.setAcknowledgedAt(time);
                    change = IncidentChange.ACKNOWLEDGED;
                } else if (details) {
                    change = IncidentChange.ASSIGNED;
                }
            }
            case ASSIGNED -> change = details ? IncidentChange.ASSIGNED : null;
            case RESOLVED -> {
                if (last.getStatus() == IncidentStatus.RESOLVED && last.getResolvedBy() != ResolutionSource.HUMAN) {
                    next.setResolvedAt(time).setResolvedBy(ResolutionSource.HUMAN);
                    change = IncidentChange.RESOLVED;
                }
            }
            case CLOSED -> {
                if (last.getStatus() != IncidentStatus.CLOSED) {
                    if (last.getResolvedBy() != ResolutionSource.HUMAN) {
                        next.setResolvedAt(time).setResolvedBy(ResolutionSource.HUMAN);
                    }
                    next.setStatus(IncidentStatus.CLOSED);
                    change = IncidentChange.CLOSED;
                }
            }
            case REOPENED -> {
                return Correlator.FeedbackOutcome.rejected(ErrorKinds.SETTLED_INCIDENT, "incident "
                        + last.getId() + " settled (" + last.getStatus() + " at " + last.getUpdatedAt() + ") and is no "
                        + "longer correlated, so it cannot be reopened; a recurrence opens a new incident");
            }
            default -> {
                return Correlator.FeedbackOutcome.rejected(ErrorKinds.UNKNOWN_ACTION, "ITSM action "
                        + update.getAction() + " for incident " + last.getId() + " is none of ACKNOWLEDGED, "
                        + "ASSIGNED, RESOLVED, CLOSED, REOPENED (written by a newer producer?)");
            }
        }
        return Correlator.FeedbackOutcome.applied(change == null ? List.of() : List.of(next.setChange(change).build()));
    }

    /**
     * When a settled version stops taking feedback: {@code memory} after it, rounded up to a whole hour, so that the
     * versions of many incidents expire together (each expiry sweeps them all).
     */
    public static long expiry(Incident settledVersion, Duration memory) {
        long end = settledVersion.getUpdatedAt().toEpochMilli() + memory.toMillis();
        return Math.floorDiv(end + HOUR - 1, HOUR) * HOUR;
    }

    /** Whether a settled version still takes feedback of this time. */
    public static boolean takesFeedback(Incident settledVersion, Duration memory, ItsmUpdate update) {
        return !memory.isZero() && update.getTime().toEpochMilli() < expiry(settledVersion, memory);
    }

    private static final long HOUR = 3_600_000L;
}
