package io.sift.core.correlate;

import io.sift.schema.ChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The planned window of a change (a change request's [plannedStart, plannedEnd)), kept until it ends: incidents on
 * its items are suppressed while it is active. A POJO for Flink state; its id is the change's id.
 */
public class PlannedWindow {
    public String id;
    /** The change's configuration item and its affected items, sorted. */
    public List<String> items = new ArrayList<>();
    public long start;
    public long end;

    public PlannedWindow() {}

    /** The change's planned window, or null when it has none (or an empty one). */
    public static PlannedWindow of(ChangeEvent change) {
        if (change.getPlannedStart() == null || change.getPlannedEnd() == null
                || !change.getPlannedEnd().isAfter(change.getPlannedStart())) {
            return null;
        }
        PlannedWindow window = new PlannedWindow();
        window.id = change.getId();
        TreeSet<String> items = new TreeSet<>();
        items.add(change.getConfigurationItem());
        if (change.getAffectedItems() != null) {
            for (CharSequence item : change.getAffectedItems()) {
                items.add(item.toString());
            }
        }
        window.items = new ArrayList<>(items);
        window.start = change.getPlannedStart().toEpochMilli();
        window.end = change.getPlannedEnd().toEpochMilli();
        return window;
    }

    boolean activeAt(long time) {
        return time >= start && time < end;
    }

    long nextBoundaryAfter(long time) {
        return time < start ? start : time < end ? end : Long.MAX_VALUE;
    }
}
