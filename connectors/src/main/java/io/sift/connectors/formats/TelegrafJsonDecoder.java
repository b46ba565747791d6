package io.sift.connectors.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.MetricPoint;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Telegraf's JSON serializer: {@code {"fields":{"usage_idle":90.1},"name":"cpu","tags":{"host":"web01"},
 * "timestamp":1458229140}}, the time in seconds by default (json_timestamp_units; milli-, micro- and nanoseconds are
 * told apart by magnitude). Numeric and boolean fields become points ({@link FieldMetrics}); string fields are not
 * samples and are left out. A batch ({"metrics":[...]}, json batch format) is read too.
 */
public final class TelegrafJsonDecoder implements RecordDecoder<MetricPoint> {

    private static final long serialVersionUID = 1L;

    @Override
    public InputFormat format() {
        return InputFormat.TELEGRAF_JSON;
    }

    @Override
    public void decode(byte[] bytes, List<MetricPoint> out) throws DecodeException {
        JsonNode root = JsonInput.object(bytes, format());
        if (root.has("metrics") && root.get("metrics").isArray()) {
            for (JsonNode metric : root.get("metrics")) {
                metric(metric, out);
            }
        } else {
            metric(root, out);
        }
    }

    private void metric(JsonNode metric, List<MetricPoint> out) throws DecodeException {
        String name = metric.path("name").asText("");
        if (name.isEmpty()) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": no \"name\"");
        }
        Instant time = JsonInput.time(metric.get("timestamp"));
        if (time == null) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": \"timestamp\" is missing or not an"
                    + " epoch number: " + metric.get("timestamp"));
        }
        if (!metric.path("fields").isObject()) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": no \"fields\" object");
        }
        Map<String, Double> fields = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = metric.get("fields").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNumber()) {
                fields.put(field.getKey(), value.asDouble());
            } else if (value.isBoolean()) {
                fields.put(field.getKey(), value.asBoolean() ? 1.0 : 0.0);
            }
        }
        Map<String, String> tags = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> tagIt = metric.path("tags").fields();
        while (tagIt.hasNext()) {
            Map.Entry<String, JsonNode> tag = tagIt.next();
            tags.put(tag.getKey(), tag.getValue().asText());
        }
        FieldMetrics.emit(name, tags, fields, time, out);
    }
}
