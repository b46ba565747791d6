package io.sift.connectors.formats;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OTLP metrics (one ExportMetricsServiceRequest per message, as the Collector's kafka exporter writes them) to
 * {@link MetricPoint}s. Resource attributes make the resource ({@link OtlpAttributes}); scope and point attributes,
 * and the resource attributes kept as labels, make the labels. Per data type:
 * <ul>
 *   <li>gauge, and a non-monotonic cumulative sum (an up-down counter): the value, GAUGE;
 *   <li>monotonic cumulative sum: COUNTER, which the detector's keyed stage turns into a per-second rate with reset
 *       handling (its state is per series there; this decoder is per source reader and sees a series on whichever
 *       partition it came);
 *   <li>delta sum: the rate over the point's interval, GAUGE with unit {@code <unit>/s};
 *   <li>histogram and exponential histogram: {@code <name>.count} and {@code <name>.sum}; with delta temporality the
 *       count's rate, {@code <name>.mean} and the configured quantiles {@code <name>.p95} (HISTOGRAM_SUMMARY) over the
 *       interval; with cumulative temporality the count and sum as COUNTERs (rates in the detector), as interval
 *       quantiles would need the previous buckets of the series;
 *   <li>summary: {@code <name>.count} and {@code <name>.sum} as COUNTERs, and each quantile it carries.
 * </ul>
 * Points flagged "no recorded value" (staleness markers) carry no sample and are skipped; exemplars are ignored.
 */
public final class OtlpMetricsDecoder implements RecordDecoder<MetricPoint> {

    private static final long serialVersionUID = 1L;

    private final InputFormat format;
    private final OtlpSettings settings;

    public OtlpMetricsDecoder(InputFormat format, OtlpSettings settings) {
        if (format != InputFormat.OTLP_PROTO && format != InputFormat.OTLP_JSON) {
            throw new IllegalArgumentException("OTLP metrics are otlp-proto or otlp-json, not " + format);
        }
        this.format = format;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public InputFormat format() {
        return format;
    }

    @Override
    public void decode(byte[] bytes, List<MetricPoint> out) throws DecodeException {
        ExportMetricsServiceRequest request = parse(bytes);
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            OtlpAttributes.MappedResource resource = OtlpAttributes.resource(rm.getResource().getAttributesList(),
                    settings.resourceLabels());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                Map<String, String> scopeLabels = new HashMap<>(resource.labels());
                OtlpAttributes.putAll(scopeLabels, sm.getScope().getAttributesList());
                for (Metric metric : sm.getMetricsList()) {
                    metric(metric, resource.resource(), scopeLabels, out);
                }
            }
        }
    }

    private ExportMetricsServiceRequest parse(byte[] bytes) throws DecodeException {
        return OtlpRequests.parse(bytes, ExportMetricsServiceRequest.newBuilder(), format, ExportMetricsServiceRequest::getResourceMetricsCount, "resource metrics");
    }

    private void metric(Metric metric, Resource resource, Map<String, String> scopeLabels, List<MetricPoint> out) {
        String name = metric.getName();
        String unit = metric.getUnit().isEmpty() ? null : metric.getUnit();
        switch (metric.getDataCase()) {
            case GAUGE -> {
                for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                    if (recorded(p.getFlags())) {
                        out.add(point(p.getTimeUnixNano(), name, number(p), unit, MetricKind.GAUGE, resource,
                                labels(scopeLabels, p.getAttributesList())));
                    }
                }
            }
            case SUM -> {
                boolean delta = metric.getSum().getAggregationTemporality()
                        == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                boolean counter = metric.getSum().getIsMonotonic() && !delta;
                for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
                    if (!recorded(p.getFlags())) {
                        continue;
                    }
                    Map<String, String> labels = labels(scopeLabels, p.getAttributesList());
                    if (delta) {
                        out.add(rate(p.getStartTimeUnixNano(), p.getTimeUnixNano(), name, number(p), unit, resource,
                                labels));
                    } else {
                        out.add(point(p.getTimeUnixNano(), name, number(p), unit,
                                counter ? MetricKind.COUNTER : MetricKind.GAUGE, resource, labels));
                    }
                }
            }
            case HISTOGRAM -> {
                boolean delta = metric.getHistogram().getAggregationTemporality()
                        == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
                    if (!recorded(p.getFlags())) {
                        continue;
                    }
                    Map<String, String> labels = labels(scopeLabels, p.getAttributesList());
                    double min = p.hasMin() ? p.getMin() : Double.NaN;
                    double max = p.hasMax() ? p.getMax() : Double.NaN;
                    distribution(name, unit, resource, labels, delta, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                            p.getCount(), p.hasSum() ? p.getSum() : Double.NaN, out);
                    if (delta && p.getCount() > 0) {
                        for (double q : settings.quantiles()) {
                            double value = BucketQuantiles.explicit(q, p.getExplicitBoundsList(),
                                    p.getBucketCountsList(), p.getCount(), min, max);
                            if (!Double.isNaN(value)) {
                                out.add(point(p.getTimeUnixNano(), name + "." + OtlpSettings.suffix(q), value, unit,
                                        MetricKind.HISTOGRAM_SUMMARY, resource, labels));
                            }
                        }
                    }
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                boolean delta = metric.getExponentialHistogram().getAggregationTemporality()
                        == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
                    if (!recorded(p.getFlags())) {
                        continue;
                    }
                    Map<String, String> labels = labels(scopeLabels, p.getAttributesList());
                    distribution(name, unit, resource, labels, delta, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                            p.getCount(), p.hasSum() ? p.getSum() : Double.NaN, out);
                    if (delta && p.getCount() > 0) {
                        ExponentialBuckets buckets = new ExponentialBuckets(p);
                        for (double q : settings.quantiles()) {
                            double value = buckets.quantile(q);
                            if (!Double.isNaN(value)) {
                                out.add(point(p.getTimeUnixNano(), name + "." + OtlpSettings.suffix(q), value, unit,
                                        MetricKind.HISTOGRAM_SUMMARY, resource, labels));
                            }
                        }
                    }
                }
            }
            case SUMMARY -> {
                for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
                    if (!recorded(p.getFlags())) {
                        continue;
                    }
                    Map<String, String> labels = labels(scopeLabels, p.getAttributesList());
                    // A summary's count and sum are cumulative (OTLP data model); its quantiles are current levels.
                    distribution(name, unit, resource, labels, false, p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                            p.getCount(), p.getSum(), out);
                    for (SummaryDataPoint.ValueAtQuantile v : p.getQuantileValuesList()) {
                        out.add(point(p.getTimeUnixNano(), name + "." + OtlpSettings.suffix(v.getQuantile()),
                                v.getValue(), unit, MetricKind.HISTOGRAM_SUMMARY, resource, labels));
                    }
                }
            }
            default -> {
                // DATA_NOT_SET: a metric of a type newer than this proto, or none; it has no points to read.
            }
        }
    }

    /** Count and sum of a distribution: rates over a delta interval, or cumulative COUNTERs; the mean of a delta. */
    private void distribution(String name, String unit, Resource resource, Map<String, String> labels, boolean delta,
            long start, long time, long count, double sum, List<MetricPoint> out) {
        if (delta) {
            out.add(rate(start, time, name + ".count", count, null, resource, labels));
            if (count > 0 && !Double.isNaN(sum)) {
                out.add(point(time, name + ".mean", sum / count, unit, MetricKind.HISTOGRAM_SUMMARY, resource, labels));
            }
        } else {
            out.add(point(time, name + ".count", count, "1", MetricKind.COUNTER, resource, labels));
            if (!Double.isNaN(sum)) {
                out.add(point(time, name + ".sum", sum, unit, MetricKind.COUNTER, resource, labels));
            }
        }
    }

    /** A delta over its interval as a per-second rate; without a start time, the delta itself (a GAUGE). */
    private static MetricPoint rate(long start, long time, String name, double delta, String unit, Resource resource,
            Map<String, String> labels) {
        if (start <= 0 || start >= time) {
            return point(time, name, delta, unit, MetricKind.GAUGE, resource, labels);
        }
        double perSecond = delta * 1e9 / (time - start);
        return point(time, name, perSecond, unit == null ? "1/s" : unit + "/s", MetricKind.GAUGE, resource, labels);
    }

    private static MetricPoint point(long timeUnixNano, String name, double value, String unit, MetricKind kind,
            Resource resource, Map<String, String> labels) {
        return new MetricPoint(Instant.ofEpochSecond(0, timeUnixNano), name, value, unit, kind, resource, labels);
    }

    private static double number(NumberDataPoint p) {
        return p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    }

    private static boolean recorded(int flags) {
        return (flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) == 0;
    }

    /** The scope's labels and the point's attributes (the point's win). Shared by the points derived from one point. */
    private static Map<String, String> labels(Map<String, String> scopeLabels, List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return scopeLabels;
        }
        Map<String, String> labels = new HashMap<>(scopeLabels);
        OtlpAttributes.putAll(labels, attributes);
        return labels;
    }

    /** The buckets of an exponential histogram point in ascending order of value. */
    private static final class ExponentialBuckets {
        final double[] lower;
        final double[] upper;
        final long[] counts;
        final long total;
        final double min;
        final double max;

        ExponentialBuckets(ExponentialHistogramDataPoint p) {
            double base = Math.pow(2, Math.pow(2, -p.getScale()));
            List<Long> negative = p.getNegative().getBucketCountsList();
            List<Long> positive = p.getPositive().getBucketCountsList();
            int n = negative.size() + 1 + positive.size();
            lower = new double[n];
            upper = new double[n];
            counts = new long[n];
            int k = 0;
            // Negative buckets: index i holds values in [-base^(i+1), -base^i); the largest index is the lowest value.
            for (int j = negative.size() - 1; j >= 0; j--, k++) {
                int index = p.getNegative().getOffset() + j;
                lower[k] = -Math.pow(base, index + 1);
                upper[k] = -Math.pow(base, index);
                counts[k] = negative.get(j);
            }
            double zero = p.getZeroThreshold();
            lower[k] = -zero;
            upper[k] = zero;
            counts[k] = p.getZeroCount();
            k++;
            for (int j = 0; j < positive.size(); j++, k++) {
                int index = p.getPositive().getOffset() + j;
                lower[k] = Math.pow(base, index);
                upper[k] = Math.pow(base, index + 1);
                counts[k] = positive.get(j);
            }
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            total = sum;
            min = p.hasMin() ? p.getMin() : Double.NaN;
            max = p.hasMax() ? p.getMax() : Double.NaN;
        }

        double quantile(double q) {
            return total == 0 ? Double.NaN : BucketQuantiles.quantile(q, lower, upper, counts, total, min, max);
        }
    }
}
