package io.sift.scenario;

import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Metric series and their values. A value is a pure function of (seed, series, step), so the stream can be produced
 * lazily and repeatedly with identical output:
 * level(day curve, item baseline) x slow wander x white noise x benign bump x fault effect.
 */
final class MetricModel {

    enum Kind { RATE, P95, ERRORS, CPU, MEMORY, DB_P95, DB_CONNECTIONS, HIT_RATIO, DEPTH }

    private static final long SALT_NOISE = 0x401CEL;
    private static final long SALT_WANDER = 0x3A4DE2L;
    private static final long SALT_BUMP = 0xB0A7L;
    private static final long SALT_FAULT = 0xFA0L;
    private static final long SALT_GLITCH = 0x611CL;
    private static final long BUMP_SLOT_MS = 30 * 60_000L;
    private static final long ROLLOUT_MS = 90_000L;
    /** Latency rise while a deploy rolls out, in sigmas of the series. */
    private static final double ROLLOUT_SIGMAS = 1.2;

    static final class Series {
        final int id;
        final Kind kind;
        final int item;
        final String host;        // host the instance runs on (services) or null
        final SeriesInfo info;
        final long phaseMs;
        final double sigma;       // relative white noise
        final double wander;      // relative amplitude of slow wander
        final long knotMs;
        final double share;       // share of the service's traffic this instance serves

        Series(int id, Kind kind, int item, String host, SeriesInfo info, long phaseMs, double sigma, double wander,
               long knotMs, double share) {
            this.id = id;
            this.kind = kind;
            this.item = item;
            this.host = host;
            this.info = info;
            this.phaseMs = phaseMs;
            this.sigma = sigma;
            this.wander = wander;
            this.knotMs = knotMs;
            this.share = share;
        }
    }

    private final long seed;
    private final long startMs;
    private final long intervalMs;
    private final long steps;
    private final Baselines base;
    private final List<FaultPlan> plans;
    private final long[][] deploysByItem;
    private final boolean bumps;
    final Series[] series;        // definition order
    final Series[] emitOrder;     // by phase, then definition order
    /** Background noise glitches, in start order. */
    final List<NoisePlanner.Glitch> glitches;
    /** Glitches by series id; null where a series has none. */
    private final NoisePlanner.Glitch[][] glitchesBySeries;

