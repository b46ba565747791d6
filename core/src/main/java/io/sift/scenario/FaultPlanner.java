package io.sift.scenario;

import io.sift.schema.ItemType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/** Places faults in time, chooses their roots and works out how they propagate. */
final class FaultPlanner {

    static final Duration MIN_FAULT = Duration.ofMinutes(5);
    static final Duration MAX_FAULT = Duration.ofMinutes(20);
    /** Time left after the last fault so that its recovery is visible. */
    static final Duration TAIL = Duration.ofMinutes(5);
    static final long QUEUE_DRAIN_MS = 30_000;
    /** Below this share of a callee's traffic, a partition does not visibly change the callee's rate. */
    static final double MIN_PARTITION_SHARE = 0.25;

    record BadDeploy(String service, Instant time, String changeId, int faultOrdinal) {
    }

    record Result(List<FaultPlan> plans, List<BadDeploy> badDeploys) {
    }

    private record Slot(FaultSpec spec, int specIndex, long startMs, long endMs) {
    }

    private final ScenarioGenerator cfg;
    private final Estate estate;
    private final Baselines base;

    FaultPlanner(ScenarioGenerator cfg, Estate estate, Baselines base) {
        this.cfg = cfg;
        this.estate = estate;
        this.base = base;
    }

    Result plan() {
        SplittableRandom rng = new SplittableRandom(Noise.hash(cfg.seed(), 0xFA017L));
        List<FaultSpec> specs = cfg.faultSpecs();
        List<Slot> slots = place(specs, rng);
        slots.sort(Comparator.comparingLong(Slot::startMs));

        List<FaultPlan> plans = new ArrayList<>();
        List<BadDeploy> deploys = new ArrayList<>();
        Set<String> usedRoots = new HashSet<>();
        for (int k = 0; k < slots.size(); k++) {
            Slot slot = slots.get(k);
            SplittableRandom frng = new SplittableRandom(Noise.hash(cfg.seed(), 0xFA017L, slot.specIndex()));
            String root = slot.spec().rootItem() != null ? slot.spec().rootItem()
                    : chooseRoot(slot.spec().type(), frng, usedRoots);
            usedRoots.add(root);
            String id = String.format("fault-%02d", k + 1);
            BadDeploy deploy = null;
            if (slot.spec().type() == FaultType.BAD_DEPLOY) {
                long before = 60_000 + frng.nextLong(120_001);
                before = before / 1000 * 1000;
                deploy = new BadDeploy(root, Instant.ofEpochMilli(slot.startMs() - before),
                        "deploy-" + hex(frng, 12), k);
                deploys.add(deploy);
            }
            plans.add(build(id, k, slot, root, frng, deploy));
        }
        return new Result(plans, deploys);
    }

    // ---------------------------------------------------------------- placement

