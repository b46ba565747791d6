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
        String environment = environment(resource, defaultEnvironment);
        String service = resource.getService();
        String host = resource.getHost();
        String instance = resource.getInstance();
        // Sized up front: keys are built twice per sample (partitioning and the detector's key) and mostly exceed a
        // guessed capacity, so growing the builder copied them again.
        int length = String.valueOf(metric).length() + 5 + String.valueOf(environment).length() + 9
                + String.valueOf(service).length()
                + (host == null ? 0 : 6 + host.length()) + (instance == null ? 0 : 10 + instance.length());
        String[] names = null;
        String[] values = null;
        if (labels != null && !labels.isEmpty()) {
            // Labels in name order; most series have one or two, so no sorted copy of the map (keyed per sample).
            if (labels.size() == 1) {
                Map.Entry<String, String> label = labels.entrySet().iterator().next();
                names = new String[] {label.getKey()};
                values = new String[] {label.getValue()};
            } else {
                names = labels.keySet().toArray(new String[0]);
                Arrays.sort(names);
                values = new String[names.length];
                for (int i = 0; i < names.length; i++) {
                    values[i] = labels.get(names[i]);
                }
            }
            for (int i = 0; i < names.length; i++) {
                length += 2 + String.valueOf(names[i]).length() + String.valueOf(values[i]).length();
            }
        }
        StringBuilder key = new StringBuilder(length)
                .append(metric)
                .append("|env=").append(environment)
                .append("|service=").append(service);
        if (host != null) {
            key.append("|host=").append(host);
        }
        if (instance != null) {
            key.append("|instance=").append(instance);
        }
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                key.append('|').append(names[i]).append('=').append(values[i]);
            }
        }
        return key.toString();
    }

    public static String environment(Resource resource, String defaultEnvironment) {
        return resource.getEnvironment() == null || resource.getEnvironment().isBlank()
                ? defaultEnvironment : resource.getEnvironment();
    }
}
