package io.sift.eval.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One labelled, injected fault of a real data set.
 *
 * @param id          stable id within the data set (e.g. the label file's row)
 * @param environment environment the fault's telemetry is in; null for the job's default environment
 * @param start       when the injection started
 * @param duration    how long it lasted
 * @param faultType   the data set's fault type, e.g. {@code cpu-stress}
 * @param level       what was faulted: {@code pod}, {@code node}, {@code service}
 * @param service     the service (or node) a person would name as the root cause
 * @param rootItems   every item id that counts as naming the root cause: the service, and the faulty pod or host
 */
public record Fault(String id, String environment, Instant start, Duration duration, String faultType, String level,
        String service, Set<String> rootItems) {

    public Fault {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(faultType, "faultType");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(service, "service");
        rootItems = Set.copyOf(rootItems);
        if (!rootItems.contains(service)) {
            throw new IllegalArgumentException("fault " + id + ": rootItems must include the service " + service);
        }
    }

    public Instant end() {
        return start.plus(duration);
    }
}