    private List<Slot> place(List<FaultSpec> specs, SplittableRandom rng) {
        long startMs = cfg.start().toEpochMilli();
        long windowStart = startMs + cfg.warmUp().toMillis();
        long windowEnd = startMs + cfg.duration().toMillis() - TAIL.toMillis();
        long gap = cfg.minGap().toMillis();

        long[] durations = new long[specs.size()];
        long fixedTotal = 0;
        int randomCount = 0;
        for (int i = 0; i < specs.size(); i++) {
            FaultSpec s = specs.get(i);
            if (s.duration() != null) {
                durations[i] = s.duration().toMillis();
                fixedTotal += durations[i];
            } else {
                durations[i] = -1;
                randomCount++;
            }
        }
        // random durations, shrunk if needed so that everything fits
        long budget = windowEnd - windowStart - fixedTotal - (long) Math.max(0, specs.size() - 1) * gap;
        double[] raw = new double[specs.size()];
        long rawTotal = 0;
        for (int i = 0; i < specs.size(); i++) {
            if (durations[i] < 0) {
                raw[i] = MIN_FAULT.toMillis() + rng.nextDouble() * (MAX_FAULT.toMillis() - MIN_FAULT.toMillis());
                rawTotal += (long) raw[i];
            }
        }
        if (randomCount > 0 && rawTotal > budget) {
            double extra = budget - (double) randomCount * MIN_FAULT.toMillis();
            double rawExtra = rawTotal - (double) randomCount * MIN_FAULT.toMillis();
            double f = Math.max(0, extra) / rawExtra;
            for (int i = 0; i < specs.size(); i++) {
                if (durations[i] < 0) {
                    raw[i] = MIN_FAULT.toMillis() + (raw[i] - MIN_FAULT.toMillis()) * f;
                }
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            if (durations[i] < 0) {
                durations[i] = Math.max(MIN_FAULT.toMillis(), (long) raw[i] / 30_000 * 30_000);
            }
        }

        List<Slot> slots = new ArrayList<>();
        boolean anyFixed = specs.stream().anyMatch(s -> s.startOffset() != null);
        if (!anyFixed) {
            long need = (long) Math.max(0, specs.size() - 1) * gap;
            for (long d : durations) {
                need += d;
            }
            long slack = windowEnd - windowStart - need;
            if (slack < 0) {
                throw new IllegalStateException("cannot fit " + specs.size() + " faults (" + need / 60_000
                        + " min of faults and gaps) between the warm-up and the end of the scenario ("
                        + (windowEnd - windowStart) / 60_000 + " min): use fewer faults, a shorter minGapBetweenFaults"
                        + " or warm-up, or a longer duration");
            }
            long[] offsets = new long[specs.size()];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = (long) (rng.nextDouble() * slack) / 1000 * 1000;
            }
            java.util.Arrays.sort(offsets);
            long cursor = windowStart;
            for (int i = 0; i < specs.size(); i++) {
                long s = cursor + offsets[i];
                slots.add(new Slot(specs.get(i), i, s, s + durations[i]));
                cursor += durations[i] + gap;
            }
            return slots;
        }
        for (int i = 0; i < specs.size(); i++) {
            FaultSpec s = specs.get(i);
            if (s.startOffset() != null) {
                long st = startMs + s.startOffset().toMillis();
                slots.add(new Slot(s, i, st, st + durations[i]));
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            FaultSpec s = specs.get(i);
            if (s.startOffset() != null) {
                continue;
            }
            long d = durations[i];
            // feasible starts: [windowStart, windowEnd - d] minus the neighbourhood of placed faults
            TreeSet<long[]> free = new TreeSet<>(Comparator.comparingLong(a -> a[0]));
            free.add(new long[]{windowStart, windowEnd - d});
            for (Slot p : slots) {
                long lo = p.startMs() - gap - d;
                long hi = p.endMs() + gap;
                TreeSet<long[]> next = new TreeSet<>(Comparator.comparingLong(a -> a[0]));
                for (long[] iv : free) {
                    if (iv[1] <= lo || iv[0] >= hi) {
                        next.add(iv);
                    } else {
                        if (iv[0] < lo) {
                            next.add(new long[]{iv[0], lo});
                        }
                        if (iv[1] > hi) {
                            next.add(new long[]{hi, iv[1]});
                        }
                    }
                }
                free = next;
            }
            free.removeIf(iv -> iv[1] < iv[0]);
            if (free.isEmpty()) {
                throw new IllegalStateException("cannot place fault " + (i + 1) + " (" + s.type() + ", "
                        + d / 60_000 + " min) next to the faults with explicit start offsets while keeping "
                        + cfg.minGap().toMinutes() + " min between faults, starting after the warm-up and ending "
                        + TAIL.toMinutes() + " min before the end: give it an explicit start offset, or use fewer"
                        + " faults, a shorter gap or a longer duration");
            }
            long total = 0;
            for (long[] iv : free) {
                total += iv[1] - iv[0];
            }
            long pick = (long) (rng.nextDouble() * total);
            long st = free.first()[0];
            for (long[] iv : free) {
                long len = iv[1] - iv[0];
                if (pick <= len) {
                    st = iv[0] + pick;
                    break;
                }
                pick -= len;
            }
            slots.add(new Slot(s, i, st, st + d));
        }
        return slots;
    }

    // ---------------------------------------------------------------- roots

    private String chooseRoot(FaultType type, SplittableRandom rng, Set<String> used) {
        List<String> candidates = new ArrayList<>();
        switch (type) {
            case BAD_DEPLOY -> {
                for (String s : estate.ids(ItemType.SERVICE)) {
                    if (!estate.callersOf(s).isEmpty()) {
                        candidates.add(s);
                    }
                }
            }
            case NETWORK_PARTITION -> {
                for (String s : estate.ids(ItemType.SERVICE)) {
                    if (!estate.callersOf(s).isEmpty() && partitionTarget(s) != null
                            && base.share(s, partitionTarget(s)) >= MIN_PARTITION_SHARE) {
                        candidates.add(s);
                    }
                }
                if (candidates.isEmpty()) {
                    for (String s : estate.ids(ItemType.SERVICE)) {
                        if (!estate.callersOf(s).isEmpty() && partitionTarget(s) != null) {
                            candidates.add(s);
                        }
                    }
                }
            }
            case DEPENDENCY_OUTAGE -> {
                for (EstateItem it : estate.items()) {
                    if (type.allowsRoot(it.type()) && !estate.callersOf(it.id()).isEmpty()) {
                        candidates.add(it.id());
                    }
                }
            }
            case RESOURCE_SATURATION -> {
                candidates.addAll(rng.nextDouble() < 0.7 ? estate.ids(ItemType.DATABASE) : estate.ids(ItemType.HOST));
                if (candidates.isEmpty()) {
                    candidates.addAll(estate.ids(ItemType.HOST));
                }
            }
            case NOISY_NEIGHBOUR -> candidates.addAll(estate.ids(ItemType.HOST));
        }
        List<String> fresh = candidates.stream().filter(c -> !used.contains(c)).toList();
        List<String> pool = fresh.isEmpty() ? candidates : fresh;
        return pool.get(rng.nextInt(pool.size()));
    }

    /** The callee a partition of {@code service} cuts off: the one that gets the largest share of its traffic from it. */
    String partitionTarget(String service) {
        String best = null;
        double bestShare = -1;
        for (String callee : estate.calleesOf(service)) {
            double s = base.share(service, callee);
            if (s > bestShare) {
                bestShare = s;
                best = callee;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- effects

    private FaultPlan build(String id, int ordinal, Slot slot, String root, SplittableRandom rng, BadDeploy deploy) {
        FaultType type = slot.spec().type();
        ItemType rootType = estate.item(root).orElseThrow().type();
        long start = slot.startMs();
        long end = slot.endMs();
        long interval = cfg.sampleInterval().toMillis();
        double lpm = cfg.logLinesPerServicePerMinute();
        double lpmFault = Math.max(6, lpm) * Baselines.u(rng, 3, 6);
        int n = estate.items().size();
        FaultPlan.Effect[] eff = new FaultPlan.Effect[n];
        Map<String, Double> passOn = new LinkedHashMap<>(); // item -> strength passed to its callers
        FaultPlan.Effect r = new FaultPlan.Effect();
        r.hop = 0;
        r.onsetMs = start;
        r.endMs = end;
        eff[estate.indexOf(root)] = r;

        double svcLatency; // service latency factor at strength 1
        double svcErrors;  // service error ratio added at strength 1
        int maxHops;
        List<String> rootMetrics = new ArrayList<>();
        String what;
        FaultPlan.LogKind hop1Kind;
        String partitionPeer = null;

        boolean infraRoot = rootType != ItemType.SERVICE;
        maxHops = infraRoot ? 2 + rng.nextInt(2) : pickHops(rng);
        switch (type) {
            case BAD_DEPLOY -> {
                svcLatency = Baselines.u(rng, 3, 8);
                svcErrors = Baselines.u(rng, 0.05, 0.40);
                r.latencyFactor = svcLatency;
                r.errorAdd = svcErrors;
                r.logKind = FaultPlan.LogKind.DEPLOY_EXCEPTIONS;
                rootMetrics.add(MetricNames.HTTP_ERROR_RATIO);
                rootMetrics.add(MetricNames.HTTP_DURATION_P95);
                what = String.format(Locale.ROOT, "bad deploy of %s: errors +%.0f %%, latency x%.1f", root,
                        svcErrors * 100, svcLatency);
                hop1Kind = FaultPlan.LogKind.CALLER_OF_SERVICE;
            }
            case NETWORK_PARTITION -> {
                svcLatency = Baselines.u(rng, 3, 6);
                svcErrors = Baselines.u(rng, 0.08, 0.40);
                r.latencyFactor = svcLatency;
                r.errorAdd = svcErrors;
                r.logKind = FaultPlan.LogKind.PARTITION;
                partitionPeer = partitionTarget(root);
                r.blame = partitionPeer;
                r.blameType = ItemType.SERVICE;
                rootMetrics.add(MetricNames.HTTP_ERROR_RATIO);
                rootMetrics.add(MetricNames.HTTP_DURATION_P95);
                what = String.format(Locale.ROOT, "network partition between %s and %s: errors +%.0f %%, latency x%.1f"
                        + " on %s", root, partitionPeer, svcErrors * 100, svcLatency, root);
                hop1Kind = FaultPlan.LogKind.CALLER_OF_SERVICE;
            }
            case DEPENDENCY_OUTAGE -> {
                switch (rootType) {
                    case DATABASE -> {
                        r.dbLatencyFactor = Baselines.u(rng, 5, 10);
                        r.connectionTarget = Baselines.u(rng, 0.9, 1.0);
                        svcLatency = Baselines.u(rng, 3, 8);
                        svcErrors = Baselines.u(rng, 0.05, 0.35);
                        rootMetrics.add(MetricNames.DB_DURATION_P95);
                        rootMetrics.add(MetricNames.DB_CONNECTION_USAGE);
                        what = String.format(Locale.ROOT, "%s unavailable: db latency x%.1f, connections %.0f %%", root,
                                r.dbLatencyFactor, r.connectionTarget * 100);
                        hop1Kind = FaultPlan.LogKind.CALLER_OF_DATABASE;
                    }
                    case CACHE -> {
                        r.hitRatioTarget = Baselines.u(rng, 0.02, 0.3);
                        svcLatency = Baselines.u(rng, 2.5, 5);
                        svcErrors = Baselines.u(rng, 0.01, 0.06);
                        rootMetrics.add(MetricNames.CACHE_HIT_RATIO);
                        what = String.format(Locale.ROOT, "%s unavailable: hit ratio %.0f %%, callers fall back to"
                                + " the database", root, r.hitRatioTarget * 100);
                        hop1Kind = FaultPlan.LogKind.CALLER_OF_CACHE;
                    }
                    default -> {
                        r.queueGrowth = Baselines.u(rng, 10, 40);
                        svcLatency = Baselines.u(rng, 2, 4);
                        svcErrors = Baselines.u(rng, 0.05, 0.30);
                        rootMetrics.add(MetricNames.QUEUE_DEPTH);
                        what = String.format(Locale.ROOT, "%s brokers degraded: consumers stalled, depth up to x%.0f,"
                                + " producers failing", root, r.queueGrowth + 1);
                        hop1Kind = FaultPlan.LogKind.CALLER_OF_QUEUE;
                    }
                }
            }
            case RESOURCE_SATURATION -> {
                if (rootType == ItemType.DATABASE) {
                    r.connectionTarget = Baselines.u(rng, 0.92, 1.0);
                    r.dbLatencyFactor = Baselines.u(rng, 3, 6);
                    svcLatency = Baselines.u(rng, 2.5, 6);
                    svcErrors = Baselines.u(rng, 0.02, 0.15);
                    rootMetrics.add(MetricNames.DB_CONNECTION_USAGE);
                    rootMetrics.add(MetricNames.DB_DURATION_P95);
                    what = String.format(Locale.ROOT, "%s connection pool saturated: %.0f %% in use, db latency x%.1f",
                            root, r.connectionTarget * 100, r.dbLatencyFactor);
                    hop1Kind = FaultPlan.LogKind.CALLER_OF_DATABASE;
                } else {
                    r.memoryTarget = Baselines.u(rng, 0.93, 0.99);
                    r.cpuAdd = Baselines.u(rng, 0.12, 0.25);
                    svcLatency = Baselines.u(rng, 2.5, 5);
                    svcErrors = Baselines.u(rng, 0.02, 0.12);
                    rootMetrics.add(MetricNames.MEMORY_UTILIZATION);
                    rootMetrics.add(MetricNames.CPU_UTILIZATION);
                    what = String.format(Locale.ROOT, "%s memory exhausted: %.0f %% used, swapping and OOM kills",
                            root, r.memoryTarget * 100);
                    hop1Kind = FaultPlan.LogKind.HOST_MEMORY;
                }
            }
            default -> { // NOISY_NEIGHBOUR
                r.cpuTarget = Baselines.u(rng, 0.90, 0.99);
                svcLatency = Baselines.u(rng, 2, 4.5);
                svcErrors = Baselines.u(rng, 0.0, 0.02);
                rootMetrics.add(MetricNames.CPU_UTILIZATION);
                what = String.format(Locale.ROOT, "noisy neighbour on %s: cpu %.0f %%, every instance on it slowed",
                        root, r.cpuTarget * 100);
                hop1Kind = FaultPlan.LogKind.HOST_CPU;
            }
        }
        if (!infraRoot) {
            r.strength = 1;
            r.errorLinesPerMinute = lpmFault;
            r.warnLinesPerMinute = lpmFault * 0.25;
        }
        Map<String, Integer> hops = new LinkedHashMap<>();
        Map<String, Instant> onsets = new LinkedHashMap<>();
        hops.put(root, 0);
        onsets.put(root, Instant.ofEpochMilli(start));

        // hop 1
        List<String> frontier = new ArrayList<>();
        if (rootType == ItemType.HOST) {
            long lag = lag(rng, interval);
            for (String s : estate.servicesOn(root)) {
                int total = estate.instancesOf(s).size();
                long onHost = estate.instancesOf(s).stream().filter(i -> i.host().equals(root)).count();
                FaultPlan.Effect e = serviceEffect(1, start + lag, end + lag, Baselines.u(rng, 0.75, 1.0),
                        svcLatency, svcErrors, lpmFault, hop1Kind, root, ItemType.HOST);
                e.onlyHost = root;
                eff[estate.indexOf(s)] = e;
                passOn.put(s, e.strength * onHost / total);
                frontier.add(s);
            }
        } else if (infraRoot) {
            for (String s : estate.callersOf(root)) {
                long lag = lag(rng, interval);
                FaultPlan.Effect e = serviceEffect(1, start + lag, end + lag, Baselines.u(rng, 0.75, 1.0),
                        svcLatency, svcErrors, lpmFault, hop1Kind, root, rootType);
                eff[estate.indexOf(s)] = e;
                passOn.put(s, e.strength);
                frontier.add(s);
            }
        } else {
            passOn.put(root, 1.0);
            frontier.add(root);
        }
        for (String s : frontier) {
            if (!s.equals(root)) {
                hops.put(s, 1);
                onsets.put(s, Instant.ofEpochMilli(eff[estate.indexOf(s)].onsetMs));
            }
        }
        // further hops: callers of the frontier
        int hop = infraRoot ? 1 : 0;
        while (hop < maxHops && !frontier.isEmpty()) {
            hop++;
            Map<String, String> bestParent = new LinkedHashMap<>();
            Map<String, Double> bestStrength = new LinkedHashMap<>();
            for (String x : frontier) {
                for (String y : estate.callersOf(x)) {
                    if (hops.containsKey(y)) {
                        continue;
                    }
                    double s = passOn.get(x) * Baselines.u(rng, 0.45, 0.7);
                    if (s > bestStrength.getOrDefault(y, 0.0)) {
                        bestStrength.put(y, s);
                        bestParent.put(y, x);
                    }
                }
            }
            List<String> next = new ArrayList<>();
            for (Map.Entry<String, Double> c : bestStrength.entrySet()) {
                if (c.getValue() < 0.12) {
                    continue;
                }
                String y = c.getKey();
                String parent = bestParent.get(y);
                FaultPlan.Effect pe = eff[estate.indexOf(parent)];
                long onset = pe.onsetMs + lag(rng, interval);
                ItemType parentType = estate.item(parent).orElseThrow().type();
                FaultPlan.LogKind kind = parentType == ItemType.SERVICE ? FaultPlan.LogKind.CALLER_OF_SERVICE
                        : hop1Kind;
                FaultPlan.Effect e = serviceEffect(hop, onset, end + (onset - start), c.getValue(), svcLatency,
                        svcErrors, lpmFault, kind, parent, parentType);
                eff[estate.indexOf(y)] = e;
                passOn.put(y, e.strength);
                hops.put(y, hop);
                onsets.put(y, Instant.ofEpochMilli(onset));
                next.add(y);
            }
            frontier = next;
        }
        // the far side of a partition loses the root's share of its traffic
        if (partitionPeer != null) {
            double share = base.share(root, partitionPeer);
            if (share >= MIN_PARTITION_SHARE && !hops.containsKey(partitionPeer)) {
                FaultPlan.Effect e = new FaultPlan.Effect();
                e.hop = 1;
                e.onsetMs = start;
                e.endMs = end;
                e.rateFactor = 1 - share;
                e.strength = share;
                eff[estate.indexOf(partitionPeer)] = e;
                hops.put(partitionPeer, 1);
                onsets.put(partitionPeer, Instant.ofEpochMilli(start));
                what += String.format(Locale.ROOT, "; %s request rate -%.0f %%", partitionPeer, share * 100);
            }
        }
        String description = type + " on " + root + ": " + what + "; " + hops.size() + " items affected";
        if (deploy != null) {
            description += " (deploy " + deploy.changeId() + ")";
        }
        InjectedFault truth = new InjectedFault(id, type, root, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end),
                new TreeSet<>(hops.keySet()), hops, onsets, rootMetrics, deploy == null ? null : deploy.changeId(),
                description);
        return new FaultPlan(truth, ordinal, eff, r.queueGrowth > 0 ? QUEUE_DRAIN_MS : 0);
    }

    private static FaultPlan.Effect serviceEffect(int hop, long onset, long end, double strength, double svcLatency,
                                                  double svcErrors, double lpmFault, FaultPlan.LogKind kind,
                                                  String blame, ItemType blameType) {
        FaultPlan.Effect e = new FaultPlan.Effect();
        e.hop = hop;
        e.onsetMs = onset;
        e.endMs = end;
        e.strength = strength;
        e.latencyFactor = Math.max(1.5, 1 + (svcLatency - 1) * strength);
        e.errorAdd = svcErrors * strength;
        e.blame = blame;
        e.blameType = blameType;
        e.logKind = kind;
        boolean erroring = e.errorAdd >= 0.005;
        double errWeight;
        double warnWeight;
        switch (kind) {
            case CALLER_OF_CACHE -> {
                errWeight = 0.3;
                warnWeight = 0.8;
            }
            case HOST_CPU -> {
                errWeight = 0.15;
                warnWeight = 0.9;
            }
            case HOST_MEMORY -> {
                errWeight = 0.7;
                warnWeight = 0.5;
            }
            default -> {
                errWeight = erroring ? 0.9 : 0.1;
                warnWeight = erroring ? 0.3 : 0.8;
            }
        }
        e.errorLinesPerMinute = lpmFault * strength * errWeight;
        e.warnLinesPerMinute = lpmFault * strength * warnWeight;
        return e;
    }

    private static int pickHops(SplittableRandom rng) {
        double u = rng.nextDouble();
        return u < 0.2 ? 1 : u < 0.65 ? 2 : 3;
    }

    private static long lag(SplittableRandom rng, long interval) {
        return (long) (interval * (1.0 + rng.nextDouble()));
    }

    static String hex(SplittableRandom rng, int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append(Character.forDigit(rng.nextInt(16), 16));
        }
        return sb.toString();
    }
}
