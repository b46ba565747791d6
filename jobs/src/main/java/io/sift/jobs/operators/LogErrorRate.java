package io.sift.jobs.operators;

import io.sift.jobs.SiftSettings;
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
    /** OpenTelemetry severity number of ERROR. */
    public static final int ERROR_SEVERITY = 17;

    private LogErrorRate() {}

    /** The key: environment and service. */
    public static String key(LogRecord log, String defaultEnvironment) {
        String env = log.getResource().getEnvironment() == null ? defaultEnvironment : log.getResource().getEnvironment();
        return env + "|" + log.getResource().getService();
    }

    /** Counts [errors, lines] and remembers the resource. */
    public static final class Count implements AggregateFunction<LogRecord, Count.Acc, Count.Acc> {
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
        public Acc add(LogRecord log, Acc acc) {
            acc.lines++;
            if (log.getSeverityNumber() >= ERROR_SEVERITY) {
                acc.errors++;
            }
            acc.service = log.getResource().getService();
            acc.environment = log.getResource().getEnvironment();
            return acc;
        }

        @Override
        public Acc getResult(Acc acc) {
            return acc;
        }

        @Override
        public Acc merge(Acc a, Acc b) {
            a.errors += b.errors;
            a.lines += b.lines;
            return a;
        }
    }

    /** Emits one metric point per window, stamped at the window's end. */
    public static final class ToMetric extends ProcessWindowFunction<Count.Acc, MetricPoint, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String key, Context context, Iterable<Count.Acc> counts, Collector<MetricPoint> out) {
            for (Count.Acc acc : counts) {
                out.collect(MetricPoint.newBuilder()
                        .setTime(Instant.ofEpochMilli(context.window().maxTimestamp()))
                        .setName(SiftSettings.LOG_ERROR_METRIC)
                        .setValue(acc.errors)
                        .setUnit("{line}")
                        .setKind(MetricKind.GAUGE)
                        .setResource(Resource.newBuilder().setService(acc.service).setEnvironment(acc.environment).build())
                        .setLabels(Map.of())
                        .build());
            }
        }
    }
}
