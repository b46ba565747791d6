package io.sift.eval.faults;

import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.RootCauseHint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Scores the incident versions a job emitted against a data set's labelled faults. The rules, stated once:
 * <ul>
 *   <li>An incident is <b>detected</b> at the event time Sift opened it ({@code detectedAt} of its versions, else the
 *       update time of its first version), and again at each reopening (a REOPENED version: a recurrence under the
 *       same id notifies people as an opening does). Each detection is an episode; incidents below are episodes.</li>
 *   <li>A fault is <b>found</b> when an incident of its environment is detected within
 *       [start − {@link #BEFORE}, start + {@link #AFTER}]. The earliest such incident is the fault's match (of
 *       several detected at once, the one with the highest peak score, then the most anomalies, as it stood at start
 *       + {@link #AFTER}).</li>
 *   <li><b>AS@k</b>: the root cause counts as named at rank k when one of the match's first k root-cause hints names
 *       one of the fault's root items (its service, pod or host), in the match's latest version at or before start +
 *       {@link #AFTER} (what a person looking then sees). A fault that was not found scores 0.</li>
 *   <li><b>Time to detect</b>: the match's detection time minus the fault's start.</li>
 *   <li><b>Noise</b>: incidents detected inside a scored span but outside every fault's
 *       [start − {@link #BEFORE}, end + {@link #AFTER}], per hour of scored time outside those windows.</li>
 * </ul>
 * Faults whose window does not lie wholly inside a scored span (no data for it) are left out and counted.
 */
public final class FaultScoring {

    public static final Duration BEFORE = Duration.ofMinutes(1);
    public static final Duration AFTER = Duration.ofMinutes(10);
    public static final int[] RANKS = {1, 3, 5};

    private FaultScoring() {
    }

    /** What happened to one fault. {@code rank} is 0 when not found or not named among the hints. */
    public record FaultResult(Fault fault, String incidentId, int rank, Duration timeToDetect, List<String> hints) {
        public boolean found() {
            return incidentId != null;
        }
    }

    /** An incident detected away from every fault. */
    public record NoiseIncident(String id, String environment, Instant detectedAt, String title) {
    }

    /** The figures of one group of faults (a fault type, or all). */
    public record Figures(int faults, double recall, double as1, double as3, double as5, Duration medianTimeToDetect) {
    }

    public record Score(String dataSet, List<FaultResult> faults, int faultsWithoutData, List<NoiseIncident> noise,
            double quietHours, int incidents, Map<String, Figures> byFaultType, Figures overall) {

        public double noisePerHour() {
            return quietHours == 0 ? 0 : noise.size() / quietHours;
        }
    }

    /** One episode of an incident: when it was detected (opened or reopened) and all the incident's versions. */
    private record IncidentStory(String id, String environment, Instant detectedAt, List<Incident> versions) {
        /** The latest version updated at or before a time, else the first. */
        Incident asOf(Instant time) {
            Incident seen = versions.get(0);
            for (Incident version : versions) {
                if (!version.getUpdatedAt().isAfter(time)) {
                    seen = version;
                }
            }
            return seen;
        }
    }

    public static Score score(String dataSet, List<Fault> faults, List<ScoredSpan> spans, List<Incident> versions) {
        List<IncidentStory> stories = stories(versions);
        List<FaultResult> results = new ArrayList<>();
        int withoutData = 0;
        for (Fault fault : faults) {
            if (spans.stream().noneMatch(s -> Objects.equals(s.environment(), fault.environment())
                    && s.contains(fault.start()) && !fault.end().isAfter(s.until()))) {
                withoutData++;
                continue;
            }
            results.add(scoreFault(fault, stories));
        }
        List<NoiseIncident> noise = new ArrayList<>();
        for (IncidentStory story : stories) {
            boolean scored = spans.stream().anyMatch(s -> Objects.equals(s.environment(), story.environment())
                    && s.contains(story.detectedAt()));
            boolean nearFault = faults.stream().anyMatch(f -> Objects.equals(f.environment(), story.environment())
                    && !story.detectedAt().isBefore(f.start().minus(BEFORE))
                    && !story.detectedAt().isAfter(f.end().plus(AFTER)));
            if (scored && !nearFault) {
                noise.add(new NoiseIncident(story.id(), story.environment(), story.detectedAt(),
                        story.versions().get(story.versions().size() - 1).getTitle()));
            }
        }
        Map<String, List<FaultResult>> byType = new TreeMap<>();
        for (FaultResult result : results) {
            byType.computeIfAbsent(result.fault().level() + "/" + result.fault().faultType(), k -> new ArrayList<>())
                    .add(result);
        }
        Map<String, Figures> figures = new LinkedHashMap<>();
        byType.forEach((type, group) -> figures.put(type, figures(group)));
        return new Score(dataSet, results, withoutData, noise, quietHours(spans, faults), stories.size(), figures,
                figures(results));
    }

    private static FaultResult scoreFault(Fault fault, List<IncidentStory> stories) {
        Instant from = fault.start().minus(BEFORE);
        Instant until = fault.start().plus(AFTER);
        IncidentStory match = stories.stream()
                .filter(s -> Objects.equals(s.environment(), fault.environment()))
                .filter(s -> !s.detectedAt().isBefore(from) && !s.detectedAt().isAfter(until))
                // Of incidents detected at the same instant, a person looks first at the most severe one; ids
                // (derived from names) only break what is left, so renaming the estate does not change the match.
                .min(Comparator.comparing(IncidentStory::detectedAt)
                        .thenComparing(st -> -st.asOf(until).getPeakScore())
                        .thenComparing(st -> -st.asOf(until).getAnomalyCount())
                        .thenComparing(IncidentStory::id))
                .orElse(null);
        if (match == null) {
            return new FaultResult(fault, null, 0, null, List.of());
        }
        List<String> hints = new ArrayList<>();
        int rank = 0;
        for (RootCauseHint hint : match.asOf(until).getRootCauses()) {
            hints.add(hint.getItem());
            if (rank == 0 && fault.rootItems().contains(hint.getItem())) {
                rank = hints.size();
            }
        }
        return new FaultResult(fault, match.id(), rank, Duration.between(fault.start(), match.detectedAt()), hints);
    }

    /**
     * Every episode of every incident: its opening, and each reopening under the same id (a recurrence within the
     * cool-down notifies people just as an opening does).
     */
    private static List<IncidentStory> stories(List<Incident> versions) {
        Map<String, List<Incident>> byId = new HashMap<>();
        for (Incident version : versions) {
            byId.computeIfAbsent(version.getId(), k -> new ArrayList<>()).add(version);
        }
        List<IncidentStory> stories = new ArrayList<>();
        byId.forEach((id, list) -> {
            list.sort(Comparator.comparingLong(Incident::getVersion));
            Incident first = list.get(0);
            List<Incident> all = List.copyOf(list);
            Instant detected = list.stream().map(Incident::getDetectedAt).filter(Objects::nonNull).findFirst()
                    .orElse(first.getUpdatedAt());
            stories.add(new IncidentStory(id, first.getEnvironment(), detected, all));
            for (Incident version : list) {
                if (version.getChange() == IncidentChange.REOPENED) {
                    stories.add(new IncidentStory(id, first.getEnvironment(), version.getUpdatedAt(), all));
                }
            }
        });
        stories.sort(Comparator.comparing(IncidentStory::detectedAt).thenComparing(IncidentStory::id));
        return stories;
    }

    /** Scored hours outside every fault's window (windows merged, clipped to the spans). */
    private static double quietHours(List<ScoredSpan> spans, List<Fault> faults) {
        long quietMillis = 0;
        for (ScoredSpan span : spans) {
            List<long[]> windows = faults.stream()
                    .filter(f -> Objects.equals(f.environment(), span.environment()))
                    .map(f -> new long[] {Math.max(span.from().toEpochMilli(), f.start().minus(BEFORE).toEpochMilli()),
                            Math.min(span.until().toEpochMilli(), f.end().plus(AFTER).toEpochMilli())})
                    .filter(w -> w[1] > w[0])
                    .sorted(Comparator.comparingLong(w -> w[0]))
                    .toList();
            long covered = 0;
            long coveredUntil = Long.MIN_VALUE;
            for (long[] window : windows) {
                long start = Math.max(window[0], coveredUntil);
                if (window[1] > start) {
                    covered += window[1] - start;
                }
                coveredUntil = Math.max(coveredUntil, window[1]);
            }
            quietMillis += span.length().toMillis() - covered;
        }
        return quietMillis / 3_600_000.0;
    }

    private static Figures figures(List<FaultResult> results) {
        int n = results.size();
        if (n == 0) {
            return new Figures(0, 0, 0, 0, 0, null);
        }
        double found = results.stream().filter(FaultResult::found).count();
        double[] named = new double[RANKS.length];
        for (FaultResult result : results) {
            for (int i = 0; i < RANKS.length; i++) {
                if (result.rank() > 0 && result.rank() <= RANKS[i]) {
                    named[i]++;
                }
            }
        }
        List<Duration> times = results.stream().map(FaultResult::timeToDetect).filter(Objects::nonNull).sorted()
                .toList();
        Duration median = times.isEmpty() ? null : times.get(times.size() / 2);
        return new Figures(n, found / n, named[0] / n, named[1] / n, named[2] / n, median);
    }
}
