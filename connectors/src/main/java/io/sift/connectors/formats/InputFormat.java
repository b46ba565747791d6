package io.sift.connectors.formats;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the records of one input topic are written: Sift's own Avro, or what a tool users already run sends to Kafka
 * (the OpenTelemetry Collector's kafka exporter, prometheus-kafka-adapter, Telegraf, log shippers). The name in
 * settings is the lower-case, hyphenated form, e.g. {@code otlp-proto}.
 */
public enum InputFormat {
    /** Sift's Avro single-object records (MetricPoint, LogRecord). */
    AVRO("avro", true, true, false),
    /** One OTLP ExportMetricsServiceRequest / ExportLogsServiceRequest per message (Collector: otlp_proto). */
    OTLP_PROTO("otlp-proto", true, true, true),
    /** The same request in OTLP/JSON (Collector: otlp_json): hex trace ids, lowerCamelCase, int64 as strings. */
    OTLP_JSON("otlp-json", true, true, true),
    /** prometheus-kafka-adapter: one sample per message, {"timestamp","value" (a string),"name","labels"}. */
    PROMETHEUS_JSON("prometheus-json", true, false, false),
    /** Telegraf's kafka output with data_format json: {"fields","name","tags","timestamp"} per message. */
    TELEGRAF_JSON("telegraf-json", true, false, false),
    /** InfluxDB line protocol (Telegraf's default data_format influx); every line of a message is read. */
    INFLUX_LINE("influx-line", true, false, false),
    /**
     * One JSON object per message, fields found by a field map: a log event (Filebeat/ECS, Fluent Bit, Vector, fluentd),
     * a change (CI/CD, change management) or an ITSM update (a ticketing tool).
     */
    JSON("json", false, true, false),
    /** A plain syslog line per message (RFC 5424 or RFC 3164), as rsyslog or syslog-ng forward raw lines. */
    SYSLOG("syslog", false, true, false);

    private final String id;
    private final boolean metrics;
    private final boolean logs;
    private final boolean batch;

    InputFormat(String id, boolean metrics, boolean logs, boolean batch) {
        this.id = id;
        this.metrics = metrics;
        this.logs = logs;
        this.batch = batch;
    }

    /** The name used in settings and in dead-letter messages. */
    @Override
    public String toString() {
        return id;
    }

    public boolean readsMetrics() {
        return metrics;
    }

    public boolean readsLogs() {
        return logs;
    }

    /** Whether the format holds spans (OTLP traces). */
    public boolean readsTraces() {
        return this == OTLP_PROTO || this == OTLP_JSON;
    }

    /** Whether one message holds many records (then the batch size limit applies, not the record size limit). */
    public boolean batch() {
        return batch;
    }

    /** Parses {@code otlp-proto}, {@code otlp_proto} or {@code OTLP_PROTO}; refuses others with the known names. */
    public static InputFormat parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (InputFormat format : values()) {
            if (format.id.equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown input format '" + name + "'; known: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(InputFormat::toString).collect(Collectors.joining(", "));
    }
}
