package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13, item 4: {@code MetricPoint.kind} and {@code unit} mean what the schema says. */
class SampleNormalizerTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private static MetricPoint point(long second, double value, String unit, MetricKind kind) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(second)).setName("m").setValue(value).setUnit(unit)
                .setKind(kind).setResource(Resource.newBuilder().setService("orders").build()).setLabels(Map.of())
                .build();
    }

    @Test
    void aCountersFirstSampleGivesNoRateAndTheNextItsIncreasePerSecond() {
        CounterState counter = new CounterState();
        assertNull(SampleNormalizer.normalise(point(0, 1_000, "{request}", MetricKind.COUNTER), counter));
        MetricPoint rate = SampleNormalizer.normalise(point(10, 1_500, "{request}", MetricKind.COUNTER), counter);
        assertEquals(50.0, rate.getValue(), 1e-9);
        assertEquals("{request}/s", rate.getUnit());
        assertEquals(MetricKind.GAUGE, rate.getKind());
        assertEquals(T0.plusSeconds(10), rate.getTime());
        assertEquals(20.0, SampleNormalizer.normalise(point(20, 1_700, "{request}", MetricKind.COUNTER), counter)
                .getValue(), 1e-9);
    }

    @Test
    void aDropIsAResetAndTheNewValueIsTheIncreaseSinceIt() {
        CounterState counter = new CounterState();
        SampleNormalizer.normalise(point(0, 9_000, null, MetricKind.COUNTER), counter);
        SampleNormalizer.normalise(point(10, 9_100, null, MetricKind.COUNTER), counter);
        MetricPoint afterRestart = SampleNormalizer.normalise(point(20, 40, null, MetricKind.COUNTER), counter);
        assertEquals(4.0, afterRestart.getValue(), 1e-9, "40 since the reset, over 10 s; not a rate of -906/s");
        assertEquals(1, counter.resets);
        assertEquals(6.0, SampleNormalizer.normalise(point(30, 100, null, MetricKind.COUNTER), counter).getValue(),
                1e-9, "and on from the new value");
    }

    @Test
    void aRepeatedOrOlderCounterSampleGivesNoRateAndLeavesTheStateAlone() {
        CounterState counter = new CounterState();
        SampleNormalizer.normalise(point(10, 100, null, MetricKind.COUNTER), counter);
        assertNull(SampleNormalizer.normalise(point(10, 200, null, MetricKind.COUNTER), counter));
        assertNull(SampleNormalizer.normalise(point(5, 50, null, MetricKind.COUNTER), counter));
        assertEquals(100.0, counter.lastValue);
        assertEquals(1.0, SampleNormalizer.normalise(point(20, 110, null, MetricKind.COUNTER), counter).getValue());
    }

    @Test
    void durationsInAnyUnitAreMilliseconds() {
        double[] values = {0.25, 250, 250_000, 250_000_000};
        String[] units = {"s", "ms", "us", "ns"};
        for (int i = 0; i < units.length; i++) {
            MetricPoint p = point(0, values[i], units[i], MetricKind.HISTOGRAM_SUMMARY);
            MetricPoint n = SampleNormalizer.applies(p) ? SampleNormalizer.normalise(p, null) : p;
            assertEquals(250.0, n.getValue(), 1e-9, units[i]);
            assertEquals("ms", MetricUnits.canonical(units[i]));
        }
        assertFalse(SampleNormalizer.applies(point(0, 250, "ms", MetricKind.GAUGE)), "the canonical unit passes as is");
        assertEquals(250.0, SampleNormalizer.normalise(point(0, 0.25, "\u00b5s", MetricKind.GAUGE), null).getValue()
                * 1e6, 1e-6);
    }

    @Test
    void dataSizesAreBytesAndPercentagesFractions() {
        assertEquals(2.0 * 1024 * 1024, SampleNormalizer.normalise(point(0, 2, "MiBy", MetricKind.GAUGE), null)
                .getValue());
        assertEquals(3e6, SampleNormalizer.normalise(point(0, 3, "MBy", MetricKind.GAUGE), null).getValue());
        assertEquals(1_000.0, SampleNormalizer.normalise(point(0, 8, "kbit", MetricKind.GAUGE), null).getValue());
        MetricPoint cpu = SampleNormalizer.normalise(point(0, 93, "%", MetricKind.GAUGE), null);
        assertEquals(0.93, cpu.getValue(), 1e-12);
        assertEquals("1", cpu.getUnit());
        assertFalse(SampleNormalizer.applies(point(0, 12, "{request}/s", MetricKind.GAUGE)), "other units as sent");
        assertFalse(SampleNormalizer.applies(point(0, 12, null, MetricKind.UNKNOWN)));
    }

    @Test
    void aCounterInKibibytesIsARateInBytesPerSecond() {
        CounterState counter = new CounterState();
        SampleNormalizer.normalise(point(0, 10, "KiBy", MetricKind.COUNTER), counter);
        MetricPoint rate = SampleNormalizer.normalise(point(2, 14, "KiBy", MetricKind.COUNTER), counter);
        assertEquals(2_048.0, rate.getValue(), 1e-9);
        assertEquals("By/s", rate.getUnit());
    }

    @Test
    void aSteadyCounterIsQuietAndARiseInItsRateIsAnAnomalyWhileItsTotalAloneWouldAlwaysRise() {
        RobustBaselineDetector detector = new RobustBaselineDetector(BaselineConfig.builder().build());
        SeriesState state = new SeriesState();
        CounterState counter = new CounterState();
        List<Anomaly> anomalies = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < 200; i++) {
            double perStep = i < 150 ? 100 + (i % 7) : 1_000; // ten times the rate from sample 150 on
            total += perStep;
            if (i == 100) {
                total = perStep; // a restart mid-way: no anomaly
            }
            MetricPoint rate = SampleNormalizer.normalise(point(10L * i, total, null, MetricKind.COUNTER), counter);
            if (rate != null) {
                Anomaly a = detector.onSample(state, "m|orders", rate);
                if (a != null) {
                    anomalies.add(Anomaly.newBuilder(a).build());
                }
            }
        }
        assertFalse(anomalies.isEmpty(), "the rate rise is found");
        assertTrue(anomalies.stream().allMatch(a -> !a.getOnset().isBefore(T0.plusSeconds(1_500))),
                () -> "nothing before the rise (not the reset either): " + anomalies);
    }
}
