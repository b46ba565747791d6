package io.sift.gateway;

import io.sift.schema.AlertSeverity;
import java.util.Locale;

/**
 * Normalises the severity words monitoring tools use (Prometheus rule conventions, Grafana, syslog levels, PagerDuty,
 * Opsgenie's P1-P5, numeric 1-5) to Sift's five levels; anything else is UNKNOWN, and the raw word is kept beside it.
 */
public final class Severities {

    private Severities() {}

    public static AlertSeverity normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return AlertSeverity.UNKNOWN;
        }
        switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "critical", "crit", "fatal", "emergency", "emerg", "alert", "disaster", "page", "p1", "sev1", "sev-1",
                    "1", "high-critical" -> {
                return AlertSeverity.CRITICAL;
            }
            case "error", "err", "major", "high", "p2", "sev2", "sev-2", "2" -> {
                return AlertSeverity.ERROR;
            }
            case "warning", "warn", "minor", "medium", "average", "p3", "sev3", "sev-3", "3" -> {
                return AlertSeverity.WARNING;
            }
            case "info", "information", "informational", "notice", "low", "ok", "none", "debug", "p4", "p5", "sev4",
                    "sev-4", "sev5", "4", "5" -> {
                return AlertSeverity.INFO;
            }
            default -> {
                return AlertSeverity.UNKNOWN;
            }
        }
    }
}
