package io.sift.jobs;

import io.sift.connectors.formats.InputFormat;
import io.sift.connectors.formats.OtlpSettings;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/** Settings of the input formats: telemetry read as the tools users already run write it to Kafka. */
public final class InputOptions {

    private InputOptions() {}

    public static final ConfigOption<String> METRICS_FORMAT = ConfigOptions.key("sift.input.metrics.format")
            .stringType().defaultValue(InputFormat.AVRO.toString())
            .withDescription("Format of the metrics topic (sift.kafka.topic.metrics): avro (Sift's MetricPoint);"
                    + " otlp-proto or otlp-json (the OpenTelemetry Collector's kafka exporter, one"
                    + " ExportMetricsServiceRequest per message; its default topic is otlp_metrics); prometheus-json"
                    + " (prometheus-kafka-adapter); telegraf-json or influx-line (Telegraf's kafka output).");
    public static final ConfigOption<String> LOGS_FORMAT = ConfigOptions.key("sift.input.logs.format")
            .stringType().defaultValue(InputFormat.AVRO.toString())
            .withDescription("Format of the logs topic (sift.kafka.topic.logs): avro (Sift's LogRecord); otlp-proto or"
                    + " otlp-json (the Collector's kafka exporter; its default topic is otlp_logs); json (one JSON"
                    + " event per message, as Filebeat, Fluent Bit, Vector or fluentd write them: see"
                    + " sift.input.logs.json.preset).");
    public static final ConfigOption<String> LOGS_JSON_PRESET = ConfigOptions.key("sift.input.logs.json.preset")
            .stringType().defaultValue("auto")
            .withDescription("Where json log events keep their fields: ecs (Filebeat, ECS loggers), fluent-bit, vector,"
                    + " openshift (fluentd ViaQ), or auto (all of them, then msg/lvl/ts).");
    public static final ConfigOption<Map<String, String>> LOGS_JSON_FIELDS =
            ConfigOptions.key("sift.input.logs.json.fields").mapType().defaultValue(Map.of())
            .withDescription("Fields of json log events overriding the preset, role:path, candidates separated by '|',"
                    + " dotted paths for nested fields, e.g. 'time:ts,message:msg|text,service:app.name'. Roles: time"
                    + " (epoch s/ms/us/ns or RFC 3339), message, level, service, host, pod, environment, trace, span.");
    public static final ConfigOption<Map<String, String>> METRICS_MORE_TOPICS =
            ConfigOptions.key("sift.input.metrics.more-topics").mapType().defaultValue(Map.of())
            .withDescription("More metrics topics read beside sift.kafka.topic.metrics, each with its format, e.g."
                    + " 'otlp_metrics:otlp-proto,team-b.metrics:avro'.");
    public static final ConfigOption<Map<String, String>> LOGS_MORE_TOPICS =
            ConfigOptions.key("sift.input.logs.more-topics").mapType().defaultValue(Map.of())
            .withDescription("More log topics read beside sift.kafka.topic.logs, each with its format, e.g."
                    + " 'otlp_logs:otlp-proto'.");
    public static final ConfigOption<String> CHANGES_FORMAT = ConfigOptions.key("sift.input.changes.format")
            .stringType().defaultValue(InputFormat.AVRO.toString())
            .withDescription("Format of sift.kafka.topic.changes: avro (Sift's ChangeEvent) or json (one change per"
                    + " message as CI/CD and change-management tools post it: GitHub deployment_status webhooks, a"
                    + " ServiceNow change request, or {service, version, environment, time}; see the README).");
    public static final ConfigOption<Map<String, String>> CHANGES_JSON_FIELDS =
            ConfigOptions.key("sift.input.changes.json.fields").mapType().defaultValue(Map.of())
            .withDescription("Fields of json changes overriding the defaults, role:path, candidates separated by '|',"
                    + " e.g. 'item:app.name,time:finishedAt'. Roles: id, time, type, item, environment, author,"
                    + " summary, change-request, version, state.");
    public static final ConfigOption<String> ITSM_FEEDBACK_FORMAT = ConfigOptions.key("sift.input.itsm-feedback.format")
            .stringType().defaultValue(InputFormat.AVRO.toString())
            .withDescription("Format of the ITSM feedback topic: avro (Sift's ItsmUpdate) or json (what a ServiceNow"
                    + " business rule posts: correlation_id, state, number, assigned_to, close_notes, sys_updated_on;"
                    + " or {incidentId, action, time}; see the README).");
    public static final ConfigOption<Map<String, String>> ITSM_FEEDBACK_JSON_FIELDS =
            ConfigOptions.key("sift.input.itsm-feedback.json.fields").mapType().defaultValue(Map.of())
            .withDescription("Fields of json ITSM feedback overriding the defaults, role:path, candidates separated by"
                    + " '|', e.g. 'incident:u_sift_id'. Roles: incident, action, time, ticket, assignee, note,"
                    + " environment, source.");
    public static final ConfigOption<MemorySize> MAX_BATCH_SIZE = ConfigOptions.key("sift.input.max-batch-size")
            .memoryType().defaultValue(MemorySize.parse("3 mb"))
            .withDescription("Largest message of a batch format (otlp-proto, otlp-json) decoded; a larger one is"
                    + " dead-lettered undecoded (TOO_LARGE). Single-record formats keep sift.validate.max-record-size."
                    + " At most sift.kafka.dead-letter.max-request-size.");
    public static final ConfigOption<List<Double>> OTLP_QUANTILES = ConfigOptions.key("sift.input.otlp.quantiles")
            .doubleType().asList().defaultValues(OtlpSettings.DEFAULT_QUANTILES.toArray(new Double[0]))
            .withDescription("Quantiles estimated from the buckets of delta OTLP histograms, each a series"
                    + " <metric>.p<percent> (0.95 → .p95), separated by ';'. Histograms also give <metric>.count"
                    + " (a rate) and <metric>.mean.");
    public static final ConfigOption<List<String>> OTLP_RESOURCE_LABELS =
            ConfigOptions.key("sift.input.otlp.resource-labels").stringType().asList()
            .defaultValues(OtlpSettings.DEFAULT_RESOURCE_LABELS.toArray(new String[0]))
            .withDescription("OTLP resource attributes kept as labels of metrics and attributes of logs, separated by"
                    + " ';'. service.name, host.name, service.instance.id (else k8s.pod.name) and"
                    + " deployment.environment(.name) make Sift's resource; other attributes (process ids, SDK"
                    + " versions) are dropped, as they would split a series at every restart.");
}
