package io.sift.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.HealthStatus;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** KPI classification, summaries, own health from severities and propagation on small trees (with a cycle). */
class HealthModelTest {

    private static final Map<String, Set<String>> TREE = Map.of(
            "frontend", Set.of("checkout", "search"),
            "checkout", Set.of("payments", "orders-db"),
            "payments", Set.of("payments-db"),
            "search", Set.of());

    @Test
    void metricsFeedTheirKpis() {
        assertEquals(Kpi.AVAILABILITY, Kpi.of("http.server.error.ratio"));
        assertEquals(Kpi.AVAILABILITY, Kpi.of("availability"));
        assertEquals(Kpi.LATENCY, Kpi.of("http.server.request.duration.p95"));
        assertEquals(Kpi.LATENCY, Kpi.of("db.client.operation.duration.p95"));
        assertEquals(Kpi.THROUGHPUT, Kpi.of("http.server.request.rate"));
        assertEquals(Kpi.SATURATION, Kpi.of("system.cpu.utilization"));
        assertEquals(Kpi.SATURATION, Kpi.of("db.client.connections.usage"));
        assertEquals(Kpi.ERRORS, Kpi.of("log.error.count"));
        assertNull(Kpi.of("cache.hit.ratio"));
        assertTrue(Kpi.harms("http.server.error.ratio", Direction.UP));
        assertTrue(!Kpi.harms("http.server.error.ratio", Direction.DOWN));
        assertTrue(Kpi.harms("success.ratio", Direction.DOWN));
        assertTrue(Kpi.harms("http.server.request.rate", Direction.DOWN));
        assertTrue(!Kpi.harms("http.server.request.duration.p95", Direction.DOWN), "faster is not worse");
    }

    @Test
    void summariesPoolInstances() {
        KpiSummary s = new KpiSummary();
        s.add(point("http.server.error.ratio", "a", 0.02), "prod");
        s.add(point("http.server.error.ratio", "b", 0.04), "prod");
        s.add(point("http.server.request.rate", "a", 100), "prod");
        s.add(point("http.server.request.rate", "a", 120), "prod");
        s.add(point("http.server.request.rate", "b", 50), "prod");
        s.add(point("http.server.request.duration.p95", "a", 200), "prod");
        s.add(point("system.cpu.utilization", "a", 0.4), "prod");
        KpiSummary other = new KpiSummary();
        other.add(point("system.cpu.utilization", "b", 0.7), "prod");
        s.merge(other);
        assertEquals(0.97, s.availability(), 1e-12);
        assertEquals(110 + 50, s.throughput(), 1e-12, "sum of the instances' mean rates");
        assertEquals(200, s.latencyP95(), 1e-12);
        assertEquals(0.7, s.saturationValue(), 1e-12);
        assertNull(s.errorCount());
        assertEquals("checkout", s.service);
        assertEquals(8, s.samples);
    }

    @Test
    void ownHealthFallsWithWeightedSeverities() {
        HealthModel model = HealthModel.defaults();
        assertEquals(100.0, model.ownHealth(Map.of()), 1e-12);
        assertEquals(5.0, model.ownHealth(Map.of(Kpi.AVAILABILITY, 95.0)), 1e-9, "availability alone can take all");
        assertEquals(100 * (1 - 0.6 * 0.8), model.ownHealth(Map.of(Kpi.LATENCY, 80.0)), 1e-9);
        assertEquals(100 * (1 - 0.6 * 0.8) * (1 - 0.3 * 0.5),
                model.ownHealth(Map.of(Kpi.LATENCY, 80.0, Kpi.THROUGHPUT, 50.0)), 1e-9);
        HealthModel custom = new HealthModel(HealthModel.parseWeights("latency:1.0, throughput=0"), 0.5);
        assertEquals(20.0, custom.ownHealth(Map.of(Kpi.LATENCY, 80.0, Kpi.THROUGHPUT, 90.0)), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> HealthModel.parseWeights("speed:1"));
        assertThrows(IllegalArgumentException.class, () -> new HealthModel(Map.of(Kpi.LATENCY, 2.0), 0.5));
        assertThrows(IllegalArgumentException.class, () -> new HealthModel(Map.of(), 1.5));
        assertEquals(HealthStatus.HEALTHY, HealthModel.status(80));
        assertEquals(HealthStatus.DEGRADED, HealthModel.status(79.9));
        assertEquals(HealthStatus.CRITICAL, HealthModel.status(49.9));
    }

