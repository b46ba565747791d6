package io.sift.connectors.formats;

import java.util.List;

/**
 * Quantiles of a bucketed distribution, interpolated linearly inside the bucket the rank falls in (as Prometheus'
 * histogram_quantile), clamped to the observed min and max when known.
 */
final class BucketQuantiles {

    private BucketQuantiles() {}

    /**
     * @param lower  lower edge of each bucket, ascending
     * @param upper  upper edge of each bucket
     * @param counts samples per bucket
     * @param total  the sum of counts (> 0)
     */
    static double quantile(double q, double[] lower, double[] upper, long[] counts, long total, double min,
            double max) {
        double rank = q * total;
        long seen = 0;
        int last = counts.length - 1;
        while (last > 0 && counts[last] == 0) {
            last--;
        }
        double value = upper[last];
        for (int i = 0; i <= last; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                double lo = lower[i];
                double hi = upper[i];
                if (Double.isInfinite(lo)) {
                    lo = Double.isNaN(min) ? hi : min;
                }
                if (Double.isInfinite(hi)) {
                    hi = Double.isNaN(max) ? lo : max;
                }
                double within = Math.max(0, rank - seen) / counts[i];
                value = lo + (hi - lo) * within;
                break;
            }
            seen += counts[i];
        }
        if (!Double.isNaN(min)) {
            value = Math.max(value, min);
        }
        if (!Double.isNaN(max)) {
            value = Math.min(value, max);
        }
        return value;
    }

    /** Buckets of an explicit-bounds histogram: bucket i is (bounds[i-1], bounds[i]], the first and last open. */
    static double explicit(double q, List<Double> bounds, List<Long> counts, long total, double min, double max) {
        int n = counts.size();
        double[] lower = new double[n];
        double[] upper = new double[n];
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            // A histogram of non-negative values (durations, sizes) has an implicit 0 below its first bound.
            lower[i] = i == 0 ? (bounds.isEmpty() || bounds.get(0) <= 0 ? Double.NEGATIVE_INFINITY : 0.0)
                    : bounds.get(i - 1);
            upper[i] = i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY;
            c[i] = counts.get(i);
        }
        if (n == 0) {
            return Double.NaN;
        }
        return quantile(q, lower, upper, c, total, min, max);
    }
}
