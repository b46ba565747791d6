package io.sift.eval.faults;

import io.sift.schema.MetricKind;
import io.sift.schema.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the RCD Sock Shop data set ({@code rcd-sockshop/}: Prometheus metrics of 13 containers at a 1 s step, 50
 * cases {@code <service>-<cpu|mem>/<n>/} of one {@code normal.csv} and one {@code anomalous.csv} window each) as the
 * job would receive it from a Prometheus scrape.
 *
 * <p><b>Environments.</b> Every case is its own environment, so the job never correlates one case's anomalies with
 * another's and every case's series start afresh (the detector warms up again in each case). The environment is an
 * opaque {@code rcd-<k>}, k counting the cases from 1 in sorted directory order; nothing the job sees names the
 * faulty service or the fault type.
 *
 * <p><b>Time line.</b> The two windows of a case were recorded apart (often days apart, once the anomalous before the
 * normal one), so they are laid end to end: the normal window keeps its own spacing, and the anomalous window is
 * shifted so that its first sample is one step (1 s) after the normal window's last. The splice is therefore a
 * change in every series whose level differs between the two recordings, not only in the faulty service. The cases
 * follow one another on one time line: the first case's normal window starts at its own recorded time, and every
 * further case starts {@link #CASE_GAP} after the previous case's last sample, so that a case's timers (silence
 * timeout, incident quiet period) fire before the next case begins and the single source's event time only increases
 * with every case's rows together (a {@link PointSequence} orders rows by time on its own; this layout keeps cases
 * from interleaving).
 *
 * <p><b>Faults.</b> One per case: id the case's directory ({@code carts-cpu/1}), start the first anomalous sample,
 * duration the anomalous window's length (rows × step), fault type {@code cpu-hog} or {@code memory-leak}, level
 * {@code service}, root item the service (its container has the same name).
 *
 * <p><b>Scored spans.</b> The whole case, normal and anomalous window: the fault-free normal window is where noise is
 * counted (less {@link FaultScoring#BEFORE} before the fault start), and includes the detector's warm-up
 * ({@code sift.detect.warm-up-samples} per series) at its start. The warm-up counts samples, not time: at this data's
 * 1 s step the default 20 samples are the first 20 s of the 4.5-5 min normal window (on {@code sockshop}'s 1 min step
 * they are 20 min), so most of the normal window is scored.
 *
 * <p><b>Metrics.</b> Columns {@code <container>_cpu} become {@code container_cpu_usage_percent} (unit {@code %}),
 * {@code <container>_mem} {@code container_memory_usage_bytes} ({@code By}), {@code <svc>_lod}
 * {@code request_rate} ({@code {request}/s}), {@code <svc>_lat_50|90|99} {@code request_duration_seconds} (unit
 * {@code s}) with the label {@code quantile} = {@code 0.5}, {@code 0.9} or {@code 0.99}. All are gauges (the collector
 * already took the rates). Each container's series carry the container name as service and instance.
 */
public final class RcdSockShopData {

    public static final String NAME = "rcd-sockshop";
    /** Event time between one case's last sample and the next case's first. */
    static final Duration CASE_GAP = Duration.ofHours(1);

    static final String CPU = "container_cpu_usage_percent";
    static final String MEMORY = "container_memory_usage_bytes";
    static final String REQUEST_RATE = "request_rate";
    static final String LATENCY = "request_duration_seconds";
    private static final Map<String, String> QUANTILES = Map.of("50", "0.5", "90", "0.9", "99", "0.99");
    private static final Map<String, String> FAULT_TYPES = Map.of("cpu", "cpu-hog", "mem", "memory-leak");

    private RcdSockShopData() {
    }

    public static FaultDataSet read(Path folder) {
        List<Path> cases = cases(folder);
        if (cases.isEmpty()) {
            throw new IllegalArgumentException(folder + ": no cases <service>-<cpu|mem>/<n>/ with normal.csv and"
                    + " anomalous.csv");
        }
        List<SeriesTable> tables = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        List<ScoredSpan> spans = new ArrayList<>();
        Long caseStart = null;
        for (int k = 0; k < cases.size(); k++) {
            Path dir = cases.get(k);
            String id = folder.relativize(dir).toString().replace('\\', '/');
            String label = dir.getParent().getFileName().toString();
            int dash = label.lastIndexOf('-');
            String service = dash < 0 ? "" : label.substring(0, dash);
            String faultType = dash < 0 ? null : FAULT_TYPES.get(label.substring(dash + 1));
            if (service.isEmpty() || faultType == null) {
                throw new IllegalArgumentException(dir + ": expected a folder <service>-cpu or <service>-mem");
            }
            Csv normal = Csv.read(dir.resolve("normal.csv"));
            Csv anomalous = Csv.read(dir.resolve("anomalous.csv"));
            if (!normal.header().equals(anomalous.header())) {
                throw new IllegalArgumentException(dir + ": normal.csv and anomalous.csv have different columns");
            }
            long step = normal.step();
            long start = caseStart == null ? normal.times()[0] : caseStart;
            long[] times = new long[normal.rows() + anomalous.rows()];
            for (int r = 0; r < normal.rows(); r++) {
                times[r] = start + (normal.times()[r] - normal.times()[0]);
            }
            long faultStart = times[normal.rows() - 1] + step;
            for (int r = 0; r < anomalous.rows(); r++) {
                times[normal.rows() + r] = faultStart + (anomalous.times()[r] - anomalous.times()[0]);
            }
            long end = times[times.length - 1] + step;
            double[][] values = new double[times.length][];
            System.arraycopy(normal.values(), 0, values, 0, normal.rows());
            System.arraycopy(anomalous.values(), 0, values, normal.rows(), anomalous.rows());
            String environment = "rcd-" + (k + 1);
            tables.addAll(tables(dir, environment, normal.header(), times, values));
            faults.add(new Fault(id, environment, Instant.ofEpochMilli(faultStart),
                    Duration.ofMillis(end - faultStart), faultType, "service", service, Set.of(service)));
            spans.add(new ScoredSpan(environment, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end)));
            caseStart = end - step + CASE_GAP.toMillis();
        }
        return new FaultDataSet(NAME, new PointSequence(tables), List.of(), List.of(), faults, spans);
    }

    /** The case folders {@code <service>-<fault>/<n>} holding both windows, in sorted path order. */
    static List<Path> cases(Path folder) {
        try (Stream<Path> labels = Files.list(folder)) {
            List<Path> cases = new ArrayList<>();
            for (Path label : labels.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> runs = Files.list(label)) {
                    runs.filter(run -> Files.isRegularFile(run.resolve("normal.csv"))
                                    && Files.isRegularFile(run.resolve("anomalous.csv")))
                            .sorted().forEach(cases::add);
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /**
     * One table per container (cpu, memory and, for a service with them, request rate) and one per latency quantile
     * (its label differs), all sharing the case's times.
     */
    private static List<SeriesTable> tables(Path dir, String environment, List<String> header, long[] times,
            double[][] values) {
        // container -> (column index -> column), in header order
        Map<String, Map<Integer, SeriesTable.Column>> plain = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> latency = new LinkedHashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String name = header.get(c);
            String container;
            SeriesTable.Column column = null;
            if (name.endsWith("_cpu")) {
                container = name.substring(0, name.length() - "_cpu".length());
                column = new SeriesTable.Column(CPU, "%", MetricKind.GAUGE);
            } else if (name.endsWith("_mem")) {
                container = name.substring(0, name.length() - "_mem".length());
                column = new SeriesTable.Column(MEMORY, "By", MetricKind.GAUGE);
            } else if (name.endsWith("_lod")) {
                container = name.substring(0, name.length() - "_lod".length());
                column = new SeriesTable.Column(REQUEST_RATE, "{request}/s", MetricKind.GAUGE);
            } else if (name.matches(".+_lat_\\d+") && QUANTILES.containsKey(name.substring(name.lastIndexOf('_') + 1))) {
                container = name.substring(0, name.lastIndexOf("_lat_"));
                latency.computeIfAbsent(container, x -> new LinkedHashMap<>())
                        .put(QUANTILES.get(name.substring(name.lastIndexOf('_') + 1)), c);
                continue;
            } else {
                throw new IllegalArgumentException(dir + ": unknown column " + name);
            }
            plain.computeIfAbsent(container, x -> new LinkedHashMap<>()).put(c, column);
        }
        List<SeriesTable> tables = new ArrayList<>();
        plain.forEach((container, columns) -> {
            int[] from = columns.keySet().stream().mapToInt(Integer::intValue).toArray();
            tables.add(new SeriesTable(resource(container, environment), Map.of(), List.copyOf(columns.values()),
                    times, select(values, from)));
        });
        latency.forEach((container, quantiles) -> quantiles.forEach((quantile, c) -> tables.add(
                new SeriesTable(resource(container, environment), Map.of("quantile", quantile),
                        List.of(new SeriesTable.Column(LATENCY, "s", MetricKind.GAUGE)), times,
                        select(values, new int[] {c})))));
        return tables;
    }

    private static Resource resource(String container, String environment) {
        return new Resource(container, null, container, environment);
    }

    private static double[][] select(double[][] values, int[] columns) {
        double[][] out = new double[values.length][columns.length];
        for (int r = 0; r < values.length; r++) {
            for (int i = 0; i < columns.length; i++) {
                out[r][i] = values[r][columns[i]];
            }
        }
        return out;
    }

    /** One window: its measurement columns (all but {@code time}), times in UTC milliseconds and values. */
    private record Csv(List<String> header, long[] times, double[][] values) {

        static Csv read(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            List<String> cells = List.of(SockShopData.cells(lines.get(0)));
            int timeColumn = cells.indexOf("time");
            if (timeColumn < 0) {
                throw new IllegalArgumentException(file + ": no time column");
            }
            List<String> header = new ArrayList<>(cells);
            header.remove(timeColumn);
            List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
            if (rows.size() < 2) {
                throw new IllegalArgumentException(file + ": fewer than two rows");
            }
            long[] times = new long[rows.size()];
            double[][] values = new double[rows.size()][header.size()];
            for (int r = 0; r < rows.size(); r++) {
                String[] row = SockShopData.cells(rows.get(r));
                if (row.length != cells.size()) {
                    throw new IllegalArgumentException(file + ": row " + (r + 2) + " has " + row.length
                            + " cells, expected " + cells.size());
                }
                times[r] = Math.round(Double.parseDouble(row[timeColumn]) * 1000);
                if (r > 0 && times[r] <= times[r - 1]) {
                    throw new IllegalArgumentException(file + ": times must increase (row " + (r + 2) + ")");
                }
                for (int c = 0, v = 0; c < row.length; c++) {
                    if (c != timeColumn) {
                        values[r][v++] = row[c].isEmpty() ? Double.NaN : Double.parseDouble(row[c]);
                    }
                }
            }
            return new Csv(List.copyOf(header), times, values);
        }

        int rows() {
            return times.length;
        }

        /** The sampling step: the shortest interval between two rows. */
        long step() {
            long step = Long.MAX_VALUE;
            for (int r = 1; r < times.length; r++) {
                step = Math.min(step, times[r] - times[r - 1]);
            }
            return step;
        }
    }
}
