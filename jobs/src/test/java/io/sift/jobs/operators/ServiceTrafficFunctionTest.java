package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.traces.ServiceTrafficStage;
import io.sift.core.traces.TrafficConfig;
import io.sift.schema.CallTarget;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SpanCall;
import io.sift.schema.SpanKind;
import io.sift.schema.TopologyUpdate;
import io.sift.schema.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The traffic operator: series at window ends, edges on the side output, state and timers restored from a snapshot,
 * and nothing left once all is done.
 */
class ServiceTrafficFunctionTest {

    private static final long MINUTE = 60_000;

    private static TraceSpan span(String service, SpanKind kind, long time, double millis, boolean error,
            SpanCall... calls) {
        return new TraceSpan(Instant.ofEpochMilli(time), millis, kind, error, "op",
                new Resource(service, null, null, "prod"), List.of(calls));
    }

    @Test
    void seriesAtWindowEndsEdgesOnTheSideAndStateAndTimersDropToZero() throws Exception {
        ServiceTrafficFunction function = new ServiceTrafficFunction(
                new ServiceTrafficStage(new TrafficConfig(MINUTE, 5, 10 * MINUTE, 0.95)));
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, TraceSpan, MetricPoint> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, ServiceTrafficStage::key,
                        Types.STRING)) {
            for (int i = 0; i < 10; i++) {
                TraceSpan request = span("backend", SpanKind.SERVER, 1_000 + i * 1_000, 20 + i, i < 2);
                harness.processElement(request, request.getTime().toEpochMilli());
                TraceSpan call = span("frontend", SpanKind.CLIENT, 1_000 + i * 1_000, 25 + i, false,
                        new SpanCall("backend", CallTarget.SERVICE));
                harness.processElement(call, call.getTime().toEpochMilli());
            }
            TraceSpan query = span("backend", SpanKind.CLIENT, 5_000, 3, false,
                    new SpanCall("postgresql:orders", CallTarget.DATABASE));
            harness.processElement(query, 5_000);
            assertEquals(List.of("UPSERT frontend->backend CALLS", "UPSERT backend->postgresql:orders DEPENDS_ON"),
                    edges(harness));
            assertTrue(harness.extractOutputValues().isEmpty(), "no series before the window ends");
            assertEquals(2, harness.numEventTimeTimers(), "one timer per service");

            harness.processWatermark(MINUTE - 1);
            Map<String, Double> series = new TreeMap<>();
            for (MetricPoint point : harness.extractOutputValues()) {
                assertEquals("backend", point.getResource().getService(), "frontend handled no request");
                assertEquals(Instant.ofEpochMilli(MINUTE - 1), point.getTime());
                series.put(point.getName(), point.getValue());
            }
            assertEquals(Map.of("service.request.rate", 10 / 60.0, "service.error.ratio", 0.2,
                    "service.latency.p95", series.get("service.latency.p95")), series);
            assertEquals(29, series.get("service.latency.p95"), 29 * 0.011, "p95 of 20..29 ms");
            assertTrue(harness.numKeyedStateEntries() > 0, "the edges are still held");
            snapshot = harness.snapshot(1, MINUTE);
        }
        // Restored from a checkpoint, the held edges and their timers expire as they would have.
        KeyedOneInputStreamOperatorTestHarness<String, TraceSpan, MetricPoint> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ServiceTrafficFunction(
                        new ServiceTrafficStage(new TrafficConfig(MINUTE, 5, 10 * MINUTE, 0.95)))),
                        ServiceTrafficStage::key, Types.STRING);
        try (restored) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            assertEquals(2, restored.numEventTimeTimers(), "the timers are restored");
            restored.processWatermark(11 * MINUTE);
            assertEquals(List.of("DELETE backend->postgresql:orders DEPENDS_ON", "DELETE frontend->backend CALLS"),
                    edges(restored));
            assertEquals(0, restored.numKeyedStateEntries(), "state dropped once every edge expired");
            assertEquals(0, restored.numEventTimeTimers(), "no timer left");
        }
    }

    @Test
    void theEndOfABoundedInputClosesWindowsButExpiresNoEdge() throws Exception {
        ServiceTrafficFunction function = new ServiceTrafficFunction(
                new ServiceTrafficStage(new TrafficConfig(MINUTE, 5, 10 * MINUTE, 0.95)));
        try (KeyedOneInputStreamOperatorTestHarness<String, TraceSpan, MetricPoint> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, ServiceTrafficStage::key,
                        Types.STRING)) {
            TraceSpan call = span("frontend", SpanKind.SERVER, 1_000, 5, false,
                    new SpanCall("backend", CallTarget.SERVICE));
            harness.processElement(call, 1_000);
            harness.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of("service.request.rate"),
                    harness.extractOutputValues().stream().map(MetricPoint::getName).toList());
            assertEquals(List.of("UPSERT frontend->backend CALLS"), edges(harness),
                    "the correlation may still be reading earlier event time");
        }
    }

    @Test
    void theEndOfABoundedInputClosesEveryOpenWindowWhenNoWatermarkCameBefore() throws Exception {
        ServiceTrafficFunction function = new ServiceTrafficFunction(
                new ServiceTrafficStage(new TrafficConfig(MINUTE, 1, 10 * MINUTE, 0.95)));
        try (KeyedOneInputStreamOperatorTestHarness<String, TraceSpan, MetricPoint> harness =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, ServiceTrafficStage::key,
                        Types.STRING)) {
            for (int minute = 0; minute < 5; minute++) {
                TraceSpan request = span("backend", SpanKind.SERVER, minute * MINUTE + 1_000, 10, false);
                harness.processElement(request, request.getTime().toEpochMilli());
            }
            harness.processWatermark(Long.MAX_VALUE);
            List<Instant> rates = harness.extractOutputValues().stream()
                    .filter(p -> p.getName().equals(ServiceTrafficStage.REQUEST_RATE)).map(MetricPoint::getTime)
                    .toList();
            assertEquals(List.of(Instant.ofEpochMilli(MINUTE - 1), Instant.ofEpochMilli(2 * MINUTE - 1),
                    Instant.ofEpochMilli(3 * MINUTE - 1), Instant.ofEpochMilli(4 * MINUTE - 1),
                    Instant.ofEpochMilli(5 * MINUTE - 1)), rates, "all five windows, in order");
            assertEquals(0, harness.numKeyedStateEntries(), "no window and no edge left");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }

    private static List<String> edges(KeyedOneInputStreamOperatorTestHarness<String, TraceSpan, MetricPoint> harness) {
        List<String> edges = new ArrayList<>();
        var side = harness.getSideOutput(ServiceTrafficFunction.EDGES);
        if (side != null) {
            for (StreamRecord<TopologyUpdate> record : side) {
                TopologyUpdate u = record.getValue();
                edges.add(u.getOperation() + " " + u.getEdge().getFrom() + "->" + u.getEdge().getTo() + " "
                        + u.getEdge().getType());
            }
        }
        return edges;
    }
}
