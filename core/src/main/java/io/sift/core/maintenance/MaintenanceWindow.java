package io.sift.core.maintenance;

import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A maintenance window or silence from the settings ({@code sift.maintenance.windows}): while its schedule is active,
 * incidents whose signals all match its matchers are suppressed (recorded and correlated, but not sent to the ITSM
 * tool). Windows from planned changes are kept in the correlator's state instead (see
 * {@code io.sift.core.correlate.PlannedWindow}): they match by configuration item.
 */
public record MaintenanceWindow(String id, List<MaintenanceMatcher> matchers, MaintenanceSchedule schedule)
        implements Serializable {

    public MaintenanceWindow {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a maintenance window needs an id (the name before ':'), e.g. "
                    + "'db-backup: service=orders-db @ sat,sun 02:00-04:00 UTC'");
        }
        if (matchers == null || matchers.isEmpty()) {
            throw new IllegalArgumentException("the maintenance window '" + id + "' needs at least one matcher, e.g. "
                    + "service=orders-db (a window without one would silence everything)");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("the maintenance window '" + id + "' needs a schedule after '@'");
        }
        matchers = List.copyOf(matchers);
    }

    /** Whether the signal's attributes satisfy every matcher (the schedule is not looked at). */
    public boolean matches(Map<String, String> attributes) {
        for (MaintenanceMatcher matcher : matchers) {
            if (!matcher.matches(attributes)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The attributes matchers see: {@code service}, {@code host}, {@code instance}, {@code environment} of the
     * resource, {@code metric} (an alert's name), {@code alertname} (for alerts), {@code source} (for alerts), and
     * the signal's labels under their own names (resource attributes win over a label of the same name).
     */
    public static Map<String, String> attributesOf(Anomaly anomaly, Alert alert) {
        Map<String, String> attributes = new HashMap<>();
        if (alert != null && alert.getLabels() != null) {
            alert.getLabels().forEach((k, v) -> attributes.put(k.toString(), v == null ? "" : v.toString()));
        }
        if (anomaly.getLabels() != null) {
            anomaly.getLabels().forEach((k, v) -> attributes.put(k.toString(), v == null ? "" : v.toString()));
        }
        put(attributes, "metric", anomaly.getMetric());
        if (alert != null) {
            put(attributes, "alertname", alert.getName());
            put(attributes, "source", alert.getSource());
        }
        if (anomaly.getResource() != null) {
            put(attributes, "service", anomaly.getResource().getService());
            put(attributes, "host", anomaly.getResource().getHost());
            put(attributes, "instance", anomaly.getResource().getInstance());
            put(attributes, "environment", anomaly.getResource().getEnvironment());
        }
        return attributes;
    }

    private static void put(Map<String, String> attributes, String name, CharSequence value) {
        if (value != null) {
            attributes.put(name, value.toString());
        }
    }

    @Override
    public String toString() {
        return id + ": " + String.join(",", matchers.stream().map(Object::toString).toList()) + " @ " + schedule;
    }
}
