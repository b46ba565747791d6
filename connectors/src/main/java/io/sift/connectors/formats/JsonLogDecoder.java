package io.sift.connectors.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.LogRecord;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One JSON log event per message, as log shippers write them to Kafka, fields found by {@link JsonLogFields}: the
 * time (epoch seconds/millis/micros/nanos or an RFC 3339 string), message, level (a name, or a pino/bunyan number),
 * service, host, pod (the instance), environment, trace and span ids. An event without a time is refused (its event
 * time is unknown); one without a service is refused by validation, with the reason.
 */
public final class JsonLogDecoder implements RecordDecoder<LogRecord> {

    private static final long serialVersionUID = 1L;

    private final JsonLogFields fields;

    public JsonLogDecoder(JsonLogFields fields) {
        this.fields = Objects.requireNonNull(fields, "fields");
    }

    @Override
    public InputFormat format() {
        return InputFormat.JSON;
    }

    @Override
    public void decode(byte[] bytes, List<LogRecord> out) throws DecodeException {
        JsonNode event = JsonInput.object(bytes, format());
        Instant time = null;
        for (String path : fields.of("time")) {
            time = JsonInput.time(find(event, path));
            if (time != null) {
                break;
            }
        }
        if (time == null) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": no time stamp in any of "
                    + fields.of("time") + " (set sift.input.logs.json.fields, e.g. 'time:ts')");
        }
        String message = text(event, "message");
        String level = text(event, "level");
        int severity = 0;
        if (level != null) {
            severity = OtlpLogsDecoder.severityOf(level);
            if (severity == 0 && level.chars().allMatch(Character::isDigit) && !level.isEmpty()) {
                severity = pinoSeverity(Integer.parseInt(level));
            }
        }
        String service = text(event, "service");
        Resource resource = new Resource(service == null ? "" : service, text(event, "host"), text(event, "pod"),
                text(event, "environment"));
        Map<String, String> attributes = new HashMap<>();
        out.add(new LogRecord(time, severity, level, message == null ? "" : message, resource, attributes,
                text(event, "trace"), text(event, "span")));
    }

    /** pino / bunyan levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
    private static int pinoSeverity(int level) {
        if (level < 10 || level > 60) {
            return 0;
        }
        return new int[] {1, 5, 9, 13, 17, 21}[level / 10 - 1];
    }

    private String text(JsonNode event, String role) {
        for (String path : fields.of(role)) {
            JsonNode node = find(event, path);
            if (node != null && node.isValueNode() && !node.isNull()) {
                String text = node.asText();
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        return null;
    }

    /** The value at a dotted path, each step matching a nested object's key or a flat key with dots. */
    static JsonNode find(JsonNode node, String path) {
        JsonNode direct = node.get(path);
        if (direct != null) {
            return direct;
        }
        int dot = path.indexOf('.');
        while (dot > 0) {
            JsonNode child = node.get(path.substring(0, dot));
            if (child != null && child.isObject()) {
                JsonNode found = find(child, path.substring(dot + 1));
                if (found != null) {
                    return found;
                }
            }
            dot = path.indexOf('.', dot + 1);
        }
        return null;
    }
}
