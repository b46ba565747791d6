package io.sift.scenario;

import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generated estate: services, hosts and datastores, the edges between them (CALLS: service to service,
 * DEPENDS_ON: service to datastore, RUNS_ON: service to host) and the service instances. Immutable.
 */
public final class Estate {

    private final List<EstateItem> items;
    private final List<EstateEdge> edges;
    private final List<ServiceInstance> instances;
    private final Map<String, EstateItem> byId = new LinkedHashMap<>();
    private final Map<String, Integer> index = new LinkedHashMap<>();

    Estate(List<EstateItem> items, List<EstateEdge> edges, List<ServiceInstance> instances) {
        this.items = List.copyOf(items);
        this.edges = List.copyOf(edges);
        this.instances = List.copyOf(instances);
        for (EstateItem item : this.items) {
            index.put(item.id(), byId.size());
            byId.put(item.id(), item);
        }
    }

    /** Items: services (edge tier first, then mid tier, then backends), then datastores, then hosts. */
    public List<EstateItem> items() {
        return items;
    }

    /** Edges: CALLS, then DEPENDS_ON, then RUNS_ON. */
    public List<EstateEdge> edges() {
        return edges;
    }

    /** Service instances (pods) and the hosts they run on. */
    public List<ServiceInstance> instances() {
        return instances;
    }

    public Optional<EstateItem> item(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    public List<EstateItem> items(ItemType type) {
        return items.stream().filter(i -> i.type() == type).toList();
    }

    public List<String> ids(ItemType type) {
        return items.stream().filter(i -> i.type() == type).map(EstateItem::id).toList();
    }

    int indexOf(String id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no item " + id);
        }
        return i;
    }

    /** Items with a CALLS or DEPENDS_ON edge to {@code id}: where a fault of {@code id} propagates to. */
    public List<String> callersOf(String id) {
        List<String> out = new ArrayList<>();
        for (EstateEdge e : edges) {
            if (e.to().equals(id) && e.type() != EdgeType.RUNS_ON) {
                out.add(e.from());
            }
        }
        return out;
    }

    /** Targets of {@code id}'s CALLS and DEPENDS_ON edges. */
    public List<String> dependenciesOf(String id) {
        List<String> out = new ArrayList<>();
        for (EstateEdge e : edges) {
            if (e.from().equals(id) && e.type() != EdgeType.RUNS_ON) {
                out.add(e.to());
            }
        }
        return out;
    }

    /** Services the given service calls (CALLS edges only). */
    public List<String> calleesOf(String id) {
        List<String> out = new ArrayList<>();
        for (EstateEdge e : edges) {
            if (e.from().equals(id) && e.type() == EdgeType.CALLS) {
                out.add(e.to());
            }
        }
        return out;
    }

    public List<String> hostsOf(String service) {
        return instances.stream().filter(i -> i.service().equals(service)).map(ServiceInstance::host).toList();
    }

    public List<ServiceInstance> instancesOf(String service) {
        return instances.stream().filter(i -> i.service().equals(service)).toList();
    }

    /** Services with an instance on the host, in estate order. */
    public List<String> servicesOn(String host) {
        return instances.stream().filter(i -> i.host().equals(host)).map(ServiceInstance::service).distinct().toList();
    }

    public int count(ItemType type) {
        return (int) items.stream().filter(i -> i.type() == type).count();
    }

    @Override
    public String toString() {
        return count(ItemType.SERVICE) + " services, " + count(ItemType.HOST) + " hosts, "
                + (items.size() - count(ItemType.SERVICE) - count(ItemType.HOST)) + " datastores, "
                + edges.size() + " edges, " + instances.size() + " instances";
    }
}
