package io.sift.scenario;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Places background noise anomalies: glitches of one series, away from the items of nearby faults. */
final class NoisePlanner {

    static final long MIN_GLITCH_MS = 60_000;
    static final long MAX_GLITCH_MS = 6 * 60_000;
    /** A glitch never touches an item affected by a fault active this close in time. */
    static final long FAULT_MARGIN_MS = 10 * 60_000;
    private static final int ATTEMPTS_PER_GLITCH = 50;

    /** One glitch as the metric model applies it. */
    static final class Glitch {
        final int series;
        final long startMs;
        final long endMs;
        /** Factor (rate, latency, depth), added share (errors) or target (utilisation, connections, hit ratio). */
        final double magnitude;
        NoiseAnomaly truth;

        Glitch(int series, long startMs, long endMs, double magnitude) {
            this.series = series;
            this.startMs = startMs;
            this.endMs = endMs;
            this.magnitude = magnitude;
        }

        boolean activeAt(long t) {
            return t >= startMs && t < endMs;
        }
    }

    private NoisePlanner() {
    }

    static List<Glitch> plan(ScenarioGenerator cfg, MetricModel.Series[] series, List<FaultPlan> faults) {
        List<Glitch> glitches = new ArrayList<>();
        if (cfg.noiseAnomalies() == 0 || series.length == 0) {
            return glitches;
        }
        SplittableRandom rng = new SplittableRandom(Noise.hash(cfg.seed(), 0x6017CEL));
        long from = cfg.start().toEpochMilli() + cfg.warmUp().toMillis();
        long to = cfg.start().toEpochMilli() + cfg.duration().toMillis() - FaultPlanner.TAIL.toMillis();
        for (int n = 0; n < cfg.noiseAnomalies() && to - from > MAX_GLITCH_MS; n++) {
            for (int attempt = 0; attempt < ATTEMPTS_PER_GLITCH; attempt++) {
                MetricModel.Series s = series[rng.nextInt(series.length)];
                long length = (MIN_GLITCH_MS + rng.nextLong(MAX_GLITCH_MS - MIN_GLITCH_MS + 1)) / 1000 * 1000;
                long start = (from + rng.nextLong(to - from - length)) / 1000 * 1000;
                if (nearFaultOnItem(s.info.item(), start, start + length, faults)
                        || overlapsOnSeries(s.id, start, start + length, glitches)) {
                    continue;
                }
                glitches.add(new Glitch(s.id, start, start + length, magnitude(s.kind, rng)));
                break;
            }
        }
        glitches.sort(Comparator.comparingLong((Glitch g) -> g.startMs).thenComparingInt(g -> g.series));
        for (int i = 0; i < glitches.size(); i++) {
            Glitch g = glitches.get(i);
            MetricModel.Series s = series[g.series];
            g.truth = new NoiseAnomaly(String.format(Locale.ROOT, "noise-%03d", i + 1), s.info.item(),
                    s.info.metric(), s.info.key(), Instant.ofEpochMilli(g.startMs), Instant.ofEpochMilli(g.endMs),
                    describe(s.kind, g.magnitude, g.endMs - g.startMs));
        }
        return glitches;
    }

    private static boolean nearFaultOnItem(String item, long start, long end, List<FaultPlan> faults) {
        for (FaultPlan f : faults) {
            boolean close = start < f.coverEndMs + FAULT_MARGIN_MS && f.startMs - FAULT_MARGIN_MS < end;
            if (close && f.truth.affectedItems().contains(item)) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlapsOnSeries(int series, long start, long end, List<Glitch> glitches) {
        for (Glitch g : glitches) {
            if (g.series == series && start < g.endMs + FAULT_MARGIN_MS && g.startMs - FAULT_MARGIN_MS < end) {
                return true;
            }
        }
        return false;
    }

    private static double magnitude(MetricModel.Kind kind, SplittableRandom rng) {
        return switch (kind) {
            case RATE -> Baselines.u(rng, 0.3, 0.55);
            case P95, DB_P95 -> Baselines.u(rng, 3, 6);
            case ERRORS -> Baselines.u(rng, 0.05, 0.2);
            case CPU -> Baselines.u(rng, 0.9, 0.98);
            case MEMORY -> Baselines.u(rng, 0.93, 0.99);
            case DB_CONNECTIONS -> Baselines.u(rng, 0.95, 1.0);
            case HIT_RATIO -> Baselines.u(rng, 0.2, 0.5);
            case DEPTH -> Baselines.u(rng, 5, 15);
        };
    }

    /** The series value during the glitch; {@code jitter} is a standard normal draw for this sample. */
    static double apply(MetricModel.Kind kind, double magnitude, double v, double jitter) {
        return switch (kind) {
            case RATE, P95, DB_P95, DEPTH -> v * magnitude * (1 + 0.08 * jitter);
            case ERRORS -> v + magnitude * (1 + 0.15 * jitter);
            case CPU, MEMORY, DB_CONNECTIONS -> Math.max(v, Math.min(1, magnitude * (1 + 0.01 * jitter)));
            case HIT_RATIO -> Math.min(v, magnitude * (1 + 0.05 * jitter));
        };
    }

    private static String describe(MetricModel.Kind kind, double magnitude, long lengthMs) {
        String what = switch (kind) {
            case RATE -> String.format(Locale.ROOT, "request rate x%.2f", magnitude);
            case P95 -> String.format(Locale.ROOT, "p95 latency x%.1f", magnitude);
            case DB_P95 -> String.format(Locale.ROOT, "db p95 latency x%.1f", magnitude);
            case DEPTH -> String.format(Locale.ROOT, "queue depth x%.1f", magnitude);
            case ERRORS -> String.format(Locale.ROOT, "errors +%.0f %%", magnitude * 100);
            case CPU -> String.format(Locale.ROOT, "cpu %.0f %%", magnitude * 100);
            case MEMORY -> String.format(Locale.ROOT, "memory %.0f %%", magnitude * 100);
            case DB_CONNECTIONS -> String.format(Locale.ROOT, "connections %.0f %%", magnitude * 100);
            case HIT_RATIO -> String.format(Locale.ROOT, "hit ratio %.0f %%", magnitude * 100);
        };
        return what + " for " + Math.max(1, Math.round(lengthMs / 60_000.0)) + " min";
    }
}
