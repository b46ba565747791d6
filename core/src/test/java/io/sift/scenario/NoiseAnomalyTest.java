package io.sift.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.MetricPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Background noise anomalies: where they fall, that they show, and that they change nothing else. */
class NoiseAnomalyTest {

    private static ScenarioGenerator.Builder base(long seed) {
        return ScenarioGenerator.builder().seed(seed).services(24).duration(Duration.ofHours(4)).randomFaults(3);
    }

    @Test
    void noneUnlessAskedFor() {
        assertTrue(base(2).build().generate().noise().isEmpty());
    }

    @Test
    void glitchesFallAfterTheWarmUpAwayFromTheItemsOfNearbyFaults() {
        for (long seed = 1; seed <= 5; seed++) {
            Scenario s = base(seed).noiseAnomalies(12).build().generate();
            assertEquals(12, s.noise().size(), "seed " + seed);
            Instant warm = s.start().plus(Duration.ofMinutes(60));
            for (NoiseAnomaly n : s.noise()) {
                assertFalse(n.start().isBefore(warm), n.toString());
                Duration length = Duration.between(n.start(), n.end());
                assertTrue(length.compareTo(Duration.ofMinutes(1)) >= 0 && length.compareTo(Duration.ofMinutes(6)) <= 0,
                        n.toString());
                for (InjectedFault f : s.faults()) {
                    boolean near = n.start().isBefore(f.end().plus(f.propagationLag()).plus(Duration.ofMinutes(10)))
                            && f.start().minus(Duration.ofMinutes(10)).isBefore(n.end());
                    assertFalse(near && f.affectedItems().contains(n.item()), n + " next to " + f.id());
                }
            }
        }
    }

    @Test
    void aGlitchMovesItsSeriesFarAndLeavesEverythingElseAsItWas() {
        Scenario quiet = base(3).build().generate();
        Scenario noisy = base(3).noiseAnomalies(8).build().generate();
        assertEquals(quiet.faults(), noisy.faults(), "faults do not depend on noise");
        List<NoiseAnomaly> noise = noisy.noise();
        Iterator<MetricPoint> a = quiet.metricIterator();
        Iterator<MetricPoint> b = noisy.metricIterator();
        int[] changed = new int[noise.size()];
        List<String> strays = new ArrayList<>();
        while (a.hasNext()) {
            MetricPoint p = a.next();
            MetricPoint q = b.next();
            if (p.getValue() == q.getValue()) {
                continue;
            }
            String key = info(noisy, q);
            int hit = -1;
            for (int i = 0; i < noise.size(); i++) {
                NoiseAnomaly n = noise.get(i);
                if (n.series().equals(key) && !q.getTime().isBefore(n.start()) && q.getTime().isBefore(n.end())) {
                    hit = i;
                }
            }
            if (hit < 0) {
                strays.add(key + " at " + q.getTime());
                continue;
            }
            double ratio = Math.max(p.getValue(), q.getValue()) / Math.max(1e-9, Math.min(p.getValue(), q.getValue()));
            if (ratio >= 1.2) {
                changed[hit]++;
            }
        }
        assertFalse(b.hasNext());
        assertTrue(strays.isEmpty(), "values changed outside glitches: " + strays);
        for (int i = 0; i < noise.size(); i++) {
            long samples = Duration.between(noise.get(i).start(), noise.get(i).end()).toMillis()
                    / noisy.sampleInterval().toMillis();
            // Utilisation already near its ceiling cannot rise by a fifth; most glitches do.
            if (!noise.get(i).metric().endsWith("utilization") && !noise.get(i).metric().endsWith("usage")) {
                assertTrue(changed[i] >= samples - 1, noise.get(i) + ": only " + changed[i] + " of " + samples);
            }
        }
    }

    private static String info(Scenario s, MetricPoint p) {
        for (SeriesInfo info : s.series()) {
            if (info.metric().equals(p.getName()) && info.resource() == p.getResource() && info.labels() == p.getLabels()) {
                return info.key();
            }
        }
        throw new AssertionError("no series for " + p);
    }
}
