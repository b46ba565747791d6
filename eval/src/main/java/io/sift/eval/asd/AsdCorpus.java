package io.sift.eval.asd;

import io.sift.eval.nab.NabCorpus;
import io.sift.eval.nab.NabProfile;
import io.sift.eval.nab.NabSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Application Server Dataset (ASD, from InterFusion) read in place, turned into univariate series with NAB-style
 * label windows so that NAB's scorer can score them.
 *
 * <p>Layout: {@code train/omi-N.txt} and {@code test/omi-N.txt} hold one row per time step (5 min apart), 19
 * comma-separated metric values per row; {@code test_label/omi-N.txt} one 0/1 per test row (the server's anomaly
 * label); {@code interpretation_label/omi-N.txt} one line per labelled segment, {@code start-end:m,m,...} (test row
 * indices, 0-based and inclusive; metrics numbered from 1) naming the metrics that show the anomaly.
 *
 * <p>Windows, per metric series (rule of {@link #windows}):
 * <ol>
 *   <li>an anomaly is a maximal run of consecutive test rows labelled 1;</li>
 *   <li>a run belongs to a metric when an interpretation segment overlapping the run names that metric; a run that
 *       no segment overlaps belongs to every metric of the server;</li>
 *   <li>as NAB does, the window length is 10 % of the scored rows divided by the number of anomalies of the series,
 *       but never shorter than the run itself; the window is centred on the run (the extra length split evenly
 *       before and after it), clipped to the test rows, and windows that then overlap or touch are merged.</li>
 * </ol>
 * Only test rows are scored (train rows are the detectors' history), with no probationary period.
 */
public final class AsdCorpus {

    /** Metrics per server row. */
    public static final int METRICS = 19;
    /** ASD's sampling interval. */
    public static final long STEP_MILLIS = 5 * 60_000L;
    /** NAB's window rule: all windows of a file together span this share of its rows. */
    public static final double WINDOW_SHARE = 0.10;
    /** Synthetic time of the first train row (ASD gives no timestamps; only the 5-minute step matters). */
    static final LocalDateTime START = LocalDateTime.of(2020, 1, 1, 0, 0);

    /** One metric of one server: its train and test values and its windows (test row indices). */
    public record Series(String server, int metric, double[] train, double[] test, List<NabSeries.Window> windows) {

        /** e.g. {@code omi-1/m07}. */
        public String name() {
            return String.format("%s/m%02d", server, metric);
        }

        /** The test rows as a NAB series (synthetic timestamps continuing after the train rows). */
        public NabSeries scored() {
            LocalDateTime[] times = new LocalDateTime[test.length];
            for (int i = 0; i < times.length; i++) {
                times[i] = timeOf(train.length + i);
            }
            return new NabSeries(name(), times, test, windows);
        }

        /** Event time of row {@code index} of train followed by test. */
        public static LocalDateTime timeOf(int index) {
            return START.plusMinutes(5L * index);
        }
    }

    /** A labelled segment: rows {@code start..end} (inclusive) and the 1-based metrics it names. */
    public record Segment(int start, int end, int[] metrics) {
        boolean names(int metric) {
            return Arrays.stream(metrics).anyMatch(m -> m == metric);
        }
    }

    private final Path root;
    private final List<Series> series;

    private AsdCorpus(Path root, List<Series> series) {
        this.root = root;
        this.series = List.copyOf(series);
    }

    public Path root() {
        return root;
    }

    public List<Series> series() {
        return series;
    }

    /** The scored rows as a NAB corpus with NAB's three profiles. */
    public NabCorpus asNab() {
        return NabCorpus.of(root, series.stream().map(Series::scored).toList(), NabProfile.NAB_PROFILES);
    }

    /** Loads every server found in {@code train/} (ordered by server number). */
    public static AsdCorpus load(Path root) {
        List<String> servers;
        try (Stream<Path> files = Files.list(root.resolve("train"))) {
            servers = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted(Comparator.comparingInt(AsdCorpus::serverNumber).thenComparing(n -> n)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.resolve("train"), e);
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no ASD servers in " + root.resolve("train"));
        }
        List<Series> series = new ArrayList<>();
        for (String server : servers) {
            double[][] train = readRows(root.resolve("train").resolve(server + ".txt"));
            double[][] test = readRows(root.resolve("test").resolve(server + ".txt"));
            int[] labels = readLabels(root.resolve("test_label").resolve(server + ".txt"));
            if (labels.length != test.length) {
                throw new IllegalArgumentException(server + ": " + labels.length + " labels for " + test.length
                        + " test rows");
            }
            Path interpretation = root.resolve("interpretation_label").resolve(server + ".txt");
            List<Segment> segments = Files.exists(interpretation) ? readSegments(interpretation) : List.of();
            for (int m = 1; m <= METRICS; m++) {
                series.add(new Series(server, m, column(train, m - 1), column(test, m - 1),
                        windows(labels, segments, m)));
            }
        }
        return new AsdCorpus(root, series);
    }

    /** Maximal runs of rows labelled 1, as windows of exactly the run. */
    public static List<NabSeries.Window> runs(int[] labels) {
        List<NabSeries.Window> runs = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= labels.length; i++) {
            boolean anomalous = i < labels.length && labels[i] != 0;
            if (anomalous && start < 0) {
                start = i;
            } else if (!anomalous && start >= 0) {
                runs.add(new NabSeries.Window(start, i - 1));
                start = -1;
            }
        }
        return runs;
    }

    /** The NAB windows of one metric (1-based), by the rule in the class comment. */
    public static List<NabSeries.Window> windows(int[] labels, List<Segment> segments, int metric) {
        List<NabSeries.Window> mine = new ArrayList<>();
        for (NabSeries.Window run : runs(labels)) {
            boolean overlapped = false;
            boolean named = false;
            for (Segment s : segments) {
                if (s.start() <= run.end() && s.end() >= run.start()) {
                    overlapped = true;
                    named |= s.names(metric);
                }
            }
            if (named || !overlapped) {
                mine.add(run);
            }
        }
        if (mine.isEmpty()) {
            return List.of();
        }
        int rows = labels.length;
        int nabLength = (int) Math.floor(WINDOW_SHARE * rows / mine.size());
        List<NabSeries.Window> windows = new ArrayList<>();
        for (NabSeries.Window run : mine) {
            int extra = Math.max(0, nabLength - run.length());
            int start = Math.max(0, run.start() - extra / 2);
            int end = Math.min(rows - 1, run.end() + (extra - extra / 2));
            NabSeries.Window last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
            if (last != null && start <= last.end() + 1) {
                windows.set(windows.size() - 1, new NabSeries.Window(last.start(), Math.max(last.end(), end)));
            } else {
                windows.add(new NabSeries.Window(start, end));
            }
        }
        return List.copyOf(windows);
    }

    static double[][] readRows(Path file) {
        List<String> lines = lines(file);
        double[][] rows = new double[lines.size()][];
        for (int r = 0; r < rows.length; r++) {
            String[] cells = lines.get(r).split(",");
            if (cells.length != METRICS) {
                throw new IllegalArgumentException(file + " line " + (r + 1) + ": " + cells.length + " values, expected "
                        + METRICS);
            }
            rows[r] = new double[METRICS];
            for (int c = 0; c < METRICS; c++) {
                rows[r][c] = Double.parseDouble(cells[c].strip());
            }
        }
        return rows;
    }

    static int[] readLabels(Path file) {
        return lines(file).stream().mapToInt(l -> (int) Math.round(Double.parseDouble(l.strip()))).toArray();
    }

    /** Lines {@code start-end:m,m,...}. */
    static List<Segment> readSegments(Path file) {
        List<Segment> segments = new ArrayList<>();
        for (String line : lines(file)) {
            int colon = line.indexOf(':');
            String[] range = (colon < 0 ? line : line.substring(0, colon)).strip().split("-");
            int[] metrics = colon < 0 || line.substring(colon + 1).isBlank() ? new int[0]
                    : Arrays.stream(line.substring(colon + 1).split(",")).map(String::strip)
                            .mapToInt(Integer::parseInt).toArray();
            segments.add(new Segment(Integer.parseInt(range[0].strip()), Integer.parseInt(range[1].strip()), metrics));
        }
        return segments;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double[] column(double[][] rows, int c) {
        double[] values = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            values[r] = rows[r][c];
        }
        return values;
    }

    private static int serverNumber(String name) {
        String digits = name.replaceAll("\\D", "");
        return digits.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
