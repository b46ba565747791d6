package io.sift.connectors.formats;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.sift.schema.Resource;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** OTLP attributes and resources in Sift's terms (OpenTelemetry semantic conventions). */
final class OtlpAttributes {

    private static final HexFormat HEX = HexFormat.of();

    private OtlpAttributes() {}

    /** A resource as Sift's {@link Resource} plus the resource attributes kept as labels. */
    record MappedResource(Resource resource, Map<String, String> labels) {}

    static MappedResource resource(List<KeyValue> attributes, List<String> keptAsLabels) {
        Map<String, String> all = toMap(attributes);
        String service = first(all, "service.name", "k8s.deployment.name", "k8s.statefulset.name",
                "k8s.daemonset.name", "k8s.job.name");
        Resource resource = new Resource(service == null ? "unknown_service" : service,
                first(all, "host.name", "k8s.node.name"),
                first(all, "service.instance.id", "k8s.pod.name", "container.id"),
                first(all, "deployment.environment.name", "deployment.environment"));
        Map<String, String> labels = new HashMap<>();
        for (String key : keptAsLabels) {
            String value = all.get(key);
            if (value != null) {
                labels.put(key, value);
            }
        }
        return new MappedResource(resource, labels);
    }

    private static String first(Map<String, String> attributes, String... keys) {
        for (String key : keys) {
            String value = attributes.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    static Map<String, String> toMap(List<KeyValue> attributes) {
        Map<String, String> map = new HashMap<>(Math.max(4, attributes.size() * 2));
        putAll(map, attributes);
        return map;
    }

    static void putAll(Map<String, String> map, List<KeyValue> attributes) {
        for (int i = 0; i < attributes.size(); i++) {
            KeyValue kv = attributes.get(i);
            map.put(kv.getKey(), text(kv.getValue()));
        }
    }

    /** An attribute or log body as text: strings as they are, arrays and maps in a JSON-like form. */
    static String text(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return value.getStringValue();
            case BOOL_VALUE:
                return Boolean.toString(value.getBoolValue());
            case INT_VALUE:
                return Long.toString(value.getIntValue());
            case DOUBLE_VALUE:
                return Double.toString(value.getDoubleValue());
            case BYTES_VALUE:
                return java.util.Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
            case ARRAY_VALUE: {
                StringBuilder sb = new StringBuilder("[");
                List<AnyValue> values = value.getArrayValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    sb.append(i == 0 ? "" : ",").append(quoted(values.get(i)));
                }
                return sb.append(']').toString();
            }
            case KVLIST_VALUE: {
                StringBuilder sb = new StringBuilder("{");
                List<KeyValue> values = value.getKvlistValue().getValuesList();
                for (int i = 0; i < values.size(); i++) {
                    sb.append(i == 0 ? "" : ",").append('"').append(escape(values.get(i).getKey())).append("\":")
                            .append(quoted(values.get(i).getValue()));
                }
                return sb.append('}').toString();
            }
            default:
                return "";
        }
    }

    private static String quoted(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE, BYTES_VALUE -> '"' + escape(text(value)) + '"';
            case VALUE_NOT_SET -> "null";
            default -> text(value);
        };
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A trace or span id as lower-case hex, or null when absent (empty or all zero: invalid in W3C). */
    static String hexId(com.google.protobuf.ByteString id) {
        if (id.isEmpty()) {
            return null;
        }
        byte[] bytes = id.toByteArray();
        for (byte b : bytes) {
            if (b != 0) {
                return HEX.formatHex(bytes);
            }
        }
        return null;
    }
}
