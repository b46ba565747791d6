package io.sift.core.change;

import io.sift.schema.AlertRef;
import io.sift.schema.AnomalyRef;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.RootCauseHint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One incident version's root-cause hint naming one change (by {@link RootCauseHint#getChanges()}), keyed by the
 * incident's environment and the change id for {@link ChangeOutcomes} (a POJO for Flink): the correlator names only
 * changes of the incident's own environment, and two environments may use the same change id.
 */
public class ChangeNaming {

    /** The environment of the naming incident, hence of the change (never blank). */
    public String environment;
    public String changeId;
    public String incidentId;
    /** Event time (ms) of the incident version that names it. */
    public long namedAt;
    /** When the impact the hint ties to the change began: the earliest onset on the hinted item, else the incident's opening. */
    public long impactAt;
    /** Rank of the hint, 1 = the most probable cause. */
    public int rank;

    public ChangeNaming() {}

    public ChangeNaming(String environment, String changeId, String incidentId, long namedAt, long impactAt, int rank) {
        this.environment = environment;
        this.changeId = changeId;
        this.incidentId = incidentId;
        this.namedAt = namedAt;
        this.impactAt = impactAt;
        this.rank = rank;
    }

    /**
     * The changes the version's root-cause hints name, one naming per change (with its best rank). None for a merged
     * version (the surviving incident names them itself) or a suppressed one (impact inside a maintenance window or a
     * change's planned window is expected, not a failure; the incident's versions after the window count). The
     * namings are in the incident's environment, {@code defaultEnvironment} if it names none.
     */
    public static List<ChangeNaming> of(Incident incident, String defaultEnvironment) {
        if (incident.getStatus() == IncidentStatus.MERGED || incident.getSuppressedBy() != null
                || incident.getRootCauses().isEmpty()) {
            return List.of();
        }
        String environment = incident.getEnvironment() == null || incident.getEnvironment().isBlank()
                ? defaultEnvironment : incident.getEnvironment();
        Map<String, ChangeNaming> byChange = new LinkedHashMap<>();
        for (RootCauseHint hint : incident.getRootCauses()) {
            if (hint.getChanges().isEmpty()) {
                continue;
            }
            long impact = impactOn(incident, hint.getItem());
            for (String change : hint.getChanges()) {
                ChangeNaming known = byChange.get(change);
                if (known == null || hint.getRank() < known.rank) {
                    byChange.put(change, new ChangeNaming(environment, change, incident.getId(),
                            incident.getUpdatedAt().toEpochMilli(), impact, hint.getRank()));
                }
            }
        }
        return new ArrayList<>(byChange.values());
    }

    /** The earliest onset of the incident's anomalies and alerts on the item, else the incident's opening. */
    static long impactOn(Incident incident, String item) {
        long earliest = Long.MAX_VALUE;
        for (AnomalyRef anomaly : incident.getAnomalies()) {
            if (anomaly.getService().equals(item)) {
                earliest = Math.min(earliest, anomaly.getOnset().toEpochMilli());
            }
        }
        for (AlertRef alert : incident.getAlerts()) {
            if (alert.getService().equals(item)) {
                earliest = Math.min(earliest, alert.getStartsAt().toEpochMilli());
            }
        }
        return earliest == Long.MAX_VALUE ? incident.getOpenedAt().toEpochMilli() : earliest;
    }

    @Override
    public String toString() {
        return "ChangeNaming{" + changeId + " by " + incidentId + " rank " + rank + " at " + namedAt + ", impact "
                + impactAt + '}';
    }
}
