package io.sift.eval.petshop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One PetShop {@code metrics.csv}: three header rows name each column's component, metric and statistic, a fourth
 * row is the (empty) time header, then one row per 5-minute sample with the unix time in seconds first. An empty
 * cell means no value in that period (no traffic) and reads as {@link Double#NaN}.
 */
public final class MetricTable {

    /** What a column measures: e.g. {@code PetSite / latency / Average}. */
    public record Column(String item, String metric, String statistic) {
    }

    private final List<Column> columns;
    private final Map<Column, Integer> index = new HashMap<>();
    private final long[] timesMillis;
    private final double[][] values;

    MetricTable(List<Column> columns, long[] timesMillis, double[][] values) {
        this.columns = List.copyOf(columns);
        this.timesMillis = timesMillis;
        this.values = values;
        for (int c = 0; c < this.columns.size(); c++) {
            index.putIfAbsent(this.columns.get(c), c);
        }
    }

    public static MetricTable read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (lines.size() < 4) {
            throw new IllegalArgumentException(csv + ": expected 3 header rows and a time header, got " + lines.size() + " lines");
        }
        String[] items = lines.get(0).split(",", -1);
        String[] metrics = lines.get(1).split(",", -1);
        String[] statistics = lines.get(2).split(",", -1);
        if (items.length != metrics.length || items.length != statistics.length) {
            throw new IllegalArgumentException(csv + ": the three header rows differ in length");
        }
        List<Column> columns = new ArrayList<>();
        for (int c = 1; c < items.length; c++) {
            columns.add(new Column(items[c], metrics[c], statistics[c]));
        }
        List<String> data = lines.subList(4, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        long[] times = new long[data.size()];
        double[][] values = new double[data.size()][columns.size()];
        for (int r = 0; r < data.size(); r++) {
            String[] cells = data.get(r).split(",", -1);
            if (cells.length != items.length) {
                throw new IllegalArgumentException(csv + ": row " + (r + 5) + " has " + cells.length + " cells, expected " + items.length);
            }
            times[r] = Math.round(Double.parseDouble(cells[0]) * 1000.0);
            for (int c = 1; c < cells.length; c++) {
                values[r][c - 1] = cells[c].isBlank() ? Double.NaN : Double.parseDouble(cells[c]);
            }
        }
        return new MetricTable(columns, times, values);
    }

    public List<Column> columns() {
        return columns;
    }

    public int rows() {
        return timesMillis.length;
    }

    public long timeMillis(int row) {
        return timesMillis[row];
    }

    /** The column's index, or -1 when the table has no such column. */
    public int columnOf(String item, String metric, String statistic) {
        return index.getOrDefault(new Column(item, metric, statistic), -1);
    }

    /** The value at a row and column; NaN when the cell is empty. */
    public double value(int row, int column) {
        return values[row][column];
    }
}
