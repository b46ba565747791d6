package io.sift.scenario;

/** Metric names, units and kinds the scenario emits. */
public final class MetricNames {

    private MetricNames() {
    }

    /** Service instance: requests per second, unit "{request}/s", GAUGE. Follows the day curve. */
    public static final String HTTP_REQUEST_RATE = "http.server.request.rate";
    /** Service instance: 95th percentile request duration, unit "ms", HISTOGRAM_SUMMARY. */
    public static final String HTTP_DURATION_P95 = "http.server.request.duration.p95";
    /** Service instance: share of requests answered 5xx, unit "1" (0-1, normally 0.1-1 %), GAUGE. */
    public static final String HTTP_ERROR_RATIO = "http.server.error.ratio";
    /** Host: cpu utilisation, unit "1" (0-1), GAUGE. */
    public static final String CPU_UTILIZATION = "system.cpu.utilization";
    /** Host: memory utilisation, unit "1" (0-1), GAUGE. */
    public static final String MEMORY_UTILIZATION = "system.memory.utilization";
    /** Database: 95th percentile operation duration, unit "ms", HISTOGRAM_SUMMARY. */
    public static final String DB_DURATION_P95 = "db.client.operation.duration.p95";
    /** Database: connection pool usage, unit "1" (0-1), GAUGE. */
    public static final String DB_CONNECTION_USAGE = "db.client.connections.usage";
    /** Queue: messages waiting, unit "{message}", GAUGE. */
    public static final String QUEUE_DEPTH = "messaging.queue.depth";
    /** Cache: hit ratio, unit "1" (0-1), GAUGE. */
    public static final String CACHE_HIT_RATIO = "cache.hit.ratio";
}
