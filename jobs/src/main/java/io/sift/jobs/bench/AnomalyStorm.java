package io.sift.jobs.bench;

import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.ItemType;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Anomaly versions as the detectors would emit them for an estate in trouble, in event-time order: every few
 * minutes a fault on a random item whose dependents (up to two hops) follow it with a delay, each affected item with
 * one or two anomalous series, each anomaly opening, rescoring a few times and ending; plus isolated noise anomalies
 * on random items that belong to no fault.
 */
final class AnomalyStorm {

    /** How the storm is shaped; the defaults are the bench's. */
    record Shape(Duration faultEvery, int maxAffected, Duration noiseEvery) {
        static Shape defaults() {
            return new Shape(Duration.ofMinutes(2), 12, Duration.ofSeconds(12));
        }
    }

    private record Episode(String item, ItemType type, String metric, long onset, long end, double score, int updates) {}

    private AnomalyStorm() {}

    /** At least {@code versions} anomaly versions starting at {@code start}, sorted by event time. */
    static List<Anomaly> generate(SyntheticEstate estate, int versions, Shape shape, long seed, Instant start) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Episode> episodes = new ArrayList<>();
        long faultEvery = shape.faultEvery().toMillis();
        long noiseEvery = shape.noiseEvery().toMillis();
        long t = start.toEpochMilli();
        long nextNoise = t;
        int planned = 0;
        while (planned < versions) {
            planned += fault(estate, random, t, shape.maxAffected(), episodes);
            for (; nextNoise < t + faultEvery; nextNoise += noiseEvery) {
                int item = random.nextInt(estate.items.size());
                long length = 60_000 + random.nextInt(120_000);
                episodes.add(new Episode(estate.items.get(item), estate.types.get(item),
                        metricOf(estate.types.get(item), 0), nextNoise, nextNoise + length, 55 + random.nextInt(20), 0));
                planned += 2;
            }
            t += faultEvery;
        }
        List<Anomaly> anomalies = new ArrayList<>();
        int id = 0;
        for (Episode episode : episodes) {
            expand(estate.environment, episode, "storm-" + seed + "-" + id++, anomalies);
        }
        anomalies.sort(Comparator.comparing(Anomaly::getTime).thenComparing(a -> a.getId().toString())
                .thenComparingLong(Anomaly::getVersion));
        return anomalies;
    }

    /** Plans one fault's episodes; returns how many anomaly versions they will give. */
    private static int fault(SyntheticEstate estate, SplittableRandom random, long start, int maxAffected,
            List<Episode> episodes) {
        int rootIndex = random.nextInt(estate.items.size());
        String root = estate.items.get(rootIndex);
        long length = 5 * 60_000 + random.nextInt(10 * 60_000);
        Set<String> direct = estate.topology.dependentsWithin(root, 1);
        List<String> victims = new ArrayList<>(estate.topology.dependentsWithin(root, 2));
        // Closest victims first, then a random few beyond them, as a fault's blast radius fades.
        victims.sort(Comparator.comparing((String v) -> direct.contains(v) ? 0 : 1).thenComparing(v -> v));
        int versions = 0;
        versions += plan(root, estate.types.get(rootIndex), start, start + length, random, episodes);
        for (String victim : victims.subList(0, Math.min(victims.size(), maxAffected - 1))) {
            long delay = (direct.contains(victim) ? 20_000 : 40_000) + random.nextInt(60_000);
            ItemType type = victim.startsWith("host-") ? ItemType.HOST
                    : victim.startsWith("store-") ? ItemType.DATABASE : ItemType.SERVICE;
            versions += plan(victim, type, start + delay, start + length + random.nextInt(60_000), random, episodes);
        }
        return versions;
    }

    private static int plan(String item, ItemType type, long onset, long end, SplittableRandom random,
            List<Episode> episodes) {
        int series = type == ItemType.SERVICE && random.nextBoolean() ? 2 : 1;
        int versions = 0;
        for (int s = 0; s < series; s++) {
            int updates = random.nextInt(3);
            episodes.add(new Episode(item, type, metricOf(type, s), onset + s * 10_000L, end,
                    60 + random.nextInt(20), updates));
            versions += 2 + updates;
        }
        return versions;
    }

    private static String metricOf(ItemType type, int which) {
        return switch (type) {
            case HOST -> "system.cpu.utilization";
            case SERVICE -> which == 0 ? "http.server.request.duration.p95" : "http.server.error.ratio";
            default -> "db.client.operation.duration.p95";
        };
    }

    /** The versions of one episode: opened a little after onset, rescored on the way, ended. */
    private static void expand(String environment, Episode episode, String id, List<Anomaly> out) {
        Resource resource = new Resource(episode.item(), null, null, environment);
        String seriesKey = episode.metric() + "|env=" + environment + "|service=" + episode.item();
        long opened = episode.onset() + 20_000;
        long span = Math.max(1, episode.end() - opened);
        int version = 1;
        double score = episode.score();
        for (int update = 0; update <= episode.updates(); update++) {
            long time = opened + span * update / (episode.updates() + 1);
            out.add(version(id, version++, environment, episode, resource, seriesKey, time, null, score));
            score = Math.min(99, score + 8);
        }
        out.add(version(id, version, environment, episode, resource, seriesKey, Math.max(episode.end(), opened + 1),
                episode.end(), score));
    }

    private static Anomaly version(String id, int version, String environment, Episode episode, Resource resource,
            String seriesKey, long time, Long end, double score) {
        double expected = 100;
        double deviation = 6 + (score - 50) / 5;
        return Anomaly.newBuilder()
                .setId(id)
                .setVersion(version)
                .setSignal(SignalType.METRIC)
                .setDetector("robust-baseline")
                .setSeriesKey(seriesKey)
                .setMetric(episode.metric())
                .setResource(resource)
                .setLabels(Map.of())
                .setOnset(Instant.ofEpochMilli(episode.onset()))
                .setTime(Instant.ofEpochMilli(time))
                .setEnd(end == null ? null : Instant.ofEpochMilli(end))
                .setObserved(expected + deviation * 10)
                .setExpected(expected)
                .setLowerBound(expected - 60)
                .setUpperBound(expected + 60)
                .setDeviation(deviation)
                .setDirection(Direction.UP)
                .setScore(score)
                .setSamples(version)
                .build();
    }
}
