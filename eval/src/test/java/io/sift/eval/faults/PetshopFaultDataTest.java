package io.sift.eval.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.eval.petshop.PetshopScenario;
import io.sift.schema.EdgeType;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny PetShop-shaped scenario read as a fault data set for the job. */
class PetshopFaultDataTest {

    private static final long STEP = 300_000;
    private static final long DAY = 86_400_000;

    @TempDir
    Path dir;

    /** Normal history recorded on another day: 3 rows, the back's latency missing in the first. */
    private static final String NORMAL = """
            microservice,front,front,back
            metric,latency,availability,latency
            statistic,Average,Average,Average
            unix_timestamp,,,
            1692608400.0,0.5,100.0,
            1692608700.0,0.6,100.0,0.2
            1692609000.0,0.5,100.0,0.3
            """;

    private static final String ISSUE_0 = """
            microservice,front,front,back
            metric,latency,availability,latency
            statistic,Average,Average,Average
            unix_timestamp,,,
            1681855320.0,0.5,100.0,0.2
            1681855620.0,2.5,100.0,1.9
            1681855920.0,2.7,100.0,2.1
            """;

    /** Recorded before issue_0, with a component the history lacks. */
    private static final String ISSUE_1 = """
            microservice,front,back,db
            metric,availability,latency,latency
            statistic,Average,Average,p90
            unix_timestamp,,,
            1681800000.0,100.0,0.2,0.01
            1681800300.0,90.0,0.2,
            1681800600.0,80.0,0.3,0.02
            """;

    private Path scenario() throws IOException {
        Path scenario = dir.resolve("some_traffic");
        Files.createDirectories(scenario.resolve("noissue"));
        Files.writeString(scenario.resolve("graph.csv"), ",front,back\nfront,0.0,1.0\nback,0.0,0.0\n");
        Files.writeString(scenario.resolve("noissue/metrics.csv"), NORMAL);
        issue(scenario, "train/issue_0", ISSUE_0, "latency", 1681855700);
        issue(scenario, "train/issue_1", ISSUE_1, "availability", 1681800650);
        return scenario;
    }

