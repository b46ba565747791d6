package io.sift.eval.faults;

import io.sift.schema.Alert;
import io.sift.schema.ChangeEvent;
import io.sift.schema.TopologyUpdate;
import java.util.List;

/**
 * A real data set converted to what the job reads: metric points in event-time order, alerts from existing monitoring
 * in event-time order (often none), the changes and topology the data set gives (often none), its labelled faults and
 * the spans of event time in which incidents are scored.
 */
public record FaultDataSet(String name, PointSequence metrics, List<ChangeEvent> changes,
        List<TopologyUpdate> topology, List<Fault> faults, List<ScoredSpan> spans, List<Alert> alerts) {

    public FaultDataSet {
        changes = List.copyOf(changes);
        topology = List.copyOf(topology);
        faults = List.copyOf(faults);
        spans = List.copyOf(spans);
        alerts = List.copyOf(alerts);
    }

    /** A data set of metrics only (no alerts). */
    public FaultDataSet(String name, PointSequence metrics, List<ChangeEvent> changes, List<TopologyUpdate> topology,
            List<Fault> faults, List<ScoredSpan> spans) {
        this(name, metrics, changes, topology, faults, spans, List.of());
    }
}
