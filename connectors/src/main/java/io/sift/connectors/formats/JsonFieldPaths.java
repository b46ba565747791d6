package io.sift.connectors.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a JSON event keeps each field Sift needs: per role, candidate dotted paths tried in order (each step matches a
 * nested object's key or a flat key with dots), and a settings map that replaces any role's candidates. Used by the
 * JSON forms of changes and ITSM feedback; logs keep their shipper presets in {@link JsonLogFields}.
 */
record JsonFieldPaths(String setting, Map<String, List<String>> paths) implements Serializable {

    JsonFieldPaths {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        paths.forEach((role, candidates) -> copy.put(role, List.copyOf(candidates)));
        paths = java.util.Collections.unmodifiableMap(copy);
    }

    List<String> of(String role) {
        return paths.getOrDefault(role, List.of());
    }

    /** These paths with the roles of a field map replaced, e.g. {@code item -> app|service} ('|' between candidates). */
    JsonFieldPaths with(Map<String, String> fieldMap) {
        Map<String, List<String>> changed = new LinkedHashMap<>(paths);
        for (Map.Entry<String, String> entry : fieldMap.entrySet()) {
            String role = entry.getKey().strip().toLowerCase(Locale.ROOT);
            if (!paths.containsKey(role)) {
                throw new IllegalArgumentException(setting + ": unknown field '" + entry.getKey() + "'; the roles are "
                        + paths.keySet());
            }
            List<String> candidates = Arrays.stream(entry.getValue().split("\\|")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException(setting + ": field '" + role + "' names no path");
            }
            changed.put(role, candidates);
        }
        return new JsonFieldPaths(setting, changed);
    }

    /** The first non-empty scalar of the role's candidates, as text, or null. */
    String text(JsonNode event, String role) {
        for (String path : of(role)) {
            JsonNode node = JsonLogDecoder.find(event, path);
            if (node != null && node.isValueNode() && !node.isNull()) {
                String text = node.asText().strip();
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        return null;
    }

    /** The first of the role's candidates that reads as a time stamp, or null. */
    java.time.Instant time(JsonNode event, String role) {
        for (String path : of(role)) {
            java.time.Instant time = JsonInput.time(JsonLogDecoder.find(event, path));
            if (time != null) {
                return time;
            }
        }
        return null;
    }
}