    MetricModel(ScenarioGenerator cfg, Estate estate, Baselines base, Map<String, Resource> instanceResources,
                List<FaultPlan> plans, long[][] deploysByItem) {
        this.seed = cfg.seed();
        this.startMs = cfg.start().toEpochMilli();
        this.intervalMs = cfg.sampleInterval().toMillis();
        this.steps = cfg.duration().toMillis() / intervalMs;
        this.base = base;
        this.plans = plans;
        this.deploysByItem = deploysByItem;
        this.bumps = cfg.benignBumps();
        String env = cfg.environment();

        List<Series> list = new ArrayList<>();
        Map<String, String> none = Map.of();
        for (EstateItem it : estate.items()) {
            int idx = estate.indexOf(it.id());
            long phase = (long) (Noise.uniform(seed, 0x9A5EL, idx, 0) * intervalMs);
            switch (it.type()) {
                case SERVICE -> {
                    List<ServiceInstance> inst = estate.instancesOf(it.id());
                    double[] weights = new double[inst.size()];
                    double total = 0;
                    for (int k = 0; k < inst.size(); k++) {
                        weights[k] = 1 + 0.1 * (Noise.uniform(seed, 0x1AB1L, idx, k) - 0.5);
                        total += weights[k];
                    }
                    for (int k = 0; k < inst.size(); k++) {
                        ServiceInstance si = inst.get(k);
                        Resource r = instanceResources.get(si.instance());
                        long p = (long) (Noise.uniform(seed, 0x9A5EL, idx, k + 1) * intervalMs);
                        double share = weights[k] / total;
                        list.add(new Series(list.size(), Kind.RATE, idx, si.host(), new SeriesInfo(it.id(),
                                MetricNames.HTTP_REQUEST_RATE, "{request}/s", MetricKind.GAUGE, r, none), p, 0.03, 0.02,
                                20 * 60_000L, share));
                        list.add(new Series(list.size(), Kind.P95, idx, si.host(), new SeriesInfo(it.id(),
                                MetricNames.HTTP_DURATION_P95, "ms", MetricKind.HISTOGRAM_SUMMARY, r, none), p, 0.04,
                                0.02, 20 * 60_000L, share));
                        list.add(new Series(list.size(), Kind.ERRORS, idx, si.host(), new SeriesInfo(it.id(),
                                MetricNames.HTTP_ERROR_RATIO, "1", MetricKind.GAUGE, r, none), p, 0.10, 0.05,
                                20 * 60_000L, share));
                    }
                }
                case DATABASE -> {
                    Resource r = new Resource(it.id(), null, null, env);
                    Map<String, String> labels = Map.of("db.system",
                            it.attributes().getOrDefault("engine", "postgresql").split(" ")[0]);
                    list.add(new Series(list.size(), Kind.DB_P95, idx, null, new SeriesInfo(it.id(),
                            MetricNames.DB_DURATION_P95, "ms", MetricKind.HISTOGRAM_SUMMARY, r, labels), phase, 0.05,
                            0.02, 20 * 60_000L, 1));
                    list.add(new Series(list.size(), Kind.DB_CONNECTIONS, idx, null, new SeriesInfo(it.id(),
                            MetricNames.DB_CONNECTION_USAGE, "1", MetricKind.GAUGE, r, labels), phase, 0.04, 0.02,
                            20 * 60_000L, 1));
                }
                case CACHE -> {
                    Resource r = new Resource(it.id(), null, null, env);
                    list.add(new Series(list.size(), Kind.HIT_RATIO, idx, null, new SeriesInfo(it.id(),
                            MetricNames.CACHE_HIT_RATIO, "1", MetricKind.GAUGE, r, Map.of("db.system", "redis")), phase,
                            0.05, 0.04, 25 * 60_000L, 1));
                }
                case QUEUE -> {
                    Resource r = new Resource(it.id(), null, null, env);
                    list.add(new Series(list.size(), Kind.DEPTH, idx, null, new SeriesInfo(it.id(),
                            MetricNames.QUEUE_DEPTH, "{message}", MetricKind.GAUGE, r,
                            Map.of("messaging.system", "kafka", "messaging.destination.name", "events")), phase, 0.08,
                            0.05, 15 * 60_000L, 1));
                }
                case HOST -> {
                    Resource r = new Resource(it.id(), it.id(), null, env);
                    list.add(new Series(list.size(), Kind.CPU, idx, it.id(), new SeriesInfo(it.id(),
                            MetricNames.CPU_UTILIZATION, "1", MetricKind.GAUGE, r, none), phase, 0.03, 0.02,
                            20 * 60_000L, 1));
                    list.add(new Series(list.size(), Kind.MEMORY, idx, it.id(), new SeriesInfo(it.id(),
                            MetricNames.MEMORY_UTILIZATION, "1", MetricKind.GAUGE, r, none), phase, 0.01, 0.015,
                            30 * 60_000L, 1));
                }
                default -> {
                }
            }
        }
        series = list.toArray(new Series[0]);
        emitOrder = series.clone();
        Arrays.sort(emitOrder, Comparator.comparingLong((Series s) -> s.phaseMs).thenComparingInt(s -> s.id));
        glitches = List.copyOf(NoisePlanner.plan(cfg, series, plans));
        glitchesBySeries = new NoisePlanner.Glitch[series.length][];
        for (NoisePlanner.Glitch g : glitches) {
            NoisePlanner.Glitch[] known = glitchesBySeries[g.series];
            NoisePlanner.Glitch[] more = known == null ? new NoisePlanner.Glitch[1] : Arrays.copyOf(known, known.length + 1);
            more[more.length - 1] = g;
            glitchesBySeries[g.series] = more;
        }
    }

