package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.detect.DetectorConfig;
import io.sift.core.detect.GapPolicy;
import io.sift.jobs.SiftSettings;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.testing.FixedInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The metric detector with the metric model (baseline, rcf, cusum) in keyed state: restore, cap, gap policy. */
class MetricDetectorFunctionTest {

    private static final Instant T0 = FixedInstants.T0;
    private static final long HOUR = 3_600_000;
    private static final int N = 700;

    private static MetricPoint point(String service, long second, double value) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(second)).setName("latency").setValue(value)
                .setUnit("ms").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService(service).setEnvironment("prod").build())
                .setLabels(Map.of()).build();
    }

    private static double[] series() {
        Random random = new Random(11);
        double[] values = new double[N];
        for (int i = 0; i < N; i++) {
            double shape = 100 + 10 * Math.sin(i / 7.0);
            values[i] = shape * (1 + 0.02 * random.nextGaussian()) * (i >= 560 && i < 580 ? 4 : 1);
        }
        return values;
    }

    private static DetectionConfig detection(String detectors, int maxSeries, GapPolicy gaps) {
        DetectorConfig model = DetectorConfig.builder().warmUpSamples(200).quickWarmUpSamples(20).forestTrees(10)
                .forestSampleSize(64).refractorySamples(0).build();
        return new DetectionConfig(DetectionConfig.parse(detectors), Map.of(), BaselineConfig.defaults(), Map.of(),
                model, gaps, 60, maxSeries);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> harness(DetectionConfig d)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MetricDetectorFunction(d, 300_000, HOUR)),
                p -> p.getName() + "|" + p.getResource().getService(), Types.STRING);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> h, double[] values,
            int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            h.processElement(point("orders", 10L * i, values[i]), T0.toEpochMilli() + 10_000L * i);
            h.processWatermark(T0.toEpochMilli() + 10_000L * i - 1);
        }
    }

    @Test
    void aRestoredForestContinuesExactlyAsWithoutTheRestore() throws Exception {
        DetectionConfig d = detection("baseline+rcf+cusum", 0, GapPolicy.SKIP);
        double[] values = series();
        List<Anomaly> straight;
        try (var h = harness(d)) {
            h.open();
            feed(h, values, 0, N);
            straight = new ArrayList<>(h.extractOutputValues());
        }
        assertFalse(straight.isEmpty(), "the injected fault is found");
        assertTrue(straight.stream().anyMatch(a -> a.getOnset().isAfter(T0.plusSeconds(5500))), straight.toString());

        OperatorSubtaskState snapshot;
        List<Anomaly> restored = new ArrayList<>();
        try (var h = harness(d)) {
            h.open();
            feed(h, values, 0, 400);
            restored.addAll(h.extractOutputValues());
            snapshot = h.snapshot(1, T0.toEpochMilli() + 4_000_000L);
        }
        try (var h = harness(d)) {
            h.initializeState(snapshot);
            h.open();
            feed(h, values, 400, N);
            restored.addAll(h.extractOutputValues());
        }
        assertEquals(straight.toString(), restored.toString(), "same anomalies, versions and scores after a restore");
    }

    @Test
    void repeatedAndOlderSamplesOfASeriesAreDeadLetteredNotIgnored() throws Exception {
        try (var h = harness(detection("robust-baseline", 0, GapPolicy.SKIP))) {
            h.open();
            h.processElement(point("orders", 20, 1.0), T0.toEpochMilli() + 20_000);
            h.processElement(point("orders", 20, 2.0), T0.toEpochMilli() + 20_000);
            h.processElement(point("orders", 10, 1.0), T0.toEpochMilli() + 10_000);
            h.processElement(point("orders", 30, 1.0), T0.toEpochMilli() + 30_000);
            var deadLetters = new ArrayList<>(h.getSideOutput(DeadLetterTag.DEAD_LETTERS)).stream()
                    .map(r -> r.getValue().getErrorKind()).toList();
            assertEquals(List.of("DUPLICATE", "OUT_OF_ORDER"), deadLetters);
            var context = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) h.getOperator())
                    .getRuntimeContext();
            assertEquals(1L, context.getAccumulator(DeadLetterCounter.accumulatorName("DUPLICATE")).getLocalValue());
            assertEquals(1L, context.getAccumulator(DeadLetterCounter.accumulatorName("OUT_OF_ORDER")).getLocalValue());
            assertEquals(2L, context.getAccumulator(DeadLetterTag.COUNTER).getLocalValue(), "counted in total");
        }
    }

    @Test
    void theCapDropsSeriesBeyondItAndCountsThem() throws Exception {
        try (var h = harness(detection("robust-baseline", 2, GapPolicy.SKIP))) {
            h.open();
            for (String service : List.of("a", "b", "c", "d")) {
                h.processElement(point(service, 0, 1.0), T0.toEpochMilli());
            }
            assertEquals(2 * 2, h.numKeyedStateEntries(), "two series kept (series state and timer each)");
        }
    }

    @Test
    void zeroGapPolicyTurnsASilentCounterIntoADrop() throws Exception {
        Random random = new Random(5);
        for (GapPolicy policy : GapPolicy.values()) {
            try (var h = harness(detection("baseline", 0, policy))) {
                h.open();
                long t = 0;
                for (int i = 0; i < 400; i++) {
                    t += i == 300 ? 300 : 10; // a 5-minute gap at sample 300
                    h.processElement(point("orders", t, 100 + random.nextGaussian()), T0.toEpochMilli() + 1000 * t);
                }
                boolean drop = h.extractOutputValues().stream().anyMatch(a -> a.getObserved() == 0.0);
                assertEquals(policy == GapPolicy.ZERO, drop, policy + ": " + h.extractOutputValues());
            }
        }
    }

    @Test
    void theJobsDefaultsKeepTheRobustBaselineAndParsePerMetricDetectors() {
        SiftSettings defaults = SiftSettings.defaults();
        assertEquals(List.of("robust-baseline"), defaults.detection.detectorsOf("latency"));
        var conf = new org.apache.flink.configuration.Configuration();
        conf.setString("sift.detect.detectors", "baseline+cusum");
        conf.setString("sift.detect.detectors.by-metric", "checkout.latency:baseline+rcf");
        SiftSettings s = new SiftSettings(conf);
        assertEquals(List.of("baseline", "cusum"), s.detection.detectorsOf("latency"));
        assertEquals(List.of("baseline", "rcf"), s.detection.detectorsOf("checkout.latency"));
        assertTrue(s.detection.detectorFor("checkout.latency").usesModel());
    }

    private static MetricPoint errorRatio(long second, double value) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(second)).setName("http.server.error.ratio")
                .setValue(value).setUnit("1").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService("checkout").setEnvironment("prod").build())
                .setLabels(Map.of()).build();
    }

    @Test
    void aConfiguredThresholdAndAnSloFireEndOnSilenceAndTheirStateIsForgotten() throws Exception {
        var conf = new org.apache.flink.configuration.Configuration();
        conf.setString("sift.detect.thresholds", "http.server.error.ratio > 0.05 for 1m");
        conf.setString("sift.slo.objectives", "checkout:http.server.error.ratio:99.9");
        DetectionConfig d = new SiftSettings(conf).detection;
        try (var h = harness(d)) {
            h.open();
            long t = 0;
            for (int i = 0; i < 120; i++, t += 10) { // 20 min clean, then 5 min at 50 % errors
                double value = i < 90 ? 0.0 : 0.5;
                h.processElement(errorRatio(t, value), T0.toEpochMilli() + 1000 * t);
                h.processWatermark(T0.toEpochMilli() + 1000 * t - 1);
            }
            List<Anomaly> out = h.extractOutputValues();
            Anomaly threshold = out.stream().filter(a -> a.getDetector().equals("static-threshold")).findFirst()
                    .orElseThrow(() -> new AssertionError("no threshold anomaly: " + out));
            assertEquals(T0.plusSeconds(900), threshold.getOnset());
            assertEquals(T0.plusSeconds(960), threshold.getTime(), "opened after the 1-min breach");
            assertEquals(100.0, threshold.getScore(), 1e-9);
            Anomaly page = out.stream().filter(a -> a.getDetector().equals("slo-burn-rate")
                    && "page".equals(a.getLabels().get("slo.severity"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no SLO page: " + out));
            assertTrue(page.getScore() >= 90.0, page.toString());
            assertEquals("checkout:http.server.error.ratio:99.9%", page.getLabels().get("slo"));
            assertEquals(3, h.numKeyedStateEntries(), "series, timer and rule state");

            // Silence: both episodes end at the last sample; after the TTL nothing of the series is left.
            h.processWatermark(T0.toEpochMilli() + 1000 * t + 300_000);
            List<Anomaly> ends = h.extractOutputValues().stream().filter(a -> a.getEnd() != null).toList();
            assertTrue(ends.stream().anyMatch(a -> a.getId().equals(threshold.getId())), ends.toString());
            assertTrue(ends.stream().anyMatch(a -> a.getId().equals(page.getId())), ends.toString());
            Instant last = T0.plusSeconds(t - 10);
            assertTrue(ends.stream().allMatch(a -> a.getEnd().equals(last)), ends.toString());
            h.processWatermark(T0.toEpochMilli() + 1000 * t + 2 * HOUR);
            assertEquals(0, h.numKeyedStateEntries(), "series, model, timer and rule state cleared");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void seriesNoRuleWatchesKeepNoRuleState() throws Exception {
        var conf = new org.apache.flink.configuration.Configuration();
        conf.setString("sift.detect.thresholds", "http.server.error.ratio{service=payments} > 0.05");
        try (var h = harness(new SiftSettings(conf).detection)) {
            h.open();
            h.processElement(errorRatio(0, 0.9), T0.toEpochMilli());
            assertEquals(2, h.numKeyedStateEntries(), "series state and timer only");
            assertTrue(h.extractOutputValues().isEmpty());
        }
    }

    @Test
    void malformedRulesAreRefusedWithTheOptionAndWhatToWrite() {
        var conf = new org.apache.flink.configuration.Configuration();
        conf.setString("sift.detect.thresholds", "http.server.error.ratio => 0.05");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SiftSettings(conf));
        assertTrue(e.getMessage().startsWith("sift.detect.thresholds: threshold rule 1"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g."), e.getMessage());
        var slo = new org.apache.flink.configuration.Configuration();
        slo.setString("sift.slo.objectives", "checkout:99.9");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new SiftSettings(slo));
        assertTrue(e.getMessage().startsWith("sift.slo.objectives: SLO 'checkout:99.9'"), e.getMessage());
        assertTrue(SiftSettings.defaults().detection.rules.isEmpty(), "no rules by default");
    }

    // ---- a savepoint restored under changed rules ----

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> restoredUnder(
            String thresholds, String slos, OperatorSubtaskState state) throws Exception {
        var conf = StateFixtures.detectorSettings();
        conf.setString("sift.detect.thresholds", thresholds);
        conf.setString("sift.slo.objectives", slos);
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MetricDetectorFunction(new SiftSettings(conf).detection, 300_000,
                        HOUR)), (MetricPoint p) -> p.getName() + "|" + p.getResource().getService(), Types.STRING);
        h.setup();
        h.initializeState(state);
        h.open();
        return h;
    }

    /** The rule episodes open at the detector fixture's split (its error ratio is 50 % from sample 540 on). */
    private static List<Anomaly> openRuleEpisodes(KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly> h) {
        return h.extractOutputValues().stream().filter(a -> a.getDetector().equals("static-threshold")
                || a.getDetector().equals("slo-burn-rate")).toList();
    }

    @Test
    void restoredRuleStateTakesTheChangedRulesAndKeepsTheSloWindows() throws Exception {
        var c = StateFixtures.DETECTOR;
        OperatorSubtaskState state;
        List<Anomaly> opened;
        try (var h = (KeyedOneInputStreamOperatorTestHarness<String, MetricPoint, Anomaly>) StateFixtures.open(c,
                null, null)) {
            StateFixtures.run(c, h, 0, c.split());
            opened = openRuleEpisodes(h);
            state = h.snapshot(1, c.input().get(c.split() - 1).time());
        }
        Anomaly threshold = opened.stream().filter(a -> a.getDetector().equals("static-threshold")).findFirst()
                .orElseThrow();
        Anomaly slo = opened.stream().filter(a -> a.getDetector().equals("slo-burn-rate")).findFirst().orElseThrow();
        Instant firstAfter = T0.plusSeconds(10L * StateFixtures.SPIKE);
        try (var h = restoredUnder("http.server.error.ratio > 0.1 for 1m", "checkout:http.server.error.ratio:99.5",
                state)) {
            StateFixtures.run(c, h, c.split(), c.split() + 3);
            List<Anomaly> out = openRuleEpisodes(h);
            for (Anomaly old : List.of(threshold, slo)) {
                assertTrue(out.stream().anyMatch(a -> a.getId().equals(old.getId()) && firstAfter.equals(a.getEnd())),
                        "the episode of the changed rule ends at the first sample: " + out);
            }
            // The 99.5 % SLO fires at once: the burn-rate windows came along with the series.
            assertTrue(out.stream().anyMatch(a -> a.getDetector().equals("slo-burn-rate") && a.getEnd() == null
                    && "99.5%".equals(a.getLabels().get("slo.objective"))), out.toString());
        }
        // Rules removed altogether: the open episodes end at their last sample when the series' timer fires.
        try (var h = restoredUnder("", "", state)) {
            StateFixtures.run(c, h, c.split(), c.input().size());
            List<Anomaly> out = openRuleEpisodes(h);
            Instant last = T0.plusSeconds(10L * (StateFixtures.SPIKE - 1));
            for (Anomaly old : List.of(threshold, slo)) {
                assertTrue(out.stream().anyMatch(a -> a.getId().equals(old.getId()) && last.equals(a.getEnd())),
                        "the removed rule's episode ends: " + out);
            }
            assertEquals(2, out.size(), out.toString());
        }
    }

    /** Issue 13, item 4: a counter's cumulative total is scored as its rate, across a restart of the counter. */
    @Test
    void aCounterIsScoredAsItsRateAndARestartOfTheCounterIsNoAnomaly() throws Exception {
        double[] rates = series();
        DetectionConfig d = detection("baseline", 0, GapPolicy.SKIP);
        List<Anomaly> asGauge;
        try (var h = harness(d)) {
            h.open();
            feed(h, rates, 0, N);
            asGauge = new ArrayList<>(h.extractOutputValues());
        }
        List<Anomaly> asCounter;
        try (var h = harness(d)) {
            h.open();
            double total = 5_000;
            for (int i = -1; i < N; i++) {
                total += i < 0 ? 0 : rates[i] * 10; // the increase over the 10 s before sample i
                if (i == 300) {
                    total = rates[i] * 10; // the process restarted: counted from zero again
                }
                MetricPoint p = MetricPoint.newBuilder(point("orders", 10L * i, total)).setUnit("{request}")
                        .setKind(MetricKind.COUNTER).build();
                h.processElement(p, T0.toEpochMilli() + 10_000L * i);
                h.processWatermark(T0.toEpochMilli() + 10_000L * i - 1);
            }
            asCounter = new ArrayList<>(h.extractOutputValues());
        }
        assertFalse(asGauge.isEmpty());
        assertEquals(asGauge.size(), asCounter.size(), () -> asGauge + " vs " + asCounter);
        for (int i = 0; i < asGauge.size(); i++) {
            assertEquals(asGauge.get(i).getOnset(), asCounter.get(i).getOnset());
            assertEquals(asGauge.get(i).getObserved(), asCounter.get(i).getObserved(), 1e-6,
                    "the rate per second, from the total");
        }
    }

    /** Issue 13, item 4: the same latencies in seconds and in milliseconds give the same anomalies, in ms. */
    @Test
    void theSameQuantityInAnotherUnitGivesTheSameAnomalies() throws Exception {
        double[] values = series();
        DetectionConfig d = detection("baseline+cusum", 0, GapPolicy.SKIP);
        List<List<Anomaly>> byUnit = new ArrayList<>();
        for (String unit : List.of("ms", "s", "us")) {
            double factor = switch (unit) { case "s" -> 1e-3; case "us" -> 1e3; default -> 1; };
            try (var h = harness(d)) {
                h.open();
                for (int i = 0; i < N; i++) {
                    h.processElement(MetricPoint.newBuilder(point("orders", 10L * i, values[i] * factor)).setUnit(unit)
                            .build(), T0.toEpochMilli() + 10_000L * i);
                    h.processWatermark(T0.toEpochMilli() + 10_000L * i - 1);
                }
                byUnit.add(new ArrayList<>(h.extractOutputValues()));
            }
        }
        assertFalse(byUnit.get(0).isEmpty());
        for (List<Anomaly> other : byUnit.subList(1, 3)) {
            assertEquals(byUnit.get(0).size(), other.size());
            for (int i = 0; i < other.size(); i++) {
                assertEquals(byUnit.get(0).get(i).getOnset(), other.get(i).getOnset());
                assertEquals(byUnit.get(0).get(i).getObserved(), other.get(i).getObserved(), 1e-6);
                assertEquals(byUnit.get(0).get(i).getScore(), other.get(i).getScore(), 1e-6);
            }
        }
    }
}
