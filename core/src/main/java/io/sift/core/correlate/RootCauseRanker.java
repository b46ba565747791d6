package io.sift.core.correlate;

import io.sift.core.topology.Topology;
import io.sift.schema.ChangeEvent;
import io.sift.schema.RootCauseHint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranks the anomalous items of an incident by how likely each is the root cause, from what operations knows:
 * topology direction (a cause depends on no other anomalous item and explains the anomalous items that depend on
 * it), a personalised random walk from the symptoms along anomalous dependencies (it ends most often at the
 * upstream-most anomalous item that the symptoms' anomalies lead to), onset order (causes come first, and a fault
 * travels along a call within about one sampling interval), strength, and changes made to an item shortly before
 * its onset (the shorter before, the more suspect).
 *
 * <p>Only deviations in a direction that hurts count as evidence of a fault at an item (see {@code MetricMeaning}):
 * a callee whose request rate fell shows an effect of its callers (they cannot reach it, or lost their own
 * traffic), so it is no anomalous dependency of theirs and the walk passes it by. Deviations count up to
 * 100 σ: a series flat in normal operation (error log lines, mostly none) yields billions of σ for
 * a handful of lines, which would otherwise outweigh every other signal.
 *
 * <p>An item's anomalies count only where they overlap in time those of other items: an episode that was over
 * before the rest of the incident began (an earlier glitch the incident took in) does not make the item look
 * first. A dependency explains a caller's anomaly only as long as it lasts: the walk follows a dependency that
 * recovered long before its caller did with odds cut by the share of the caller's span it was still anomalous.
 *
 * <p>Dependencies are read with what the anomalies say: a host explains only the anomalies raised on it (alerts name
 * their host), and a dependency whose anomalies began well after an item's explains none of them. The walk starts at
 * the incident's entry points in proportion to their strength times the anomalous items they lead to, so an alarm
 * related to nothing else in the incident is a candidate on its own evidence, not a sink that keeps its own mass.
 */
