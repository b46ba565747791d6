package io.sift.jobs.operators;

import io.sift.core.topology.Topology;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The topology as broadcast state (one entry per item and per edge, so a restore has it back) and the rebuild of
 * the in-memory {@link Topology} from it; shared by the operators that read the topology topic.
 */
public final class TopologyBroadcast {

    public static final MapStateDescriptor<String, TopologyUpdate> DESCRIPTOR = new MapStateDescriptor<>(
            "topology", Types.STRING, new AvroTypeInfo<>(TopologyUpdate.class));

    private TopologyBroadcast() {}

    /** Applies one update to the broadcast state; deleting an item deletes its edges too. */
    public static void store(BroadcastState<String, TopologyUpdate> state, TopologyUpdate update) throws Exception {
        if (update.getItem() != null) {
            String key = "item:" + update.getItem().getId();
            if (update.getOperation() == TopologyOperation.DELETE) {
                state.remove(key);
                List<String> edges = new ArrayList<>();
                for (Map.Entry<String, TopologyUpdate> e : state.entries()) {
                    TopologyUpdate u = e.getValue();
                    if (u.getEdge() != null && (u.getEdge().getFrom().equals(update.getItem().getId())
                            || u.getEdge().getTo().equals(update.getItem().getId()))) {
                        edges.add(e.getKey());
                    }
                }
                for (String edge : edges) {
                    state.remove(edge);
                }
            } else {
                state.put(key, update);
            }
        }
        if (update.getEdge() != null) {
            String key = "edge:" + update.getEdge().getFrom() + "|" + update.getEdge().getTo();
            if (update.getOperation() == TopologyOperation.DELETE) {
                state.remove(key);
            } else {
                state.put(key, update);
            }
        }
    }

    /** The topology held in the broadcast state, items before edges. */
    public static Topology rebuild(ReadOnlyBroadcastState<String, TopologyUpdate> state) throws Exception {
        Topology rebuilt = new Topology();
        List<TopologyUpdate> edges = new ArrayList<>();
        for (Map.Entry<String, TopologyUpdate> entry : state.immutableEntries()) {
            if (entry.getValue().getItem() != null) {
                rebuilt.apply(entry.getValue());
            } else {
                edges.add(entry.getValue());
            }
        }
        edges.forEach(rebuilt::apply);
        return rebuilt;
    }
}
