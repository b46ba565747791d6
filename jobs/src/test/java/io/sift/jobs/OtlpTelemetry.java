package io.sift.jobs;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Instrumented services as the OpenTelemetry Java SDK sees them: one MeterProvider and LoggerProvider per resource
 * (service.name, host.name, service.instance.id, deployment.environment.name) on a test clock, observable gauges and
 * counters reporting the values they are given, and the SDK's own OTLP marshalers writing each collection as one
 * ExportMetricsServiceRequest / ExportLogsServiceRequest, as the OTLP exporters and the Collector do.
 */
final class OtlpTelemetry implements AutoCloseable {

    private final TestClock clock = TestClock.create(Instant.EPOCH);
    private final boolean metricsJson;
    private final boolean logsJson;
    private final Map<Resource, Service> services = new LinkedHashMap<>();

    /** @param metricsJson, logsJson write OTLP/JSON instead of binary protobuf */
    OtlpTelemetry(boolean metricsJson, boolean logsJson) {
        this.metricsJson = metricsJson;
        this.logsJson = logsJson;
    }

    private final class Service {
        final SdkMeterProvider meters;
        final InMemoryMetricReader reader = InMemoryMetricReader.create();
        final SdkLoggerProvider loggers;
        final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
        final Meter meter;
        /** metric name → attributes → value reported at the next collection. */
        final Map<String, Map<Attributes, Double>> current = new HashMap<>();

        Service(Resource resource) {
            AttributesBuilder attributes = Attributes.builder().put("service.name", resource.getService());
            if (resource.getHost() != null) {
                attributes.put("host.name", resource.getHost());
            }
            if (resource.getInstance() != null) {
                attributes.put("service.instance.id", resource.getInstance());
            }
            if (resource.getEnvironment() != null) {
                attributes.put("deployment.environment.name", resource.getEnvironment());
            }
            attributes.put("process.pid", 4242L); // dropped by the decoder, as it should be
            io.opentelemetry.sdk.resources.Resource sdkResource =
                    io.opentelemetry.sdk.resources.Resource.create(attributes.build());
            meters = SdkMeterProvider.builder().setClock(clock).setResource(sdkResource).registerMetricReader(reader)
                    .build();
            loggers = SdkLoggerProvider.builder().setClock(clock).setResource(sdkResource)
                    .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build();
            meter = meters.get("io.sift.test.replay");
        }

        void record(MetricPoint point) {
            Map<Attributes, Double> series = current.get(point.getName());
            if (series == null) {
                series = new HashMap<>();
                current.put(point.getName(), series);
                Map<Attributes, Double> values = series;
                String unit = point.getUnit() == null ? "" : point.getUnit();
                if (point.getKind() == MetricKind.COUNTER) {
                    meter.counterBuilder(point.getName()).ofDoubles().setUnit(unit).buildWithCallback(m -> {
                        values.forEach((a, v) -> m.record(v, a));
                        values.clear();
                    });
                } else {
                    meter.gaugeBuilder(point.getName()).setUnit(unit).buildWithCallback(m -> {
                        values.forEach((a, v) -> m.record(v, a));
                        values.clear();
                    });
                }
            }
            AttributesBuilder labels = Attributes.builder();
            point.getLabels().forEach(labels::put);
            series.put(labels.build(), point.getValue());
        }

        void log(LogRecord line) {
            var builder = loggers.get("io.sift.test.replay").logRecordBuilder()
                    .setTimestamp(line.getTime())
                    .setBody(line.getBody());
            if (line.getSeverityNumber() > 0 && line.getSeverityNumber() < Severity.values().length) {
                builder.setSeverity(Severity.values()[line.getSeverityNumber()]);
            }
            if (line.getSeverityText() != null) {
                builder.setSeverityText(line.getSeverityText());
            }
            AttributesBuilder attributes = Attributes.builder();
            line.getAttributes().forEach(attributes::put);
            builder.setAllAttributes(attributes.build());
            if (line.getTraceId() != null && line.getSpanId() != null) {
                builder.setContext(Context.root().with(Span.wrap(SpanContext.create(line.getTraceId(),
                        line.getSpanId(), TraceFlags.getSampled(), TraceState.getDefault()))));
            }
            builder.emit();
        }
    }

    private Service service(Resource resource) {
        return services.computeIfAbsent(resource, Service::new);
    }

    /** Sets the value a service reports for the point's series at the next collection. */
    void record(MetricPoint point) {
        service(point.getResource()).record(point);
    }

    /** Logs the line through the service's SDK logger. */
    void log(LogRecord line) {
        service(line.getResource()).log(line);
    }

    /** Collects every service at {@code time}: one OTLP metrics message per service that reported something. */
    void collectMetrics(Instant time, BiConsumer<String, byte[]> send) {
        clock.setTime(time);
        for (Map.Entry<Resource, Service> entry : services.entrySet()) {
            Collection<MetricData> metrics = entry.getValue().reader.collectAllMetrics();
            if (!metrics.isEmpty()) {
                send.accept(entry.getKey().getService(), write(MetricsRequestMarshaler.create(metrics), metricsJson));
            }
        }
    }

    /** The lines logged since the last flush: one OTLP logs message per service. */
    void flushLogs(BiConsumer<String, byte[]> send) {
        for (Map.Entry<Resource, Service> entry : services.entrySet()) {
            Service service = entry.getValue();
            service.loggers.forceFlush().join(10, TimeUnit.SECONDS);
            List<LogRecordData> lines = new ArrayList<>(service.logs.getFinishedLogRecordItems());
            service.logs.reset();
            if (!lines.isEmpty()) {
                send.accept(entry.getKey().getService(), write(LogsRequestMarshaler.create(lines), logsJson));
            }
        }
    }

    private static byte[] write(io.opentelemetry.exporter.internal.marshal.Marshaler marshaler, boolean json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (json) {
                marshaler.writeJsonTo(out);
            } else {
                marshaler.writeBinaryTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        for (Service service : services.values()) {
            service.meters.close();
            service.loggers.close();
        }
    }
}
