package io.sift.core.change;

import io.sift.core.util.StableIds;
import io.sift.schema.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One version of a change's outcome: the change itself and whether an incident's root-cause hint named it within its
 * look-back. The latest version per environment and change id is what the {@code sift-changes} index keeps (a POJO for
 * Flink): two environments (or tenants) may use the same change id, e.g. a CHG number of separate ITSM instances, or
 * a commit deployed to staging and to production, and each has its own outcome.
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
    /** The environment the change belongs to: its own, else the default environment (never blank). */
    public String environment;
    public Outcome outcome;
    /**
     * Rises by one with every version of the outcome of this change in its environment, from 1; Elasticsearch keeps
     * the highest per {@link #documentId()}.
     */
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

    /** The id of the change's outcome in its environment: the key of its state and its Elasticsearch {@code _id}. */
    public String documentId() {
        return documentId(environment, change.getId());
    }

    /**
     * A deterministic id for a change id in an environment (a digest of both, so that no environment or change id,
     * whatever its characters or length, can collide with another pair or exceed Elasticsearch's 512-byte {@code _id}).
     */
    public static String documentId(String environment, String changeId) {
        return StableIds.of("chg", environment, changeId);
    }

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
        return "ChangeOutcome{" + (change == null ? null : change.getId()) + " in " + environment + ' ' + outcome + " v" + version
                + ", team=" + team + ", incidents=" + incidentIds + ", minutesToIncident=" + minutesToIncident
                + ", bestRank=" + bestRank + ", updatedAt=" + updatedAt + '}';
    }
}
