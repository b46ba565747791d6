package io.sift.jobs;

import io.sift.core.maintenance.MaintenanceWindows;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Maintenance windows and silences from the settings (planned windows of changes arrive on the changes topic). */
public final class MaintenanceOptions {

    private MaintenanceOptions() {}

    public static final ConfigOption<String> WINDOWS = ConfigOptions.key("sift.maintenance.windows")
            .stringType().defaultValue("")
            .withDescription("Maintenance windows and silences: incidents whose signals all match an active window "
                    + "are still recorded and correlated but marked suppressed (Incident.suppressedBy = the window's "
                    + "id) and not sent to the webhook or ITSM tool, except resolutions and acknowledgements; when the "
                    + "window ends with the incident still open it is released as a normal one. Windows separated by "
                    + "';' or new lines, each 'ID: MATCHERS @ SCHEDULE'. MATCHERS: name=value, name!=value, "
                    + "name=~regex, name!~regex separated by ',' (names: service, host, instance, environment, metric, "
                    + "alertname, source, or a label). SCHEDULE: START/END as ISO-8601 times (one-off, END exclusive), "
                    + "or DAYS HH:MM-HH:MM [ZONE] (weekly: mon-fri, sat,sun or daily; an IANA zone, UTC if omitted). "
                    + "e.g. 'db-backup: service=orders-db @ daily 01:00-02:00 Europe/Berlin; upgrade: host=~\"db-.*\" "
                    + "@ 2026-12-08T22:00Z/2026-12-09T01:00Z'. 'file:/path' reads the same form from a file. Empty: "
                    + "none. Changes with plannedStart and plannedEnd add windows over their items of their own.");

    /** The windows of the setting, refused under its key with what to write when malformed. */
    static List<io.sift.core.maintenance.MaintenanceWindow> windows(Configuration configuration) {
        try {
            return MaintenanceWindows.parse(configuration.get(WINDOWS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WINDOWS.key() + ": " + e.getMessage(), e);
        }
    }
}
