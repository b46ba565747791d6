package io.sift.core.detect;

import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.util.Map;
import java.util.TreeMap;

/** The identity of a metric series: name, resource and labels in one canonical string. */
public final class SeriesKeys {

    private SeriesKeys() {}

    public static String of(MetricPoint point, String defaultEnvironment) {
        return of(point.getName(), point.getResource(), point.getLabels(), defaultEnvironment);
    }

    public static String of(String metric, Resource resource, Map<String, String> labels, String defaultEnvironment) {
        StringBuilder key = new StringBuilder(96)
                .append(metric)
                .append("|env=").append(environment(resource, defaultEnvironment))
                .append("|service=").append(resource.getService());
        if (resource.getHost() != null) {
            key.append("|host=").append(resource.getHost());
        }
        if (resource.getInstance() != null) {
            key.append("|instance=").append(resource.getInstance());
        }
        if (labels != null && !labels.isEmpty()) {
            for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                key.append('|').append(label.getKey()).append('=').append(label.getValue());
            }
        }
        return key.toString();
    }

    public static String environment(Resource resource, String defaultEnvironment) {
        return resource.getEnvironment() == null || resource.getEnvironment().isBlank()
                ? defaultEnvironment : resource.getEnvironment();
    }
}
