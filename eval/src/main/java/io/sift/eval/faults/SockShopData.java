package io.sift.eval.faults;

import io.sift.schema.MetricKind;
import io.sift.schema.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the Sock Shop data set ({@code sockshop/}: cAdvisor metrics of 19 pods and node-exporter metrics of 3 nodes,
 * one row a minute, with Chaos Mesh fault lists) as the job would receive it from a Prometheus scrape: each pod's
 * series carry its workload as the service (from the pod name, as Kubernetes names pods) and the pod as the
 * instance; each node's series name the node's address as service and host.
 *
 * <p>The stream is the fault-free training days, then the container-chaos days, then the node-chaos hours, in event
 * time with the data's own gaps between them. Scored: the training days after the first (the detector's first day is
 * warm-up) and both test periods. Left out of the points: {@code container_last_seen} (a timestamp, not a
 * measurement), and {@code net_in}/{@code net_out}, which duplicate the receive-bytes and transmit-packets columns.
 */
public final class SockShopData {

    public static final String ENVIRONMENT = "sockshop";
    static final Duration WARM_UP = Duration.ofDays(1);
    private static final Set<String> NOT_MEASUREMENTS = Set.of("_id", "timestamp", "container_last_seen", "net_in",
            "net_out");
    private static final DateTimeFormatter ROW_TIME = DateTimeFormatter.ofPattern("d/M/yyyy HH:mm:ss");
    private static final DateTimeFormatter FAULT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /** The upstream README's node names. */
    private static final Map<String, String> NODE_ADDRESSES = Map.of("vm1", "192.168.31.237", "vm2",
            "192.168.31.172", "vm3", "192.168.31.103");

    private SockShopData() {
    }

    public static FaultDataSet read(Path folder) {
        return read(folder, ENVIRONMENT);
    }

    /** The data set under another environment name (results must not depend on names). */
    public static FaultDataSet read(Path folder, String environment) {
        List<SeriesTable> tables = new ArrayList<>();
        List<ScoredSpan> spans = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        for (Path segment : List.of(folder.resolve("train"), folder.resolve("test/container-chaos"),
                folder.resolve("test/node-chaos"))) {
            List<SeriesTable> segmentTables = tables(segment, environment);
            long from = Long.MAX_VALUE;
            long until = Long.MIN_VALUE;
            for (SeriesTable table : segmentTables) {
                from = Math.min(from, table.times()[0]);
                until = Math.max(until, table.times()[table.rows() - 1]);
            }
            tables.addAll(segmentTables);
            if (segment.getFileName().toString().equals("train")) {
                from += WARM_UP.toMillis();
            }
            // The last row's minute is data too.
            spans.add(new ScoredSpan(environment, Instant.ofEpochMilli(from),
                    Instant.ofEpochMilli(until + Duration.ofMinutes(1).toMillis())));
            try (Stream<Path> files = Files.list(segment)) {
                for (Path list : files.filter(f -> f.getFileName().toString().endsWith("-chaos-info.csv")).sorted()
                        .toList()) {
                    faults.addAll(faults(list, environment));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + segment, e);
            }
        }
        return new FaultDataSet("sockshop", new PointSequence(tables), List.of(), List.of(), faults, spans);
    }

