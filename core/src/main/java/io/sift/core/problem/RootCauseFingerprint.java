package io.sift.core.problem;

import io.sift.core.util.StableIds;
import io.sift.schema.AnomalyRef;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.RootCauseHint;
import java.util.Locale;

/**
 * What makes two incidents "the same problem": the environment, the configuration item ranked first as root cause,
 * and the anomaly signature there (metric family of its strongest anomaly and the direction, e.g. "db.client up").
 * The family (the metric's first two dotted segments, its OpenTelemetry namespace) rather than the exact metric,
 * because which of a database's latency or connection metrics peaks highest varies from one recurrence to the next.
 *
 * @param key stable hash of the three parts, the Flink key of problem detection
 */
public record RootCauseFingerprint(String environment, String item, String signature, String key) {

    /** The fingerprint of an incident version, or null when it names no root cause and no item. */
    public static RootCauseFingerprint of(Incident incident) {
        String item = topCause(incident);
        if (item == null) {
            return null;
        }
        AnomalyRef strongest = null;
        for (AnomalyRef anomaly : incident.getAnomalies()) {
            if (anomaly.getService().equals(item) && (strongest == null || anomaly.getScore() > strongest.getScore())) {
                strongest = anomaly;
            }
        }
        // The anomaly list is capped: without one of the item's anomalies, the item alone is the signature.
        String signature = strongest == null ? "anomalous"
                : family(strongest.getMetric()) + (strongest.getDirection() == Direction.UP ? " up" : " down");
        String environment = incident.getEnvironment();
        return new RootCauseFingerprint(environment, item, signature,
                StableIds.of("rcf", environment, item, signature));
    }

    /** The metric's namespace: its first two dotted segments ("db.client.operation.duration.p95" → "db.client"). */
    static String family(String metric) {
        int first = metric.indexOf('.');
        int second = first < 0 ? -1 : metric.indexOf('.', first + 1);
        return (second < 0 ? metric : metric.substring(0, second)).toLowerCase(Locale.ROOT);
    }

    private static String topCause(Incident incident) {
        RootCauseHint best = null;
        for (RootCauseHint hint : incident.getRootCauses()) {
            if (best == null || hint.getRank() < best.getRank()) {
                best = hint;
            }
        }
        if (best != null) {
            return best.getItem();
        }
        return incident.getServices().isEmpty() ? null : incident.getServices().get(0);
    }
}
