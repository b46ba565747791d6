package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustBaselineDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final String KEY = "latency|env=prod|service=orders";

    private final RobustBaselineDetector detector = new RobustBaselineDetector(BaselineConfig.defaults());

    private static MetricPoint point(int i, double value) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(10L * i)).setName("latency").setValue(value)
                .setUnit("ms").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService("orders").build()).setLabels(Map.of()).build();
    }

    private List<Anomaly> run(SeriesState state, double[] values) {
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Anomaly a = detector.onSample(state, KEY, point(i, values[i]));
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private static double[] noisy(int n, double mean, double noise, long seed) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean * (1 + noise * random.nextGaussian());
        }
        return v;
    }

    @Test
    void normalNoiseRaisesNothing() {
        assertTrue(run(new SeriesState(), noisy(5_000, 100, 0.05, 1)).isEmpty());
    }

    /** A series that is 0 but for two-sample bursts of about 4, many an hour (a page-fault or retry rate). */
    private static double[] bursty(int n, long seed) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i + 1 < n; i++) {
            if (random.nextInt(15) == 0) {
                v[i] = 3.5 + random.nextDouble();
                v[++i] = 3.5 + random.nextDouble();
            }
        }
        return v;
    }

    @Test
    void burstsASeriesMakesNowAndThenAreItsNormalButABiggerOneIsNot() {
        // Ten-second samples: 20,000 is about two and a half days, with a burst every three minutes or so (over a tenth of the samples).
        SeriesState state = new SeriesState();
        List<Anomaly> learning = run(state, bursty(20_000, 3));
        int lastDay = 20_000 - 8_640;
        long lateAlarms = learning.stream().filter(a -> a.getOnset().isAfter(point(lastDay, 0).getTime())).count();
        assertEquals(0, lateAlarms, "after a day and a half the usual bursts raise nothing: " + learning);
        assertTrue(learning.size() >= 1, "the first bursts, before the series is known, do alarm");

        double[] bigger = new double[] {0, 0, 40, 40, 40, 0, 0, 0};
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < bigger.length; i++) {
            Anomaly a = detector.onSample(state, KEY, point(20_000 + i, bigger[i]));
            if (a != null) {
                out.add(a);
            }
        }
        assertTrue(out.stream().anyMatch(a -> a.getVersion() == 1 && a.getDirection() == Direction.UP),
                "a burst ten times the usual size is an anomaly: " + out);
    }

    @Test
    void aStepOfOneOnASmallCountThatStepsNowAndThenIsNormal() {
        // A socket count: 3, now and then 4 for a few minutes (about a fifth of the time).
        Random random = new Random(5);
        double[] v = new double[20_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 3;
            if (random.nextInt(100) == 0) {
                int run = 10 + random.nextInt(30);
                for (int k = 0; k < run && i < v.length; k++, i++) {
                    v[i] = 4;
                }
                i--;
            }
        }
        SeriesState state = new SeriesState();
        List<Anomaly> out = run(state, v);
        long late = out.stream().filter(a -> a.getOnset().isAfter(point(20_000 - 8_640, 0).getTime())).count();
        assertEquals(0, late, "known steps raise nothing once learnt: " + out);
        assertNull(detector.onSample(state, KEY, point(20_000, 9)), "a first sample of 9 is pending");
        Anomaly opened = detector.onSample(state, KEY, point(20_001, 9));
        assertNotNull(opened, "9 sockets for two samples is an anomaly");
    }

    @Test
    void aSustainedShiftIsOneEpisodeWithOnsetUpdatesAndEnd() {
        double[] values = noisy(400, 100, 0.03, 2);
        for (int i = 200; i < 260; i++) {
            values[i] = values[i] * 4; // a 10-minute latency fault
        }
        List<Anomaly> out = run(new SeriesState(), values);
        assertTrue(out.size() >= 2, "open and end at least: " + out);
        Anomaly first = out.get(0);
        Anomaly last = out.get(out.size() - 1);
        assertEquals(1, first.getVersion());
        assertEquals(T0.plusSeconds(2000), first.getOnset(), "onset is the first anomalous sample");
        assertEquals(Direction.UP, first.getDirection());
        assertTrue(first.getScore() > 90, "a 4x jump is severe: " + first.getScore());
        assertTrue(first.getExpected() > 80 && first.getExpected() < 120, "expected stays near the baseline");
        assertTrue(out.stream().allMatch(a -> a.getId().equals(first.getId())), "one episode, one id");
        assertEquals(T0.plusSeconds(2600), last.getEnd(), "ends at the first normal sample");
        assertEquals(out.size(), last.getVersion(), "versions rise by one");
        assertTrue(last.getSamples() >= 58, "the episode counts its anomalous samples: " + last.getSamples());
    }

    @Test
    void aSingleSpikeIsSuppressedByMinConsecutive() {
        double[] values = noisy(200, 100, 0.03, 3);
        values[150] = 1_000;
        assertTrue(run(new SeriesState(), values).isEmpty());
    }

    @Test
    void directionFilterIgnoresDrops() {
        RobustBaselineDetector upOnly = new RobustBaselineDetector(
                BaselineConfig.builder().direction(DirectionFilter.UP).build());
        double[] values = noisy(300, 100, 0.03, 4);
        for (int i = 200; i < 240; i++) {
            values[i] = 10;
        }
        SeriesState state = new SeriesState();
        for (int i = 0; i < values.length; i++) {
            assertNull(upOnly.onSample(state, KEY, point(i, values[i])));
        }
        assertTrue(!run(new SeriesState(), values).isEmpty(), "the default (both) sees the drop");
    }

    @Test
    void smallRelativeDeviationsOnQuietSeriesAreNotAnomalies() {
        double[] values = new double[300];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 + (i % 2) * 0.01; // nearly constant
        }
        for (int i = 250; i < 260; i++) {
            values[i] = 105; // many sigmas, but only 5 %
        }
        assertTrue(run(new SeriesState(), values).isEmpty());
    }

    @Test
    void silenceClosesAnOpenEpisode() {
        double[] values = noisy(100, 100, 0.03, 5);
        for (int i = 90; i < 100; i++) {
            values[i] = 500;
        }
        SeriesState state = new SeriesState();
        run(state, values);
        assertNotNull(state.episode);
        Anomaly end = detector.onSilence(state);
        assertEquals(T0.plusSeconds(990), end.getEnd());
        assertNull(state.episode);
        assertNull(detector.onSilence(state));
    }

    @Test
    void outOfOrderSamplesAreIgnored() {
        SeriesState state = new SeriesState();
        run(state, noisy(50, 100, 0.03, 6));
        long samples = state.samples;
        assertNull(detector.onSample(state, KEY, point(10, 10_000)));
        assertEquals(samples, state.samples);
    }

    @Test
    void configValidationSaysWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BaselineConfig.builder().alpha(2).build());
        assertTrue(e.getMessage().contains("alpha must be in (0, 1)"), e.getMessage());
    }

    @Test
    void scoreIsFiftyAtTheThresholdAndBounded() {
        assertEquals(50.0, RobustBaselineDetector.score(6, 6), 1e-9);
        assertTrue(RobustBaselineDetector.score(-12, 6) > 90);
        assertTrue(RobustBaselineDetector.score(1e6, 6) <= 100);
    }

    /** One sample a minute: a count of 4 (a little noise), stepping to {@code departure} for 5 minutes at the given minutes. */
    private List<Anomaly> minutely(SeriesState state, int minutes, java.util.function.IntPredicate departing,
            double departure, long seed) {
        Random random = new Random(seed);
        List<Anomaly> opened = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            double value = departing.test(m) ? departure : 4 + 0.01 * random.nextGaussian();
            MetricPoint p = MetricPoint.newBuilder(point(0, value)).setTime(T0.plusSeconds(60L * m)).build();
            Anomaly a = detector.onSample(state, KEY, p);
            if (a != null && a.getVersion() == 1) {
                opened.add(a);
            }
        }
        return opened;
    }

    private static int day(Anomaly a) {
        return (int) ((a.getOnset().toEpochMilli() - T0.toEpochMilli()) / 86_400_000L);
    }

    @Test
    void aDepartureMadeSeveralTimesADayOnMostDaysIsMarkedRoutineButALargerOneIsNews() {
        SeriesState state = new SeriesState();
        // Every 3 hours the count steps from 4 to 7 for 5 minutes (a periodic job), for 6 days.
        List<Anomaly> opened = minutely(state, 6 * 1440, m -> m % 180 >= 90 && m % 180 < 95, 7, 3);
        assertTrue(opened.stream().anyMatch(a -> day(a) == 0 && !Excursions.isRoutine(a)),
                "news on the first day: " + opened.size());
        assertTrue(opened.stream().filter(a -> day(a) >= 3).allMatch(Excursions::isRoutine),
                "seen on three days, the departure is routine from the fourth: " + opened.stream()
                        .filter(a -> !Excursions.isRoutine(a)).map(RobustBaselineDetectorTest::day).toList());
        assertTrue(opened.stream().filter(a -> day(a) >= 3).count() >= 20, "routine departures are still recorded");
        // On day 7 a departure three times as large (to 13) is beyond the habit and opens an episode.
        List<Anomaly> larger = new ArrayList<>();
        Random random = new Random(4);
        for (int m = 6 * 1440; m < 6 * 1440 + 120; m++) {
            double value = m >= 6 * 1440 + 60 && m < 6 * 1440 + 70 ? 13 : 4 + 0.01 * random.nextGaussian();
            Anomaly a = detector.onSample(state, KEY,
                    MetricPoint.newBuilder(point(0, value)).setTime(T0.plusSeconds(60L * m)).build());
            if (a != null && a.getVersion() == 1) {
                larger.add(a);
            }
        }
        assertEquals(1, larger.size(), "the larger departure opens an episode");
        assertTrue(!Excursions.isRoutine(larger.get(0)), "and it is news");
    }

    @Test
    void aFaultRepeatedWithinOneDayIsNewsEachTime() {
        SeriesState state = new SeriesState();
        // A quiet day, then the same 10-minute fault every 30 minutes, six times, on the second day.
        int quiet = 1440;
        List<Anomaly> opened = minutely(state, quiet + 240,
                m -> m >= quiet && (m - quiet) % 30 < 10 && (m - quiet) < 180, 7, 5);
        assertEquals(6, opened.size(), "each repetition within the day opens an episode");
        assertTrue(opened.stream().noneMatch(Excursions::isRoutine), "and each is news");
    }
}
