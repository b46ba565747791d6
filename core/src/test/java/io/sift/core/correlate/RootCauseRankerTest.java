package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.topology.Topology;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
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
        anomaly(item, metric, onsetMinutes * MIN, sigmas, true);
    }

    private void anomaly(String item, String metric, long onsetMillis, double sigmas, boolean up) {
        AnomalyEntry e = new AnomalyEntry();
        e.id = item + "/" + metric;
        e.item = item;
        e.metric = metric;
        e.onset = T0 + onsetMillis;
        e.time = e.onset + 2 * MIN;
        e.deviation = up ? sigmas : -sigmas;
        e.score = 100.0 * (1 - Math.pow(0.5, (sigmas / 6) * (sigmas / 6)));
        e.observed = 10;
        e.expected = 1;
        e.up = up;
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

    @Test
    void theWeightsAreSettings() {
        anomaly("a", "latency", 0, 30);
        anomaly("b", "latency", 3, 30);
        anomaly("b", "errors", 3, 8);
        RootCauseRanker strengthOnly = new RootCauseRanker(30 * MIN, 5,
                RankerSettings.defaults().weights("walk=0, topology=0, onset=0, change=0"));
        assertEquals("b", strengthOnly.rank(anomalies, List.of(), topology).get(0).getItem());
        assertEquals(RankerSettings.DEFAULT_WALK_WEIGHT, RankerSettings.defaults().weights("").walkWeight);
        IllegalArgumentException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> RankerSettings.defaults().weights("luck=1"));
        assertTrue(unknown.getMessage().contains("walk=0.30"), unknown.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RankerSettings.defaults().weights("walk=0,topology=0,onset=0,strength=0,change=0"));
    }

    @Test
    void aCalleeWhoseTrafficFellIsAnEffectOfItsCallerNotTheCause() {
        // A network partition: checkout cannot reach reviews, so checkout fails and reviews' request rate falls.
        calls("frontend", "checkout");
        calls("checkout", "reviews");
        anomaly("reviews", "http.server.request.rate", 0, 30, false);
        anomaly("checkout", "http.server.request.duration.p95", 5_000, 50, true);
        anomaly("checkout", "http.server.error.ratio", 5_000, 400, true);
        anomaly("frontend", "http.server.request.duration.p95", 30_000, 20, true);
        anomaly("frontend", "http.server.error.ratio", 30_000, 100, true);
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology);
        assertEquals("checkout", hints.get(0).getItem(), hints.toString());
        assertTrue(hints.get(0).getReasons().stream().anyMatch(r -> r.contains("depends on no other anomalous item")),
                hints.get(0).getReasons().toString());
    }

    @Test
    void aSurgeOfTrafficStillCountsAsEvidence() {
        calls("web", "api");
        anomaly("web", "http.server.request.duration.p95", 60_000, 20, true);
        anomaly("api", "http.server.request.rate", 0, 30, true);
        assertEquals("api", ranked(List.of()).get(0));
    }

    @Test
    void aDeviationOfAbsurdSigmaFromAFlatBaselineDoesNotOutweighTheHostEverythingRunsOn() {
        // Error log lines are usually none, so a burst of them is billions of σ. The host the services run on leads.
        calls("web", "checkout");
        calls("checkout", "payments");
        calls("checkout", "node-1");
        calls("payments", "node-1");
        anomaly("node-1", "system.cpu.utilization", 0, 40, true);
        anomaly("payments", "http.server.request.duration.p95", 15_000, 40, true);
        anomaly("checkout", "http.server.request.duration.p95", 20_000, 40, true);
        anomaly("checkout", "http.server.error.ratio", 20_000, 60, true);
        anomaly("checkout", "log.error.count", 60_000, 9e9, true);
        anomaly("web", "http.server.request.duration.p95", 40_000, 30, true);
        assertEquals("node-1", ranked(List.of()).get(0));
    }

    @Test
    void aReasonSaysABaselineWasFlatInsteadOfPrintingBillionsOfSigma() {
        calls("web", "checkout");
        anomaly("checkout", "log.error.count", 0, 9e9, true);
        anomaly("web", "http.server.request.duration.p95", 20_000, 40, true);
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology);
        String checkout = reasonOf(hints, "checkout");
        assertTrue(checkout.startsWith("checkout log.error.count over 1000σ above a flat baseline from"), checkout);
        String web = reasonOf(hints, "web");
        assertTrue(web.startsWith("web http.server.request.duration.p95 40.0σ above baseline from"), web);
    }

    private static String reasonOf(List<RootCauseHint> hints, String item) {
        return hints.stream().filter(h -> h.getItem().equals(item)).findFirst().orElseThrow().getReasons().get(0);
    }

    @Test
    void aChangeJustBeforeTheOnsetPointsAtItsItemWhileOneMadeLongBeforeDoesNot() {
        calls("web", "orders");
        calls("orders", "node-1");
        anomaly("node-1", "system.cpu.utilization", 0, 40, true);
        anomaly("orders", "http.server.request.duration.p95", 20_000, 40, true);
        anomaly("orders", "http.server.error.ratio", 20_000, 60, true);
        anomaly("web", "http.server.request.duration.p95", 40_000, 30, true);
        List<ChangeEvent> routine = List.of(change("orders", 20_000 - 27 * MIN));
        assertEquals("node-1", ranker.rank(anomalies, routine, topology).get(0).getItem());

        anomalies.clear();
        anomaly("web", "http.server.request.duration.p95", 40_000, 30, true);
        anomaly("orders", "http.server.request.duration.p95", 20_000, 40, true);
        anomaly("orders", "http.server.error.ratio", 20_000, 60, true);
        List<ChangeEvent> deploy = List.of(change("orders", 20_000 - 2 * MIN));
        List<RootCauseHint> hints = ranker.rank(anomalies, deploy, topology);
        assertEquals("orders", hints.get(0).getItem());
        assertEquals(List.of("chg-orders"), hints.get(0).getChanges());
    }

    @Test
    void metricMeaningsFromTheirNames() {
        assertEquals(MetricMeaning.Kind.TRAFFIC, MetricMeaning.of("http.server.request.rate"));
        assertEquals(MetricMeaning.Kind.TRAFFIC, MetricMeaning.of("throughput"));
        assertEquals(MetricMeaning.Kind.HARMFUL_UP, MetricMeaning.of("http.server.request.duration.p95"));
        assertEquals(MetricMeaning.Kind.HARMFUL_UP, MetricMeaning.of("http.server.error.ratio"));
        assertEquals(MetricMeaning.Kind.HARMFUL_UP, MetricMeaning.of("requests.failed"));
        assertEquals(MetricMeaning.Kind.HARMFUL_UP, MetricMeaning.of("system.cpu.utilization"));
        assertEquals(MetricMeaning.Kind.HARMFUL_UP, MetricMeaning.of("messaging.queue.depth"));
        assertEquals(MetricMeaning.Kind.HARMFUL_DOWN, MetricMeaning.of("cache.hit.ratio"));
        assertEquals(MetricMeaning.Kind.HARMFUL_DOWN, MetricMeaning.of("availability"));
        assertEquals(MetricMeaning.Kind.HARMFUL_DOWN, MetricMeaning.of("system.memory.free"));
        assertEquals(MetricMeaning.Kind.UNKNOWN, MetricMeaning.of("orders.placed"));
        assertTrue(MetricMeaning.isCauseEvidence("http.server.request.rate", true));
        assertTrue(!MetricMeaning.isCauseEvidence("http.server.request.rate", false));
        assertTrue(!MetricMeaning.isCauseEvidence("latency", false));
        assertTrue(MetricMeaning.isCauseEvidence("orders.placed", false));
    }

    @Test
    void anEpisodeOverBeforeTheIncidentBeganDoesNotDragItsItemsOnsetBack() {
        // The host's memory spiked and recovered 40 min ago; now its cpu is saturated and the services on it slow.
        calls("web", "orders");
        calls("web", "payments");
        calls("orders", "node-1");
        calls("payments", "node-1");
        episode("node-1", "system.memory.utilization", -40 * MIN, -37 * MIN, 60);
        episode("node-1", "system.cpu.utilization", 0, 10 * MIN, 30);
        for (String service : List.of("orders", "payments")) {
            episode(service, "http.server.request.duration.p95", 20_000, 10 * MIN, 50);
            episode(service, "http.server.error.ratio", 20_000, 10 * MIN, 80);
        }
        episode("web", "http.server.request.duration.p95", 40_000, 10 * MIN, 30);
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology);
        assertEquals("node-1", hints.get(0).getItem(), hints.toString());
        assertTrue(hints.get(0).getReasons().get(0).contains("system.cpu.utilization"), hints.get(0).getReasons().get(0));
    }

    @Test
    void aDependencyThatRecoveredLongBeforeItsCallerIsNotTheCauseOfItsLongerTrouble() {
        // A short memory glitch on the host just before a partition cuts recommendations off from returns for 18 min.
        calls("frontend", "recommendations");
        calls("recommendations", "returns");
        calls("recommendations", "node-2");
        calls("frontend", "node-2");
        episode("node-2", "system.memory.utilization", -40_000, 140_000, 70);
        episode("recommendations", "http.server.request.duration.p95", 13_000, 18 * MIN, 80);
        episode("recommendations", "http.server.error.ratio", 13_000, 18 * MIN, 1000);
        episode("returns", "http.server.request.rate", 14_000, 18 * MIN, 21, false);
        episode("frontend", "http.server.request.duration.p95", 36_000, 18 * MIN, 40);
        episode("frontend", "http.server.error.ratio", 36_000, 18 * MIN, 230);
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology);
        assertEquals("recommendations", hints.get(0).getItem(), hints.toString());
    }

    @Test
    void overlapsWithOtherItemsAgreeWithABruteForceCheck() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            List<AnomalyEntry> entries = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int k = 0; k < n; k++) {
                AnomalyEntry e = new AnomalyEntry();
                e.item = "item-" + random.nextInt(4);
                e.onset = random.nextInt(100);
                e.time = e.onset + random.nextInt(30);
                e.end = random.nextBoolean() ? -1 : e.onset + random.nextInt(30);
                entries.add(e);
            }
            RootCauseRanker.Overlaps overlaps = new RootCauseRanker.Overlaps(entries);
            for (int q = 0; q < 20; q++) {
                String item = "item-" + random.nextInt(5);
                long from = random.nextInt(130) - 10;
                long to = from + random.nextInt(40);
                boolean expected = entries.stream().anyMatch(e -> !e.item.equals(item) && e.onset <= to
                        && RootCauseRanker.activeUntil(e) >= from);
                assertEquals(expected, overlaps.withOtherItem(item, from, to), entries + " " + item + " " + from + "-" + to);
            }
        }
    }

    private void episode(String item, String metric, long onsetMillis, long endMillis, double sigmas) {
        episode(item, metric, onsetMillis, endMillis, sigmas, true);
    }

    private void episode(String item, String metric, long onsetMillis, long endMillis, double sigmas, boolean up) {
        anomaly(item, metric, onsetMillis, sigmas, up);
        AnomalyEntry e = anomalies.get(anomalies.size() - 1);
        e.end = T0 + endMillis;
        e.time = e.end;
    }

    private static ChangeEvent change(String item, long offsetMillis) {
        return ChangeEvent.newBuilder().setId("chg-" + item).setTime(Instant.ofEpochMilli(T0 + offsetMillis))
                .setType(ChangeType.DEPLOY).setConfigurationItem(item).setSummary("deploy " + item).build();
    }

    private void runsOn(String from, String to) {
        topology.apply(TopologyUpdate.newBuilder().setTime(Instant.EPOCH).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.RUNS_ON).build()).build());
    }

    /** An alert-like entry: nominal deviation, raised on a host. */
    private void alertOn(String item, String metric, long onsetMillis, String host) {
        anomaly(item, metric, onsetMillis, 3, true);
        AnomalyEntry e = anomalies.get(anomalies.size() - 1);
        e.alertSource = "test";
        e.alertHost = host;
    }

    @Test
    void aHostExplainsOnlyTheAnomaliesRaisedOnIt() {
        // cart's instances run on node-1 and node-2 (the topology lifts "runs on" to the service), but only its
        // instance on node-1 alerts; node-2 alerts on its own (a busy neighbour). node-2 is no cause of cart's trouble.
        calls("frontend", "cart");
        runsOn("frontend", "node-3");
        runsOn("cart", "node-1");
        runsOn("cart", "node-2");
        alertOn("frontend", "latency", 0, "node-3");
        alertOn("cart", "latency", 0, "node-1");
        alertOn("cart", "memory", 0, "node-1");
        alertOn("node-2", "cpu", 0, "node-2");
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology, List.of());
        assertEquals("cart", hints.get(0).getItem(), hints.toString());
        RootCauseHint cart = hints.get(0);
        assertTrue(cart.getReasons().stream().anyMatch(r -> r.startsWith("depends on no other anomalous item")),
                cart.getReasons().toString());
    }

    @Test
    void anAlarmRelatedToNothingElseDoesNotOutrankTheCauseTheSymptomsLeadTo() {
        // A chain of symptoms leads to orders; an unrelated item is as anomalous on its own at the same time.
        calls("frontend", "checkout");
        calls("checkout", "orders");
        anomaly("frontend", "latency", 0, 20);
        anomaly("frontend", "errors", 0, 20);
        anomaly("checkout", "latency", 0, 20);
        anomaly("orders", "latency", 0, 20);
        anomaly("batch", "latency", 0, 20);
        anomaly("batch", "errors", 0, 20);
        List<String> ranked = ranked(List.of());
        assertEquals("orders", ranked.get(0), ranked.toString());
    }

    @Test
    void aDependencyWhoseAnomalyBeganWellAfterExplainsNothing() {
        // web's latency rose ten minutes before its database's did: the database's trouble is no cause of web's.
        calls("web", "db");
        episode("web", "latency", 0, 20 * MIN, 20, true);
        episode("db", "latency", 10 * MIN, 20 * MIN, 40, true);
        List<RootCauseHint> hints = ranker.rank(anomalies, List.of(), topology, List.of());
        RootCauseHint web = hints.stream().filter(h -> h.getItem().equals("web")).findFirst().orElseThrow();
        assertEquals(1, web.getRank(), hints.toString());
        assertTrue(web.getReasons().contains("depends on no other anomalous item"), web.getReasons().toString());
    }

    @Test
    void clockWritesWhatTheFormatterWrote() {
        java.time.format.DateTimeFormatter formatter = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
                .withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(7);
        List<Long> seconds = new ArrayList<>(List.of(0L, -1L, 59L, 3_599L, 86_399L, 86_400L, -86_401L,
                T0 / 1000, Instant.parse("2262-04-11T23:47:16Z").getEpochSecond()));
        for (int i = 0; i < 10_000; i++) {
            seconds.add(random.nextLong() % 20_000_000_000L);
        }
        for (long second : seconds) {
            assertEquals(formatter.format(Instant.ofEpochSecond(second)), RootCauseRanker.clock(second),
                    "epoch second " + second);
        }
    }
}