    private static void issue(Path scenario, String name, String metrics, String kind, long alarm) throws IOException {
        Path folder = scenario.resolve(name);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("metrics.csv"), metrics);
        Files.writeString(folder.resolve("target.json"), "{\"target\": {\"node\": \"front\", \"metric\": \"" + kind
                + "\", \"agg\": \"Average\", \"timestamp\": " + alarm + "}, \"root_cause\": {\"node\": \"back\","
                + " \"metric\": null}}");
    }

    private static List<MetricPoint> points(FaultDataSet set) {
        List<MetricPoint> points = new ArrayList<>();
        for (long i = 0; i < set.metrics().size(); i++) {
            points.add(set.metrics().get(i));
        }
        return points;
    }

    @Test
    void everyIssueIsItsOwnEnvironmentPrecededByTheNormalHistoryAndLaidAfterThePreviousOne() throws IOException {
        FaultDataSet set = PetshopFaultData.read(scenario());
        assertEquals("petshop/some_traffic", set.name());

        // Case 1: the history's 3 rows re-timed to end one step before the issue's first sample.
        long issue0 = 1681855320_000L;
        long case1Start = issue0 - 3 * STEP;
        long case1End = 1681855920_000L + STEP;
        Fault first = set.faults().get(0);
        assertEquals("some_traffic/train/issue_0", first.id());
        assertEquals("petshop-1", first.environment());
        assertEquals("latency", first.faultType());
        assertEquals("service", first.level());
        assertEquals("back", first.service());
        assertEquals(Set.of("back"), first.rootItems());
        // Alarm 1681855700 - 5 min = 1681855400 lies in the first sample's period.
        assertEquals(Instant.ofEpochMilli(issue0), first.start());
        assertEquals(Instant.ofEpochMilli(case1End), first.end());
        assertEquals(new ScoredSpan("petshop-1", Instant.ofEpochMilli(case1Start), Instant.ofEpochMilli(case1End)),
                set.spans().get(0));

        // Case 2 was recorded earlier: shifted by whole days to start at least an hour after case 1's end.
        Fault second = set.faults().get(1);
        assertEquals("petshop-2", second.environment());
        assertEquals("availability", second.faultType());
        ScoredSpan span2 = set.spans().get(1);
        long shift = span2.from().toEpochMilli() - (1681800000_000L - 3 * STEP);
        assertEquals(0, shift % DAY);
        assertTrue(span2.from().toEpochMilli() >= case1End + Duration.ofHours(1).toMillis());
        assertTrue(span2.from().toEpochMilli() < case1End + Duration.ofHours(1).toMillis() + DAY);
        // Alarm 1681800650 - 5 min = 1681800350: the second sample's period.
        assertEquals(Instant.ofEpochMilli(1681800300_000L + shift), second.start());
        assertEquals(Instant.ofEpochMilli(1681800600_000L + STEP + shift), second.end());

        List<MetricPoint> points = points(set);
        // Case 1: history 3 rows x 3 columns less 1 empty cell, issue 9 cells; case 2: the history again (8) and
        // the issue's 9 cells less 1 empty.
        assertEquals(8 + 9 + 8 + 8, points.size());
        for (int i = 1; i < points.size(); i++) {
            assertTrue(!points.get(i).getTime().isBefore(points.get(i - 1).getTime()), "event time only increases");
        }
        MetricPoint p = points.get(0);
        assertEquals(Instant.ofEpochMilli(case1Start), p.getTime());
        assertEquals("front", p.getResource().getService());
        assertEquals("petshop-1", p.getResource().getEnvironment());
        assertEquals("latency_average", p.getName());
        assertEquals(MetricKind.GAUGE, p.getKind());
        assertNull(p.getUnit());
        assertEquals(0.5, p.getValue());
        TreeSet<String> names = new TreeSet<>();
        points.forEach(x -> names.add(x.getResource().getService() + " " + x.getName()));
        assertEquals(new TreeSet<>(List.of("front latency_average", "front availability_average",
                "back latency_average", "db latency_p90")), names);
        // The back's empty first history cell is no point: its first point is the history's second row.
        MetricPoint back = points.stream().filter(x -> x.getResource().getService().equals("back")).findFirst()
                .orElseThrow();
        assertEquals(Instant.ofEpochMilli(case1Start + STEP), back.getTime());
        assertEquals(0.2, back.getValue());
        // Nothing the job sees names the issue.
        assertTrue(points.stream().allMatch(x -> x.getResource().getEnvironment().matches("petshop-\\d")
                && x.getLabels().isEmpty()));

        // Topology: every component an item, the call graph's edge caller -> callee, before the first point.
        List<TopologyUpdate> topology = set.topology();
        assertTrue(topology.stream().allMatch(u -> u.getOperation() == TopologyOperation.UPSERT
                && u.getTime().isBefore(Instant.ofEpochMilli(case1Start))));
        assertEquals(Set.of("front", "back", "db"), topology.stream().filter(u -> u.getItem() != null)
                .map(u -> u.getItem().getId()).collect(java.util.stream.Collectors.toSet()));
        List<TopologyUpdate> edges = topology.stream().filter(u -> u.getEdge() != null).toList();
        assertEquals(1, edges.size());
        assertEquals("front", edges.get(0).getEdge().getFrom());
        assertEquals("back", edges.get(0).getEdge().getTo());
        assertEquals(EdgeType.CALLS, edges.get(0).getEdge().getType());
    }

    @Test
    void withoutNormalHistoryACaseIsItsIssueAlone() throws IOException {
        Path folder = scenario();
        Files.delete(folder.resolve("noissue/metrics.csv"));
        FaultDataSet set = PetshopFaultData.read(PetshopScenario.read(folder));
        assertEquals(Instant.ofEpochMilli(1681855320_000L), set.spans().get(0).from());
        assertEquals(9 + 8, set.metrics().size());
        assertEquals(set.faults().get(0).start(), set.spans().get(0).from());
    }
}
