package io.sift.core.change;

import io.sift.schema.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One version of a change's outcome: the change itself and whether an incident's root-cause hint named it within its
 * look-back. The latest version per change id is what the {@code sift-changes} index keeps (a POJO for Flink).
 *
 * <ul>
 *   <li>{@link Outcome#PENDING}: the change arrived; its look-back has not passed and no hint named it yet;
 *   <li>{@link Outcome#IMPLICATED}: a root-cause hint of at least one incident named it (a failed change, as DORA
 *       counts them: it led to degraded service). It stays implicated when a later version of that incident no longer
 *       names it: it was named, and the incident happened;
 *   <li>{@link Outcome#CLEAN}: its look-back (plus the correlator's gap) passed and no hint named it.
 * </ul>
 */
public class ChangeOutcome {

    /** What became of a change. */
    public enum Outcome {
        PENDING, IMPLICATED, CLEAN
    }

    /** The change, as it arrived. */
    public ChangeEvent change;
    public Outcome outcome;
    /** Rises by one with every version of the outcome of this change, from 1; Elasticsearch keeps the highest. */
    public long version;
    /** The team that owns the changed item: from the change's attributes, else the topology item's; null if neither says. */
    public String team;
    /** The incidents whose hints named it, in the order they first did (at most {@link ChangeOutcomes#MAX_INCIDENTS}). */
    public List<String> incidentIds = new ArrayList<>();
    /** How many incidents named it (exact, also beyond the ids kept). */
    public int incidentCount;
    /**
     * Minutes from the change to the earliest impact of an incident that names it (the onset of that incident's
     * anomalies on the changed item, else the incident's opening), 0 when the impact began before the change finished
     * taking effect; null unless implicated.
     */
    public Double minutesToIncident;
    /** Best (lowest) rank of a hint that named it; null unless implicated. */
    public Integer bestRank;
    /** Event time (ms) of this version: the change's time, the naming incident version's, or when it was found clean. */
    public long updatedAt;

    public ChangeOutcome() {}

    /** 1 for an implicated (failed) change, 0 for a clean one, null while pending: the mean over changes is the change failure rate. */
    public Integer failed() {
        return switch (outcome) {
            case IMPLICATED -> 1;
            case CLEAN -> 0;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "ChangeOutcome{" + (change == null ? null : change.getId()) + ' ' + outcome + " v" + version
                + ", team=" + team + ", incidents=" + incidentIds + ", minutesToIncident=" + minutesToIncident
                + ", bestRank=" + bestRank + ", updatedAt=" + updatedAt + '}';
    }
}