    long steps() {
        return steps;
    }

    long pointCount() {
        return steps * series.length;
    }

    static double loadAt(long t) {
        return Baselines.load((t / 3_600_000.0) % 24);
    }

    /** Value of a series at a step (its sample time is start + step * interval + phase). */
    double value(Series s, long step) {
        long t = startMs + step * intervalMs + s.phaseMs;
        double load = loadAt(t);
        double z = Noise.gauss(seed, SALT_NOISE, s.id, step);
        double wander = s.wander * Noise.smooth(seed, s.id, SALT_WANDER, (double) (t - startMs) / s.knotMs);
        int i = s.item;
        double bump = bumps ? bump(s.id, t) : 0;
        if (s.kind == Kind.P95 && rolling(i, t)) {
            bump = Math.max(bump, ROLLOUT_SIGMAS); // a rollout does not stack on a bump
        }
        double mult = (1 + wander) * (1 + s.sigma * z) * (1 + s.sigma * bump);
        double v;
        switch (s.kind) {
            case RATE -> v = base.rate[i] * s.share * load * mult;
            case P95 -> v = base.p95[i] * (1 + 0.25 * (load - 0.7)) * mult;
            case ERRORS -> v = base.errorRatio[i] * (1 + 0.3 * (load - 0.7)) * mult;
            case CPU -> v = (base.cpuIdle[i] + base.cpuBusy[i] * load) * mult;
            case MEMORY -> v = (base.memory[i] + 0.04 * load) * mult;
            case DB_P95 -> v = base.dbP95[i] * (1 + 0.3 * (load - 0.7)) * mult;
            case DB_CONNECTIONS -> v = base.connections[i] * (0.45 + 0.55 * load) * mult;
            case HIT_RATIO -> v = 1 - base.missRatio[i] * (1 + 0.25 * (0.7 - load)) * mult;
            case DEPTH -> v = base.depth[i] * (0.3 + 0.7 * load) * mult;
            default -> throw new IllegalStateException();
        }
        for (FaultPlan p : plans) {
            if (t < p.startMs || t >= p.coverEndMs) {
                continue;
            }
            FaultPlan.Effect e = p.effects[i];
            if (e == null || (e.onlyHost != null && !e.onlyHost.equals(s.host))) {
                continue;
            }
            v = applyFault(s, e, t, step, v, load);
        }
        NoisePlanner.Glitch[] own = glitchesBySeries[s.id];
        if (own != null) {
            for (NoisePlanner.Glitch g : own) {
                if (g.activeAt(t)) {
                    v = NoisePlanner.apply(s.kind, g.magnitude, v, Noise.gauss(seed, SALT_GLITCH, s.id, step));
                }
            }
        }
        if (!Double.isFinite(v)) {
            throw new IllegalStateException("non-finite value for " + s.info.key() + " at step " + step);
        }
        return switch (s.kind) {
            case ERRORS, CPU, MEMORY, DB_CONNECTIONS, HIT_RATIO -> Math.max(0, Math.min(1, v));
            default -> Math.max(0, v);
        };
    }

