package io.sift.jobs.operators;

import io.sift.core.logs.LogMetrics;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a service's log lines into a metric: error lines (OpenTelemetry severity ERROR and above) per event-time
 * window, scored by the same detector as every other metric.
 */
public final class LogErrorRate {

    public static final String UID = "log-error-rate";
    public static final String NAME = "Count error log lines per service and window";
    public static final String PARTIALS_UID = "log-error-partials";
    public static final String PARTIALS_NAME = "Count log lines before the shuffle";
    /** OpenTelemetry severity number of ERROR. */
    public static final int ERROR_SEVERITY = 17;

    private LogErrorRate() {}

    /** The key: environment and service. */
    public static String key(LogRecord log, String defaultEnvironment) {
        String env = log.getResource().getEnvironment() == null ? defaultEnvironment : log.getResource().getEnvironment();
        return env + "|" + log.getResource().getService();
    }

    /** The key of a partial count: the same as its lines'. */
    public static String key(Count.Acc partial, String defaultEnvironment) {
        return (partial.environment == null ? defaultEnvironment : partial.environment) + "|" + partial.service;
    }

    /** Counts a subtask's lines into partial counts before the shuffle. */
    public static WindowPreAggregate<LogRecord, Count.Acc> partials(long windowMillis, int maxPartials,
            String defaultEnvironment) {
        return new WindowPreAggregate<>(windowMillis, maxPartials, log -> key(log, defaultEnvironment), new Partial());
    }

    private record Partial() implements WindowPreAggregate.Aggregation<LogRecord, Count.Acc> {
        @Override
        public Count.Acc create() {
            return new Count.Acc();
        }

        @Override
        public void add(LogRecord log, Count.Acc partial) {
            partial.lines++;
            if (log.getSeverityNumber() >= ERROR_SEVERITY) {
                partial.errors++;
            }
            partial.service = log.getResource().getService();
            partial.environment = log.getResource().getEnvironment();
        }
    }

    /** Sums the partial counts [errors, lines] of a service and window, remembering the resource. */
    public static final class Count implements AggregateFunction<Count.Acc, Count.Acc, Count.Acc> {
        private static final long serialVersionUID = 1L;

        /** Window accumulator (a Flink POJO). */
        public static final class Acc {
            public long errors;
            public long lines;
            public String service;
            public String environment;

            public Acc() {}
        }

        @Override
        public Acc createAccumulator() {
            return new Acc();
        }

        @Override
        public Acc add(Acc partial, Acc acc) {
            return merge(acc, partial);
        }

        @Override
        public Acc getResult(Acc acc) {
            return acc;
        }

        @Override
        public Acc merge(Acc a, Acc b) {
            a.errors += b.errors;
            a.lines += b.lines;
            if (b.service != null) {
                a.service = b.service;
                a.environment = b.environment;
            }
            return a;
        }
    }

    /** Emits one metric point per window, stamped at the window's end. */
    public static final class ToMetric extends ProcessWindowFunction<Count.Acc, MetricPoint, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String key, Context context, Iterable<Count.Acc> counts, Collector<MetricPoint> out) {
            for (Count.Acc acc : counts) {
                out.collect(new MetricPoint(Instant.ofEpochMilli(context.window().maxTimestamp()),
                        LogMetrics.LOG_ERROR_METRIC, (double) acc.errors, "{line}", MetricKind.GAUGE,
                        new Resource(acc.service, null, null, acc.environment), Map.of()));
            }
        }
    }
}
