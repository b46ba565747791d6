package io.sift.eval.petshop;

import io.sift.core.correlate.AnomalyEntry;
import io.sift.core.correlate.RankerSettings;
import io.sift.core.correlate.RootCauseRanker;
import io.sift.core.topology.Topology;
import io.sift.schema.EdgeType;
import io.sift.schema.RootCauseHint;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns an issue's anomalies into ranked root-cause hints as Sift's incident would: the alarm on the target opens
 * an incident, the anomalies connected to it through the call graph (via other anomalous components) join it, and
 * {@link RootCauseRanker} ranks the incident's components.
 */
public final class PetshopDiagnosis {

    /** PetShop has no change events; the look-back is then irrelevant. */
    private static final long CHANGE_LOOKBACK_MILLIS = 30 * 60_000L;

    private final RootCauseRanker ranker;

    public PetshopDiagnosis(int maxHints) {
        // Onsets are only known to the 5-minute period they fall in.
        this.ranker = new RootCauseRanker(CHANGE_LOOKBACK_MILLIS, maxHints,
                RankerSettings.withOnsetResolution(PetshopDetection.STEP_MILLIS));
    }

    /** Sift's topology for a call graph: a caller depends on what it calls. */
    public static Topology topologyOf(List<PetshopScenario.CallEdge> edges) {
        Topology topology = new Topology();
        for (PetshopScenario.CallEdge edge : edges) {
            topology.apply(TopologyUpdate.newBuilder()
                    .setTime(Instant.EPOCH)
                    .setOperation(TopologyOperation.UPSERT)
                    .setEdge(TopologyEdge.newBuilder().setFrom(edge.caller()).setTo(edge.callee()).setType(EdgeType.CALLS).build())
                    .build());
        }
        return topology;
    }

    public List<RootCauseHint> diagnose(Topology topology, String alarmedItem, List<AnomalyEntry> anomalies) {
        return ranker.rank(incidentOf(topology, alarmedItem, anomalies), List.of(), topology, List.of(alarmedItem));
    }

    /**
     * The anomalies of the components reachable from the alarmed one over call edges (either direction) through
     * anomalous components only; background anomalies elsewhere in the estate stay out of the incident.
     */
    static List<AnomalyEntry> incidentOf(Topology topology, String alarmedItem, List<AnomalyEntry> anomalies) {
        Set<String> anomalous = new HashSet<>();
        anomalies.forEach(a -> anomalous.add(a.item));
        Set<String> reached = new HashSet<>();
        reached.add(alarmedItem);
        ArrayDeque<String> frontier = new ArrayDeque<>(List.of(alarmedItem));
        while (!frontier.isEmpty()) {
            String item = frontier.poll();
            for (Set<String> neighbours : List.of(topology.dependenciesOf(item), topology.dependentsOf(item))) {
                for (String next : neighbours) {
                    if (anomalous.contains(next) && reached.add(next)) {
                        frontier.add(next);
                    }
                }
            }
        }
        return anomalies.stream().filter(a -> reached.contains(a.item)).toList();
    }
}
