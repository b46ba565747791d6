package io.sift.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The NAB corpus read in place: the data files named by {@code labels/combined_windows.json}, their windows and the
 * profiles. Window limits are timestamps that must be rows of their file (as NAB's labeller makes them).
 */
public final class NabCorpus {

    public static final String WINDOWS_FILE = "labels/combined_windows.json";
    public static final String PROFILES_FILE = "config/profiles.json";

    /** NAB writes "2014-02-19 10:50:00" in data and "2014-02-19 10:50:00.000000" in labels. */
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private final Path root;
    private final List<NabSeries> series;
    private final List<NabProfile> profiles;
    private final int labelledWindows;

    private NabCorpus(Path root, List<NabSeries> series, List<NabProfile> profiles, int labelledWindows) {
        this.root = root;
        this.series = List.copyOf(series);
        this.profiles = List.copyOf(profiles);
        this.labelledWindows = labelledWindows;
    }

    /** Loads the corpus from a NAB checkout (the folder holding {@code data/}, {@code labels/}, {@code config/}). */
    public static NabCorpus load(Path root) {
        JsonNode labels = readJson(root.resolve(WINDOWS_FILE));
        List<NabSeries> series = new ArrayList<>();
        int windows = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            NabSeries file = readSeries(root.resolve("data").resolve(entry.getKey()), entry.getKey(), entry.getValue());
            windows += file.windows().size();
            series.add(file);
        }
        return new NabCorpus(root, series, NabProfile.load(root.resolve(PROFILES_FILE)), windows);
    }

    /**
     * A corpus of other labelled series scored with NAB's rules (e.g. a train/test data set turned into NAB windows);
     * {@code root} is only reported.
     */
    public static NabCorpus of(Path root, List<NabSeries> series, List<NabProfile> profiles) {
        int windows = 0;
        for (NabSeries one : series) {
            windows += one.windows().size();
        }
        return new NabCorpus(root, series, profiles, windows);
    }

    public Path root() {
        return root;
    }

    public List<NabSeries> series() {
        return series;
    }

    public List<NabProfile> profiles() {
        return profiles;
    }

    /** Windows in the labels file: NAB's count for the perfect detector. */
    public int labelledWindows() {
        return labelledWindows;
    }

    /**
     * Reads a detector's published result file ({@code published_scores/DETECTOR/CATEGORY/DETECTOR_FILE.csv}, columns
     * {@code timestamp,anomaly_score}) for a series. Like NAB, rows are matched by position: some published files
     * carry shifted timestamps, and NAB scores against the data file's own.
     */
    public static double[] readPublishedScores(Path resultsFolder, String detector, NabSeries series) {
        String fileName = series.name().substring(series.name().lastIndexOf('/') + 1);
        Path file = resultsFolder.resolve(detector).resolve(series.category()).resolve(detector + "_" + fileName);
        List<String[]> rows = readCsv(file);
        int scoreColumn = column(rows.get(0), "anomaly_score", file);
        if (rows.size() - 1 != series.size()) {
            throw new IllegalArgumentException(file + " has " + (rows.size() - 1) + " rows, the data file "
                    + series.size());
        }
        double[] scores = new double[series.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Double.parseDouble(rows.get(i + 1)[scoreColumn].trim());
        }
        return scores;
    }

    private static NabSeries readSeries(Path file, String name, JsonNode windowLimits) {
        List<String[]> rows = readCsv(file);
        int timeColumn = column(rows.get(0), "timestamp", file);
        int valueColumn = column(rows.get(0), "value", file);
        int n = rows.size() - 1;
        LocalDateTime[] timestamps = new LocalDateTime[n];
        double[] values = new double[n];
        Map<LocalDateTime, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String[] row = rows.get(i + 1);
            timestamps[i] = LocalDateTime.parse(row[timeColumn].trim(), TIMESTAMP);
            values[i] = Double.parseDouble(row[valueColumn].trim());
            rowOf.putIfAbsent(timestamps[i], i);
        }
        List<NabSeries.Window> windows = new ArrayList<>();
        for (JsonNode limits : windowLimits) {
            int start = rowIndex(rowOf, limits.get(0).asText(), file);
            int end = rowIndex(rowOf, limits.get(1).asText(), file);
            if (end < start || (!windows.isEmpty() && start <= windows.get(windows.size() - 1).end())) {
                throw new IllegalArgumentException("windows of " + name + " must be ordered and disjoint");
            }
            windows.add(new NabSeries.Window(start, end));
        }
        return new NabSeries(name, timestamps, values, windows);
    }

    private static int rowIndex(Map<LocalDateTime, Integer> rowOf, String timestamp, Path file) {
        Integer row = rowOf.get(LocalDateTime.parse(timestamp.trim(), TIMESTAMP));
        if (row == null) {
            // NAB's sweeper only enters a window on an exact timestamp match; a missing one would silently drop it.
            throw new IllegalArgumentException("window limit " + timestamp + " is not a row of " + file);
        }
        return row;
    }

    private static int column(String[] header, String name, Path file) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(file + " has no column " + name);
    }

    private static List<String[]> readCsv(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            List<String[]> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
            if (rows.isEmpty()) {
                throw new IllegalArgumentException(file + " is empty");
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
