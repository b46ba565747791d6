package io.sift.core.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.AnomalyEntry;
import io.sift.core.correlate.Topology;
import io.sift.schema.EdgeType;
import io.sift.schema.RootCauseHint;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootCauseRankerTest {

    private static final long MIN = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();

    private final RootCauseRanker ranker = new RootCauseRanker(30 * MIN, 5);
    private final Topology topology = new Topology();
    private final List<AnomalyEntry> anomalies = new ArrayList<>();

    private void calls(String from, String to) {
        topology.apply(TopologyUpdate.newBuilder().setTime(Instant.EPOCH).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build());
    }

    private void anomaly(String item, String metric, long onsetMinutes, double sigmas) {
        AnomalyEntry e = new AnomalyEntry();
        e.id = item + "/" + metric;
        e.item = item;
        e.metric = metric;
        e.onset = T0 + onsetMinutes * MIN;
        e.time = e.onset + 2 * MIN;
        e.deviation = sigmas;
        e.score = 100.0 * (1 - Math.pow(0.5, (sigmas / 6) * (sigmas / 6)));
        e.observed = 10;
        e.expected = 1;
        e.up = true;
        anomalies.add(e);
    }

    private List<String> ranked(List<String> symptoms) {
        return ranker.rank(anomalies, List.of(), topology, symptoms).stream().map(RootCauseHint::getItem).toList();
    }

    @Test
    void theUpstreamMostAnomalousItemOfAChainLeadsEvenWhenItsCallersDeviateMore() {
        calls("frontend", "checkout");
        calls("checkout", "orders");
        calls("orders", "orders-db");
        anomaly("frontend", "latency", 0, 40);
        anomaly("checkout", "latency", 0, 30);
        anomaly("orders", "latency", 0, 25);
        anomaly("orders-db", "latency", 0, 12);
        assertEquals("orders-db", ranked(List.of()).get(0));
    }

    @Test
    void ofTwoAnomalousDependenciesTheOneThatExplainsMoreSymptomsLeads() {
        // web calls a load balancer and the search service; a batch client calls the search service too.
        calls("web", "lb");
        calls("web", "search");
        calls("batch", "search");
        anomaly("web", "latency", 0, 15);
        anomaly("batch", "latency", 0, 15);
        anomaly("lb", "latency", 0, 30);
        anomaly("search", "latency", 0, 20);
        List<String> ranked = ranked(List.of("web"));
        assertEquals("search", ranked.get(0), ranked.toString());
        assertEquals("lb", ranked.get(1), ranked.toString());
    }

    @Test
    void aDependencyAnomalousLongBeforeTheSymptomLosesToOneThatStartedWithIt() {
        calls("web", "jobs");
        calls("web", "search");
        anomaly("jobs", "latency", -30, 30);
        anomaly("web", "latency", 0, 15);
        anomaly("search", "latency", 0, 20);
        assertEquals("search", ranked(List.of("web")).get(0));
    }

    @Test
    void aSymptomWithoutAnAnomalyStillStartsTheWalkAndIsNeverHinted() {
        calls("web", "search");
        calls("web", "pay");
        calls("checkout", "pay");
        anomaly("search", "latency", 0, 20);
        anomaly("pay", "latency", 0, 20);
        anomaly("checkout", "latency", 0, 20);
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology, List.of("web"));
        assertEquals(List.of("pay", "search", "checkout"), hints.stream().map(RootCauseHint::getItem).toList(), hints.toString());
        assertTrue(hints.get(0).getReasons().stream().anyMatch(r -> r.contains("random walk")), hints.get(0).getReasons().toString());
        assertEquals(1.0, hints.stream().mapToDouble(RootCauseHint::getScore).sum(), 0.01);
    }

    @Test
    void withoutTopologyTheEarliestAndStrongestLeads() {
        anomaly("a", "latency", 2, 10);
        anomaly("b", "latency", 0, 10);
        anomaly("b", "errors", 0, 10);
        assertEquals("b", ranked(List.of()).get(0));
    }
}
