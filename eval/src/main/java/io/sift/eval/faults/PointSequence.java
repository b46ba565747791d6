package io.sift.eval.faults;

import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The metric points of a set of tables in event-time order (ties in table order, then column order), as the
 * collectors of an estate would have sent them. Held as the tables' arrays and built into points one at a time, so a
 * data set of millions of points costs its doubles, not millions of records; any position can be read, so a source
 * restarted from a checkpoint can resume.
 */
public final class PointSequence {

    private final List<SeriesTable> tables;
    /** Per row of the merged order: its table, its row in that table. */
    private final int[] rowTable;
    private final int[] rowInTable;
    /** Points before each merged row (non-NaN cells), and the total at the end. */
    private final long[] pointsBefore;

    public PointSequence(List<SeriesTable> tables) {
        this.tables = List.copyOf(tables);
        int rows = 0;
        for (SeriesTable table : this.tables) {
            rows += table.rows();
        }
        long[] keys = new long[rows];
        int[] table = new int[rows];
        int[] row = new int[rows];
        Integer[] order = new Integer[rows];
        int next = 0;
        for (int t = 0; t < this.tables.size(); t++) {
            for (int r = 0; r < this.tables.get(t).rows(); r++) {
                keys[next] = this.tables.get(t).times()[r];
                table[next] = t;
                row[next] = r;
                order[next] = next;
                next++;
            }
        }
        // A stable sort on time keeps table order, then row order, among equal times.
        Arrays.sort(order, (a, b) -> Long.compare(keys[a], keys[b]));
        rowTable = new int[rows];
        rowInTable = new int[rows];
        pointsBefore = new long[rows + 1];
        for (int i = 0; i < rows; i++) {
            rowTable[i] = table[order[i]];
            rowInTable[i] = row[order[i]];
            pointsBefore[i + 1] = pointsBefore[i] + present(this.tables.get(rowTable[i]).values()[rowInTable[i]]);
        }
    }

    private static int present(double[] values) {
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                n++;
            }
        }
        return n;
    }

    public List<SeriesTable> tables() {
        return tables;
    }

    public long size() {
        return pointsBefore[pointsBefore.length - 1];
    }

    /** The point at a position of the sequence, {@code 0 <= index < size()}. */
    public MetricPoint get(long index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("point " + index + " of " + size());
        }
        int mergedRow = Arrays.binarySearch(pointsBefore, index);
        if (mergedRow >= 0) {
            // Rows without points share their start with the next row that has some.
            while (pointsBefore[mergedRow + 1] == index) {
                mergedRow++;
            }
        } else {
            mergedRow = -mergedRow - 2;
        }
        SeriesTable table = tables.get(rowTable[mergedRow]);
        int row = rowInTable[mergedRow];
        long skip = index - pointsBefore[mergedRow];
        double[] values = table.values()[row];
        for (int column = 0; column < values.length; column++) {
            if (Double.isNaN(values[column])) {
                continue;
            }
            if (skip-- == 0) {
                SeriesTable.Column spec = table.columns().get(column);
                Resource resource = table.resource();
                return new MetricPoint(Instant.ofEpochMilli(table.times()[row]), spec.name(), values[column],
                        spec.unit(), spec.kind(),
                        new Resource(resource.getService(), resource.getHost(), resource.getInstance(),
                                resource.getEnvironment()),
                        new HashMap<>(table.labels()));
            }
        }
        throw new IllegalStateException("point " + index + " not found in its row");
    }

    /** Event time of the first and last point, UTC milliseconds; {@code [0, 0]} when empty. */
    public long[] span() {
        if (rowTable.length == 0) {
            return new long[] {0, 0};
        }
        int last = rowTable.length - 1;
        return new long[] {tables.get(rowTable[0]).times()[rowInTable[0]],
                tables.get(rowTable[last]).times()[rowInTable[last]]};
    }
}
