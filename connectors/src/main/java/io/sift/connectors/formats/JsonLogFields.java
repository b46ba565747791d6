package io.sift.connectors.formats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a JSON log event keeps each of Sift's log fields: per role, candidate paths tried in order (a path is dotted
 * and matches nested objects, flat dotted keys or a mix, so {@code log.level} finds both {@code {"log":{"level":..}}}
 * and {@code {"log.level":..}}). Presets for the shippers users run; a field map replaces any role's candidates.
 */
public record JsonLogFields(Map<String, List<String>> paths) implements Serializable {

    /** The roles a field map may name. */
    public static final List<String> ROLES = List.of("time", "message", "level", "service", "host", "pod",
            "environment", "trace", "span");

    public JsonLogFields {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        for (String role : ROLES) {
            copy.put(role, List.copyOf(paths.getOrDefault(role, List.of())));
        }
        paths = java.util.Collections.unmodifiableMap(copy);
    }

    public List<String> of(String role) {
        return paths.get(role);
    }

    /** Filebeat / Elastic Common Schema (also Elastic's ECS loggers). */
    private static final Map<String, List<String>> ECS = Map.of(
            "time", List.of("@timestamp"),
            "message", List.of("message"),
            "level", List.of("log.level"),
            "service", List.of("service.name", "kubernetes.labels.app.kubernetes.io/name", "kubernetes.labels.app",
                    "kubernetes.container.name"),
            "host", List.of("host.name", "host.hostname", "kubernetes.node.name"),
            "pod", List.of("kubernetes.pod.name"),
            "environment", List.of("service.environment", "deployment.environment"),
            "trace", List.of("trace.id"),
            "span", List.of("span.id"));

    /** Fluent Bit (tail + kubernetes filter, out_kafka: @timestamp a double by default). */
    private static final Map<String, List<String>> FLUENT_BIT = Map.of(
            "time", List.of("@timestamp", "date", "time"),
            "message", List.of("log", "message"),
            "level", List.of("level", "severity", "log.level"),
            "service", List.of("service", "kubernetes.labels.app.kubernetes.io/name", "kubernetes.labels.app",
                    "kubernetes.container_name"),
            "host", List.of("kubernetes.host", "hostname", "host"),
            "pod", List.of("kubernetes.pod_name"),
            "environment", List.of("environment", "env"),
            "trace", List.of("trace_id", "traceId"),
            "span", List.of("span_id", "spanId"));

    /** Vector (kubernetes_logs / file sources, kafka sink with the json codec). */
    private static final Map<String, List<String>> VECTOR = Map.of(
            "time", List.of("timestamp"),
            "message", List.of("message"),
            "level", List.of("level", "severity"),
            "service", List.of("service", "kubernetes.pod_labels.app.kubernetes.io/name", "kubernetes.pod_labels.app",
                    "kubernetes.container_name"),
            "host", List.of("kubernetes.pod_node_name", "host", "hostname"),
            "pod", List.of("kubernetes.pod_name"),
            "environment", List.of("environment", "env"),
            "trace", List.of("trace_id", "traceId"),
            "span", List.of("span_id", "spanId"));

    /** OpenShift logging / fluentd (ViaQ data model). */
    private static final Map<String, List<String>> OPENSHIFT = Map.of(
            "time", List.of("@timestamp", "time"),
            "message", List.of("message", "log"),
            "level", List.of("level"),
            "service", List.of("kubernetes.labels.app_kubernetes_io/name", "kubernetes.labels.app",
                    "kubernetes.container_name", "systemd.u.SYSLOG_IDENTIFIER"),
            "host", List.of("hostname", "kubernetes.host"),
            "pod", List.of("kubernetes.pod_name"),
            "environment", List.of("openshift.labels.environment", "environment"),
            "trace", List.of("trace_id"),
            "span", List.of("span_id"));

    /** Names of the presets, for settings. */
    public static final List<String> PRESETS = List.of("auto", "ecs", "fluent-bit", "vector", "openshift");

    /**
     * A preset by name; {@code auto} tries every preset's paths (ECS, then Fluent Bit, Vector, OpenShift), which
     * reads any of those shippers and most hand-rolled JSON loggers (message/msg, level, time/timestamp, ...).
     */
    public static JsonLogFields preset(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (wanted) {
            case "ecs", "filebeat" -> new JsonLogFields(ECS);
            case "fluent-bit", "fluentbit" -> new JsonLogFields(FLUENT_BIT);
            case "vector" -> new JsonLogFields(VECTOR);
            case "openshift", "fluentd" -> new JsonLogFields(OPENSHIFT);
            case "auto" -> {
                Map<String, List<String>> all = new LinkedHashMap<>();
                for (Map<String, List<String>> preset : List.of(ECS, FLUENT_BIT, VECTOR, OPENSHIFT)) {
                    preset.forEach((role, paths) -> {
                        List<String> merged = all.computeIfAbsent(role, r -> new ArrayList<>());
                        paths.stream().filter(p -> !merged.contains(p)).forEach(merged::add);
                    });
                }
                all.get("message").add("msg");
                all.get("level").addAll(List.of("lvl", "loglevel"));
                all.get("time").add("ts");
                yield new JsonLogFields(all);
            }
            default -> throw new IllegalArgumentException("unknown JSON log preset '" + name + "'; known: " + PRESETS);
        };
    }

    /**
     * These paths with a field map's roles replaced, e.g. {@code time -> ts, message -> msg|text} ('|' separates
     * candidates).
     */
    public JsonLogFields with(Map<String, String> fieldMap) {
        Map<String, List<String>> changed = new LinkedHashMap<>(paths);
        for (Map.Entry<String, String> entry : fieldMap.entrySet()) {
            String role = entry.getKey().strip().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("unknown log field '" + entry.getKey() + "'; the roles are " + ROLES);
            }
            List<String> candidates = Arrays.stream(entry.getValue().split("\\|")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("log field '" + role + "' names no path");
            }
            changed.put(role, candidates);
        }
        return new JsonLogFields(changed);
    }
}
