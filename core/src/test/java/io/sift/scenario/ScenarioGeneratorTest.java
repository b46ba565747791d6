package io.sift.scenario;

import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ScenarioGeneratorTest {

    private static Scenario scenario(long seed) {
        return ScenarioGenerator.builder().seed(seed).build().generate();
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void sameSeedGivesIdenticalOutput() {
        Scenario a = scenario(42);
        Scenario b = scenario(42);
        assertEquals(a.topology(), b.topology());
        assertEquals(a.changes(), b.changes());
        assertEquals(a.faults(), b.faults());
        assertEquals(a.series(), b.series());
        Iterator<SpecificRecord> ia = a.allRecordsInTimeOrder().iterator();
        Iterator<SpecificRecord> ib = b.allRecordsInTimeOrder().iterator();
        long n = 0;
        while (ia.hasNext()) {
            assertTrue(ib.hasNext(), "second pass ended early after " + n + " records");
            SpecificRecord x = ia.next();
            SpecificRecord y = ib.next();
            if (!x.equals(y)) {
                fail("record " + n + " differs:\n" + x + "\n" + y);
            }
            n++;
        }
        assertFalse(ib.hasNext());
        assertTrue(n > 150_000, "expected a full scenario, got " + n + " records");
        // a second pass over the same scenario is identical too
        assertEquals(a.logs().limit(2000).toList(), a.logs().limit(2000).toList());
    }

    @Test
    void differentSeedsDiffer() {
        Scenario a = scenario(1);
        Scenario b = scenario(2);
        assertNotEquals(a.faults(), b.faults());
        assertNotEquals(a.metrics().limit(500).toList(), b.metrics().limit(500).toList());
    }

    @Test
    void backgroundDoesNotDependOnFaults() {
        Scenario with = ScenarioGenerator.builder().seed(9).benignDeploys(false).build().generate();
        Scenario without = ScenarioGenerator.builder().seed(9).benignDeploys(false).randomFaults(0).build().generate();
        Instant firstFault = with.faults().get(0).start();
        List<MetricPoint> a = with.metrics().takeWhile(p -> p.getTime().isBefore(firstFault)).toList();
        List<MetricPoint> b = without.metrics().takeWhile(p -> p.getTime().isBefore(firstFault)).toList();
        assertEquals(a, b);
        assertTrue(a.size() > 10_000);
    }

    // ------------------------------------------------------------------ estate and topology

    @ParameterizedTest
    @ValueSource(ints = {20, 24, 33, 50})
    void topologyIsALayeredDagWithoutDanglingEnds(int services) {
        for (long seed = 1; seed <= 5; seed++) {
            Scenario s = ScenarioGenerator.builder().seed(seed).services(services).build().generate();
            Estate e = s.estate();
            assertEquals(services, e.count(ItemType.SERVICE));
            assertEquals(Math.max(3, Math.round(services / 3.0)), e.count(ItemType.HOST));
            List<TopologyUpdate> topo = s.topology();
            Set<String> ids = new HashSet<>();
            boolean edgesStarted = false;
            for (TopologyUpdate u : topo) {
                assertEquals(TopologyOperation.UPSERT, u.getOperation());
                assertEquals(s.start(), u.getTime());
                if (u.getItem() != null) {
                    assertFalse(edgesStarted, "items come before edges");
                    assertTrue(ids.add(u.getItem().getId()), "duplicate item " + u.getItem().getId());
                    assertEquals("prod", u.getItem().getEnvironment());
                } else {
                    edgesStarted = true;
                    assertNotNull(u.getEdge());
                    assertTrue(ids.contains(u.getEdge().getFrom()), "dangling edge start " + u.getEdge());
                    assertTrue(ids.contains(u.getEdge().getTo()), "dangling edge end " + u.getEdge());
                }
            }
            assertEquals(e.items().size() + e.edges().size(), topo.size());
            for (EstateEdge edge : e.edges()) {
                ItemType from = e.item(edge.from()).orElseThrow().type();
                ItemType to = e.item(edge.to()).orElseThrow().type();
                assertEquals(ItemType.SERVICE, from, edge.toString());
                switch (edge.type()) {
                    case CALLS -> assertEquals(ItemType.SERVICE, to, edge.toString());
                    case RUNS_ON -> assertEquals(ItemType.HOST, to, edge.toString());
                    case DEPENDS_ON -> assertTrue(ScenarioGenerator.isDatastore(to), edge.toString());
                }
            }
            assertAcyclic(e);
            for (EstateItem it : e.items()) {
                switch (it.type()) {
                    case SERVICE -> {
                        assertFalse(e.hostsOf(it.id()).isEmpty(), it.id() + " runs nowhere");
                        assertTrue(e.hostsOf(it.id()).size() <= 2);
                        if (!it.tier().equals("backend")) {
                            int calls = e.calleesOf(it.id()).size();
                            assertTrue(calls >= 1 && calls <= 3, it.id() + " calls " + calls);
                        }
                        if (!it.tier().equals("edge")) {
                            assertFalse(e.callersOf(it.id()).isEmpty(), it.id() + " has no caller");
                        }
                    }
                    case HOST -> assertFalse(e.servicesOn(it.id()).isEmpty(), it.id() + " runs nothing");
                    default -> assertFalse(e.callersOf(it.id()).isEmpty(), it.id() + " is used by nobody");
                }
            }
            assertTrue(e.count(ItemType.DATABASE) >= 2);
            assertTrue(e.contains("frontend") && e.contains("checkout") && e.contains("payments"));
        }
    }

    private static void assertAcyclic(Estate e) {
        Map<String, Integer> indegree = new HashMap<>();
        e.items().forEach(i -> indegree.put(i.id(), 0));
        List<EstateEdge> deps = e.edges().stream().filter(x -> x.type() != EdgeType.RUNS_ON).toList();
        deps.forEach(x -> indegree.merge(x.to(), 1, Integer::sum));
        Deque<String> ready = new ArrayDeque<>();
        indegree.forEach((k, v) -> {
            if (v == 0) {
                ready.add(k);
            }
        });
        int seen = 0;
        while (!ready.isEmpty()) {
            String x = ready.poll();
            seen++;
            for (EstateEdge d : deps) {
                if (d.from().equals(x) && indegree.merge(d.to(), -1, Integer::sum) == 0) {
                    ready.add(d.to());
                }
            }
        }
        assertEquals(e.items().size(), seen, "the call/dependency graph has a cycle");
    }

    // ------------------------------------------------------------------ faults and changes

    @Test
    void faultsAreWellFormedAndSeparated() {
        for (long seed = 1; seed <= 12; seed++) {
            Scenario s = scenario(seed);
            Estate e = s.estate();
            assertEquals(3, s.faults().size());
            Instant warm = s.start().plus(Duration.ofMinutes(60));
            InjectedFault previous = null;
            for (InjectedFault f : s.faults()) {
                EstateItem root = e.item(f.rootCauseItem()).orElseThrow(() -> new AssertionError("no root " + f));
                assertTrue(f.type().rootTypes().contains(root.type()), f.toString());
                assertFalse(f.start().isBefore(warm), "starts in warm-up: " + f);
                assertTrue(f.duration().compareTo(Duration.ofMinutes(5)) >= 0
                        && f.duration().compareTo(Duration.ofMinutes(20)) <= 0, f.toString());
                assertFalse(f.end().isAfter(s.end().minus(Duration.ofMinutes(5))), f.toString());
                assertTrue(f.affectedItems().contains(f.rootCauseItem()));
                assertEquals(0, f.hops().get(f.rootCauseItem()));
                assertEquals(f.affectedItems(), f.hops().keySet());
                assertTrue(f.propagationLag().compareTo(Duration.ofMinutes(2)) < 0);
                for (String item : f.affectedItems()) {
                    assertTrue(e.contains(item));
                    int hop = f.hops().get(item);
                    assertTrue(hop <= 3, f.toString());
                    if (hop == 1) {
                        boolean related = e.callersOf(f.rootCauseItem()).contains(item)
                                || e.servicesOn(f.rootCauseItem()).contains(item)
                                || e.calleesOf(f.rootCauseItem()).contains(item);
                        assertTrue(related, item + " at hop 1 is not next to " + f.rootCauseItem());
                    }
                }
                if (previous != null) {
                    assertTrue(Duration.between(previous.end(), f.start()).compareTo(Duration.ofMinutes(20)) >= 0,
                            "faults closer than 20 min: " + previous.id() + " and " + f.id());
                }
                if (f.type() == FaultType.BAD_DEPLOY) {
                    ChangeEvent deploy = s.changes().stream().filter(c -> c.getId().equals(f.changeId())).findFirst()
                            .orElseThrow(() -> new AssertionError("no deploy for " + f));
                    assertEquals(f.rootCauseItem(), deploy.getConfigurationItem());
                    long before = Duration.between(deploy.getTime(), f.start()).toSeconds();
                    assertTrue(before >= 60 && before <= 180, "deploy " + before + " s before the fault");
                } else {
                    assertEquals(null, f.changeId());
                }
                previous = f;
            }
            // benign deploys never coincide with faults
            for (ChangeEvent c : s.changes()) {
                assertEquals(ChangeType.DEPLOY, c.getType());
                assertTrue(e.contains(c.getConfigurationItem()));
                boolean causal = s.faults().stream().anyMatch(f -> c.getId().equals(f.changeId()));
                if (!causal) {
                    for (InjectedFault f : s.faults()) {
                        assertFalse(!c.getTime().isBefore(f.start().minus(Duration.ofMinutes(15)))
                                && c.getTime().isBefore(f.end().plus(Duration.ofMinutes(5))),
                                "benign deploy " + c.getSummary() + " at " + c.getTime() + " near " + f.id());
                    }
                }
            }
            assertTrue(isSorted(s.changes().stream().map(ChangeEvent::getTime).toList()));
        }
    }

    @Test
    void allFaultTypesAppearAcrossSeeds() {
        Set<FaultType> seen = new HashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            scenario(seed).faults().forEach(f -> seen.add(f.type()));
        }
        assertEquals(Set.of(FaultType.values()), seen);
    }

    @Test
    void explicitFaultSpecsAreHonoured() {
        Scenario s = ScenarioGenerator.builder().seed(3)
                .fault(FaultSpec.of(FaultType.DEPENDENCY_OUTAGE).on("orders-db").at(Duration.ofMinutes(70))
                        .lasting(Duration.ofMinutes(10)))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).on("checkout"))
                .fault(FaultSpec.of(FaultType.NETWORK_PARTITION).on("random").at(Duration.ofMinutes(150))
                        .lasting(Duration.ofMinutes(8)))
                .build().generate();
        assertEquals(3, s.faults().size());
        InjectedFault outage = s.faults().get(0);
        assertEquals(FaultType.DEPENDENCY_OUTAGE, outage.type());
        assertEquals("orders-db", outage.rootCauseItem());
        assertEquals(s.start().plus(Duration.ofMinutes(70)), outage.start());
        assertEquals(Duration.ofMinutes(10), outage.duration());
        assertTrue(outage.hops().keySet().containsAll(s.estate().callersOf("orders-db")));
        InjectedFault deploy = s.faults().get(1);
        assertEquals("checkout", deploy.rootCauseItem());
        assertTrue(deploy.affectedItems().containsAll(s.estate().callersOf("checkout")));
        assertEquals(FaultType.NETWORK_PARTITION, s.faults().get(2).type());
    }

    @Test
    void aRecurringFaultHitsTheSameItemAtTheGivenInterval() {
        Scenario s = ScenarioGenerator.builder().seed(3).duration(Duration.ofMinutes(160))
                .recurringFault(FaultSpec.of(FaultType.RESOURCE_SATURATION).on("orders-db").at(Duration.ofMinutes(65))
                        .lasting(Duration.ofMinutes(5)), 3, Duration.ofMinutes(30))
                .build().generate();
        assertEquals(3, s.faults().size());
        for (int k = 0; k < 3; k++) {
            InjectedFault f = s.faults().get(k);
            assertEquals("orders-db", f.rootCauseItem());
            assertEquals(s.start().plus(Duration.ofMinutes(65 + 30L * k)), f.start());
        }
        assertMessage(() -> ScenarioGenerator.builder().recurringFault(FaultSpec.of(FaultType.RESOURCE_SATURATION),
                3, Duration.ofMinutes(30)), "root item");
    }

    @Test
    void builderRejectsBadSettingsWithAdvice() {
        assertMessage(() -> ScenarioGenerator.builder().services(12).build(), "between 20 and 50");
        assertMessage(() -> ScenarioGenerator.builder().environment("Prod EU").build(), "environment");
        assertMessage(() -> ScenarioGenerator.builder().sampleInterval(Duration.ofMillis(300)).build(),
                "sampleInterval");
        assertMessage(() -> ScenarioGenerator.builder().duration(Duration.ofMinutes(90)).build(), "lengthen duration");
        assertMessage(() -> ScenarioGenerator.builder().fault(FaultSpec.of(FaultType.BAD_DEPLOY).on("mainframe"))
                .build(), "not in the estate");
        assertMessage(() -> ScenarioGenerator.builder().fault(FaultSpec.of(FaultType.BAD_DEPLOY).on("orders-db"))
                .build(), "needs one of");
        assertMessage(() -> ScenarioGenerator.builder()
                .fault(FaultSpec.of(FaultType.NOISY_NEIGHBOUR).at(Duration.ofMinutes(10)).lasting(Duration.ofMinutes(5)))
                .build(), "warm-up");
        assertMessage(() -> ScenarioGenerator.builder()
                .fault(FaultSpec.of(FaultType.NOISY_NEIGHBOUR).at(Duration.ofMinutes(70)).lasting(Duration.ofMinutes(10)))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).at(Duration.ofMinutes(85)).lasting(Duration.ofMinutes(10)))
                .build(), "overlaps");
        assertMessage(() -> ScenarioGenerator.builder().randomFaults(2).fault(FaultSpec.of(FaultType.BAD_DEPLOY))
                .build(), "not both");
    }

    private static void assertMessage(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    // ------------------------------------------------------------------ records

    @Test
    void recordsAreTimeOrderedFiniteAndInRange() {
        Scenario s = scenario(5);
        long metrics = 0;
        long logs = 0;
        long changes = 0;
        long last = Long.MIN_VALUE;
        long start = s.start().toEpochMilli();
        long end = s.end().toEpochMilli();
        Set<String> ratios = Set.of(MetricNames.HTTP_ERROR_RATIO, MetricNames.CPU_UTILIZATION,
                MetricNames.MEMORY_UTILIZATION, MetricNames.DB_CONNECTION_USAGE, MetricNames.CACHE_HIT_RATIO);
        for (Iterator<SpecificRecord> it = s.allRecordsInTimeOrder().iterator(); it.hasNext(); ) {
            SpecificRecord r = it.next();
            long t = Scenario.timeOf(r).toEpochMilli();
            assertTrue(t >= last, "out of order at " + r);
            assertTrue(t >= start && t < end, "outside the scenario: " + r);
            last = t;
            if (r instanceof MetricPoint p) {
                metrics++;
                assertTrue(Double.isFinite(p.getValue()) && p.getValue() >= 0, p.toString());
                if (ratios.contains(p.getName())) {
                    assertTrue(p.getValue() <= 1, p.toString());
                }
                assertEquals("prod", p.getResource().getEnvironment());
            } else if (r instanceof LogRecord l) {
                logs++;
                int sev = l.getSeverityNumber();
                assertEquals(switch (l.getSeverityText()) {
                    case "INFO" -> 9;
                    case "WARN" -> 13;
                    case "ERROR" -> 17;
                    default -> -1;
                }, sev, l.toString());
                assertFalse(l.getBody().contains("{") && l.getBody().matches(".*\\{[a-z0-9_]+}.*"),
                        "unrendered variable: " + l.getBody());
                if (l.getTraceId() != null) {
                    assertTrue(l.getTraceId().matches("[0-9a-f]{32}") && l.getSpanId().matches("[0-9a-f]{16}"));
                }
            } else {
                changes++;
            }
        }
        assertEquals(s.metricPointCount(), metrics);
        assertEquals(s.changes().size(), changes);
        double hours = s.duration().toMinutes() / 60.0;
        double expectedBackground = 24 * 6 * 60 * hours;
        assertTrue(logs > 0.6 * expectedBackground && logs < 3 * expectedBackground, "log lines: " + logs);
        assertTrue(isSorted(s.metrics().map(MetricPoint::getTime).toList()));
        assertTrue(isSorted(s.logs().map(LogRecord::getTime).toList()));
    }

    @Test
    void backgroundLogsAreMostlyInfo() {
        Scenario s = ScenarioGenerator.builder().seed(8).randomFaults(0).build().generate();
        Map<String, Long> bySeverity = s.logs().collect(Collectors.groupingBy(LogRecord::getSeverityText,
                Collectors.counting()));
        long total = bySeverity.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(bySeverity.get("INFO") > 0.9 * total, bySeverity.toString());
        assertTrue(bySeverity.get("WARN") > 0.02 * total && bySeverity.get("WARN") < 0.1 * total, bySeverity.toString());
        assertTrue(bySeverity.getOrDefault("ERROR", 0L) < 0.03 * total, bySeverity.toString());
    }

    @Test
    void faultsRaiseTheErrorLogRateOfAffectedServices() {
        for (long seed = 1; seed <= 4; seed++) {
            Scenario s = scenario(seed);
            List<LogRecord> logs = s.logs().toList();
            for (InjectedFault f : s.faults()) {
                for (String item : f.affectedItems()) {
                    if (s.estate().item(item).orElseThrow().type() != ItemType.SERVICE || f.hops().get(item) > 1) {
                        continue;
                    }
                    if (f.type() == FaultType.NETWORK_PARTITION && !item.equals(f.rootCauseItem())) {
                        continue; // the unreachable side logs nothing unusual
                    }
                    double during = rate(logs, item, f.start(), f.end());
                    double before = rate(logs, item, s.start(), s.faults().get(0).start());
                    assertTrue(during >= 1.0 && during > 5 * Math.max(before, 0.05),
                            f.id() + " " + f.type() + " " + item + ": warn+error lines/min " + during + " vs " + before);
                }
            }
        }
    }

    private static double rate(List<LogRecord> logs, String service, Instant from, Instant to) {
        long n = logs.stream().filter(l -> l.getSeverityNumber() >= 13 && l.getResource().getService().equals(service)
                && !l.getTime().isBefore(from) && l.getTime().isBefore(to)).count();
        return n / (Duration.between(from, to).toSeconds() / 60.0);
    }

    // ------------------------------------------------------------------ anomalies are where the truth says

    @Test
    void faultsDeviateStronglyAtTheRootAndOneHopUp() {
        for (long seed = 1; seed <= 8; seed++) {
            assertFaultsDeviate(new SeriesTable(scenario(seed)), "seed " + seed);
        }
    }

    @Test
    void unaffectedItemsStayQuietDuringFaults() {
        for (long seed = 1; seed <= 6; seed++) {
            assertUnaffectedQuiet(new SeriesTable(scenario(seed)), "seed " + seed);
        }
    }

    @Test
    void outsideFaultsNoSeriesLooksLikeAnIncident() {
        for (long seed = 1; seed <= 6; seed++) {
            double worst = assertQuietOutsideFaults(new SeriesTable(scenario(seed)), "seed " + seed);
            System.out.printf("seed %d: largest rolling deviation outside faults %.1f robust sigmas%n", seed, worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"50 services, 30 s, 6 h, 8 faults", "20 services, 60 s, 4 h, 4 faults",
            "35 services, 5 s, 2 h, 2 faults"})
    void otherShapesBehaveToo(String shape) {
        String[] p = shape.split("[^0-9]+");
        Scenario s = ScenarioGenerator.builder().seed(17).services(Integer.parseInt(p[0]))
                .sampleInterval(Duration.ofSeconds(Integer.parseInt(p[1])))
                .duration(Duration.ofHours(Integer.parseInt(p[2]))).randomFaults(Integer.parseInt(p[3]))
                .environment("staging").start(Instant.parse("2025-06-01T18:30:00Z")).build().generate();
        assertEquals(Integer.parseInt(p[3]), s.faults().size());
        SeriesTable table = new SeriesTable(s);
        for (double[] v : table.values) {
            for (double x : v) {
                assertTrue(Double.isFinite(x), shape + ": missing or non-finite sample");
            }
        }
        assertFaultsDeviate(table, shape);
        assertUnaffectedQuiet(table, shape);
        assertQuietOutsideFaults(table, shape);
    }

    private static void assertFaultsDeviate(SeriesTable table, String context) {
        for (InjectedFault f : table.scenario.faults()) {
            // the root's primary metric is far out for nearly the whole fault
            String metric = f.rootMetrics().get(0);
            double best = 0;
            for (int i : table.seriesOf(f.rootCauseItem())) {
                if (table.infos.get(i).metric().equals(metric)) {
                    best = Math.max(best, shareBeyond(table, i, f, f.start(), 5));
                }
            }
            assertTrue(best >= 0.9, context + " " + f.description() + ": only " + best + " of the samples of "
                    + metric + " beyond 5 sigma");
            // every affected item deviates (the root and each hop, including hop 1)
            for (String item : f.affectedItems()) {
                double itemBest = 0;
                for (int i : table.seriesOf(item)) {
                    itemBest = Math.max(itemBest, shareBeyond(table, i, f, f.onsets().get(item), 5));
                }
                assertTrue(itemBest >= 0.8, context + " " + f.id() + " " + f.type() + " root " + f.rootCauseItem()
                        + ": affected " + item + " (hop " + f.hops().get(item) + ") deviates in only " + itemBest
                        + " of its fault samples");
            }
            assertFalse(f.itemsAtHop(1).isEmpty(), "no 1-hop item for " + f);
        }
    }

    /**
     * Share of the item's fault samples (from one interval after its onset to its end) beyond k robust sigmas of the
     * 15 min before the fault.
     */
    private static double shareBeyond(SeriesTable t, int series, InjectedFault f, Instant onset, double k) {
        long interval = t.scenario.sampleInterval().toMillis();
        int faultStart = t.stepAtOrAfter(f.start().toEpochMilli());
        int from = t.stepAtOrAfter(onset.toEpochMilli() + interval);
        // the item's effect ends as much later than the fault as it started; a sample's phase may put the last
        // step after the end
        long itemEnd = f.end().toEpochMilli() + Duration.between(f.start(), onset).toMillis();
        int to = t.stepAtOrAfter(itemEnd) - 1;
        int baseline = (int) Math.max(10, 15 * 60_000 / interval);
        double[] base = SeriesTable.robust(t.values[series], Math.max(0, faultStart - 1 - baseline), faultStart - 1);
        int beyond = 0;
        for (int i = from; i < to; i++) {
            if (Math.abs(t.values[series][i] - base[0]) > k * Math.max(base[1], 1e-9)) {
                beyond++;
            }
        }
        return (double) beyond / Math.max(1, to - from);
    }

    private static void assertUnaffectedQuiet(SeriesTable table, String context) {
        for (InjectedFault f : table.scenario.faults()) {
            int from = table.stepAtOrAfter(f.start().toEpochMilli()) - 1;
            int to = table.stepAtOrAfter(f.end().plus(f.propagationLag()).toEpochMilli() + 60_000);
            for (int i = 0; i < table.infos.size(); i++) {
                if (!f.affectedItems().contains(table.infos.get(i).item())) {
                    assertNoIncident(table, i, from, to, null, context + " " + f.id() + " (" + f.type() + " on "
                            + f.rootCauseItem() + "): unaffected ");
                }
            }
        }
    }

    /** Checks every series outside the faults; returns the largest rolling deviation seen. */
    private static double assertQuietOutsideFaults(SeriesTable table, String context) {
        long interval = table.scenario.sampleInterval().toMillis();
        int window = window(table);
        // skip the faults plus a rolling window after them (the window would hold fault samples)
        List<int[]> quiet = new ArrayList<>();
        int from = window;
        for (InjectedFault f : table.scenario.faults()) {
            // samples carry a per-series phase of up to one interval: the step before the start may be in the fault
            quiet.add(new int[]{from, table.stepAtOrAfter(f.start().toEpochMilli()) - 1});
            from = table.stepAtOrAfter(f.end().plus(f.propagationLag()).toEpochMilli() + 60_000
                    + window * interval);
        }
        quiet.add(new int[]{from, table.steps});
        boolean[] faulty = new boolean[table.steps];
        java.util.Arrays.fill(faulty, true);
        for (int[] q : quiet) {
            for (int k = Math.max(0, q[0] - window); k < q[1]; k++) {
                faulty[k] = false;
            }
        }
        double worst = 0;
        for (int i = 0; i < table.infos.size(); i++) {
            for (int[] q : quiet) {
                worst = Math.max(worst, assertNoIncident(table, i, q[0], q[1], faulty, context + ": "));
            }
        }
        return worst;
    }

    /** Robust sigma of v[from, to) without the samples marked faulty (null: all samples). */
    private static double scale(double[] v, int from, int to, boolean[] faulty) {
        double[] w = new double[to - from];
        int n = 0;
        for (int k = from; k < to; k++) {
            if (faulty == null || !faulty[k]) {
                w[n++] = v[k];
            }
        }
        return SeriesTable.robust(java.util.Arrays.copyOf(w, n), 0, n)[1];
    }

    /** Rolling window of the detector-like check: the previous 10 minutes, at least 60 samples. */
    private static int window(SeriesTable table) {
        return (int) Math.max(60, 10 * 60_000 / table.scenario.sampleInterval().toMillis());
    }

    /**
     * Window of the robust sigma: three times the median's window, as a 60-sample MAD is too unstable to judge the
     * generator by (it is off by a factor of 0.6 in about one window in a hundred).
     */
    private static int scaleWindow(SeriesTable table) {
        return 3 * window(table);
    }

    /**
     * Fails if series i has two consecutive samples in [from, to) beyond 6 robust sigmas of the median of the
     * previous window of samples (sigma from the longer scale window); returns the largest deviation seen.
     */
    private static double assertNoIncident(SeriesTable table, int i, int from, int to, boolean[] faulty,
                                           String context) {
        int window = window(table);
        int scaleWindow = scaleWindow(table);
        double[] v = table.values[i];
        int run = 0;
        double worst = 0;
        for (int k = Math.max(from, window); k < to; k++) {
            double median = SeriesTable.robust(v, k - window, k)[0];
            double sigma = scale(v, Math.max(0, k - scaleWindow), k, faulty);
            double z = Math.abs(v[k] - median) / Math.max(sigma, 1e-12);
            worst = Math.max(worst, z);
            run = z > 6 ? run + 1 : 0;
            if (run >= 2) {
                fail(context + table.infos.get(i).key() + " is beyond 6 robust sigmas of its rolling median for 2"
                        + " samples at step " + k + " (" + v[k - 1] + ", " + v[k] + " vs median " + median
                        + ", sigma " + sigma + ")");
            }
        }
        return worst;
    }

    // ------------------------------------------------------------------ scale and summary

    @Test
    void generatesThreeHoursQuicklyAndLazily() {
        long t0 = System.nanoTime();
        Scenario s = scenario(11);
        long n = s.allRecordsInTimeOrder().count();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("3 h, 24 services: %,d records in %.2f s%n", n, seconds);
        assertTrue(seconds < 5, "took " + seconds + " s");
        // a month-long scenario starts streaming at once: nothing is materialised up front
        long t1 = System.nanoTime();
        Scenario month = ScenarioGenerator.builder().seed(11).duration(Duration.ofDays(30)).randomFaults(50).build()
                .generate();
        assertEquals(30L * 24 * 360 * month.series().size(), month.metricPointCount());
        assertEquals(1000, month.allRecordsInTimeOrder().limit(1000).count());
        assertTrue((System.nanoTime() - t1) / 1e9 < 5);
    }

    @Test
    void summaryDescribesTheScenario() {
        Scenario s = scenario(4);
        ScenarioSummary sum = s.summary();
        assertEquals(24, sum.services());
        assertEquals(s.series().size(), sum.series());
        assertEquals(s.metricPointCount() / 3, sum.metricPointsPerHour());
        assertTrue(sum.logLinesPerHour() > 24 * 6 * 60 * 0.5);
        String text = s.toString();
        assertTrue(text.contains("24 services") && text.contains("fault-01") && text.contains("series"), text);
        System.out.println(text);
    }

    private static boolean isSorted(List<Instant> times) {
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i).isBefore(times.get(i - 1))) {
                return false;
            }
        }
        return true;
    }
}