    @Test
    void aFaultyLeafDegradesItsCallersLessWithEveryHopAndNotItsSiblings() {
        HealthModel model = HealthModel.defaults();
        Map<String, Double> own = Map.of("frontend", 100.0, "checkout", 100.0, "payments", 10.0, "search", 100.0,
                "payments-db", 100.0, "orders-db", 100.0);
        Map<String, HealthModel.Result> r = model.propagate(own, s -> TREE.getOrDefault(s, Set.of()));
        assertEquals(10.0, r.get("payments").health(), 1e-9);
        assertEquals(55.0, r.get("checkout").health(), 1e-9, "100 - 0.5 x (100 - 10)");
        assertEquals(77.5, r.get("frontend").health(), 1e-9);
        assertEquals(100.0, r.get("search").health(), 1e-9);
        assertEquals(100.0, r.get("orders-db").health(), 1e-9);
        assertEquals("payments", r.get("checkout").worstDependency());
        assertEquals(10.0, r.get("checkout").worstDependencyHealth(), 1e-9);
        assertEquals("checkout", r.get("frontend").worstDependency());
        assertNull(r.get("search").worstDependency());
    }

    @Test
    void anItemWithoutOwnHealthPassesOnWhatIsBelowItAndCyclesEnd() {
        HealthModel model = new HealthModel(Map.of(), 1.0);
        // checkout reports nothing this window, but payments-db below it is down.
        Map<String, HealthModel.Result> r = model.propagate(Map.of("frontend", 90.0, "payments-db", 0.0),
                s -> TREE.getOrDefault(s, Set.of()));
        assertEquals(0.0, r.get("frontend").health(), 1e-9);
        Map<String, Set<String>> cycle = Map.of("a", Set.of("b"), "b", Set.of("a"));
        Map<String, HealthModel.Result> c = HealthModel.defaults().propagate(Map.of("a", 40.0, "b", 100.0),
                s -> cycle.getOrDefault(s, Set.of()));
        assertEquals(40.0, c.get("a").health(), 1e-9);
        assertEquals(70.0, c.get("b").health(), 1e-9);
    }

    @Test
    void severitiesComeFromHarmfulAnomaliesActiveInTheWindow() {
        KpiSeverities severities = new KpiSeverities();
        Instant t = Instant.parse("2026-11-02T10:00:00Z");
        assertTrue(severities.onAnomaly(anomaly("x", 1, "http.server.request.duration.p95", Direction.UP, 70, t, null)));
        assertTrue(!severities.onAnomaly(anomaly("y", 1, "http.server.request.duration.p95", Direction.DOWN, 90, t, null)));
        severities.onAnomaly(anomaly("x", 2, "http.server.request.duration.p95", Direction.UP, 85, t, null));
        severities.onAnomaly(anomaly("x", 1, "http.server.request.duration.p95", Direction.UP, 70, t, null));
        long w = t.toEpochMilli();
        assertEquals(Map.of(Kpi.LATENCY, 85.0), severities.severities("checkout", w, w + 60_000));
        assertEquals(Map.of(), severities.severities("checkout", w - 120_000, w - 60_000), "before the onset");
        severities.onAnomaly(anomaly("x", 3, "http.server.request.duration.p95", Direction.UP, 85, t,
                t.plusSeconds(120)));
        assertEquals(Map.of(Kpi.LATENCY, 85.0), severities.severities("checkout", w + 120_000, w + 180_000));
        assertEquals(Map.of(), severities.severities("checkout", w + 180_000, w + 240_000), "after the end");
        severities.expire(w + 180_000, Long.MIN_VALUE);
        assertTrue(severities.isEmpty());
    }

    private static Anomaly anomaly(String id, long version, String metric, Direction direction, double score,
            Instant onset, Instant end) {
        return Anomaly.newBuilder().setId(id).setVersion(version).setSignal(SignalType.METRIC).setDetector("d")
                .setSeriesKey("k").setMetric(metric).setResource(Resource.newBuilder().setService("checkout").build())
                .setLabels(Map.of()).setOnset(onset).setTime(end == null ? onset : end).setEnd(end).setObserved(1)
                .setExpected(0).setLowerBound(0).setUpperBound(1).setDeviation(5).setDirection(direction)
                .setScore(score).setSamples(1).build();
    }

    private static MetricPoint point(String metric, String instance, double value) {
        return MetricPoint.newBuilder().setTime(Instant.parse("2026-11-02T10:00:00Z")).setName(metric).setValue(value)
                .setUnit("1").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService("checkout").setInstance(instance).build())
                .setLabels(Map.of()).build();
    }
}
