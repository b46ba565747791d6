package io.sift.core.change;

import io.sift.schema.ChangeEvent;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of each change for change management analytics (change failure rate per service and team, incidents
 * per change, time from change to incident): keyed by environment and change id ({@link #keyOf}), it holds the change and the incidents whose
 * root-cause hints named it, and emits a new {@link ChangeOutcome} version whenever the outcome changes:
 *
 * <ol>
 *   <li>{@code PENDING} when the change arrives;
 *   <li>{@code IMPLICATED} as soon as a hint names it (the ranker names only changes on the hinted item within the
 *       look-back before its onset), and again when another incident names it or a hint ranks it higher;
 *   <li>{@code CLEAN} when event time passes the change's time plus the look-back plus the settle time (the
 *       correlator's gap, after which the correlator itself forgets the change for new anomalies) with no naming.
 * </ol>
 *
 * <p>A naming that comes after the change was found clean but within the grace (a late incident version) still turns
 * it implicated. Implicated is final: a later version of the incident whose hints no longer name the change does not
 * undo it (the change was named while the incident ran; the index keeps which incidents). The state is dropped the
 * grace after the decision; a naming of a change this stage never saw (it came before an upgrade added the stage, or
 * after its state was dropped) is kept for the grace in case the change comes, then given up (counted by the caller).
 *
 * <p>Callers keep one {@link ChangeOutcomeState} per {@link #keyOf key} (environment and change id: two environments
 * may use the same change id, and each change has its own outcome), feed changes, namings and timers, and drop the state
 * when {@link #finished} says so. One event-time timer at a time, through {@link Timers}.
 */
public final class ChangeOutcomes implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Incident ids kept per change; the count stays exact beyond them. */
    public static final int MAX_INCIDENTS = 100;

    /** Attribute keys, in order, that name the team owning an item, on the change and on its topology item. */
    public static final List<String> TEAM_ATTRIBUTES = List.of("team", "owner_team", "owner", "assignment_group",
            "support_group");

    /** The event-time timers of the caller (one per key is enough). */
    public interface Timers {
        void schedule(long time);

        void cancel(long time);
    }

    /** The CMDB attributes of a topology item by id; an empty map when it is unknown. */
    @FunctionalInterface
    public interface ItemAttributes {
        Map<String, String> of(String item);
    }

    private final ChangeOutcomeConfig config;

    public ChangeOutcomes(ChangeOutcomeConfig config) {
        this.config = config;
    }

    public ChangeOutcomeConfig config() {
        return config;
    }

    /**
     * The key of a change: its environment (the default one if it names none, as the correlator takes it) and id,
     * as {@link ChangeOutcome#documentId(String, String)}.
     */
    public String keyOf(ChangeEvent change) {
        return ChangeOutcome.documentId(config.environmentOf(change.getEnvironment()), change.getId());
    }

    /** The key of the change a naming names: the naming incident's environment and the change id. */
    public String keyOf(ChangeNaming naming) {
        return ChangeOutcome.documentId(config.environmentOf(naming.environment), naming.changeId);
    }

    /** A change arrives: its first outcome version (implicated at once if namings came first), or null for a repeat. */
    public ChangeOutcome onChange(ChangeOutcomeState state, ChangeEvent change, ItemAttributes items, Timers timers) {
        if (state.change != null) {
            return null; // a repeat delivery of the same change
        }
        state.change = change;
        state.orphanUntil = ChangeOutcomeState.NO_TIMER;
        state.outcome = state.namings.isEmpty() ? ChangeOutcome.Outcome.PENDING : ChangeOutcome.Outcome.IMPLICATED;
        state.version++;
        schedule(state, timers, config.decideAt(change.getTime().toEpochMilli()));
        return build(state, items, change.getTime().toEpochMilli());
    }

    /** An incident version's hint names the change: a new version when it is news (a new incident, a better rank). */
    public ChangeOutcome onNaming(ChangeOutcomeState state, ChangeNaming naming, ItemAttributes items, Timers timers) {
        if (!record(state, naming)) {
            return null;
        }
        if (state.change == null) {
            if (state.orphanUntil == ChangeOutcomeState.NO_TIMER) {
                state.orphanUntil = naming.namedAt + config.graceMillis;
                schedule(state, timers, state.orphanUntil);
            }
            return null;
        }
        state.outcome = ChangeOutcome.Outcome.IMPLICATED;
        state.version++;
        return build(state, items, naming.namedAt);
    }

    /** Event time reached a timer: the decision (clean unless named), or the end of the grace. */
    public ChangeOutcome onTimer(ChangeOutcomeState state, long time, ItemAttributes items, Timers timers) {
        if (state.timer == time) {
            state.timer = ChangeOutcomeState.NO_TIMER;
        }
        if (state.change == null || state.decided) {
            return null; // finished (orphans given up, or the grace passed): the caller drops the state
        }
        long decideAt = config.decideAt(state.change.getTime().toEpochMilli());
        if (time < decideAt) {
            schedule(state, timers, decideAt);
            return null;
        }
        state.decided = true;
        schedule(state, timers, decideAt + config.graceMillis);
        if (state.outcome != ChangeOutcome.Outcome.PENDING) {
            return null;
        }
        state.outcome = ChangeOutcome.Outcome.CLEAN;
        state.version++;
        return build(state, items, decideAt);
    }

    /** Whether the state can be dropped at this event time (its timer has fired for the last time). */
    public boolean finished(ChangeOutcomeState state, long time) {
        if (state.change == null) {
            return state.orphanUntil == ChangeOutcomeState.NO_TIMER || time >= state.orphanUntil;
        }
        return state.decided && time >= config.decideAt(state.change.getTime().toEpochMilli()) + config.graceMillis;
    }

    /** The team owning the changed item: the change's own attributes first, then its topology item's; null if neither. */
    public static String teamOf(ChangeEvent change, ItemAttributes items) {
        String team = firstTeam(change.getAttributes());
        return team != null ? team : firstTeam(items.of(change.getConfigurationItem()));
    }

    private static String firstTeam(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return null;
        }
        for (String key : TEAM_ATTRIBUTES) {
            String value = attributes.get(key);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    /** Records the naming; true when it is news (an incident not seen yet, or a better rank of one seen). */
    private static boolean record(ChangeOutcomeState state, ChangeNaming naming) {
        for (ChangeOutcomeState.Naming known : state.namings) {
            if (known.incidentId.equals(naming.incidentId)) {
                boolean better = naming.rank < known.rank || naming.impactAt < known.impactAt;
                known.rank = Math.min(known.rank, naming.rank);
                known.impactAt = Math.min(known.impactAt, naming.impactAt);
                known.namedAt = Math.min(known.namedAt, naming.namedAt);
                return better;
            }
        }
        state.incidentCount++;
        if (state.namings.size() < MAX_INCIDENTS) {
            state.namings.add(new ChangeOutcomeState.Naming(naming));
        }
        return true;
    }

    private static void schedule(ChangeOutcomeState state, Timers timers, long time) {
        if (state.timer == time) {
            return;
        }
        if (state.timer != ChangeOutcomeState.NO_TIMER) {
            timers.cancel(state.timer);
        }
        timers.schedule(time);
        state.timer = time;
    }

    private ChangeOutcome build(ChangeOutcomeState state, ItemAttributes items, long updatedAt) {
        ChangeOutcome out = new ChangeOutcome();
        out.change = state.change;
        out.environment = config.environmentOf(state.change.getEnvironment());
        out.outcome = state.outcome;
        out.version = state.version;
        out.team = teamOf(state.change, items);
        out.updatedAt = Math.max(updatedAt, state.change.getTime().toEpochMilli());
        if (state.outcome == ChangeOutcome.Outcome.IMPLICATED) {
            List<ChangeOutcomeState.Naming> byFirst = new ArrayList<>(state.namings);
            byFirst.sort(java.util.Comparator.comparingLong((ChangeOutcomeState.Naming n) -> n.namedAt)
                    .thenComparing(n -> n.incidentId));
            long change = state.change.getTime().toEpochMilli();
            long earliestImpact = Long.MAX_VALUE;
            int bestRank = Integer.MAX_VALUE;
            for (ChangeOutcomeState.Naming naming : byFirst) {
                out.incidentIds.add(naming.incidentId);
                earliestImpact = Math.min(earliestImpact, naming.impactAt);
                bestRank = Math.min(bestRank, naming.rank);
            }
            out.incidentCount = state.incidentCount;
            // Tenths of a minute; an impact that began while the change was still rolling out counts as 0.
            out.minutesToIncident = Math.round(Math.max(0, earliestImpact - change) / 6_000.0) / 10.0;
            out.bestRank = bestRank;
        }
        return out;
    }
}
