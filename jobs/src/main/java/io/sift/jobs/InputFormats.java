package io.sift.jobs;

import io.sift.connectors.formats.ChangeJsonDecoder;
import io.sift.connectors.formats.InfluxLineDecoder;
import io.sift.connectors.formats.ItsmJsonDecoder;
import io.sift.connectors.formats.InputFormat;
import io.sift.connectors.formats.JsonLogDecoder;
import io.sift.connectors.formats.JsonLogFields;
import io.sift.connectors.formats.PrometheusJsonDecoder;
import io.sift.connectors.formats.TelegrafJsonDecoder;
import io.sift.connectors.formats.OtlpLogsDecoder;
import io.sift.connectors.formats.OtlpMetricsDecoder;
import io.sift.connectors.formats.OtlpSettings;
import io.sift.connectors.formats.OtlpTracesDecoder;
import io.sift.connectors.formats.RecordDecoder;
import io.sift.connectors.kafka.FormatRecordDeserializer;
import io.sift.connectors.kafka.SourceScreen;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TraceSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The metrics, logs and traces sources of the settings: every topic of a signal in one source, each in its format. */
final class InputFormats {

    private InputFormats() {}

    static SiftSource<MetricPoint> metrics(Configuration conf, String bootstrap, String group, boolean bounded,
            Map<String, String> security, SourceScreen screen) {
        Map<String, InputFormat> topics = topics(conf, SiftOptions.TOPIC_METRICS, InputOptions.METRICS_FORMAT,
                InputOptions.METRICS_MORE_TOPICS, true);
        OtlpSettings otlp = otlp(conf);
        Map<String, RecordDecoder<MetricPoint>> decoders = new HashMap<>();
        topics.forEach((topic, format) -> {
            switch (format) {
                case AVRO -> { }
                case OTLP_PROTO, OTLP_JSON -> decoders.put(topic, new OtlpMetricsDecoder(format, otlp));
                case PROMETHEUS_JSON -> decoders.put(topic, new PrometheusJsonDecoder());
                case TELEGRAF_JSON -> decoders.put(topic, new TelegrafJsonDecoder());
                case INFLUX_LINE -> decoders.put(topic, new InfluxLineDecoder());
                default -> throw new IllegalStateException("no metrics decoder for " + format);
            }
        });
        return SiftSource.kafka(bootstrap, new ArrayList<>(topics.keySet()), group,
                new FormatRecordDeserializer<>(MetricPoint.class, screen, decoders, maxBatchBytes(conf)), bounded,
                security);
    }

    static SiftSource<LogRecord> logs(Configuration conf, String bootstrap, String group, boolean bounded,
            Map<String, String> security, SourceScreen screen) {
        Map<String, InputFormat> topics = topics(conf, SiftOptions.TOPIC_LOGS, InputOptions.LOGS_FORMAT,
                InputOptions.LOGS_MORE_TOPICS, false);
        OtlpSettings otlp = otlp(conf);
        JsonLogFields json = jsonLogFields(conf);
        Map<String, RecordDecoder<LogRecord>> decoders = new HashMap<>();
        topics.forEach((topic, format) -> {
            switch (format) {
                case AVRO -> { }
                case OTLP_PROTO, OTLP_JSON -> decoders.put(topic, new OtlpLogsDecoder(format, otlp));
                case JSON -> decoders.put(topic, new JsonLogDecoder(json));
                case SYSLOG -> decoders.put(topic, new io.sift.connectors.formats.SyslogLineDecoder());
                default -> throw new IllegalStateException("no logs decoder for " + format);
            }
        });
        return SiftSource.kafka(bootstrap, new ArrayList<>(topics.keySet()), group,
                new FormatRecordDeserializer<>(LogRecord.class, screen, decoders, maxBatchBytes(conf)), bounded,
                security);
    }

