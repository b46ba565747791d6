package io.sift.scenario;

import io.sift.schema.ItemType;

import java.util.EnumSet;
import java.util.Set;

/** The kinds of fault the generator can inject, with the item types each may be rooted on. */
public enum FaultType {
    /**
     * A database's connection pool (root DATABASE: connection usage to 92-100 %, operation latency x3-6) or a host's
     * memory (root HOST: memory to 93-99 %, cpu up) is saturated; latency rises on the root and its dependents.
     */
    RESOURCE_SATURATION(EnumSet.of(ItemType.DATABASE, ItemType.HOST)),
    /** A deploy on the root service 1-3 minutes before the start; then errors (5-40 %) and latency (x3-8) on it. */
    BAD_DEPLOY(EnumSet.of(ItemType.SERVICE)),
    /**
     * A database, cache or queue becomes slow or unavailable: database latency x5-10 and connections near 100 %,
     * cache hit ratio to 0-30 %, or queue depth growing x10-40; its callers see errors and latency.
     */
    DEPENDENCY_OUTAGE(EnumSet.of(ItemType.DATABASE, ItemType.CACHE, ItemType.QUEUE)),
    /**
     * The root service's calls to one downstream service fail (connect timeouts): errors and latency on the root,
     * and the downstream service's request rate drops by the root's share of its traffic.
     */
    NETWORK_PARTITION(EnumSet.of(ItemType.SERVICE)),
    /** Host cpu saturated (90-99 %) by something outside the estate, slowing every service instance on the host. */
    NOISY_NEIGHBOUR(EnumSet.of(ItemType.HOST));

    private final Set<ItemType> rootTypes;

    FaultType(Set<ItemType> rootTypes) {
        this.rootTypes = rootTypes;
    }

    /** Item types this fault may be rooted on. */
    public Set<ItemType> rootTypes() {
        return EnumSet.copyOf(rootTypes);
    }

    boolean allowsRoot(ItemType type) {
        return rootTypes.contains(type);
    }
}
