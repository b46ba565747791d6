package io.sift.core.problem;

import io.sift.core.util.StableIds;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Problem;
import io.sift.schema.ProblemStatus;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds problem candidates: incidents of one root-cause fingerprint ({@link RootCauseFingerprint}) that recur at least
 * {@code minIncidents} times within the window. An incident counts once (not once per version), with its root cause
 * as it stood when it first settled (resolved or closed), because the ranking of an open incident still moves.
 * Once formed, a problem keeps its id and links every further recurrence that comes within a window of the previous
 * activity; after a quiet window the state is forgotten (the problem stays in Elasticsearch and on its topic).
 *
 * <p>Callers keep one {@link ProblemState} per fingerprint key and feed incident versions in event-time order.
 */
public final class ProblemDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ProblemConfig config;

    public ProblemDetector(ProblemConfig config) {
        this.config = config;
    }

    public ProblemConfig config() {
        return config;
    }

    /** Whether this incident version is one the detector counts: its first settled (resolved or closed) version. */
    public static boolean settles(Incident incident) {
        return incident.getStatus() == IncidentStatus.RESOLVED || incident.getStatus() == IncidentStatus.CLOSED;
    }

    /**
     * Folds a settled incident version of this fingerprint in; returns the problem version it produced, or null.
     * Versions of other statuses and repeats of an incident already counted change nothing.
     */
    public Problem onIncident(ProblemState state, Incident incident, RootCauseFingerprint fingerprint) {
        if (!settles(incident)) {
            return null;
        }
        long time = incident.getUpdatedAt().toEpochMilli();
        for (ProblemState.Occurrence known : state.occurrences) {
            if (known.incidentId.equals(incident.getId())) {
                return null; // resolved again after a reopening: still one incident
            }
        }
        long openedAt = incident.getOpenedAt().toEpochMilli();
        long newest = Long.MIN_VALUE;
        for (ProblemState.Occurrence known : state.occurrences) {
            newest = Math.max(newest, known.openedAt);
        }
        if (newest != Long.MIN_VALUE && openedAt < newest - config.windowMillis) {
            // A late version of an incident older than the window (its ticket closed days later): it may have
            // slid out of the count already and must not come back as a new occurrence.
            return null;
        }
        if (state.problemId == null) {
            // Before a problem forms the count slides: only incidents within one window of this one count.
            state.occurrences.removeIf(o -> o.openedAt < openedAt - config.windowMillis);
        }
        state.occurrences.add(new ProblemState.Occurrence(incident.getId(), openedAt));
        state.occurrences.sort(Comparator.comparingLong((ProblemState.Occurrence o) -> o.openedAt)
                .thenComparing(o -> o.incidentId));
        state.lastActivity = Math.max(state.lastActivity, time);
        if (state.occurrences.size() < config.minIncidents) {
            return null;
        }
        if (state.problemId == null) {
            state.problemId = StableIds.of("prb", fingerprint.key(), state.occurrences.get(0).incidentId);
        }
        state.version++;
        return build(state, fingerprint, time);
    }

    /** The event time at which the state can be forgotten: a window after the last activity. */
    public long expiry(ProblemState state) {
        return state.lastActivity == Long.MIN_VALUE ? Long.MAX_VALUE : state.lastActivity + config.windowMillis;
    }

    /** Moves event time on; returns true when the state expired and should be dropped. */
    public boolean expired(ProblemState state, long watermark) {
        return watermark >= expiry(state);
    }

    private Problem build(ProblemState state, RootCauseFingerprint fingerprint, long time) {
        List<String> ids = new ArrayList<>();
        for (ProblemState.Occurrence o : state.occurrences) {
            ids.add(o.incidentId);
        }
        long first = state.occurrences.get(0).openedAt;
        long last = state.occurrences.get(state.occurrences.size() - 1).openedAt;
        String title = String.format(Locale.ROOT, "%s: %s, %d incidents in %s", fingerprint.item(),
                fingerprint.signature(), ids.size(), human(Duration.ofMillis(last - first)));
        return Problem.newBuilder()
                .setId(state.problemId)
                .setVersion(state.version)
                .setStatus(ProblemStatus.CANDIDATE)
                .setFingerprint(fingerprint.key())
                .setEnvironment(fingerprint.environment())
                .setRootCauseItem(fingerprint.item())
                .setSignature(fingerprint.signature())
                .setTitle(title)
                .setIncidentIds(ids)
                .setOccurrences(ids.size())
                .setFirstSeen(Instant.ofEpochMilli(first))
                .setLastSeen(Instant.ofEpochMilli(last))
                .setUpdatedAt(Instant.ofEpochMilli(Math.max(time, last)))
                .setKnownError(null)
                .setWorkaround(null)
                .build();
    }

    private static String human(Duration d) {
        if (d.toDays() >= 2) {
            return d.toDays() + " days";
        }
        if (d.toHours() >= 2) {
            return d.toHours() + " h";
        }
        return Math.max(1, d.toMinutes()) + " min";
    }
}
