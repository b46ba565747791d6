package io.sift.jobs.cli;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's generated telemetry as an OpenTelemetry SDK behind a Collector would put it on Kafka: one export request
 * per resource and export instant (metrics) or per resource and second (logs), in the OTLP protobuf classes. Gauges
 * are gauges, counters monotonic cumulative sums (started at the scenario's start), point labels attributes.
 */
final class OtlpExport {

    private static final InstrumentationScope SCOPE = InstrumentationScope.newBuilder().setName("sift-demo").build();

    private OtlpExport() {}

    /** A Kafka message's key and value. */
    record Message(String key, byte[] value) {}

    static List<Message> metrics(List<MetricPoint> points, Instant start) {
        Map<String, List<MetricPoint>> batches = new LinkedHashMap<>();
        for (MetricPoint p : points) {
            batches.computeIfAbsent(resourceKey(p.getResource()) + "@" + p.getTime().toEpochMilli(),
                    k -> new ArrayList<>()).add(p);
        }
        long startNanos = start.toEpochMilli() * 1_000_000L;
        List<Message> out = new ArrayList<>(batches.size());
        for (List<MetricPoint> batch : batches.values()) {
            ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(SCOPE);
            for (MetricPoint p : batch) {
                long nanos = p.getTime().toEpochMilli() * 1_000_000L;
                NumberDataPoint.Builder point = NumberDataPoint.newBuilder().setTimeUnixNano(nanos)
                        .setAsDouble(p.getValue());
                p.getLabels().forEach((k, v) -> point.addAttributes(kv(k, v)));
                Metric.Builder metric = Metric.newBuilder().setName(p.getName());
                if (p.getUnit() != null) {
                    metric.setUnit(p.getUnit());
                }
                if (p.getKind() == MetricKind.COUNTER) {
                    point.setStartTimeUnixNano(Math.min(startNanos, nanos));
                    metric.setSum(Sum.newBuilder().setIsMonotonic(true)
                            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                            .addDataPoints(point));
                } else {
                    metric.setGauge(Gauge.newBuilder().addDataPoints(point));
                }
                scope.addMetrics(metric);
            }
            MetricPoint first = batch.get(0);
            ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(first.getResource()))
                            .addScopeMetrics(scope))
                    .build();
            out.add(new Message(first.getResource().getService(), request.toByteArray()));
        }
        return out;
    }

    static List<Message> logs(List<LogRecord> logs) {
        Map<String, List<LogRecord>> batches = new LinkedHashMap<>();
        for (LogRecord l : logs) {
            batches.computeIfAbsent(resourceKey(l.getResource()) + "@" + l.getTime().getEpochSecond(),
                    k -> new ArrayList<>()).add(l);
        }
        List<Message> out = new ArrayList<>(batches.size());
        for (List<LogRecord> batch : batches.values()) {
            ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(SCOPE);
            for (LogRecord l : batch) {
                var record = io.opentelemetry.proto.logs.v1.LogRecord.newBuilder()
                        .setTimeUnixNano(l.getTime().toEpochMilli() * 1_000_000L)
                        .setSeverityNumberValue(l.getSeverityNumber())
                        .setBody(AnyValue.newBuilder().setStringValue(l.getBody()));
                if (l.getSeverityText() != null) {
                    record.setSeverityText(l.getSeverityText());
                }
                l.getAttributes().forEach((k, v) -> record.addAttributes(kv(k, v)));
                ByteString trace = id(l.getTraceId(), 16);
                if (trace != null) {
                    record.setTraceId(trace);
                }
                ByteString span = id(l.getSpanId(), 8);
                if (span != null) {
                    record.setSpanId(span);
                }
                scope.addLogRecords(record);
            }
            LogRecord first = batch.get(0);
            ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                    .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(first.getResource()))
                            .addScopeLogs(scope))
                    .build();
            out.add(new Message(first.getResource().getService(), request.toByteArray()));
        }
        return out;
    }

    private static String resourceKey(Resource r) {
        return r.getService() + "|" + r.getInstance() + "|" + r.getHost() + "|" + r.getEnvironment();
    }

    private static io.opentelemetry.proto.resource.v1.Resource resource(Resource r) {
        var resource = io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(kv("service.name",
                r.getService()));
        if (r.getInstance() != null) {
            resource.addAttributes(kv("service.instance.id", r.getInstance()));
        }
        if (r.getHost() != null) {
            resource.addAttributes(kv("host.name", r.getHost()));
        }
        if (r.getEnvironment() != null) {
            resource.addAttributes(kv("deployment.environment.name", r.getEnvironment()));
        }
        return resource.addAttributes(kv("telemetry.sdk.language", "java")).build();
    }

    /** A hex trace or span id as OTLP's bytes, or null when it is not one. */
    private static ByteString id(String hex, int bytes) {
        if (hex == null || hex.length() != 2 * bytes) {
            return null;
        }
        try {
            return ByteString.copyFrom(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
