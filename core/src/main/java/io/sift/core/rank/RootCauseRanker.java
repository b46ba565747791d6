package io.sift.core.rank;

import io.sift.core.correlate.AnomalyEntry;
import io.sift.core.correlate.Topology;
import io.sift.schema.ChangeEvent;
import io.sift.schema.RootCauseHint;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks the anomalous items of an incident by how likely each is the root cause, from what operations knows:
 * onset order (causes come first), topology direction (a cause depends on no other anomalous item and explains
 * the anomalous items that depend on it), strength, and changes made to it shortly before its onset.
 */
public final class RootCauseRanker implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final double ONSET_SCALE_MILLIS = 120_000;
    private static final double W_ONSET = 0.30;
    private static final double W_TOPOLOGY = 0.35;
    private static final double W_STRENGTH = 0.10;
    private static final double W_CHANGE = 0.25;
    private static final int DEPENDENCY_HOPS = 4;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final long changeLookbackMillis;
    private final int maxHints;

    public RootCauseRanker(long changeLookbackMillis, int maxHints) {
        this.changeLookbackMillis = changeLookbackMillis;
        this.maxHints = maxHints;
    }

    /** Hints best first, scores summing to 1 over the returned hints' candidates. */
    public List<RootCauseHint> rank(List<AnomalyEntry> anomalies, List<ChangeEvent> changes, Topology topology) {
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (AnomalyEntry entry : anomalies) {
            candidates.computeIfAbsent(entry.item, Candidate::new).add(entry);
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        long firstOnset = candidates.values().stream().mapToLong(c -> c.onset).min().orElse(0);
        boolean knowTopology = !topology.isEmpty();
        int others = candidates.size() - 1;

        for (Candidate c : candidates.values()) {
            double onset = Math.exp(-(c.onset - firstOnset) / ONSET_SCALE_MILLIS);
            double topo = 0.5;
            int anomalousDependencies = 0;
            int explained = 0;
            if (knowTopology) {
                for (Candidate other : candidates.values()) {
                    if (other == c) {
                        continue;
                    }
                    if (topology.dependsOn(c.item, other.item, DEPENDENCY_HOPS)) {
                        anomalousDependencies++;
                    }
                    if (topology.dependsOn(other.item, c.item, DEPENDENCY_HOPS)) {
                        explained++;
                    }
                }
                double leaf = anomalousDependencies == 0 ? 1.0 : 0.0;
                double explains = others == 0 ? 1.0 : (double) explained / others;
                topo = 0.5 * leaf + 0.5 * explains;
            }
            double strength = c.peak.score / 100.0;
            List<ChangeEvent> suspects = suspectChanges(c, changes);
            double change = suspects.isEmpty() ? 0.0 : 1.0;
            c.raw = W_ONSET * onset + W_TOPOLOGY * topo + W_STRENGTH * strength + W_CHANGE * change;
            c.reasons = reasons(c, firstOnset, knowTopology, anomalousDependencies, explained, suspects);
            c.changeIds = suspects.stream().map(ChangeEvent::getId).toList();
        }

        List<Candidate> ranked = new ArrayList<>(candidates.values());
        ranked.sort(Comparator.comparingDouble((Candidate c) -> -c.raw).thenComparingLong(c -> c.onset)
                .thenComparing(c -> c.item));
        double total = ranked.stream().mapToDouble(c -> c.raw).sum();
        List<RootCauseHint> hints = new ArrayList<>();
        for (int i = 0; i < Math.min(maxHints, ranked.size()); i++) {
            Candidate c = ranked.get(i);
            hints.add(RootCauseHint.newBuilder()
                    .setItem(c.item)
                    .setRank(i + 1)
                    .setScore(total > 0 ? round(c.raw / total) : 0.0)
                    .setReasons(c.reasons)
                    .setChanges(c.changeIds)
                    .build());
        }
        return hints;
    }

    /** Changes on the item within the look-back before its onset (or up to a minute after it). */
    public List<ChangeEvent> suspectChanges(String item, long onset, List<ChangeEvent> changes) {
        List<ChangeEvent> suspects = new ArrayList<>();
        for (ChangeEvent change : changes) {
            long t = change.getTime().toEpochMilli();
            if (change.getConfigurationItem().equals(item) && t <= onset + 60_000 && t >= onset - changeLookbackMillis) {
                suspects.add(change);
            }
        }
        suspects.sort(Comparator.comparing((ChangeEvent ch) -> ch.getTime()).reversed());
        return suspects;
    }

    private List<ChangeEvent> suspectChanges(Candidate c, List<ChangeEvent> changes) {
        return suspectChanges(c.item, c.onset, changes);
    }

    private static List<String> reasons(Candidate c, long firstOnset, boolean knowTopology, int anomalousDependencies,
            int explained, List<ChangeEvent> suspects) {
        List<String> reasons = new ArrayList<>();
        AnomalyEntry peak = c.peak;
        reasons.add(String.format(Locale.ROOT, "%s %s %.1fσ %s baseline from %s (observed %s, expected %s)",
                c.item, peak.metric, Math.abs(peak.deviation), peak.up ? "above" : "below",
                CLOCK.format(Instant.ofEpochMilli(peak.onset)), number(peak.observed), number(peak.expected)));
        long lead = c.onset - firstOnset;
        reasons.add(lead == 0 ? "earliest onset among the incident's anomalies"
                : String.format(Locale.ROOT, "onset %s after the earliest anomaly", duration(lead)));
        if (knowTopology) {
            if (anomalousDependencies == 0) {
                reasons.add(explained > 0
                        ? String.format(Locale.ROOT, "depends on no other anomalous item; %d anomalous item%s depend%s on it",
                                explained, explained == 1 ? "" : "s", explained == 1 ? "s" : "")
                        : "depends on no other anomalous item");
            } else {
                reasons.add(String.format(Locale.ROOT, "depends on %d other anomalous item%s", anomalousDependencies,
                        anomalousDependencies == 1 ? "" : "s"));
            }
        }
        for (ChangeEvent change : suspects) {
            long before = c.onset - change.getTime().toEpochMilli();
            reasons.add(String.format(Locale.ROOT, "%s at %s, %s before onset%s", change.getSummary(),
                    CLOCK.format(change.getTime()), duration(Math.max(0, before)),
                    change.getChangeRequest() == null ? "" : " (" + change.getChangeRequest() + ")"));
        }
        return reasons;
    }

    private static String number(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String duration(long millis) {
        long seconds = millis / 1000;
        return seconds < 120 ? seconds + " s" : (seconds / 60) + " min";
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static final class Candidate {
        final String item;
        long onset = Long.MAX_VALUE;
        AnomalyEntry peak;
        double raw;
        List<String> reasons;
        List<String> changeIds;

        Candidate(String item) {
            this.item = item;
        }

        void add(AnomalyEntry entry) {
            onset = Math.min(onset, entry.onset);
            if (peak == null || entry.score > peak.score) {
                peak = entry;
            }
        }
    }
}
