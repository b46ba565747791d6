package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.health.KpiSummary;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.testing.FixedInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The partials chained before the KPI and error-count windows: emitted before the watermark that ends their window,
 * before a checkpoint barrier and when the input goes idle; merged, they give what the window gave from every record.
 */
class WindowPreAggregateTest {

    private static final long T0 = FixedInstants.T0.toEpochMilli();
    private static final long MINUTE = 60_000;

    private static MetricPoint point(String service, String metric, long millis, double value) {
        return new MetricPoint(Instant.ofEpochMilli(millis), metric, value, "1", MetricKind.GAUGE,
                new Resource(service, null, "i-" + (millis % 3), "prod"), Map.of());
    }

    private static List<MetricPoint> minuteOfSamples(long start) {
        List<MetricPoint> points = new ArrayList<>();
        for (int s = 0; s < 60; s += 5) {
            long t = start + s * 1000L;
            points.add(point("checkout", "http.server.error.ratio", t, s / 600.0));
            points.add(point("checkout", "http.server.request.duration.p95", t, 100 + s));
            points.add(point("checkout", "http.server.request.rate", t, 50 - s / 10.0));
            points.add(point("checkout", "process.cpu.utilization", t, s / 100.0));
            points.add(point("cart", "http.server.request.duration.p99", t, 200 + s));
        }
        return points;
    }

    @Test
    void partialsMergeToTheSummaryOfEveryRecordAndLeaveBeforeTheWatermark() throws Exception {
        List<MetricPoint> points = minuteOfSamples(T0);
        List<KpiSummary> partials = new ArrayList<>();
        try (var h = new OneInputStreamOperatorTestHarness<>(ServiceKpiWindow.partials(MINUTE, 1000, "prod"))) {
            h.open();
            for (int i = 0; i < points.size(); i++) {
                h.processElement(points.get(i), points.get(i).getTime().toEpochMilli());
                if (i == points.size() / 2) {
                    h.prepareSnapshotPreBarrier(1); // a checkpoint mid-window: the partials so far leave before it
                    partials.addAll(h.extractOutputValues());
                    h.getOutput().clear();
                }
            }
            h.processWatermark(T0 + MINUTE - 2);
            assertTrue(h.extractOutputValues().isEmpty(), "the window is not over yet");
            h.getOutput().clear();
            h.processWatermark(T0 + MINUTE - 1);
            List<Object> out = new ArrayList<>(h.getOutput());
            assertInstanceOf(Watermark.class, out.get(out.size() - 1), "the partials come before the watermark");
            for (Object element : out.subList(0, out.size() - 1)) {
                @SuppressWarnings("unchecked")
                StreamRecord<KpiSummary> record = (StreamRecord<KpiSummary>) element;
                assertEquals(T0, record.getTimestamp(), "stamped with the window's start");
                partials.add(record.getValue());
            }
        }
        assertEquals(4, partials.size(), "two services, before and after the barrier");
        for (String service : List.of("checkout", "cart")) {
            KpiSummary direct = new KpiSummary();
            points.stream().filter(p -> p.getResource().getService().equals(service)).forEach(p -> direct.add(p, "prod"));
            KpiSummary merged = new ServiceKpiWindow.Merge().createAccumulator();
            partials.stream().filter(p -> p.service.equals(service))
                    .forEach(p -> new ServiceKpiWindow.Merge().add(p, merged));
            assertEquals("prod|" + service, ServiceKpiWindow.key(merged));
            assertEquals(direct.samples, merged.samples);
            assertClose(direct.errorRatio(), merged.errorRatio(), "errorRatio of " + service);
            assertClose(direct.latencyP95(), merged.latencyP95(), "latencyP95 of " + service);
            assertClose(direct.latencyP99(), merged.latencyP99(), "latencyP99 of " + service);
            assertClose(direct.throughput(), merged.throughput(), "throughput of " + service);
            assertEquals(direct.saturationValue(), merged.saturationValue());
        }
    }

    @Test
    void anIdleInputLetsItsPartialsGoAndTheEndOfInputToo() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(LogErrorRate.partials(MINUTE, 1000, "prod"))) {
            h.open();
            h.processElement(log("checkout", 17, T0), T0);
            h.processElement(log("checkout", 9, T0 + 1), T0 + 1);
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            List<LogErrorRate.Count.Acc> out = h.extractOutputValues();
            assertEquals(1, out.size(), "an idle input's window may fire without it: its partials leave at once");
            assertEquals(1, out.get(0).errors);
            assertEquals(2, out.get(0).lines);
            assertEquals("prod|checkout", LogErrorRate.key(out.get(0), "prod"));
            h.getOutput().clear();
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processElement(log("cart", 21, T0 + 2), T0 + 2);
            h.endInput();
            h.getOperator().finish();
            assertEquals(1, h.extractOutputValues().size(), "what is left leaves at the end of the input");
        }
    }

    @Test
    void aFullBundleIsEmittedEarly() throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<>(LogErrorRate.partials(MINUTE, 2, "prod"))) {
            h.open();
            h.processElement(log("a", 17, T0), T0);
            h.processElement(log("b", 17, T0), T0);
            assertEquals(2, h.extractOutputValues().size(), "two partials fill a bundle of two");
        }
    }

    /** Sums in another order may differ in the last bits; a missing KPI must be missing in both. */
    private static void assertClose(Double expected, Double actual, String what) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, what);
        } else {
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
        }
    }

    private static LogRecord log(String service, int severity, long millis) {
        return LogRecord.newBuilder().setTime(Instant.ofEpochMilli(millis)).setSeverityNumber(severity)
                .setBody("line").setResource(Resource.newBuilder().setService(service).build()).build();
    }
}
