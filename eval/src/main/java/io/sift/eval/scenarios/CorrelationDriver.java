package io.sift.eval.scenarios;

import io.sift.core.correlate.CorrelationState;
import io.sift.core.correlate.Correlator;
import io.sift.core.topology.Topology;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Drives the correlator of one environment as the job's correlation operator does: inputs are held until the
 * watermark passes their event time and then applied in event-time order (changes first at equal times, then
 * anomalies by id and version); inputs already behind the watermark are applied at once; a deadline timer lets the
 * correlator resolve and forget incidents. Timers fire in timestamp order, as Flink fires event-time timers.
 */
final class CorrelationDriver {

    /** An input held until the watermark passes it: a change or an anomaly version. */
    private record Input(ChangeEvent change, Anomaly anomaly) {
        long time() {
            return change != null ? change.getTime().toEpochMilli() : anomaly.getTime().toEpochMilli();
        }

        /** As the job orders one instant: changes first by id, then anomalies in the correlator's order. */
        static int compare(Input a, Input b) {
            if (a.change != null || b.change != null) {
                return a.change == null ? 1 : b.change == null ? -1 : a.change.getId().compareTo(b.change.getId());
            }
            return Correlator.SAME_INSTANT_ORDER.compare(a.anomaly, b.anomaly);
        }
    }

    private final Correlator correlator;
    private final Topology topology;
    private final CorrelationState state = new CorrelationState();
    private final TreeMap<Long, List<Input>> pending = new TreeMap<>();
    private final TreeSet<Long> timers = new TreeSet<>();
    private final List<Incident> out;
    private long watermark = Long.MIN_VALUE;
    private Long deadline;

    CorrelationDriver(Correlator correlator, Topology topology, List<Incident> out) {
        this.correlator = correlator;
        this.topology = topology;
        this.out = out;
    }

    void onChange(ChangeEvent change) {
        onInput(new Input(change, null));
    }

    void onAnomaly(Anomaly anomaly) {
        onInput(new Input(null, anomaly));
    }

    private void onInput(Input input) {
        long time = input.time();
        if (time <= watermark) {
            apply(List.of(input));
            scheduleDeadline(watermark + 1);
            return;
        }
        pending.computeIfAbsent(time, t -> new ArrayList<>(1)).add(input);
        timers.add(time);
    }

    /** Moves event time on, firing every timer at or below the new watermark in timestamp order. */
    void advanceWatermark(long newWatermark) {
        if (newWatermark <= watermark) {
            return;
        }
        watermark = newWatermark;
        while (!timers.isEmpty() && timers.first() <= watermark) {
            onTimer(timers.pollFirst());
        }
    }

    /** Whether the correlator still holds anything (incidents, changes, pending inputs or timers). */
    boolean holdsState() {
        return !state.isEmpty() || !pending.isEmpty() || !timers.isEmpty();
    }

    private void onTimer(long timestamp) {
        List<Input> batch = new ArrayList<>();
        while (!pending.isEmpty() && pending.firstKey() <= timestamp) {
            Map.Entry<Long, List<Input>> due = pending.pollFirstEntry();
            List<Input> atTime = new ArrayList<>(due.getValue());
            atTime.sort(Input::compare);
            batch.addAll(atTime);
        }
        apply(batch);
        out.addAll(correlator.advance(state, timestamp, topology));
        if (deadline != null && deadline <= timestamp) {
            deadline = null;
        }
        scheduleDeadline(timestamp + 1);
    }

    private void apply(List<Input> inputs) {
        for (Input input : inputs) {
            if (input.change() != null) {
                correlator.onChange(state, input.change());
            } else {
                out.addAll(correlator.onAnomaly(state, input.anomaly(), topology));
            }
        }
    }

    private void scheduleDeadline(long earliest) {
        long next = correlator.nextDeadline(state);
        if (next == Long.MAX_VALUE) {
            return;
        }
        next = Math.max(next, earliest);
        if (deadline == null || next < deadline) {
            timers.add(next);
            deadline = next;
        }
    }
}
