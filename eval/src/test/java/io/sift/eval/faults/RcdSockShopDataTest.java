package io.sift.eval.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcdSockShopDataTest {

    private static final String HEADER = "time,carts_cpu,user_cpu,carts_mem,carts_lod,carts_lat_50,carts_lat_99";

    private static void write(Path folder, String dir, String window, long firstSecond, int rows, double base)
            throws IOException {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int r = 0; r < rows; r++) {
            double v = base + r;
            csv.append(firstSecond + r).append(',').append(v).append(',').append(v + 0.5).append(',')
                    .append(1_000_000 + v).append(',').append(10 + v).append(',').append(0.01 * v).append(',')
                    .append(0.1 * v).append('\n');
        }
        Files.createDirectories(folder.resolve(dir));
        Files.writeString(folder.resolve(dir).resolve(window + ".csv"), csv);
    }

    @Test
    void laysEveryCaseOutAsItsOwnEnvironmentWithTheAnomalousWindowRightAfterTheNormalOne(@TempDir Path folder)
            throws IOException {
        // Sorted order: carts-cpu/1, then user-mem/2 (whose anomalous window was recorded before its normal one).
        write(folder, "user-mem/2", "normal", 9000, 2, 300);
        write(folder, "user-mem/2", "anomalous", 100, 3, 400);
        write(folder, "carts-cpu/1", "normal", 1000, 3, 100);
        write(folder, "carts-cpu/1", "anomalous", 5000, 2, 200);
        Files.writeString(folder.resolve("README.md"), "not a case");

        FaultDataSet set = RcdSockShopData.read(folder);

        assertEquals("rcd-sockshop", set.name());
        Instant first = Instant.ofEpochSecond(1000);
        Instant second = first.plusSeconds(4).plus(RcdSockShopData.CASE_GAP);
        assertEquals(List.of(
                new Fault("carts-cpu/1", "rcd-1", first.plusSeconds(3), Duration.ofSeconds(2), "cpu-hog", "service",
                        "carts", Set.of("carts")),
                new Fault("user-mem/2", "rcd-2", second.plusSeconds(2), Duration.ofSeconds(3), "memory-leak",
                        "service", "user", Set.of("user"))), set.faults());
        assertEquals(List.of(new ScoredSpan("rcd-1", first, first.plusSeconds(5)),
                new ScoredSpan("rcd-2", second, second.plusSeconds(5))), set.spans());

        // 6 values a row, 5 rows a case.
        assertEquals(60, set.metrics().size());
        List<MetricPoint> points = new ArrayList<>();
        for (long i = 0; i < set.metrics().size(); i++) {
            points.add(set.metrics().get(i));
        }
        for (int i = 1; i < points.size(); i++) {
            assertTrue(!points.get(i).getTime().isBefore(points.get(i - 1).getTime()), "event time never goes back");
        }
        assertEquals(Set.of("rcd-1"), environments(points.subList(0, 30)));
        assertEquals(Set.of("rcd-2"), environments(points.subList(30, 60)));

        MetricPoint cpu = find(points, "rcd-1", "carts", "container_cpu_usage_percent", first.plusSeconds(3), Map.of());
        assertEquals(200.0, cpu.getValue(), "the first anomalous row, one second after the last normal one");
        assertEquals("%", cpu.getUnit());
        assertEquals(MetricKind.GAUGE, cpu.getKind());
        assertEquals("carts", cpu.getResource().getInstance());
        assertEquals(300.5, find(points, "rcd-2", "user", "container_cpu_usage_percent", second, Map.of()).getValue());
        assertEquals(402.5, find(points, "rcd-2", "user", "container_cpu_usage_percent", second.plusSeconds(4),
                Map.of()).getValue(), "the last anomalous row");
        MetricPoint memory = find(points, "rcd-1", "carts", "container_memory_usage_bytes", first, Map.of());
        assertEquals(1_000_100.0, memory.getValue());
        assertEquals("By", memory.getUnit());
        assertEquals("{request}/s",
                find(points, "rcd-1", "carts", "request_rate", first, Map.of()).getUnit());
        MetricPoint p99 = find(points, "rcd-1", "carts", "request_duration_seconds", first.plusSeconds(1),
                Map.of("quantile", "0.99"));
        assertEquals(10.1, p99.getValue(), 1e-9);
        assertEquals("s", p99.getUnit());
        assertEquals(1.01, find(points, "rcd-1", "carts", "request_duration_seconds", first.plusSeconds(1),
                Map.of("quantile", "0.5")).getValue(), 1e-9);
    }

    private static Set<String> environments(List<MetricPoint> points) {
        return Set.copyOf(points.stream().map(p -> p.getResource().getEnvironment()).toList());
    }

    private static MetricPoint find(List<MetricPoint> points, String environment, String service, String metric,
            Instant time, Map<String, String> labels) {
        List<MetricPoint> found = points.stream()
                .filter(p -> p.getResource().getEnvironment().equals(environment)
                        && p.getResource().getService().equals(service) && p.getName().equals(metric)
                        && p.getTime().equals(time) && p.getLabels().equals(labels))
                .toList();
        assertEquals(1, found.size(), metric + " of " + service + " at " + time + " " + labels);
        return found.get(0);
    }
}
