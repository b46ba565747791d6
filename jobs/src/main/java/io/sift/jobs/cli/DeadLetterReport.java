package io.sift.jobs.cli;

import io.sift.jobs.operators.DeadLetterCounter;
import io.sift.jobs.operators.DeadLetterTag;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The dead letters of a run by error kind, from the job's accumulators ({@code deadLettered.<kind>}). */
record DeadLetterReport(long total, Map<String, Long> byKind) {

    static final DeadLetterReport NONE = new DeadLetterReport(0, Map.of());

    static DeadLetterReport of(Map<String, ?> accumulators) {
        String prefix = DeadLetterCounter.accumulatorName("");
        Map<String, Long> byKind = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, ?> entry : accumulators.entrySet()) {
            if (entry.getKey().startsWith(prefix) && entry.getValue() instanceof Number count) {
                byKind.put(entry.getKey().substring(prefix.length()), count.longValue());
            } else if (entry.getKey().equals(DeadLetterTag.COUNTER) && entry.getValue() instanceof Number count) {
                total = count.longValue();
            }
        }
        return new DeadLetterReport(Math.max(total, byKind.values().stream().mapToLong(Long::longValue).sum()),
                Map.copyOf(byKind));
    }

    /** e.g. {@code 5 (NAN_VALUE 1, UNDECODABLE 4)}, or {@code none}. */
    String counts() {
        if (total == 0) {
            return "none";
        }
        return total + " (" + new TreeMap<>(byKind).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")";
    }
}
