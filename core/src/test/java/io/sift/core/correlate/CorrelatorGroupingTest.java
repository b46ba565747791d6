package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.topology.Topology;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.EdgeType;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** User grouping rules link anomalies without a topology path; the incident carries its group key and fingerprint. */
class CorrelatorGroupingTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long MIN = 60_000;

    private final Topology topology = new Topology();

    CorrelatorGroupingTest() {
        // Two separate branches: orders -> orders-db and search -> catalog; no path between them.
        edge("orders", "orders-db");
        edge("search", "catalog");
    }

    private void edge(String from, String to) {
        topology.apply(TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(EdgeType.CALLS).build()).build());
    }

    private static Anomaly anomaly(String item, String cluster, long onsetMin, Long endMin) {
        Map<String, String> labels = new HashMap<>();
        if (cluster != null) {
            labels.put("cluster", cluster);
        }
        return Anomaly.newBuilder().setId("anom-" + item + "-" + onsetMin).setVersion(endMin == null ? 1 : 2)
                .setSignal(SignalType.METRIC).setDetector("robust-baseline").setSeriesKey("latency|" + item)
                .setMetric("latency").setResource(Resource.newBuilder().setService(item).setEnvironment("prod").build())
                .setLabels(labels).setOnset(T0.plusMillis(onsetMin * MIN))
                .setTime(T0.plusMillis((endMin == null ? onsetMin : endMin) * MIN))
                .setEnd(endMin == null ? null : T0.plusMillis(endMin * MIN)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(90)
                .setSamples(3).build();
    }

    private List<Incident> feed(Correlator correlator, CorrelationState state, Anomaly... anomalies) {
        List<Incident> out = new ArrayList<>();
        for (Anomaly a : anomalies) {
            out.addAll(correlator.onAnomaly(state, a, topology));
        }
        return out;
    }

    private static Correlator correlator(GroupingRules rules) {
        return new Correlator(CorrelationConfig.builder().grouping(rules).build());
    }

    @Test
    void withoutRulesTwoItemsWithoutAPathAreTwoIncidentsWithSeriesFingerprints() {
        List<Incident> out = feed(correlator(GroupingRules.none()), new CorrelationState(),
                anomaly("orders-db", "eu-1", 0, null), anomaly("catalog", "eu-1", 1, null));
        assertEquals(2, out.stream().map(Incident::getId).distinct().count(), "two incidents: " + out);
        assertEquals(Correlator.fingerprint("prod", "latency|orders-db"), out.get(0).getFingerprint());
        assertEquals(Correlator.fingerprint("prod", "latency|catalog"), out.get(1).getFingerprint());
        assertNull(out.get(0).getGroupKey());
        assertFalse(out.get(0).getFlapping());
    }

    @Test
    void aGroupByAttributeJoinsAnomaliesWithoutATopologyPath() {
        List<Incident> out = feed(correlator(GroupingRules.groupBy("cluster")), new CorrelationState(),
                anomaly("orders-db", "eu-1", 0, null), anomaly("catalog", "eu-1", 1, null));
        assertEquals(1, out.stream().map(Incident::getId).distinct().count(), "one incident: " + out);
        Incident last = out.get(out.size() - 1);
        assertEquals(IncidentChange.UPDATED, last.getChange());
        assertEquals(List.of("catalog", "orders-db"), last.getServices());
        assertEquals("group-by{cluster=eu-1}", last.getGroupKey());
        assertEquals(Correlator.groupFingerprint("prod", "group-by{cluster=eu-1}"), last.getFingerprint());
    }

    @Test
    void differentValuesAndMissingAttributesDoNotGroup() {
        Correlator correlator = correlator(GroupingRules.groupBy("cluster"));
        List<Incident> out = feed(correlator, new CorrelationState(), anomaly("orders-db", "eu-1", 0, null),
                anomaly("catalog", "us-2", 1, null), anomaly("search", null, 2, null));
        // search is catalog's caller: it joins catalog's incident by the topology, not by a group.
        assertEquals(2, out.stream().map(Incident::getId).distinct().count(), "eu-1 and us-2 apart: " + out);
        Incident catalog = out.get(out.size() - 1);
        assertEquals(List.of("catalog", "search"), catalog.getServices());
        assertEquals("group-by{cluster=us-2}", catalog.getGroupKey());

        List<Incident> lacking = feed(correlator, new CorrelationState(), anomaly("orders-db", null, 0, null),
                anomaly("catalog", null, 1, null));
        assertEquals(2, lacking.stream().map(Incident::getId).distinct().count(), "no attribute, no group");
        assertNull(lacking.get(1).getGroupKey());
        assertEquals(Correlator.fingerprint("prod", "latency|catalog"), lacking.get(1).getFingerprint());
    }

    @Test
    void theRuleWindowBoundsHowFarApartGroupedAnomaliesMayBe() {
        Correlator correlator = correlator(GroupingRules.parse("cl: group-by=cluster window=2m"));
        CorrelationState state = new CorrelationState();
        List<Incident> near = feed(correlator, state, anomaly("orders-db", "eu-1", 0, null),
                anomaly("orders-db", "eu-1", 0, 3L), anomaly("catalog", "eu-1", 5, null));
        assertEquals(1, near.stream().map(Incident::getId).distinct().count(),
                "2 min after the end is within the window: " + near);

        CorrelationState other = new CorrelationState();
        List<Incident> far = feed(correlator, other, anomaly("orders-db", "eu-1", 0, null),
                anomaly("orders-db", "eu-1", 0, 3L), anomaly("catalog", "eu-1", 6, null));
        assertEquals(2, far.stream().map(Incident::getId).distinct().count(), "3 min after the end is not: " + far);
        assertEquals(2, other.incidents.size());
    }

    @Test
    void aRuleAppliesOnlyToTheAnomaliesItMatches() {
        Correlator correlator = correlator(GroupingRules.parse("dbs: match=service:*-db group-by=cluster"));
        List<Incident> out = feed(correlator, new CorrelationState(), anomaly("orders-db", "eu-1", 0, null),
                anomaly("catalog", "eu-1", 1, null), anomaly("users-db", "eu-1", 2, null));
        assertEquals(2, out.stream().map(Incident::getId).distinct().count(), out.toString());
        Incident last = out.get(out.size() - 1);
        assertEquals(List.of("orders-db", "users-db"), last.getServices(), "the two databases, not catalog");
        assertEquals("dbs{cluster=eu-1}", last.getGroupKey());
    }

    @Test
    void anAnomalyOfTwoGroupsMergesTheirIncidentsWithinTheMergeWindow() {
        Correlator correlator = correlator(GroupingRules.parse("cl: group-by=cluster; rg: group-by=region"));
        Anomaly a = Anomaly.newBuilder(anomaly("orders-db", "eu-1", 0, null)).setLabels(Map.of("cluster", "eu-1"))
                .build();
        Anomaly b = Anomaly.newBuilder(anomaly("catalog", null, 0, null)).setLabels(Map.of("region", "west")).build();
        Anomaly bridge = Anomaly.newBuilder(anomaly("users", null, 0, null))
                .setLabels(Map.of("cluster", "eu-1", "region", "west")).build();
        CorrelationState state = new CorrelationState();
        List<Incident> out = feed(correlator, state, a, b, bridge);
        assertTrue(out.stream().anyMatch(i -> i.getChange() == IncidentChange.MERGED), out.toString());
        assertEquals(1, state.incidents.size());
        assertEquals(3, out.get(out.size() - 1).getAnomalyCount());
    }

    @Test
    void anotherSeriesOfTheGroupReopensTheResolvedIncidentWithinTheCoolDown() {
        Correlator correlator = correlator(GroupingRules.groupBy("cluster"));
        CorrelationState state = new CorrelationState();
        List<Incident> first = feed(correlator, state, anomaly("orders-db", "eu-1", 0, null),
                anomaly("orders-db", "eu-1", 0, 2L));
        List<Incident> resolved = correlator.advance(state, T0.toEpochMilli() + 12 * MIN, topology);
        assertEquals(IncidentChange.RESOLVED, resolved.get(0).getChange());
        List<Incident> again = feed(correlator, state, anomaly("catalog", "eu-1", 20, null));
        assertEquals(IncidentChange.REOPENED, again.get(0).getChange(), "same group, same problem");
        assertEquals(first.get(0).getId(), again.get(0).getId());
        assertEquals(first.get(0).getFingerprint(), again.get(0).getFingerprint());
    }
}
