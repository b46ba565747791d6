package io.sift.connectors.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * prometheus-kafka-adapter's JSON: one sample per message, {@code {"timestamp":"2026-12-07T11:00:00Z",
 * "value":"9876543210","name":"up","labels":{"__name__":"up","job":"node",...}}}, the value a string (NaN and ±Inf
 * included, which validation refuses). The resource comes from the labels ({@link LabelResource}: job is the service,
 * instance the instance); the kind from the OpenMetrics naming conventions: {@code _total}, {@code _count},
 * {@code _sum} and {@code _bucket} series are cumulative (COUNTER, rated by the detector), others GAUGE.
 */
public final class PrometheusJsonDecoder implements RecordDecoder<MetricPoint> {

    private static final long serialVersionUID = 1L;

    @Override
    public InputFormat format() {
        return InputFormat.PROMETHEUS_JSON;
    }

    @Override
    public void decode(byte[] bytes, List<MetricPoint> out) throws DecodeException {
        JsonNode sample = JsonInput.object(bytes, format());
        String name = sample.path("name").asText("");
        if (name.isEmpty()) {
            name = sample.path("labels").path("__name__").asText("");
        }
        if (name.isEmpty()) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": no \"name\" (nor labels.__name__)");
        }
        Instant time = JsonInput.time(sample.get("timestamp"));
        if (time == null) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": \"timestamp\" is missing or not an"
                    + " RFC 3339 time or epoch number: " + sample.get("timestamp"));
        }
        JsonNode valueNode = sample.get("value");
        double value;
        try {
            value = valueNode == null ? Double.NaN : valueNode.isNumber() ? valueNode.asDouble()
                    : parse(valueNode.asText());
        } catch (NumberFormatException e) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": \"value\" is not a number: "
                    + valueNode, e);
        }
        if (valueNode == null) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format() + ": no \"value\"");
        }
        Map<String, String> labels = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = sample.path("labels").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("__name__")) {
                labels.put(field.getKey(), field.getValue().asText());
            }
        }
        LabelResource.Split split = LabelResource.split(labels, null);
        out.add(new MetricPoint(time, name, value, null, kind(name), split.resource(), split.labels()));
    }

    static double parse(String text) {
        return switch (text.strip()) {
            case "+Inf", "Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN", "nan" -> Double.NaN;
            default -> Double.parseDouble(text.strip());
        };
    }

    static MetricKind kind(String name) {
        return name.endsWith("_total") || name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket")
                ? MetricKind.COUNTER : MetricKind.GAUGE;
    }
}
