package io.sift.eval.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Alert;
import io.sift.schema.AlertStatus;
import io.sift.schema.EdgeType;
import io.sift.schema.TopologyUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault-alerts reader on a small folder laid out as the data set is. */
class FaultAlertsDataTest {

    @TempDir
    Path folder;

    private void write(String path, String text) throws Exception {
        Path file = folder.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void alertsResolveTheirEntitiesByTheGraphRepeatsShareAFingerprintAndCopiesAreLeftOut() throws Exception {
        write("system-knowledge-graphs/original/S/S-KG.json", """
                {"nodes": [{"id": "web", "type": "Service"}, {"id": "db", "type": "Database"},
                  {"id": "web-1", "type": "Service_Instance"}, {"id": "h1", "type": "Host"}],
                 "edges": [{"source": "web", "target": "db", "label": "data_flow"},
                  {"source": "web-1", "target": "web", "label": "instance_of"},
                  {"source": "web", "target": "web-1", "label": "has_instance"},
                  {"source": "web-1", "target": "h1", "label": "hosted_on"},
                  {"source": "h1", "target": "web-1", "label": "hosts"},
                  {"source": "web", "target": "web", "label": "control_flow"}]}""");
        write("fault-alerts/S/label.csv", """
                fault_id,fault_level,fault_entity,fault_type,fault_st_time,fault_ed_time,fault_duration,fault_message,augmented
                0,service_instance,web-1,[cpu],2021-07-01 18:45:00.000,2021-07-01 18:55:00.000,600.0,"a, quoted message",False
                1,service_instance,web-1,[cpu],2021-09-01 01:00:00.000,2021-09-01 01:10:00.000,600.0,copy,True
                """);
        long t = Instant.parse("2021-07-01T10:45:10Z").toEpochMilli();
        write("fault-alerts/S/metric/metrics.json", "{\"0\": [[\"" + t + "\", \"web-1\", null, \"cpu\", \"up\"],"
                + " [\"" + (t + 60_000) + "\", \"web-1\", null, \"cpu\", \"up\"], [\"" + t + "\", \"10.0.0.1\", \"system\","
                + " \"load\", \"up\"]], \"1\": [[\"" + t + "\", \"web-1\", null, \"cpu\", \"up\"]]}");
        write("fault-alerts/S/trace/traces.json", "{\"0\": [[\"" + (t + 120_000) + "\", \"web-1\", \"db\", \"GET\","
                + " \"500\"]]}");
        write("fault-alerts/S/log/logs.json", "{\"0\": [[\"web-1\", \"7\", [\"2021-07-01 18:46:00,500 | ERROR | x\"],"
                + " 1, null]]}");

        List<FaultDataSet> sets = FaultAlertsData.read(folder);
        assertEquals(1, sets.size());
        FaultDataSet set = sets.get(0);
        assertEquals(1, set.faults().size(), "the augmented copy is left out");
        Fault fault = set.faults().get(0);
        assertEquals("S-0", fault.environment());
        assertEquals(Instant.parse("2021-07-01T10:45:00Z"), fault.start(), "label times are UTC+8");
        assertEquals("web", fault.service());
        assertEquals(Set.of("web-1", "web"), fault.rootItems());

        List<Alert> firing = set.alerts().stream().filter(a -> a.getStatus() == AlertStatus.FIRING).toList();
        List<Alert> resolved = set.alerts().stream().filter(a -> a.getStatus() == AlertStatus.RESOLVED).toList();
        assertEquals(5, firing.size(), "one notification per occurrence");
        assertEquals(4, resolved.size(), "one resolve per alert (the cpu alert's two occurrences are one alert)");
        Alert cpu = firing.get(0);
        assertEquals("web", cpu.getResource().getService());
        assertEquals("web-1", cpu.getResource().getInstance());
        assertEquals("h1", cpu.getResource().getHost(), "the graph's host when the alert names none");
        assertEquals("S-0", cpu.getResource().getEnvironment());
        Set<String> cpuFingerprints = firing.stream().filter(a -> a.getName().equals("cpu"))
                .map(Alert::getFingerprint).collect(Collectors.toSet());
        assertEquals(1, cpuFingerprints.size());
        Alert load = firing.stream().filter(a -> a.getName().equals("load")).findFirst().orElseThrow();
        assertEquals("10.0.0.1", load.getResource().getService(), "an entity the graph lacks is its own item");
        assertNull(load.getResource().getInstance());
        Alert trace = firing.stream().filter(a -> a.getName().equals("trace 500")).findFirst().orElseThrow();
        assertEquals("db", trace.getResource().getService(), "a trace alert is about the callee");
        assertEquals("web-1", trace.getLabels().get("caller"));
        Alert log = firing.stream().filter(a -> a.getName().equals("log template 7")).findFirst().orElseThrow();
        assertEquals(Instant.parse("2021-07-01T10:46:00.500Z"), log.getTime(), "its first line's time, UTC+8");
        for (Alert r : resolved) {
            assertEquals(Instant.ofEpochMilli(t + 120_000), r.getEndsAt(), "resolved at the case's last alert");
        }
        for (int i = 1; i < set.alerts().size(); i++) {
            assertTrue(!set.alerts().get(i).getTime().isBefore(set.alerts().get(i - 1).getTime()), "in time order");
        }

        List<String> edges = set.topology().stream().filter(u -> u.getEdge() != null).map(TopologyUpdate::getEdge)
                .map(e -> e.getFrom() + (e.getType() == EdgeType.RUNS_ON ? " runs on " : " -> ") + e.getTo())
                .sorted().toList();
        assertEquals(List.of("web -> db", "web runs on h1"), edges, "lifted to items, self loops dropped");
        assertEquals(Set.of("web", "db", "h1"), set.topology().stream().filter(u -> u.getItem() != null)
                .map(u -> u.getItem().getId()).collect(Collectors.toSet()), "instances are no items");
        assertEquals(1, set.spans().size());
    }
}
