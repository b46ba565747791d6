package io.sift.core.correlate;

import io.sift.schema.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/** The correlator's memory for one environment: live incidents and recent changes (a POJO for Flink state). */
public class CorrelationState {
    /** Open incidents and resolved ones still within their reopen cool-down. */
    public List<IncidentState> incidents = new ArrayList<>();
    /** Changes recent enough to be suspects, in arrival order. */
    public List<ChangeEvent> recentChanges = new ArrayList<>();
    /**
     * Planned windows of changes that have not ended yet, in arrival order (added after the first release: older
     * state restores it as null, read as empty).
     */
    public List<PlannedWindow> plannedWindows = new ArrayList<>();

    public CorrelationState() {}

    public boolean isEmpty() {
        return incidents.isEmpty() && recentChanges.isEmpty() && (plannedWindows == null || plannedWindows.isEmpty());
    }
}
