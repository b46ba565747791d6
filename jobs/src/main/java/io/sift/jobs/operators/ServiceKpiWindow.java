package io.sift.jobs.operators;

import io.sift.core.detect.SeriesKeys;
import io.sift.core.health.Kpi;
import io.sift.core.health.KpiSummary;
import io.sift.schema.MetricPoint;
import java.time.Duration;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** The KPIs of one service per event-time window (keyed by environment and service): a window aggregate. */
public final class ServiceKpiWindow {

    public static final String UID = "service-kpis";
    public static final String NAME = "Service KPIs per window";

    private ServiceKpiWindow() {}

    /** The key: environment and service. */
    public static String key(MetricPoint point, String defaultEnvironment) {
        return SeriesKeys.environment(point.getResource(), defaultEnvironment) + "|" + point.getResource().getService();
    }

    /** Whether the sample feeds a KPI (others do not enter the window). */
    public static boolean feedsKpi(MetricPoint point) {
        return point.getResource() != null && point.getResource().getService() != null
                && Kpi.of(point.getName()) != null;
    }

    /** The window size as a label: 1m, 5m, 1h, 90s. */
    public static String label(Duration window) {
        long s = window.toSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** The key of a partial summary: the same as its samples'. */
    public static String key(KpiSummary partial) {
        return partial.environment + "|" + partial.service;
    }

    /** Sums a subtask's samples up into partial {@link KpiSummary KpiSummaries} before the shuffle. */
    public static WindowPreAggregate<MetricPoint, KpiSummary> partials(long windowMillis, int maxPartials,
            String defaultEnvironment) {
        return new WindowPreAggregate<>(windowMillis, maxPartials, point -> key(point, defaultEnvironment),
                new Partial(defaultEnvironment));
    }

    private record Partial(String defaultEnvironment) implements WindowPreAggregate.Aggregation<MetricPoint, KpiSummary> {
        @Override
        public KpiSummary create() {
            return new KpiSummary();
        }

        @Override
        public void add(MetricPoint point, KpiSummary partial) {
            partial.add(point, defaultEnvironment);
        }
    }

    /**
     * The window's summaries: partials merged into an accumulator kept in the compact form (on RocksDB it is read and
     * rewritten for every partial; builds before kept it as a POJO, which restores by migration), stamped when due.
     */
    public static SingleOutputStreamOperator<KpiSummary> summaries(WindowedStream<KpiSummary, String, TimeWindow> window) {
        return window.aggregate(new Merge(), new Stamp(), KpiSummaryTypeInfo.ACCUMULATOR, KpiSummaryTypeInfo.INSTANCE,
                KpiSummaryTypeInfo.INSTANCE);
    }

    /** Merges the partial summaries of a service and window (the window's accumulator, as before partials). */
    public static final class Merge implements AggregateFunction<KpiSummary, KpiSummary, KpiSummary> {
        private static final long serialVersionUID = 1L;

        @Override
        public KpiSummary createAccumulator() {
            return new KpiSummary();
        }

        @Override
        public KpiSummary add(KpiSummary partial, KpiSummary acc) {
            return acc.merge(partial);
        }

        @Override
        public KpiSummary getResult(KpiSummary acc) {
            return acc;
        }

        @Override
        public KpiSummary merge(KpiSummary a, KpiSummary b) {
            return a.merge(b);
        }
    }

    /** Stamps the summary with its window. */
    public static final class Stamp extends ProcessWindowFunction<KpiSummary, KpiSummary, String, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(String key, Context context, Iterable<KpiSummary> summaries, Collector<KpiSummary> out) {
            for (KpiSummary s : summaries) {
                s.windowStart = context.window().getStart();
                s.windowEnd = context.window().getEnd();
                out.collect(s);
            }
        }
    }
}
