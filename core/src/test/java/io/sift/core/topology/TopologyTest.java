package io.sift.core.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hop-limited neighbourhoods are kept between look-ups, and every update must be seen by the next look-up. */
class TopologyTest {

    private final Topology topology = new Topology();

    private void edge(TopologyOperation operation, String from, String to) {
        topology.apply(new TopologyUpdate(Instant.EPOCH, operation, null, new TopologyEdge(from, to, EdgeType.CALLS)));
    }

    @Test
    void neighbourhoodsFollowEdgesAddedAndDeletedAfterTheyWereAskedFor() {
        edge(TopologyOperation.UPSERT, "web", "api");
        edge(TopologyOperation.UPSERT, "api", "db");
        assertEquals(Set.of("api", "db"), topology.dependenciesWithin("web", 2));
        assertEquals(Set.of("api"), topology.dependenciesWithin("web", 1));
        assertEquals(Set.of("web", "api"), topology.dependentsWithin("db", 3));

        edge(TopologyOperation.UPSERT, "db", "disk");
        assertEquals(Set.of("api", "db", "disk"), topology.dependenciesWithin("web", 3));
        assertEquals(Set.of("api", "db"), topology.dependenciesWithin("web", 2));
        assertEquals(Set.of("db", "api", "web"), topology.dependentsWithin("disk", 3));

        edge(TopologyOperation.DELETE, "api", "db");
        assertEquals(Set.of("api"), topology.dependenciesWithin("web", 3));
        assertEquals(Set.of("db"), topology.dependentsWithin("disk", 3));
    }

    @Test
    void deletingAnItemDropsItFromTheNeighbourhoodsAskedForBefore() {
        topology.apply(new TopologyUpdate(Instant.EPOCH, TopologyOperation.UPSERT,
                new ConfigurationItem("api", ItemType.SERVICE, null, Criticality.HIGH, "prod", new HashMap<>()), null));
        edge(TopologyOperation.UPSERT, "web", "api");
        edge(TopologyOperation.UPSERT, "api", "db");
        assertEquals(Set.of("api", "db"), topology.dependenciesWithin("web", 2));
        long before = topology.version();

        topology.apply(new TopologyUpdate(Instant.EPOCH, TopologyOperation.DELETE,
                new ConfigurationItem("api", ItemType.SERVICE, null, Criticality.HIGH, "prod", new HashMap<>()), null));
        assertEquals(Set.of(), topology.dependenciesWithin("web", 2));
        assertEquals(Set.of(), topology.dependentsWithin("db", 2));
        assertNotEquals(before, topology.version());
    }

    @Test
    void neighbourhoodsCannotBeChangedByTheirReaders() {
        edge(TopologyOperation.UPSERT, "web", "api");
        assertThrows(UnsupportedOperationException.class, () -> topology.dependenciesWithin("web", 1).add("db"));
        assertEquals(Set.of("api"), topology.dependenciesWithin("web", 1));
    }
}
