package io.sift.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ground truth of one injected fault.
 *
 * @param id             stable id, "fault-01", "fault-02", ... in start order
 * @param type           kind of fault
 * @param rootCauseItem  id of the item where the fault is (an estate item id)
 * @param start          first instant the root misbehaves
 * @param end            first instant the root is healthy again; propagated effects end up to
 *                       {@link #propagationLag()} later
 * @param affectedItems  items expected to show anomalies: the root and every item in {@code hops}, sorted
 * @param hops           item to propagation distance: 0 for the root, 1 for its direct callers / dependents / the
 *                       services on a root host (and, for a network partition, the unreachable dependency), ...
 * @param onsets         item to the instant its anomalies begin (root: start; each hop adds 1-2 sample intervals)
 * @param rootMetrics    metric names that deviate at the root, strongest first
 * @param changeId       for BAD_DEPLOY the id of the deploy {@link io.sift.schema.ChangeEvent} that caused it, else null
 * @param description    one line for a person, e.g. "orders-db unavailable: db latency x7.2, connections 98 %"
 */
public record InjectedFault(String id, FaultType type, String rootCauseItem, Instant start, Instant end,
                            Set<String> affectedItems, Map<String, Integer> hops, Map<String, Instant> onsets,
                            List<String> rootMetrics, String changeId, String description) {

    public InjectedFault {
        // sorted and unmodifiable, so that iteration order is stable across runs
        affectedItems = Collections.unmodifiableSortedSet(new TreeSet<>(affectedItems));
        hops = Collections.unmodifiableSortedMap(new TreeMap<>(hops));
        onsets = Collections.unmodifiableSortedMap(new TreeMap<>(onsets));
        rootMetrics = List.copyOf(rootMetrics);
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    /** How much later than {@link #end()} the last propagated effect ends. */
    public Duration propagationLag() {
        Instant last = start;
        for (Instant onset : onsets.values()) {
            if (onset.isAfter(last)) {
                last = onset;
            }
        }
        return Duration.between(start, last);
    }

    /** Whether any effect of this fault can be active at {@code t} (start to end plus propagation lag). */
    public boolean covers(Instant t) {
        return !t.isBefore(start) && t.isBefore(end.plus(propagationLag()));
    }

    /** Items at exactly this propagation distance, sorted. */
    public List<String> itemsAtHop(int hop) {
        return hops.entrySet().stream().filter(e -> e.getValue() == hop).map(Map.Entry::getKey).sorted().toList();
    }
}
