package io.sift.core.detect;

import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.util.Arrays;
import java.util.Map;

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
            // Labels in name order; most series have one or two, so no sorted copy of the map (keyed per sample).
            if (labels.size() == 1) {
                Map.Entry<String, String> label = labels.entrySet().iterator().next();
                key.append('|').append(label.getKey()).append('=').append(label.getValue());
            } else {
                String[] names = labels.keySet().toArray(new String[0]);
                Arrays.sort(names);
                for (String name : names) {
                    key.append('|').append(name).append('=').append(labels.get(name));
                }
            }
        }
        return key.toString();
    }

    public static String environment(Resource resource, String defaultEnvironment) {
        return resource.getEnvironment() == null || resource.getEnvironment().isBlank()
                ? defaultEnvironment : resource.getEnvironment();
    }
}
