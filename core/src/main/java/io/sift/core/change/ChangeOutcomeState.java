package io.sift.core.change;

import io.sift.schema.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/** What {@link ChangeOutcomes} keeps for one change: one environment and change id (a POJO for Flink state). */
public class ChangeOutcomeState {

    /** Means "no timer scheduled". */
    public static final long NO_TIMER = Long.MIN_VALUE;

    /** The change; null while only namings of it have arrived (they came the longer way, through correlation). */
    public ChangeEvent change;
    /** The incidents whose hints named it, in the order they first did. */
    public List<Naming> namings = new ArrayList<>();
    /** Incidents that named it, also beyond the namings kept. */
    public int incidentCount;
    /** Null until the change arrived. */
    public ChangeOutcome.Outcome outcome;
    public long version;
    /** Whether its look-back has passed: the outcome is final, the state waits out the grace. */
    public boolean decided;
    /** The event-time timer scheduled for this change, or {@link #NO_TIMER}. */
    public long timer = NO_TIMER;
    /** Without the change: event time at which namings of it are given up. */
    public long orphanUntil = NO_TIMER;

    public ChangeOutcomeState() {}

    /** One incident that named the change (a POJO for Flink state). */
    public static class Naming {
        public String incidentId;
        public long namedAt;
        public long impactAt;
        public int rank;

        public Naming() {}

        Naming(ChangeNaming naming) {
            this.incidentId = naming.incidentId;
            this.namedAt = naming.namedAt;
            this.impactAt = naming.impactAt;
            this.rank = naming.rank;
        }
    }
}