    private double applyFault(Series s, FaultPlan.Effect e, long t, long step, double v, double load) {
        if (s.kind == Kind.DEPTH && e.queueGrowth > 0) {
            double level = base.depth[s.item] * (0.3 + 0.7 * load) * e.queueGrowth;
            if (e.activeAt(t)) {
                return v + level * (1 - Math.exp(-(t - e.onsetMs) / 120_000.0));
            }
            if (t >= e.endMs && t < e.endMs + FaultPlanner.QUEUE_DRAIN_MS) {
                double atEnd = level * (1 - Math.exp(-(e.endMs - e.onsetMs) / 120_000.0));
                return v + atEnd * (1 - (double) (t - e.endMs) / FaultPlanner.QUEUE_DRAIN_MS);
            }
            return v;
        }
        if (!e.activeAt(t)) {
            return v;
        }
        double j = Noise.gauss(seed, SALT_FAULT + s.kind.ordinal(), s.id, step);
        return switch (s.kind) {
            case RATE -> v * e.rateFactor;
            case P95 -> v * (1 + (e.latencyFactor - 1) * (1 + 0.12 * j));
            case ERRORS -> v + e.errorAdd * (1 + 0.15 * j);
            case CPU -> {
                double c = v + e.cpuAdd;
                yield e.cpuTarget > 0 ? Math.max(c, Math.min(1, e.cpuTarget * (1 + 0.01 * j))) : c;
            }
            case MEMORY -> e.memoryTarget > 0 ? Math.max(v, Math.min(1, e.memoryTarget * (1 + 0.005 * j))) : v;
            case DB_P95 -> v * (1 + (e.dbLatencyFactor - 1) * (1 + 0.12 * j));
            case DB_CONNECTIONS ->
                    e.connectionTarget > 0 ? Math.max(v, Math.min(1, e.connectionTarget * (1 + 0.02 * j))) : v;
            case HIT_RATIO -> e.hitRatioTarget >= 0 ? Math.min(v, e.hitRatioTarget * (1 + 0.1 * j)) : v;
            default -> v;
        };
    }

    /** Benign bump in units of the series' sigma: a raised-cosine hump of 1-5 min, 0.8-1.5 sigma high. */
    private double bump(int id, long t) {
        long slot = Math.floorDiv(t - startMs, BUMP_SLOT_MS);
        double sum = 0;
        for (long k = slot - 1; k <= slot + 1; k++) {
            long h = Noise.hash(seed, SALT_BUMP, id, k);
            if (Noise.unit(h) >= 0.35) {
                continue;
            }
            double centre = startMs + k * BUMP_SLOT_MS + Noise.unit(Noise.mix(h + 1)) * BUMP_SLOT_MS;
            double half = (0.5 + 2 * Noise.unit(Noise.mix(h + 2))) * 60_000;
            double d = Math.abs(t - centre);
            if (d < half) {
                double amp = 0.8 + 0.7 * Noise.unit(Noise.mix(h + 3));
                double sign = Noise.unit(Noise.mix(h + 4)) < 0.7 ? 1 : -1;
                double b = sign * amp * 0.5 * (1 + Math.cos(Math.PI * d / half));
                if (Math.abs(b) > Math.abs(sum)) {
                    sum = b; // overlapping bumps do not add up
                }
            }
        }
        return sum;
    }

    /** Whether a deploy of the item is rolling out at t (the 90 s before it finishes). */
    private boolean rolling(int item, long t) {
        long[] deploys = deploysByItem[item];
        if (deploys != null) {
            for (long d : deploys) {
                if (t >= d - ROLLOUT_MS && t < d) {
                    return true;
                }
            }
        }
        return false;
    }

    MetricPoint point(Series s, long step) {
        long t = startMs + step * intervalMs + s.phaseMs;
        SeriesInfo info = s.info;
        return new MetricPoint(Instant.ofEpochMilli(t), info.metric(), value(s, step), info.unit(), info.kind(),
                info.resource(), info.labels());
    }

    Iterator<MetricPoint> iterator() {
        return new Iterator<>() {
            long step = 0;
            int pos = 0;

            @Override
            public boolean hasNext() {
                return step < steps && emitOrder.length > 0;
            }

            @Override
            public MetricPoint next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                MetricPoint p = point(emitOrder[pos], step);
                if (++pos == emitOrder.length) {
                    pos = 0;
                    step++;
                }
                return p;
            }
        };
    }
}
