package io.sift.core.topology;

import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The configuration items and the dependencies between them, kept current from topology updates. An edge
 * {@code from -> to} means {@code from} calls, depends on or runs on {@code to}: faults travel from {@code to} to
 * {@code from}.
 *
 * <p>Hop-limited neighbourhoods ({@link #dependenciesWithin}, {@link #dependentsWithin}) are kept once searched, until
 * the next update: the correlator asks for the same items' neighbourhoods for every anomaly and every ranking, while
 * the topology changes rarely. Not thread-safe (one instance per operator instance, as the state it mirrors).
 */
public final class Topology {

    /** Neighbourhoods kept at most; beyond it the cache starts afresh (it only saves searches). */
    private static final int REACH_CACHE_LIMIT = 50_000;
    /** Hop limits up to this are cached (the correlator's are single digits). */
    private static final int MAX_CACHED_HOPS = 32;

    private final Map<String, ConfigurationItem> items = new HashMap<>();
    /** item → the items it depends on. */
    private final Map<String, Set<String>> dependencies = new HashMap<>();
    /** item → the items that depend on it. */
    private final Map<String, Set<String>> dependents = new HashMap<>();
    /** (hops, direction) → item → its neighbourhood, as searched since the last update; see {@link #reachKey}. */
    private final Map<Integer, Map<String, Set<String>>> reachCache = new HashMap<>();
    private int reachCached;
    /** Counts the updates applied, so that whoever derives something from the topology can tell it changed. */
    private long version;

    public void apply(TopologyUpdate update) {
        version++;
        if (reachCached > 0) {
            reachCache.clear();
            reachCached = 0;
        }
        if (update.getItem() != null) {
            ConfigurationItem item = update.getItem();
            if (update.getOperation() == TopologyOperation.DELETE) {
                removeItem(item.getId());
            } else {
                items.put(item.getId(), item);
            }
        }
        if (update.getEdge() != null) {
            TopologyEdge edge = update.getEdge();
            if (update.getOperation() == TopologyOperation.DELETE) {
                remove(dependencies, edge.getFrom(), edge.getTo());
                remove(dependents, edge.getTo(), edge.getFrom());
            } else {
                dependencies.computeIfAbsent(edge.getFrom(), k -> new HashSet<>()).add(edge.getTo());
                dependents.computeIfAbsent(edge.getTo(), k -> new HashSet<>()).add(edge.getFrom());
            }
        }
    }

    /**
     * Why the update cannot take effect: a delete of an item or an edge this topology does not hold (a reference to
     * something unknown); null when it can. Upserts always can: an edge may name items declared later (the topic's
     * partitions are not ordered with each other) or never (signals name items by Resource.service).
     */
    public String unknownReference(TopologyUpdate update) {
        if (update.getOperation() != TopologyOperation.DELETE) {
            return null;
        }
        if (update.getItem() != null) {
            String id = update.getItem().getId();
            if (!items.containsKey(id) && !dependencies.containsKey(id) && !dependents.containsKey(id)) {
                return "delete of item " + id + ", which the topology does not hold";
            }
        }
        if (update.getEdge() != null) {
            TopologyEdge edge = update.getEdge();
            if (!dependenciesOf(edge.getFrom()).contains(edge.getTo())) {
                return "delete of edge " + edge.getFrom() + " -> " + edge.getTo() + ", which the topology does not hold";
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return items.isEmpty() && dependencies.isEmpty();
    }

    public Set<String> dependenciesOf(String item) {
        return dependencies.getOrDefault(item, Collections.emptySet());
    }

    public Set<String> dependentsOf(String item) {
        return dependents.getOrDefault(item, Collections.emptySet());
    }

    public Criticality criticalityOf(String item) {
        ConfigurationItem ci = items.get(item);
        return ci == null ? Criticality.MEDIUM : ci.getCriticality();
    }

    /**
     * Whether {@code a} and one of {@code targets} are within {@code maxHops} edges of each other, in either
     * direction (a breadth-first search bounded by the hop count).
     */
    public boolean withinHops(String a, Collection<String> targets, int maxHops) {
        if (targets.contains(a)) {
            return true;
        }
        Set<String> seen = new HashSet<>();
        seen.add(a);
        ArrayDeque<String> frontier = new ArrayDeque<>();
        frontier.add(a);
        for (int hop = 0; hop < maxHops && !frontier.isEmpty(); hop++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String node : frontier) {
                for (String neighbour : neighbours(node)) {
                    if (seen.add(neighbour)) {
                        if (targets.contains(neighbour)) {
                            return true;
                        }
                        next.add(neighbour);
                    }
                }
            }
            frontier = next;
        }
        return false;
    }

    /** Whether {@code from} depends on {@code to}, directly or transitively. */
    public boolean dependsOn(String from, String to, int maxHops) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> frontier = new ArrayDeque<>(dependenciesOf(from));
        for (int hop = 0; hop < maxHops && !frontier.isEmpty(); hop++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String node : frontier) {
                if (node.equals(to)) {
                    return true;
                }
                if (seen.add(node)) {
                    next.addAll(dependenciesOf(node));
                }
            }
            frontier = next;
        }
        return false;
    }

    /** How many updates were applied: changes whenever the topology may have. */
    public long version() {
        return version;
    }

    /**
     * The items {@code item} depends on, directly or through up to {@code maxHops} edges (itself excluded);
     * unmodifiable.
     */
    public Set<String> dependenciesWithin(String item, int maxHops) {
        return cachedReach(item, maxHops, false);
    }

    /**
     * The items that depend on {@code item}, directly or through up to {@code maxHops} edges (itself excluded);
     * unmodifiable.
     */
    public Set<String> dependentsWithin(String item, int maxHops) {
        return cachedReach(item, maxHops, true);
    }

    private Set<String> cachedReach(String item, int maxHops, boolean towardsDependents) {
        if (maxHops < 0 || maxHops > MAX_CACHED_HOPS) {
            return Collections.unmodifiableSet(reach(item, maxHops, towardsDependents ? dependents : dependencies));
        }
        Map<String, Set<String>> byItem = reachCache.computeIfAbsent(reachKey(maxHops, towardsDependents),
                k -> new HashMap<>());
        Set<String> known = byItem.get(item);
        if (known != null) {
            return known;
        }
        Set<String> found = Collections.unmodifiableSet(reach(item, maxHops, towardsDependents ? dependents : dependencies));
        if (reachCached >= REACH_CACHE_LIMIT) {
            for (Map<String, Set<String>> cached : reachCache.values()) {
                cached.clear();
            }
            reachCached = 0;
        }
        byItem.put(item, found);
        reachCached++;
        return found;
    }

    /** Small non-negative keys, so that boxing them allocates nothing (Integer's cache). */
    private static Integer reachKey(int maxHops, boolean towardsDependents) {
        return maxHops * 2 + (towardsDependents ? 1 : 0);
    }

    private static Set<String> reach(String item, int maxHops, Map<String, Set<String>> edges) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> frontier = new ArrayDeque<>();
        frontier.add(item);
        for (int hop = 0; hop < maxHops && !frontier.isEmpty(); hop++) {
            ArrayDeque<String> next = new ArrayDeque<>();
            for (String node : frontier) {
                for (String neighbour : edges.getOrDefault(node, Collections.emptySet())) {
                    if (!neighbour.equals(item) && seen.add(neighbour)) {
                        next.add(neighbour);
                    }
                }
            }
            frontier = next;
        }
        return seen;
    }

    private Set<String> neighbours(String node) {
        Set<String> down = dependenciesOf(node);
        Set<String> up = dependentsOf(node);
        if (up.isEmpty()) {
            return down;
        }
        if (down.isEmpty()) {
            return up;
        }
        Set<String> both = new HashSet<>(down);
        both.addAll(up);
        return both;
    }

    private void removeItem(String id) {
        items.remove(id);
        for (String to : dependencies.getOrDefault(id, Set.of())) {
            remove(dependents, to, id);
        }
        for (String from : dependents.getOrDefault(id, Set.of())) {
            remove(dependencies, from, id);
        }
        dependencies.remove(id);
        dependents.remove(id);
    }

    private static void remove(Map<String, Set<String>> map, String key, String value) {
        Set<String> set = map.get(key);
        if (set != null) {
            set.remove(value);
            if (set.isEmpty()) {
                map.remove(key);
            }
        }
    }
}
