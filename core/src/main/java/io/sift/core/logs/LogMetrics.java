package io.sift.core.logs;

/** Names of the metrics Sift derives from log lines, shared by the job, its evaluations and its benches. */
public final class LogMetrics {

    /** Name of the metric derived from error log lines per service and window. */
    public static final String LOG_ERROR_METRIC = "log.error.count";

    private LogMetrics() {}
}
