package io.sift.core.correlate;

import io.sift.core.detect.SeriesKeys;
import io.sift.core.util.StableIds;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.SignalType;
import java.time.Instant;

/**
 * How an alert from existing monitoring takes part in correlation: as a signal of its entity, like an anomaly. An
 * alert episode (one fingerprint from one start) is one entry of an incident; its repeats update that entry, its
 * resolution ends it. Its score comes from its normalised severity and stays at or below what a severe anomaly of
 * Sift's own scores, and its deviation is a nominal threshold crossing: an alert is evidence for the ranking (its
 * entity a candidate root cause), never proof.
 */
public final class AlertSignals {

    /** Detector name of the signal an alert becomes; the source follows it, e.g. {@code alert:alertmanager}. */
    public static final String DETECTOR_PREFIX = "alert:";
    /** Nominal deviation of an alert (σ): a rule fires at a threshold, usually chosen like a 3σ band. */
    static final double NOMINAL_SIGMA = 3.0;

    private AlertSignals() {
    }

    /** The correlation scope (Flink key) of an alert: its resource's environment, else the default one. */
    public static String environment(Alert alert, String defaultEnvironment) {
        return SeriesKeys.environment(alert.getResource(), defaultEnvironment);
    }

    /** Identity of an alert across its repeats and episodes: its source and fingerprint. */
    public static String seriesKey(Alert alert) {
        return "alert|" + alert.getSource() + "|" + alert.getFingerprint();
    }

    /** Id of one alert episode: the same fingerprint from the same start is the same episode. */
    public static String episodeId(String environment, Alert alert) {
        return StableIds.of("alert", environment, alert.getSource(), alert.getFingerprint(),
                Long.toString(alert.getStartsAt().toEpochMilli()));
    }

    /** Score (0-100, as anomalies: 50 at a threshold, 90 severe) of a severity. */
    public static double score(AlertSeverity severity) {
        return switch (severity) {
            case CRITICAL -> 90;
            case ERROR -> 80;
            case WARNING -> 65;
            case INFO -> 55;
            case UNKNOWN -> 60;
        };
    }

    /**
     * The alert as a correlation signal of the episode {@code id}: onset its start, event time its notification time,
     * ended at its end when resolved (its end, else its notification time).
     */
    static Anomaly signal(Alert alert, String id, String environment) {
        Instant end = null;
        if (alert.getStatus() == AlertStatus.RESOLVED) {
            end = alert.getEndsAt() != null ? alert.getEndsAt() : alert.getTime();
            if (end.isBefore(alert.getStartsAt())) {
                end = alert.getStartsAt();
            }
        }
        Instant time = alert.getTime().isBefore(alert.getStartsAt()) ? alert.getStartsAt() : alert.getTime();
        double score = score(alert.getSeverity());
        return Anomaly.newBuilder()
                .setId(id)
                .setVersion(1)
                .setSignal(SignalType.OTHER)
                .setDetector(DETECTOR_PREFIX + alert.getSource())
                .setSeriesKey(seriesKey(alert))
                .setMetric(alert.getName())
                .setResource(alert.getResource())
                .setLabels(alert.getLabels())
                .setOnset(alert.getStartsAt())
                .setTime(end != null && end.isAfter(time) ? end : time)
                .setEnd(end)
                .setObserved(0)
                .setExpected(0)
                .setLowerBound(0)
                .setUpperBound(0)
                .setDeviation(NOMINAL_SIGMA)
                .setDirection(Direction.UP)
                .setScore(score)
                .setSamples(1)
                .build();
    }

    /** Marks an incident entry as the alert's. */
    static void mark(AnomalyEntry entry, Alert alert) {
        entry.alertSource = alert.getSource();
        entry.alertFingerprint = alert.getFingerprint();
        entry.alertSeverity = alert.getSeverity().name();
        String host = alert.getResource().getHost();
        entry.alertHost = host == null || host.isBlank() ? null : host;
    }
}
