package io.sift.eval.faults;

import io.sift.schema.MetricKind;
import io.sift.schema.Resource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The metrics of one entity (a pod, a node, a service) as a data set stores them: one row per sample time, one
 * column per metric. A NaN cell is a missing sample and produces no point.
 *
 * @param resource the service, host, instance and environment every point of the table describes
 * @param labels   labels every point carries
 * @param columns  what each column is
 * @param times    sample times, UTC milliseconds, strictly increasing
 * @param values   {@code values[row][column]}
 */
public record SeriesTable(Resource resource, Map<String, String> labels, List<Column> columns, long[] times,
        double[][] values) {

    /** One metric column: its name as the data set's collector named it, its UCUM unit and kind. */
    public record Column(String name, String unit, MetricKind kind) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    public SeriesTable {
        Objects.requireNonNull(resource, "resource");
        labels = Map.copyOf(labels);
        columns = List.copyOf(columns);
        if (times.length != values.length) {
            throw new IllegalArgumentException(resource.getService() + ": " + times.length + " times but "
                    + values.length + " rows");
        }
        for (int row = 0; row < times.length; row++) {
            if (values[row].length != columns.size()) {
                throw new IllegalArgumentException(resource.getService() + ": row " + row + " has "
                        + values[row].length + " values for " + columns.size() + " columns");
            }
            if (row > 0 && times[row] <= times[row - 1]) {
                throw new IllegalArgumentException(resource.getService() + ": times must increase (row " + row + ")");
            }
        }
    }

    public int rows() {
        return times.length;
    }
}
