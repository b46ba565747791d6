package io.sift.core.traces;

import java.util.Map;
import java.util.TreeMap;

/**
 * Durations counted in logarithmic buckets, so that a window of any number of spans costs a few hundred counters at
 * most and a quantile is read within {@link #RELATIVE_ACCURACY} of the true value (the DDSketch bucketing: bucket
 * {@code i} holds values in {@code (γ^(i-1), γ^i]}). Zero and negative durations share one bucket read as 0.
 */
public final class LatencyHistogram {

    /** Half the relative width of a bucket: a quantile read is within 1 % of a value in its bucket. */
    public static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final int ZERO_BUCKET = Integer.MIN_VALUE;

    /** bucket index → count; public for state serializers. */
    public TreeMap<Integer, Long> buckets = new TreeMap<>();
    public long count;

    public void add(double millis) {
        int bucket = millis <= 0 ? ZERO_BUCKET : (int) Math.ceil(Math.log(millis) / LOG_GAMMA);
        buckets.merge(bucket, 1L, Long::sum);
        count++;
    }

    /** The {@code q}-quantile (0 < q ≤ 1) of the durations added; NaN when none was. */
    public double quantile(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            seen += bucket.getValue();
            if (seen >= Math.max(1, rank)) {
                return valueOf(bucket.getKey());
            }
        }
        return valueOf(buckets.lastKey());
    }

    private static double valueOf(int bucket) {
        return bucket == ZERO_BUCKET ? 0 : 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1);
    }
}
