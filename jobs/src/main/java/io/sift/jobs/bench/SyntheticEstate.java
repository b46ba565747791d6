package io.sift.jobs.bench;

import io.sift.core.topology.Topology;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A large estate for the correlator: a tenth hosts, a tenth datastores, the rest services in eight call layers
 * (each service calls two in the next layer, the last layer and some others use datastores, everything runs on a
 * host). The scenario generator tops out at 50 services; this one scales to any size, deterministically per seed.
 */
final class SyntheticEstate {

    static final int SERVICE_LAYERS = 8;

    final String environment;
    final List<String> items = new ArrayList<>();
    final List<ItemType> types = new ArrayList<>();
    final List<TopologyUpdate> updates = new ArrayList<>();
    final Topology topology = new Topology();
    int edges;

    private SyntheticEstate(String environment) {
        this.environment = environment;
    }

    static SyntheticEstate build(int itemCount, long seed, String environment, Instant time) {
        SyntheticEstate estate = new SyntheticEstate(environment);
        SplittableRandom random = new SplittableRandom(seed);
        int hosts = Math.max(1, itemCount / 10);
        int datastores = Math.max(1, itemCount / 10);
        int services = itemCount - hosts - datastores;
        int perLayer = Math.max(1, services / SERVICE_LAYERS);
        ItemType[] storeTypes = {ItemType.DATABASE, ItemType.CACHE, ItemType.QUEUE};
        for (int i = 0; i < hosts; i++) {
            estate.item(time, "host-" + i, ItemType.HOST, random.nextInt(4) == 0 ? Criticality.HIGH : Criticality.MEDIUM);
        }
        for (int i = 0; i < datastores; i++) {
            estate.item(time, "store-" + i, storeTypes[i % storeTypes.length], Criticality.HIGH);
        }
        List<List<String>> layers = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            int layer = Math.min(SERVICE_LAYERS - 1, i / perLayer);
            if (layers.size() <= layer) {
                layers.add(new ArrayList<>());
            }
            String id = "svc-" + layer + "-" + layers.get(layer).size();
            layers.get(layer).add(id);
            Criticality criticality = layer == 0 ? Criticality.CRITICAL
                    : random.nextInt(3) == 0 ? Criticality.HIGH : random.nextBoolean() ? Criticality.MEDIUM : Criticality.LOW;
            estate.item(time, id, ItemType.SERVICE, criticality);
        }
        for (int layer = 0; layer < layers.size(); layer++) {
            boolean last = layer == layers.size() - 1;
            for (String service : layers.get(layer)) {
                if (!last) {
                    List<String> next = layers.get(layer + 1);
                    estate.edge(time, service, next.get(random.nextInt(next.size())), EdgeType.CALLS);
                    estate.edge(time, service, next.get(random.nextInt(next.size())), EdgeType.CALLS);
                }
                if (last || random.nextInt(4) == 0) {
                    estate.edge(time, service, "store-" + random.nextInt(datastores), EdgeType.DEPENDS_ON);
                }
                estate.edge(time, service, "host-" + random.nextInt(hosts), EdgeType.RUNS_ON);
            }
        }
        for (int i = 0; i < datastores; i++) {
            estate.edge(time, "store-" + i, "host-" + random.nextInt(hosts), EdgeType.RUNS_ON);
        }
        return estate;
    }

    private void item(Instant time, String id, ItemType type, Criticality criticality) {
        items.add(id);
        types.add(type);
        add(new TopologyUpdate(time, TopologyOperation.UPSERT,
                new ConfigurationItem(id, type, null, criticality, environment, new HashMap<>()), null));
    }

    private void edge(Instant time, String from, String to, EdgeType type) {
        if (from.equals(to) || topology.dependenciesOf(from).contains(to)) {
            return;
        }
        edges++;
        add(new TopologyUpdate(time, TopologyOperation.UPSERT, null, new TopologyEdge(from, to, type)));
    }

    private void add(TopologyUpdate update) {
        updates.add(update);
        topology.apply(update);
    }
}
