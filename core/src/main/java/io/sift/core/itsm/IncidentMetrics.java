package io.sift.core.itsm;

import io.sift.schema.AnomalyRef;
import io.sift.schema.Incident;
import io.sift.schema.RootCauseHint;
import java.time.Instant;
import java.util.List;

/**
 * The service-management figures of one incident version, all in event time:
 *
 * <ul>
 * <li><b>time to detect</b>: from the earliest onset among its anomalies (the best estimate of when the trouble
 * started that the data holds) to the moment Sift opened it ({@code detectedAt});
 * <li><b>time to acknowledge</b> and <b>time to resolve</b>: from the moment Sift opened it to the acknowledgement
 * and the resolution reported by the ITSM tool (or Sift's own resolution after the quiet period);
 * <li><b>noise reduction</b>: the anomalies (distinct series episodes) and anomaly versions (raw detector outputs)
 * this one incident stands for.
 * </ul>
 *
 * <p>Incidents per service per day need no separate figure: they are a date histogram over these documents.
 *
 * @param earliestOnset    earliest onset among the incident's anomalies (or its opening when it lists none)
 * @param detectedAt       when Sift opened it (null for records of versions before the field existed)
 * @param timeToDetectMillis  detectedAt − earliestOnset, or null without detectedAt
 * @param timeToAcknowledgeMillis acknowledgedAt − detectedAt, or null until acknowledged
 * @param timeToResolveMillis resolvedAt − detectedAt, or null until resolved
 */
public record IncidentMetrics(String incidentId, long version, String environment, String status, String priority,
        String rootCauseItem, List<String> services, Instant earliestOnset, Instant detectedAt,
        Instant acknowledgedAt, Instant resolvedAt, String resolvedBy, Long timeToDetectMillis,
        Long timeToAcknowledgeMillis, Long timeToResolveMillis, int anomalyCount, int anomalyUpdates) {

    public static IncidentMetrics of(Incident incident) {
        Instant earliest = incident.getOpenedAt();
        for (AnomalyRef anomaly : incident.getAnomalies()) {
            if (anomaly.getOnset().isBefore(earliest)) {
                earliest = anomaly.getOnset();
            }
        }
        Instant detected = incident.getDetectedAt();
        Instant acknowledged = incident.getAcknowledgedAt();
        Instant resolved = incident.getResolvedAt();
        String rootCause = null;
        int bestRank = Integer.MAX_VALUE;
        for (RootCauseHint hint : incident.getRootCauses()) {
            if (hint.getRank() < bestRank) {
                bestRank = hint.getRank();
                rootCause = hint.getItem();
            }
        }
        return new IncidentMetrics(incident.getId(), incident.getVersion(), incident.getEnvironment(),
                incident.getStatus().name(), incident.getPriority().name(), rootCause, List.copyOf(incident.getServices()),
                earliest, detected, acknowledged, resolved,
                incident.getResolvedBy() == null ? null : incident.getResolvedBy().name(),
                between(earliest, detected), between(detected, acknowledged), between(detected, resolved),
                incident.getAnomalyCount(), incident.getAnomalyUpdates());
    }

    /** Milliseconds from {@code from} to {@code to}, never negative (a person may act before Sift's detection). */
    private static Long between(Instant from, Instant to) {
        if (from == null || to == null) {
            return null;
        }
        return Math.max(0, to.toEpochMilli() - from.toEpochMilli());
    }
}