    private static List<SeriesTable> tables(Path segment, String environment) {
        try (Stream<Path> files = Files.list(segment)) {
            List<SeriesTable> tables = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("metric-")).sorted().toList()) {
                tables.add(table(file, environment));
            }
            return tables;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + segment, e);
        }
    }

    static SeriesTable table(Path file, String environment) {
        String name = file.getFileName().toString();
        name = name.substring("metric-".length(), name.length() - ".csv".length());
        Resource resource;
        if (name.startsWith("pod-")) {
            String pod = name.substring("pod-".length());
            resource = new Resource(KubernetesNames.workloadOf(pod), null, pod, environment);
        } else if (name.startsWith("node-")) {
            String instance = name.substring("node-".length());
            String address = instance.contains(":") ? instance.substring(0, instance.indexOf(':')) : instance;
            resource = new Resource(address, address, instance, environment);
        } else {
            throw new IllegalArgumentException(file + ": expected metric-pod-*.csv or metric-node-*.csv");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String[] header = cells(lines.get(0));
        int timeColumn = List.of(header).indexOf("timestamp");
        if (timeColumn < 0) {
            throw new IllegalArgumentException(file + ": no timestamp column");
        }
        List<Integer> used = new ArrayList<>();
        List<SeriesTable.Column> columns = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            if (!NOT_MEASUREMENTS.contains(header[c])) {
                used.add(c);
                columns.add(new SeriesTable.Column(header[c], unitOf(header[c]), MetricKind.GAUGE));
            }
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        long[] times = new long[rows.size()];
        double[][] values = new double[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            String[] cells = cells(rows.get(r));
            if (cells.length != header.length) {
                throw new IllegalArgumentException(file + ": row " + (r + 2) + " has " + cells.length + " cells, expected "
                        + header.length);
            }
            times[r] = LocalDateTime.parse(cells[timeColumn], ROW_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
            double[] row = new double[used.size()];
            for (int i = 0; i < used.size(); i++) {
                String cell = cells[used.get(i)];
                row[i] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
            }
            values[r] = row;
        }
        return new SeriesTable(resource, Map.of(), columns, times, values);
    }

    /**
     * UCUM unit from Prometheus naming conventions. The data set stores its {@code *_total} counters already as
     * per-second rates, so they are gauges of a rate.
     */
    static String unitOf(String metric) {
        if (metric.endsWith("_bytes_total") || metric.endsWith("_Octets")) {
            return "By/s";
        }
        if (metric.endsWith("_seconds_total")) {
            return "s/s";
        }
        if (metric.endsWith("_total")) {
            return "1/s";
        }
        if (metric.endsWith("_bytes")) {
            return "By";
        }
        if (metric.endsWith("_usage")) {
            return "%";
        }
        return "1";
    }

    private static List<Fault> faults(Path list, String environment) {
        List<String> lines;
        try {
            lines = Files.readAllLines(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + list, e);
        }
        List<String> header = List.of(cells(lines.get(0)));
        int start = header.indexOf("timestamp");
        int duration = header.indexOf("duration");
        int type = header.indexOf("fault-type");
        int target = header.indexOf("target");
        if (start < 0 || duration < 0 || type < 0 || target < 0) {
            throw new IllegalArgumentException(list + ": expected columns timestamp, duration, fault-type, target");
        }
        String prefix = list.getFileName().toString().replace("-chaos-info.csv", "");
        List<Fault> faults = new ArrayList<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) {
                continue;
            }
            String[] cells = cells(lines.get(r));
            String victim = cells[target];
            Instant at = LocalDateTime.parse(cells[start], FAULT_TIME).toInstant(ZoneOffset.UTC);
            Duration length = duration(cells[duration]);
            String id = prefix + "-" + r;
            String address = NODE_ADDRESSES.get(victim);
            if (address != null) {
                faults.add(new Fault(id, environment, at, length, cells[type], "node", address,
                        Set.of(address, victim)));
            } else {
                String service = KubernetesNames.workloadOf(victim);
                faults.add(new Fault(id, environment, at, length, cells[type], "pod", service,
                        Set.of(service, victim)));
            }
        }
        return faults;
    }

    private static Duration duration(String text) {
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        if (text.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        throw new IllegalArgumentException("unknown duration " + text + ": expected e.g. 5m or 30s");
    }

    /** The cells of a line of quoted CSV whose values hold no quotes or commas. */
    static String[] cells(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].strip();
            if (cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")) {
                cell = cell.substring(1, cell.length() - 1);
            }
            cells[i] = cell;
        }
        return cells;
    }
}