    /** The traces topics (none: an empty input), all in one OTLP format. */
    static SiftSource<TraceSpan> traces(Configuration conf, String bootstrap, String group, boolean bounded,
            Map<String, String> security, SourceScreen screen) {
        List<String> topics = conf.get(TraceOptions.TOPICS).stream().map(String::strip).filter(t -> !t.isEmpty())
                .distinct().toList();
        if (topics.isEmpty()) {
            return SiftSource.empty(TraceSpan.class);
        }
        InputFormat format;
        try {
            format = InputFormat.parse(conf.get(TraceOptions.FORMAT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TraceOptions.FORMAT.key() + ": " + e.getMessage(), e);
        }
        if (!format.readsTraces()) {
            throw new IllegalArgumentException(TraceOptions.FORMAT.key() + ": format " + format + " holds no traces;"
                    + " use otlp-proto or otlp-json");
        }
        Map<String, RecordDecoder<TraceSpan>> decoders = new HashMap<>();
        topics.forEach(topic -> decoders.put(topic, new OtlpTracesDecoder(format)));
        return SiftSource.kafka(bootstrap, topics, group,
                new FormatRecordDeserializer<>(TraceSpan.class, screen, decoders, maxBatchBytes(conf)), bounded,
                security);
    }

    /** The changes topic, in Sift's Avro or as CI/CD and change-management tools post JSON. */
    static SiftSource<ChangeEvent> changes(Configuration conf, String bootstrap, String group, boolean bounded,
            Map<String, String> security, SourceScreen screen) {
        String topic = conf.get(SiftOptions.TOPIC_CHANGES);
        if (avroOrJson(conf, InputOptions.CHANGES_FORMAT, "changes") == InputFormat.AVRO) {
            return SiftSource.kafka(bootstrap, topic, group, ChangeEvent.class, bounded, security, screen);
        }
        RecordDecoder<ChangeEvent> decoder = withSetting(InputOptions.CHANGES_JSON_FIELDS,
                () -> new ChangeJsonDecoder(conf.get(InputOptions.CHANGES_JSON_FIELDS)));
        return SiftSource.kafka(bootstrap, List.of(topic), group, new FormatRecordDeserializer<>(ChangeEvent.class,
                screen, Map.of(topic, decoder), maxBatchBytes(conf)), bounded, security);
    }

    /** The ITSM feedback topic (which may not exist yet), in Sift's Avro or as a ticketing tool posts JSON. */
    static SiftSource<ItsmUpdate> itsmFeedback(Configuration conf, String topic, String bootstrap, String group,
            boolean bounded, Map<String, String> security, SourceScreen screen) {
        if (avroOrJson(conf, InputOptions.ITSM_FEEDBACK_FORMAT, "ITSM feedback") == InputFormat.AVRO) {
            return SiftSource.optionalKafka(bootstrap, topic, group, ItsmUpdate.class, bounded, security, screen);
        }
        RecordDecoder<ItsmUpdate> decoder = withSetting(InputOptions.ITSM_FEEDBACK_JSON_FIELDS,
                () -> new ItsmJsonDecoder(conf.get(InputOptions.ITSM_FEEDBACK_JSON_FIELDS)));
        return SiftSource.optionalKafka(bootstrap, topic, group, new FormatRecordDeserializer<>(ItsmUpdate.class,
                screen, Map.of(topic, decoder), maxBatchBytes(conf)), bounded, security);
    }

    private static InputFormat avroOrJson(Configuration conf, ConfigOption<String> option, String what) {
        InputFormat format = format(option.key(), conf.get(option), null);
        if (format != InputFormat.AVRO && format != InputFormat.JSON) {
            throw new IllegalArgumentException(option.key() + ": " + what + " are read as avro or json, not " + format);
        }
        return format;
    }

    private static <T> T withSetting(ConfigOption<?> option, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option.key() + ": " + e.getMessage(), e);
        }
    }

    /** Topic → format of a signal: the main topic first, then the more-topics; refused when a format cannot read it. */
    static Map<String, InputFormat> topics(Configuration conf, ConfigOption<String> topicOption,
            ConfigOption<String> formatOption, ConfigOption<Map<String, String>> moreOption, boolean metrics) {
        Map<String, InputFormat> topics = new LinkedHashMap<>();
        topics.put(conf.get(topicOption), format(formatOption.key(), conf.get(formatOption), metrics));
        for (Map.Entry<String, String> more : conf.get(moreOption).entrySet()) {
            String topic = more.getKey().strip();
            if (topic.isEmpty()) {
                throw new IllegalArgumentException(moreOption.key() + ": a topic name is empty; write"
                        + " '<topic>:<format>,...', e.g. 'otlp_metrics:otlp-proto'");
            }
            InputFormat format = format(moreOption.key() + " (" + topic + ")", more.getValue(), metrics);
            InputFormat before = topics.put(topic, format);
            if (before != null && before != format) {
                throw new IllegalArgumentException(moreOption.key() + ": topic " + topic + " is already read as "
                        + before + " (" + topicOption.key() + "); a topic has one format");
            }
        }
        return topics;
    }

    /** A format by name; {@code metrics} true or false checks it holds that signal, null checks nothing. */
    private static InputFormat format(String key, String name, Boolean metrics) {
        InputFormat format;
        try {
            format = InputFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
        if (metrics != null && (metrics ? !format.readsMetrics() : !format.readsLogs())) {
            throw new IllegalArgumentException(key + ": format " + format + " holds no " + (metrics ? "metrics" : "logs"));
        }
        return format;
    }

    static JsonLogFields jsonLogFields(Configuration conf) {
        JsonLogFields preset;
        try {
            preset = JsonLogFields.preset(conf.get(InputOptions.LOGS_JSON_PRESET));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(InputOptions.LOGS_JSON_PRESET.key() + ": " + e.getMessage(), e);
        }
        try {
            return preset.with(conf.get(InputOptions.LOGS_JSON_FIELDS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(InputOptions.LOGS_JSON_FIELDS.key() + ": " + e.getMessage(), e);
        }
    }

    static OtlpSettings otlp(Configuration conf) {
        try {
            return new OtlpSettings(conf.get(InputOptions.OTLP_QUANTILES), conf.get(InputOptions.OTLP_RESOURCE_LABELS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(InputOptions.OTLP_QUANTILES.key() + ": " + e.getMessage(), e);
        }
    }

    private static long maxBatchBytes(Configuration conf) {
        long bytes = conf.get(InputOptions.MAX_BATCH_SIZE).getBytes();
        long deadLetter = conf.get(SiftOptions.DEAD_LETTER_MAX_REQUEST_SIZE).getBytes();
        if (bytes > deadLetter) {
            throw new IllegalArgumentException(InputOptions.MAX_BATCH_SIZE.key() + " (" + bytes + " bytes) must not"
                    + " exceed " + SiftOptions.DEAD_LETTER_MAX_REQUEST_SIZE.key() + " (" + deadLetter + " bytes): a"
                    + " message refused for its size is dead-lettered with its bytes");
        }
        return bytes;
    }
}
