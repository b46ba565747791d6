package io.sift.connectors.formats;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.sift.schema.LogRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * OTLP logs (one ExportLogsServiceRequest per message) to {@link LogRecord}s: the resource as for metrics, event time
 * (else observed time), severity number (else derived from the severity text), body as text, scope and record
 * attributes (with the resource attributes kept as labels and the event name) as attributes, trace and span ids as hex.
 */
public final class OtlpLogsDecoder implements RecordDecoder<LogRecord> {

    private static final long serialVersionUID = 1L;

    private final InputFormat format;
    private final OtlpSettings settings;

    public OtlpLogsDecoder(InputFormat format, OtlpSettings settings) {
        if (format != InputFormat.OTLP_PROTO && format != InputFormat.OTLP_JSON) {
            throw new IllegalArgumentException("OTLP logs are otlp-proto or otlp-json, not " + format);
        }
        this.format = format;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public InputFormat format() {
        return format;
    }

    @Override
    public void decode(byte[] bytes, List<LogRecord> out) throws DecodeException {
        ExportLogsServiceRequest request = parse(bytes);
        for (ResourceLogs rl : request.getResourceLogsList()) {
            OtlpAttributes.MappedResource resource = OtlpAttributes.resource(rl.getResource().getAttributesList(),
                    settings.resourceLabels());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                Map<String, String> scopeAttributes = new HashMap<>(resource.labels());
                OtlpAttributes.putAll(scopeAttributes, sl.getScope().getAttributesList());
                for (io.opentelemetry.proto.logs.v1.LogRecord log : sl.getLogRecordsList()) {
                    Map<String, String> attributes = new HashMap<>(scopeAttributes);
                    OtlpAttributes.putAll(attributes, log.getAttributesList());
                    if (!log.getEventName().isEmpty()) {
                        attributes.put("event.name", log.getEventName());
                    }
                    long time = log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
                    String severityText = log.getSeverityText().isEmpty() ? null : log.getSeverityText();
                    int severity = log.getSeverityNumberValue();
                    if (severity == 0 && severityText != null) {
                        severity = severityOf(severityText);
                    }
                    out.add(new LogRecord(Instant.ofEpochSecond(0, time), severity, severityText,
                            OtlpAttributes.text(log.getBody()), resource.resource(), attributes,
                            OtlpAttributes.hexId(log.getTraceId()), OtlpAttributes.hexId(log.getSpanId())));
                }
            }
        }
    }

    private ExportLogsServiceRequest parse(byte[] bytes) throws DecodeException {
        return OtlpRequests.parse(bytes, ExportLogsServiceRequest.newBuilder(), format, ExportLogsServiceRequest::getResourceLogsCount, "resource logs");
    }

    /**
     * The OpenTelemetry severity number of a level name as common logging libraries and syslog write it (the first
     * number of its range), 0 when unknown.
     */
    public static int severityOf(String text) {
        String level = text.strip().toLowerCase(Locale.ROOT);
        return switch (level) {
            case "trace", "finest", "finer" -> 1;
            case "debug", "fine", "d", "config" -> 5;
            case "info", "information", "informational", "notice", "i" -> 9;
            case "warn", "warning", "w" -> 13;
            case "error", "err", "e", "severe" -> 17;
            case "fatal", "critical", "crit", "alert", "emerg", "emergency", "panic", "f" -> 21;
            default -> 0;
        };
    }
}