public final class RootCauseRanker implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final int DEPENDENCY_HOPS = 4;
    /** Probability that the walker follows an edge rather than restarting at a symptom (PageRank's damping). */
    private static final double DAMPING = 0.85;
    private static final int WALK_ITERATIONS = 60;
    /** A suspect change on an item multiplies the walker's odds of staying there by 1 + this. */
    private static final double CHANGE_STAY_BOOST = 1.0;
    /**
     * Deviations beyond this many σ add no evidence: far beyond any detection threshold (6 σ by default) a larger σ
     * says more about how flat the series' baseline is than about the fault.
     */
    private static final double SIGMA_CAP = 100;
    /** Reasons print deviations up to this many σ; larger ones read "over 1000σ above a flat baseline". */
    private static final double SIGMA_SHOWN = 1000;

    private final long changeLookbackMillis;
    private final int maxHints;
    private final RankerSettings settings;

    public RootCauseRanker(long changeLookbackMillis, int maxHints) {
        this(changeLookbackMillis, maxHints, RankerSettings.defaults());
    }

    public RootCauseRanker(long changeLookbackMillis, int maxHints, RankerSettings settings) {
        this.changeLookbackMillis = changeLookbackMillis;
        this.maxHints = maxHints;
        this.settings = settings;
    }

    /** Hints best first, scores summing to 1 over the returned hints' candidates. */
    public List<RootCauseHint> rank(List<AnomalyEntry> anomalies, List<ChangeEvent> changes, Topology topology) {
        return rank(anomalies, changes, topology, List.of());
    }

    /**
     * Hints best first. {@code symptoms} are the items an alarm was raised on (an SLO violation, a user report); the
     * random walk starts there. They need not be anomalous themselves. Empty: the walk starts at the incident's
     * anomalous items that no other anomalous item depends on.
     */
    public List<RootCauseHint> rank(List<AnomalyEntry> anomalies, List<ChangeEvent> changes, Topology topology,
            Collection<String> symptoms) {
        return new Ranking(ranked(anomalies, changes, topology, symptoms), maxHints).hints();
    }

    /** The item {@link #rank} would put first, or null for no anomalies; cheaper, as no hint is worded. */
    public String topCause(List<AnomalyEntry> anomalies, List<ChangeEvent> changes, Topology topology) {
        return ranking(anomalies, changes, topology).topCause();
    }

    /**
     * The incident's items scored, hints not yet worded: the correlator compares the top item on a dedup update and
     * words the hints only when that gives a new version, from the same scoring instead of ranking twice. Valid for
     * as long as the anomalies, changes and topology it was made from do not change.
     */
    public Ranking ranking(List<AnomalyEntry> anomalies, List<ChangeEvent> changes, Topology topology) {
        return new Ranking(ranked(anomalies, changes, topology, List.of()), maxHints);
    }

    /** Scored candidates of one ranking (see {@link #ranking}). */
    public static final class Ranking {
        private final List<Candidate> ranked;
        private final int maxHints;

        private Ranking(List<Candidate> ranked, int maxHints) {
            this.ranked = ranked;
            this.maxHints = maxHints;
        }

        /** The item ranked first, or null for no anomalies. */
        public String topCause() {
            return ranked.isEmpty() ? null : ranked.get(0).item;
        }

        /** Hints best first, scores summing to 1 over the returned hints' candidates; worded on each call. */
        public List<RootCauseHint> hints() {
            double total = ranked.stream().mapToDouble(c -> c.raw).sum();
            List<RootCauseHint> hints = new ArrayList<>();
            for (int i = 0; i < Math.min(maxHints, ranked.size()); i++) {
                Candidate c = ranked.get(i);
                hints.add(RootCauseHint.newBuilder()
                        .setItem(c.item)
                        .setRank(i + 1)
                        .setScore(total > 0 ? round(c.raw / total) : 0.0)
                        .setReasons(c.reasonsLater.get())
                        .setChanges(c.changeIds)
                        .build());
            }
            return hints;
        }
    }

    /** Candidates best first, scored. */
    private List<Candidate> ranked(List<AnomalyEntry> anomalies, List<ChangeEvent> changes, Topology topology,
            Collection<String> symptoms) {
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (AnomalyEntry entry : anomalies) {
            candidates.computeIfAbsent(entry.item, Candidate::new).add(entry);
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        Overlaps overlaps = new Overlaps(anomalies);
        long slack = settings.onsetResolutionMillis;
        for (Candidate c : candidates.values()) {
            c.finish(e -> candidates.size() == 1 || overlaps.withOtherItem(e.item, e.onset - slack, activeUntil(e) + slack));
        }
        List<Candidate> nodes = new ArrayList<>(candidates.values());
        int anomalous = nodes.size();
        for (String symptom : symptoms) {
            if (!candidates.containsKey(symptom)) {
                nodes.add(new Candidate(symptom));
            }
        }
        long earliest = Long.MAX_VALUE;
        double maxEvidence = Double.NEGATIVE_INFINITY;
        for (Candidate c : candidates.values()) {
            earliest = Math.min(earliest, c.onset);
            maxEvidence = Math.max(maxEvidence, c.evidence());
        }
        long firstOnset = earliest;
        for (Candidate c : nodes) {
            c.strength = c.peak == null || maxEvidence <= 0 ? 0.0 : c.evidence() / maxEvidence;
        }
        for (Candidate c : candidates.values()) {
            c.suspects = suspectChanges(c, changes);
            c.change = changeEvidence(c);
        }
        boolean knowTopology = !topology.isEmpty();
        boolean[][] reaches = knowTopology ? reach(nodes, topology) : new boolean[nodes.size()][nodes.size()];
        scopeHosts(nodes, reaches);
        dropLaterDependencies(nodes, anomalous, reaches);
        double[] walk = walk(nodes, anomalous, reaches, symptoms);
        double maxWalk = 0;
        for (int i = 0; i < anomalous; i++) {
            maxWalk = Math.max(maxWalk, walk[i]);
        }
        double walkTotal = 0;
        for (int i = 0; i < anomalous; i++) {
            walkTotal += walk[i];
        }
        int others = anomalous - 1;

        for (int i = 0; i < anomalous; i++) {
            Candidate c = nodes.get(i);
            // Onset against what the candidate would explain (itself and the anomalous items depending on it):
            // an anomaly that began long before the rest of the incident gets no credit for being first.
            long coneStart = c.onset;
            for (int j = 0; j < anomalous; j++) {
                if (j != i && reaches[j][i]) {
                    coneStart = Math.min(coneStart, nodes.get(j).onset);
                }
            }
            double onset = 0.5 * Math.exp(-(c.onset - coneStart) / (double) settings.onsetResolutionMillis)
                    + 0.5 * Math.exp(-(c.onset - firstOnset) / (double) settings.onsetResolutionMillis);
            double topo = 0.5;
            int anomalousDependencies = 0;
            int explained = 0;
            if (knowTopology) {
                for (int j = 0; j < anomalous; j++) {
                    if (j == i) {
                        continue;
                    }
                    if (reaches[i][j] && nodes.get(j).causal()) {
                        anomalousDependencies++;
                    }
                    if (reaches[j][i]) {
                        explained++;
                    }
                }
                double leaf = anomalousDependencies == 0 ? 1.0 : 0.0;
                double explains = others == 0 ? 1.0 : (double) explained / others;
                topo = 0.5 * leaf + 0.5 * explains;
            }
            c.walk = maxWalk > 0 ? walk[i] / maxWalk : 0.0;
            List<ChangeEvent> suspects = c.suspects;
            double change = c.change;
            c.raw = settings.walkWeight * c.walk + settings.topologyWeight * topo + settings.onsetWeight * onset
                    + settings.strengthWeight * c.strength + settings.changeWeight * change;
            // Reasons are worded later, only for the hints returned: formatting them for every candidate was
            // most of the cost of ranking a large incident.
            final int dependencies = anomalousDependencies;
            final int explainedCount = explained;
            final double walkShare = walkTotal > 0 ? walk[i] / walkTotal : 0.0;
            c.reasonsLater = () -> reasons(c, firstOnset, knowTopology, dependencies, explainedCount, suspects,
                    walkShare);
            c.changeIds = suspects.isEmpty() ? List.of() : suspects.stream().map(ChangeEvent::getId).toList();
        }

        List<Candidate> ranked = new ArrayList<>(nodes.subList(0, anomalous));
        ranked.sort(Comparator.comparingDouble((Candidate c) -> -c.raw).thenComparingLong(c -> c.onset)
                .thenComparing(c -> c.item));
        return ranked;
    }

    /**
     * Answers whether an anomaly of another item was active at some time in an interval, in O(log n) after an
     * O(n log n) set-up: anomalies by onset, and for every prefix the two latest ends among distinct items.
     */
    static final class Overlaps {
        private final long[] onsets;
        private final long[] latestEnd;
        private final String[] latestItem;
        private final long[] secondEnd;

        Overlaps(List<AnomalyEntry> anomalies) {
            List<AnomalyEntry> byOnset = new ArrayList<>(anomalies);
            byOnset.sort(Comparator.comparingLong(e -> e.onset));
            int n = byOnset.size();
            onsets = new long[n];
            latestEnd = new long[n];
            latestItem = new String[n];
            secondEnd = new long[n];
            long first = Long.MIN_VALUE;
            String firstItem = null;
            long second = Long.MIN_VALUE;
            for (int i = 0; i < n; i++) {
                AnomalyEntry e = byOnset.get(i);
                long until = activeUntil(e);
                if (e.item.equals(firstItem)) {
                    first = Math.max(first, until);
                } else if (until > first) {
                    second = first;
                    first = until;
                    firstItem = e.item;
                } else {
                    second = Math.max(second, until);
                }
                onsets[i] = e.onset;
                latestEnd[i] = first;
                latestItem[i] = firstItem;
                secondEnd[i] = second;
            }
        }

        /** Whether an anomaly of an item other than {@code item} was active at some time in [from, to]. */
        boolean withOtherItem(String item, long from, long to) {
            int lo = 0;
            int hi = onsets.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (onsets[mid] <= to) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo == 0) {
                return false;
            }
            long end = item.equals(latestItem[lo - 1]) ? secondEnd[lo - 1] : latestEnd[lo - 1];
            return end >= from;
        }
    }

    static long activeUntil(AnomalyEntry e) {
        return e.end >= 0 ? e.end : Math.max(e.time, e.onset);
    }

    /**
     * {@code reaches[i][j]}: node i depends on node j within the hop limit. The topology keeps each item's
     * neighbourhood between rankings, so this is a look-up per pair rather than a search per node.
     */
    private static boolean[][] reach(List<Candidate> nodes, Topology topology) {
        int n = nodes.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i).item, i);
        }
        // A symptom named twice is two nodes of one item: only the last one counts as reached.
        boolean[] reachable = new boolean[n];
        for (int j = 0; j < n; j++) {
            reachable[j] = index.get(nodes.get(j).item) == j;
        }
        boolean[][] reaches = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            String from = nodes.get(i).item;
            Set<String> dependencies = topology.dependenciesWithin(from, DEPENDENCY_HOPS);
            if (dependencies.isEmpty()) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                String to = nodes.get(j).item;
                reaches[i][j] = reachable[j] && !to.equals(from) && dependencies.contains(to);
            }
        }
        return reaches;
    }

    /**
     * A dependency whose anomalies began well after an item's (more than the onset resolution later) cannot have
     * caused them: an effect does not precede its cause. Its anomaly is another effect, or a fault of its own, but no
     * explanation of the item's, so the item does not count as depending on it.
     */
    private void dropLaterDependencies(List<Candidate> nodes, int anomalous, boolean[][] reaches) {
        long slack = settings.onsetResolutionMillis;
        for (int i = 0; i < anomalous; i++) {
            Candidate from = nodes.get(i);
            for (int j = 0; j < anomalous; j++) {
                if (reaches[i][j] && nodes.get(j).onset > from.onset + slack) {
                    reaches[i][j] = false;
                }
            }
        }
    }

    /**
     * A host explains only the anomalies of what runs on it. Alerts name the host they were raised on, and the topology
     * lifts "runs on" from instances to their service, so a service depends on every host any of its instances runs
     * on: a host's anomaly (often a busy neighbour) would otherwise explain every service with an instance there.
     * Where an item's anomalies name hosts, it depends on an item that alerts name as a host only if its own
     * anomalies name that one; an item whose anomalies name no host keeps the topology's answer (nothing says where
     * it runs).
     */
    private static void scopeHosts(List<Candidate> nodes, boolean[][] reaches) {
        Set<String> hosts = new java.util.HashSet<>();
        for (Candidate c : nodes) {
            hosts.addAll(c.hosts);
        }
        if (hosts.isEmpty()) {
            return;
        }
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            Set<String> named = nodes.get(i).hosts;
            if (named.isEmpty()) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                String to = nodes.get(j).item;
                if (reaches[i][j] && hosts.contains(to) && !named.contains(to)) {
                    reaches[i][j] = false;
                }
            }
        }
    }

    /**
     * A personalised PageRank over the anomalous subgraph. The walker starts at a symptom; from an item it moves to
     * one of its nearest anomalous dependencies (no other one that could be a cause lies between them; a callee whose
     * anomalies only show that its traffic fell does not stand in the way, and is no destination) with odds set by
     * that dependency's strength and by how closely their onsets match, or stays, with odds set by its own strength
     * (raised by a recent change to it); with probability 1 - damping it restarts at a symptom. Mass piles up at the
     * items the symptoms' anomalies lead to and that lead no further.
     */
    private double[] walk(List<Candidate> nodes, int anomalous, boolean[][] reaches, Collection<String> symptoms) {
        int n = nodes.size();
        // The walk restarts at the named symptoms and at the incident's entry points, the anomalous items that no
        // other anomalous item or symptom depends on (each an alarm in its own right), the latter by strength.
        double[] restart = new double[n];
        for (int i = 0; i < n; i++) {
            if (symptoms.contains(nodes.get(i).item)) {
                restart[i] = 1.0;
            } else if (i < anomalous) {
                boolean dependedOn = false;
                for (int j = 0; j < n; j++) {
                    dependedOn |= j != i && reaches[j][i];
                }
                int cone = 0;
                for (int j = 0; j < anomalous; j++) {
                    cone += j != i && reaches[i][j] ? 1 : 0;
                }
                restart[i] = dependedOn ? 0.0 : Math.max(nodes.get(i).strength, 1e-6) * (1 + cone);
            }
        }
        if (sum(restart) == 0) {
            // Every anomalous item is depended on (a dependency cycle): start anywhere, by strength.
            for (int i = 0; i < anomalous; i++) {
                restart[i] = Math.max(nodes.get(i).strength, 1e-6);
            }
        }
        normalise(restart);

        boolean[] causal = new boolean[anomalous];
        for (int k = 0; k < anomalous; k++) {
            causal[k] = nodes.get(k).causal();
        }
        double[][] move = new double[n][n];
        for (int i = 0; i < n; i++) {
            Candidate from = nodes.get(i);
            boolean[] fromReaches = reaches[i];
            for (int j = 0; j < n; j++) {
                if (j == i || !fromReaches[j] || j >= anomalous) {
                    continue;
                }
                boolean nearest = true;
                for (int k = 0; k < anomalous && nearest; k++) {
                    nearest = k == i || k == j || !causal[k] || !(fromReaches[k] && reaches[k][j]);
                }
                if (nearest) {
                    Candidate to = nodes.get(j);
                    move[i][j] = to.strength * alignment(from, to) * coverage(from, to);
                }
            }
            // Staying means "this item is where it starts"; a change made to it shortly before its onset says so too.
            move[i][i] = from.strength * (1.0 + CHANGE_STAY_BOOST * from.change);
            if (sum(move[i]) == 0) {
                move[i][i] = 1.0;
            }
            normalise(move[i]);
        }

        // The moves as lists of the non-zero odds per item: most items move to one or two others, and adding the
        // zeros (in the same order as the dense product did) changed nothing.
        int[][] targets = new int[n][];
        double[][] odds = new double[n][];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                if (move[i][j] != 0) {
                    count++;
                }
            }
            targets[i] = new int[count];
            odds[i] = new double[count];
            int k = 0;
            for (int j = 0; j < n; j++) {
                if (move[i][j] != 0) {
                    targets[i][k] = j;
                    odds[i][k++] = move[i][j];
                }
            }
        }
        double[] visits = restart.clone();
        double[] next = new double[n];
        for (int iteration = 0; iteration < WALK_ITERATIONS; iteration++) {
            java.util.Arrays.fill(next, 0.0);
            for (int i = 0; i < n; i++) {
                next[i] += (1 - DAMPING) * restart[i];
                int[] to = targets[i];
                double[] p = odds[i];
                for (int k = 0; k < to.length; k++) {
                    next[to[k]] += DAMPING * visits[i] * p[k];
                }
            }
            double[] swap = visits;
            visits = next;
            next = swap;
        }
        return visits;
    }

    /**
     * How plausibly the dependency's anomaly travelled to the caller's, from their onsets: 1 when they start
     * together, decaying with the gap in units of the onset resolution, twice as fast when the dependency started
     * after its caller (an effect does not precede its cause).
     */
    private double alignment(Candidate caller, Candidate dependency) {
        if (caller.peak == null || dependency.peak == null) {
            return 1.0;
        }
        long lag = dependency.onset - caller.onset;
        return Math.exp(-(lag > 0 ? 2.0 * lag : -lag) / (double) settings.onsetResolutionMillis);
    }

    /**
     * How much of the caller's anomalous span the dependency's anomaly lasted through, give or take the onset
     * resolution: effects end with their cause, so a dependency that recovered long before its caller did explains
     * at most the start. 1 when the caller's span is too short to tell.
     */
    private double coverage(Candidate caller, Candidate dependency) {
        if (caller.peak == null || dependency.peak == null) {
            return 1.0;
        }
        long slack = settings.onsetResolutionMillis;
        long span = caller.until - caller.onset;
        if (span <= slack) {
            return 1.0;
        }
        long covered = Math.min(caller.until, dependency.until + slack) - caller.onset;
        return Math.max(0.0, Math.min(1.0, covered / (double) span));
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    private static void normalise(double[] values) {
        double total = sum(values);
        if (total > 0) {
            for (int i = 0; i < values.length; i++) {
                values[i] /= total;
            }
        }
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

    /**
     * 1 for a change made at (or after) the item's onset, fading exponentially with the time from the change to the
     * onset, by e every third of the look-back: a fault a change causes usually shows within minutes of it, while
     * routine changes happen all the time and one made long before an onset says little.
     */
    private double changeEvidence(Candidate c) {
        double best = 0;
        double scale = Math.max(1, changeLookbackMillis / 3.0);
        for (ChangeEvent change : c.suspects) {
            long before = Math.max(0, c.onset - change.getTime().toEpochMilli());
            best = Math.max(best, Math.exp(-before / scale));
        }
        return best;
    }

    private List<ChangeEvent> suspectChanges(Candidate c, List<ChangeEvent> changes) {
        return suspectChanges(c.item, c.onset, changes);
    }

    private static List<String> reasons(Candidate c, long firstOnset, boolean knowTopology, int anomalousDependencies,
            int explained, List<ChangeEvent> suspects, double walkShare) {
        // Worded by concatenation and Decimals rather than String.format: the same text, without a Formatter per line.
        List<String> reasons = new ArrayList<>();
        AnomalyEntry peak = c.peak;
        // Beyond SIGMA_SHOWN the σ only says the baseline was flat (e.g. no error lines at all): say that instead of
        // printing billions of σ.
        String strength = Math.abs(peak.deviation) > SIGMA_SHOWN
                ? "over " + (long) SIGMA_SHOWN + "σ " + (peak.up ? "above" : "below") + " a flat baseline from "
                : Decimals.fixed(Math.abs(peak.deviation), 1) + "σ " + (peak.up ? "above" : "below") + " baseline from ";
        if (peak.alert()) {
            // An alert says only that its rule fired: evidence, not a measured deviation.
            reasons.add(c.item + " alert " + peak.metric + " (" + peak.alertSource + ", " + peak.alertSeverity
                    + ") firing from " + clock(Math.floorDiv(peak.onset, 1000L)));
        } else {
            reasons.add(c.item + " " + peak.metric + " " + strength + clock(Math.floorDiv(peak.onset, 1000L))
                    + " (observed " + number(peak.observed) + ", expected " + number(peak.expected) + ")");
        }
        long lead = c.onset - firstOnset;
        reasons.add(lead == 0 ? "earliest onset among the incident's anomalies"
                : "onset " + duration(lead) + " after the earliest anomaly");
        if (knowTopology) {
            if (anomalousDependencies == 0) {
                reasons.add(explained > 0
                        ? "depends on no other anomalous item; " + explained + " anomalous item"
                                + (explained == 1 ? "" : "s") + " depend" + (explained == 1 ? "s" : "") + " on it"
                        : "depends on no other anomalous item");
            } else {
                reasons.add("depends on " + anomalousDependencies + " other anomalous item"
                        + (anomalousDependencies == 1 ? "" : "s"));
            }
        }
        if (walkShare >= 0.005) {
            reasons.add("a random walk from the symptoms along anomalous dependencies ends here "
                    + Decimals.fixed(100 * walkShare, 0) + "% of the time");
        }
        if (!c.concurrent) {
            reasons.add("its anomalies were over before those of the other items began");
        } else if (!c.causal()) {
            reasons.add("its anomalies only show less traffic arriving, an effect of its callers rather than a fault of its own");
        }
        if (c.sigmaByMetric.size() > 1) {
            reasons.add("anomalous on " + c.sigmaByMetric.size() + " metrics");
        }
        for (ChangeEvent change : suspects) {
            long before = c.onset - change.getTime().toEpochMilli();
            reasons.add(change.getSummary() + " at " + clock(change.getTime().getEpochSecond()) + ", "
                    + duration(Math.max(0, before)) + " before onset"
                    + (change.getChangeRequest() == null ? "" : " (" + change.getChangeRequest() + ")"));
        }
        return reasons;
    }

    /**
     * The UTC time of day of an instant as HH:mm:ss, written by hand: a DateTimeFormatter per reason line was a third of
     * wording the hints ({@code RootCauseRankerTest} holds the two to the same text).
     */
    static String clock(long epochSecond) {
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        char[] text = new char[8];
        twoDigits(text, 0, secondOfDay / 3600);
        text[2] = ':';
        twoDigits(text, 3, secondOfDay / 60 % 60);
        text[5] = ':';
        twoDigits(text, 6, secondOfDay % 60);
        return new String(text);
    }

    private static void twoDigits(char[] text, int at, int value) {
        text[at] = (char) ('0' + value / 10);
        text[at + 1] = (char) ('0' + value % 10);
    }

    private static String number(double v) {
        return Math.abs(v) >= 100 ? Decimals.fixed(v, 0) : Decimals.threeSignificant(v);
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
        final List<AnomalyEntry> entries = new ArrayList<>();
        /** The hosts its alerts name (a host's own alerts name itself). */
        final Set<String> hosts = new java.util.HashSet<>();
        /** Onset of the earliest anomaly that counts (see {@link #finish}). */
        long onset = Long.MAX_VALUE;
        /** The latest time one of the anomalies that count was active. */
        long until = Long.MIN_VALUE;
        /** The strongest anomaly that counts, for the first reason. */
        AnomalyEntry peak;
        /** Largest deviation (σ) per metric among the anomalies that count as cause evidence. */
        final Map<String, Double> causeSigmaByMetric = new HashMap<>();
        /** Largest deviation (σ) per metric: an item anomalous on several metrics has more evidence. */
        final Map<String, Double> sigmaByMetric = new HashMap<>();
        /** Some of its anomalies overlap in time those of other items of the incident. */
        boolean concurrent;
        double strength;
        List<ChangeEvent> suspects = List.of();
        /** How strongly a change made to the item points at it: 1 just before its onset, fading with the gap. */
        double change;
        double walk;
        double raw;
        java.util.function.Supplier<List<String>> reasonsLater;
        List<String> changeIds;

        Candidate(String item) {
            this.item = item;
        }

        void add(AnomalyEntry entry) {
            entries.add(entry);
            if (entry.alertHost != null) {
                hosts.add(entry.alertHost);
            }
            sigmaByMetric.merge(entry.metric, Math.abs(entry.deviation), Math::max);
        }

        /**
         * Picks the anomalies that count: those that deviate in a harmful direction and overlap in time the
         * anomalies of other items (an episode that was over before the rest of the incident began is another
         * story). Failing those, the concurrent ones; failing those, all.
         */
        void finish(java.util.function.Predicate<AnomalyEntry> concurrentWithOthers) {
            List<AnomalyEntry> current = new ArrayList<>();
            List<AnomalyEntry> counting = new ArrayList<>();
            for (AnomalyEntry e : entries) {
                if (concurrentWithOthers.test(e)) {
                    current.add(e);
                    if (MetricMeaning.isCauseEvidence(e.metric, e.up)) {
                        counting.add(e);
                    }
                }
            }
            concurrent = !current.isEmpty();
            List<AnomalyEntry> basis = !counting.isEmpty() ? counting : concurrent ? current : entries;
            for (AnomalyEntry e : basis) {
                onset = Math.min(onset, e.onset);
                until = Math.max(until, activeUntil(e));
                if (peak == null || e.score > peak.score) {
                    peak = e;
                }
            }
            for (AnomalyEntry e : counting) {
                causeSigmaByMetric.merge(e.metric, Math.abs(e.deviation), Math::max);
            }
        }

        /**
         * Whether any of the item's anomalies could be a fault of its own that is part of the incident (not only an
         * effect of its callers, nor an episode over before the rest began).
         */
        boolean causal() {
            return !causeSigmaByMetric.isEmpty();
        }

        /**
         * Sum over the metrics that count as cause evidence of log(1 + σ): grows with every anomalous metric, slowly
         * with ever larger deviations.
         */
        double evidence() {
            double total = 0;
            for (double sigma : causeSigmaByMetric.values()) {
                total += Math.log1p(Math.min(sigma, SIGMA_CAP));
            }
            return total;
        }
    }
}
