package io.sift.core.traces;

/**
 * How spans become service traffic series and dependency edges.
 *
 * @param windowMillis  tumbling event-time window of the request rate, error ratio and latency series
 * @param minRequests   requests a window needs before its error ratio and latency are emitted: an idle endpoint's
 *                      one slow or failed request is noise, not a signal (its request rate is always emitted)
 * @param edgeTtlMillis a dependency not seen in a span for this long is removed from the topology
 * @param latencyQuantile the latency quantile emitted per window (0.95 → {@code service.latency.p95})
 */
public record TrafficConfig(long windowMillis, int minRequests, long edgeTtlMillis, double latencyQuantile)
        implements java.io.Serializable {

    public TrafficConfig {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("the traffic window must be positive, was " + windowMillis
                    + " ms (sift.traces.window)");
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("the requests a window needs must be at least 1, was " + minRequests
                    + " (sift.traces.min-requests)");
        }
        if (edgeTtlMillis <= 0) {
            throw new IllegalArgumentException("the time an unseen dependency is kept must be positive, was "
                    + edgeTtlMillis + " ms (sift.traces.edge-ttl)");
        }
        if (!(latencyQuantile > 0 && latencyQuantile < 1)) {
            throw new IllegalArgumentException("the latency quantile must be between 0 and 1, e.g. 0.95; was "
                    + latencyQuantile);
        }
    }

    /** One-minute windows, 10 requests, edges kept for an hour, p95. */
    public static TrafficConfig defaults() {
        return new TrafficConfig(60_000, 10, 3_600_000, 0.95);
    }

    /** The metric name of the latency quantile, e.g. {@code service.latency.p95}, {@code service.latency.p99.9}. */
    public String latencyMetric() {
        String percent = java.math.BigDecimal.valueOf(latencyQuantile * 100).stripTrailingZeros().toPlainString();
        return ServiceTrafficStage.LATENCY_PREFIX + "p" + percent;
    }
}
