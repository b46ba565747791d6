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
}
