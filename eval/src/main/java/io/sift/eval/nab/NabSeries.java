package io.sift.eval.nab;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One NAB data file: its path relative to {@code data/} (as the labels name it), its rows in file order and its
 * labelled anomaly windows as row indices.
 */
public record NabSeries(String name, LocalDateTime[] timestamps, double[] values, List<Window> windows) {

    /** An anomaly window: first and last row index, both inclusive. */
    public record Window(int start, int end) {
        public int length() {
            return end - start + 1;
        }
    }

    public int size() {
        return values.length;
    }

    /** The data folder the file sits in, e.g. {@code realKnownCause}. */
    public String category() {
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
