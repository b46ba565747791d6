package io.sift.core.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.MetricMeaning;
import io.sift.schema.CallTarget;
import io.sift.schema.EdgeType;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SpanCall;
import io.sift.schema.SpanKind;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.schema.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceTrafficStageTest {

    private static final long MINUTE = 60_000;
    private static final long HOUR = 3_600_000;
    private final ServiceTrafficStage stage = new ServiceTrafficStage(new TrafficConfig(MINUTE, 10, HOUR, 0.95));

    static TraceSpan span(String service, String env, SpanKind kind, long time, double millis, boolean error,
            SpanCall... calls) {
        return new TraceSpan(Instant.ofEpochMilli(time), millis, kind, error, "op",
                new Resource(service, null, null, env), List.of(calls));
    }

    static SpanCall call(String to, CallTarget target) {
        return new SpanCall(to, target);
    }

    @Test
    void aWindowOfRequestsGivesRateErrorRatioAndLatencyAtItsEnd() {
        ServiceTraffic state = new ServiceTraffic();
        List<TopologyUpdate> edges = new ArrayList<>();
        // 100 requests in the minute [0, 60 s): durations 1..100 ms, every tenth an error; a client span is no request.
        for (int i = 1; i <= 100; i++) {
            assertTrue(stage.add(state, span("orders", "prod", SpanKind.SERVER, i * 500L, i, i % 10 == 0), 0, edges));
        }
        assertFalse(stage.add(state, span("orders", "prod", SpanKind.CLIENT, 1_000, 5000, true), 0, edges));
        List<MetricPoint> points = new ArrayList<>();
        stage.advance(state, MINUTE - 2, true, points, edges);
        assertTrue(points.isEmpty(), "nothing before the window's last millisecond");
        assertEquals(MINUTE - 1, stage.nextDue(state));

        stage.advance(state, MINUTE - 1, true, points, edges);
        Map<String, MetricPoint> byName = points.stream().collect(Collectors.toMap(p -> p.getName().toString(), p -> p));
        assertEquals(Map.of("service.request.rate", 100 / 60.0, "service.error.ratio", 0.1),
                Map.of("service.request.rate", byName.get("service.request.rate").getValue(),
                        "service.error.ratio", byName.get("service.error.ratio").getValue()));
        double p95 = byName.get("service.latency.p95").getValue();
        assertEquals(95, p95, 95 * LatencyHistogram.RELATIVE_ACCURACY * 1.01, "p95 of 1..100 ms");
        for (MetricPoint point : points) {
            assertEquals(Instant.ofEpochMilli(MINUTE - 1), point.getTime());
            assertEquals("orders", point.getResource().getService());
            assertEquals("prod", point.getResource().getEnvironment());
        }
        assertTrue(edges.isEmpty());
        assertTrue(state.isEmpty(), "a closed window is forgotten");
        assertEquals(Long.MAX_VALUE, stage.nextDue(state));
    }

    @Test
    void aQuietWindowGivesItsRateOnlyAndEnvironmentsAreSeparateSeries() {
        ServiceTraffic state = new ServiceTraffic();
        List<TopologyUpdate> edges = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            stage.add(state, span("orders", "prod", SpanKind.SERVER, 1_000 + i, 900, true), 0, edges);
        }
        for (int i = 0; i < 10; i++) {
            stage.add(state, span("orders", "staging", SpanKind.CONSUMER, 2_000 + i, 10, false), 0, edges);
        }
        List<MetricPoint> points = new ArrayList<>();
        stage.advance(state, MINUTE, true, points, edges);
        Map<String, List<String>> namesByEnv = points.stream().collect(Collectors.groupingBy(
                p -> p.getResource().getEnvironment().toString(),
                Collectors.mapping(p -> p.getName().toString(), Collectors.toList())));
        assertEquals(List.of("service.request.rate"), namesByEnv.get("prod"), "9 requests < 10: rate only");
        assertEquals(List.of("service.request.rate", "service.error.ratio", "service.latency.p95"),
                namesByEnv.get("staging"));
    }

    @Test
    void callsBecomeEdgesOnceAndExpireWhenUnseenForTheTtl() {
        ServiceTraffic state = new ServiceTraffic();
        List<TopologyUpdate> edges = new ArrayList<>();
        stage.add(state, span("checkout", "prod", SpanKind.CLIENT, 1_000, 5, false,
                call("orders", CallTarget.SERVICE)), 0, edges);
        stage.add(state, span("checkout", "prod", SpanKind.CLIENT, 2_000, 5, false,
                call("orders", CallTarget.SERVICE), call("postgres", CallTarget.DATABASE),
                call("checkout", CallTarget.SERVICE)), 0, edges);
        stage.add(state, span("checkout", "prod", SpanKind.PRODUCER, 3_000, 5, false,
                call("orders.events", CallTarget.QUEUE)), 0, edges);
        assertEquals(List.of("UPSERT checkout -CALLS-> orders @1000", "UPSERT checkout -DEPENDS_ON-> postgres @2000",
                "UPSERT checkout -DEPENDS_ON-> orders.events @3000"), describe(edges), "a self-call is no edge");
        edges.clear();

        // orders is seen again at 30 min; postgres and the queue are not.
        stage.add(state, span("checkout", "prod", SpanKind.CLIENT, 30 * MINUTE, 5, false,
                call("orders", CallTarget.SERVICE)), 20 * MINUTE, edges);
        assertTrue(edges.isEmpty(), "a known edge is not announced again");
        assertEquals(2_000 + HOUR, stage.nextDue(state));
        List<MetricPoint> points = new ArrayList<>();
        stage.advance(state, 3_000 + HOUR, true, points, edges);
        assertEquals(List.of("DELETE checkout -DEPENDS_ON-> postgres @" + (2_000 + HOUR),
                "DELETE checkout -DEPENDS_ON-> orders.events @" + (3_000 + HOUR)),
                describe(edges).stream().sorted((a, b) -> a.contains("postgres") ? -1 : 1).toList());
        edges.clear();
        assertEquals(30 * MINUTE + HOUR, stage.nextDue(state));
        stage.advance(state, 30 * MINUTE + HOUR, true, points, edges);
        assertEquals(List.of("DELETE checkout -CALLS-> orders @" + (30 * MINUTE + HOUR)), describe(edges));
        assertTrue(points.isEmpty(), "client and producer spans are no requests");
        assertTrue(state.isEmpty(), "nothing held once every edge expired");
    }

    @Test
    void lateSpansCountInNoClosedWindowAndRefreshNoExpiredEdge() {
        ServiceTraffic state = new ServiceTraffic();
        List<TopologyUpdate> edges = new ArrayList<>();
        assertFalse(stage.add(state, span("orders", null, SpanKind.SERVER, 1_000, 5, false,
                call("redis", CallTarget.DATABASE)), MINUTE - 1, edges), "its window has closed");
        assertEquals(1, edges.size(), "a late span still shows a live dependency");
        edges.clear();
        ServiceTraffic other = new ServiceTraffic();
        stage.add(other, span("orders", null, SpanKind.CLIENT, 1_000, 5, false, call("redis", CallTarget.DATABASE)),
                1_000 + HOUR, edges);
        assertTrue(edges.isEmpty() && other.dependencies.isEmpty(), "a sighting older than the TTL is no edge");
    }

    @Test
    void edgeTypesAndMetricNamesReadAsTheRankerExpects() {
        assertEquals(EdgeType.CALLS, edgeOf(CallTarget.SERVICE));
        assertEquals(EdgeType.DEPENDS_ON, edgeOf(CallTarget.QUEUE));
        // Errors and latency hurt by rising (a fall is harmless); traffic is never harmless.
        assertTrue(MetricMeaning.isHarmless(ServiceTrafficStage.ERROR_RATIO, false));
        assertFalse(MetricMeaning.isHarmless(ServiceTrafficStage.ERROR_RATIO, true));
        assertTrue(MetricMeaning.isHarmless(TrafficConfig.defaults().latencyMetric(), false));
        assertFalse(MetricMeaning.isHarmless(TrafficConfig.defaults().latencyMetric(), true));
        assertFalse(MetricMeaning.isHarmless(ServiceTrafficStage.REQUEST_RATE, false));
        assertFalse(MetricMeaning.isHarmless(ServiceTrafficStage.REQUEST_RATE, true));
        assertEquals("service.latency.p95", TrafficConfig.defaults().latencyMetric());
        assertEquals("service.latency.p99.9", new TrafficConfig(1, 1, 1, 0.999).latencyMetric());
        assertThrows(IllegalArgumentException.class, () -> new TrafficConfig(MINUTE, 0, HOUR, 0.95));
    }

    private EdgeType edgeOf(CallTarget target) {
        List<TopologyUpdate> edges = new ArrayList<>();
        stage.add(new ServiceTraffic(), span("a", null, SpanKind.CLIENT, 0, 1, false, call("b", target)), 0, edges);
        return edges.get(0).getEdge().getType();
    }

    private static List<String> describe(List<TopologyUpdate> edges) {
        return edges.stream().map(u -> u.getOperation() + " " + u.getEdge().getFrom() + " -" + u.getEdge().getType()
                + "-> " + u.getEdge().getTo() + " @" + u.getTime().toEpochMilli()).toList();
    }

    @Test
    void theSourceScreenRefusesSpansEndingBeforeTheyStart() {
        io.sift.core.validate.InputValidator validator = new io.sift.core.validate.InputValidator(60_000);
        long now = java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
        TraceSpan backwards = span("orders", null, SpanKind.SERVER, now - 1_000, -3, false);
        assertEquals(io.sift.core.validate.ErrorKinds.INVALID_VALUE,
                validator.check((Object) backwards, now).errorKind());
        assertEquals(null, validator.check((Object) span("orders", null, SpanKind.SERVER, now - 1_000, 3, false), now));
        assertEquals(now - 1_000, io.sift.core.validate.InputValidator.eventTime(backwards));
    }

    @Test
    void latencyQuantilesAreWithinTheirAccuracy() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertTrue(Double.isNaN(histogram.quantile(0.5)));
        for (int i = 0; i < 1000; i++) {
            histogram.add(i == 0 ? 0 : i * 3.7);
        }
        LatencyHistogram zero = new LatencyHistogram();
        zero.add(0);
        assertEquals(0, zero.quantile(0.99));
        assertEquals(0.99 * 999 * 3.7, histogram.quantile(0.99), 0.99 * 999 * 3.7 * 0.011);
        assertEquals(500 * 3.7, histogram.quantile(0.5), 500 * 3.7 * 0.011);
    }
}
