package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A series that steps to a new plateau and stays there (memory utilisation after a deploy): the episode ends within
 * the level-shift adoption time, says so, and the new level is normal afterwards. Without adoption it lasts as
 * long as the plateau.
 */
class LevelShiftTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long STEP_SECONDS = 60;
    private static final int BEFORE = 600; // 10 h at the old level
    private static final int AFTER = 960; // 16 h at the new level
    private static final String KEY = "process.memory.utilization|service=orders";

    private static MetricPoint point(int i, double value) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(STEP_SECONDS * i))
                .setName("process.memory.utilization").setValue(value).setUnit("1").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService("orders").build()).setLabels(Map.of()).build();
    }

    /** 40 % +- 0.5 for 10 h, then 70 % +- 0.5 for 16 h. */
    private static double[] step() {
        Random random = new Random(7);
        double[] v = new double[BEFORE + AFTER];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i < BEFORE ? 40.0 : 70.0) + 0.5 * random.nextGaussian();
        }
        return v;
    }

    private static List<Anomaly> run(SeriesDetector detector, SeriesState state, MetricModel model, double[] values) {
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            detector.onSample(state, model, KEY, point(i, values[i]), out::add);
        }
        return out;
    }

    private static SeriesDetector robust(Duration adopt) {
        return DetectionConfig.robust(BaselineConfig.builder().levelShiftAdoptMillis(adopt.toMillis()).build(),
                Map.of()).detectorFor("process.memory.utilization");
    }

    @Test
    void robustBaselineAdoptsAStepWithinTheConfiguredTime() {
        Duration adopt = Duration.ofHours(1);
        SeriesState state = new SeriesState();
        List<Anomaly> out = run(robust(adopt), state, null, step());

        Anomaly first = out.get(0);
        assertEquals(T0.plusSeconds(STEP_SECONDS * BEFORE), first.getOnset(), "the episode opens at the step");
        Anomaly end = out.stream().filter(a -> a.getId().equals(first.getId()) && a.getEnd() != null).findFirst()
                .orElse(null);
        assertNotNull(end, "the step's episode ends");
        Duration lasted = Duration.between(end.getOnset(), end.getEnd());
        assertTrue(lasted.compareTo(adopt.plusSeconds(STEP_SECONDS)) <= 0, "ended after " + lasted);
        assertNull(state.episode, "the new plateau is normal, not a new episode");
        assertEquals(1, out.stream().map(Anomaly::getId).distinct().count(), "one episode: " + out);
        assertEquals(70.0, state.location, 1.0, "the baseline is at the new level");
    }

    @Test
    void withoutAdoptionTheStepIsAnomalousForHours() {
        // Without adoption the robust baseline learns the plateau only slowly (and the habit envelope, which an
        // episode teaches at half rate, only after hours): the anomaly outlasts the adoption time by far.
        SeriesState state = new SeriesState();
        List<Anomaly> out = run(robust(Duration.ZERO), state, null, step());
        Anomaly end = out.stream().filter(a -> a.getEnd() != null).findFirst().orElseThrow();
        Duration lasted = Duration.between(end.getOnset(), end.getEnd());
        assertTrue(lasted.compareTo(Duration.ofHours(2)) > 0, "lasted " + lasted);
    }

    @Test
    void stateRestoredMidEpisodeWithoutATrackedLevelAdoptsOnlyAfterTrackingForTheAdoptionTime() {
        SeriesDetector detector = robust(Duration.ofHours(1));
        SeriesState state = new SeriesState();
        double[] values = step();
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < BEFORE + 30; i++) {
            detector.onSample(state, null, KEY, point(i, values[i]), out::add);
        }
        assertNotNull(state.episode, "the step's episode is open half an hour in");
        // State written before runs were tracked: an open episode and no tracked level.
        state.shift = null;
        int adoptedAt = -1;
        for (int i = BEFORE + 30; i < values.length && adoptedAt < 0; i++) {
            int before = out.size();
            detector.onSample(state, null, KEY, point(i, values[i]), out::add);
            if (out.size() > before && out.get(out.size() - 1).getEnd() != null) {
                adoptedAt = i;
            }
        }
        assertTrue(adoptedAt >= BEFORE + 30 + 60, "adopted an hour after tracking began, not at once: " + adoptedAt);
        assertEquals(70.0, state.location, 1.0, "at the tracked level, not one sample's");
    }

    @Test
    void aShortFaultIsNotALevelShift() {
        double[] values = step();
        for (int i = BEFORE + 20; i < values.length; i++) {
            values[i] -= 30.0; // back after 20 min
        }
        SeriesState state = new SeriesState();
        List<Anomaly> out = run(robust(Duration.ofHours(1)), state, null, values);
        Anomaly end = out.stream().filter(a -> a.getEnd() != null).findFirst().orElseThrow();
        assertTrue(Duration.between(end.getOnset(), end.getEnd()).compareTo(Duration.ofMinutes(25)) <= 0);
    }

    @Test
    void metricModelEpisodeOfAStepEndsWithinTheConfiguredTime() {
        Duration adopt = Duration.ofHours(1);
        DetectionConfig config = new DetectionConfig(List.of(DetectionConfig.BASELINE), Map.of(),
                BaselineConfig.builder().levelShiftAdoptMillis(adopt.toMillis()).build(), Map.of(),
                DetectorConfig.builder().refractorySamples(0).build(), GapPolicy.SKIP, 0, 0);
        SeriesDetector detector = config.detectorFor("process.memory.utilization");
        SeriesState state = new SeriesState();
        MetricModel model = detector.newModel();
        List<Anomaly> out = run(detector, state, model, step());
        Anomaly first = out.get(0);
        Anomaly end = out.stream().filter(a -> a.getId().equals(first.getId()) && a.getEnd() != null).findFirst()
                .orElseThrow(() -> new AssertionError("the step's episode never ended: " + out));
        assertTrue(Duration.between(end.getOnset(), end.getEnd()).compareTo(adopt.plusSeconds(STEP_SECONDS)) <= 0);
        assertNull(state.episode, "the new plateau is normal at the end: " + out.size() + " versions");
    }
}
