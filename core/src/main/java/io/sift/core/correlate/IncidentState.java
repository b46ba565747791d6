package io.sift.core.correlate;

import java.util.ArrayList;
import java.util.List;

/** One incident as the correlator keeps it (a POJO for Flink state). */
public class IncidentState {
    public String id;
    /**
     * Dedup key: the environment and the series of the anomaly that opened the incident, without its onset, so a
     * recurrence of the same problem maps to the same key.
     */
    public String fingerprint;
    public long version;
    public String environment;
    public boolean resolved;
    public long openedAt;
    public long lastSeen;
    public long resolvedAt = -1;
    public int anomalyUpdates;
    public double peakScore;
    /** Distinct anomalies folded in, in arrival order. */
    public List<AnomalyEntry> anomalies = new ArrayList<>();
    /** Top root-cause item of the last emitted version, to emit again when it changes. */
    public String lastTopCause;
    /** Whether it resolved and reopened too often recently; it then resolves only after a longer quiet. */
    public boolean flapping;
    /** Event times of its recent resolutions and reopenings, for flap detection (pruned to the flap window). */
    public List<Long> transitions = new ArrayList<>();
    /** Event time Sift opened it (the sample that opened it), or -1 in state restored from before the field. */
    public long detectedAt = -1;
    /** When a person acknowledged it in the ITSM tool, or -1. */
    public long acknowledgedAt = -1;
    /** ITSM assignee and ticket number, when the ITSM tool reported them. */
    public String assignee;
    public String ticket;
    /** Whether a person resolved it (ITSM feedback) rather than the quiet period. */
    public boolean resolvedByHuman;
    /** Whether a person reopened it: it then stays open until a person resolves it. */
    public boolean heldOpen;
    /** Event time of the latest ITSM feedback applied, the time of the versions it produces. */
    public long feedbackAt = -1;
    /**
     * Id of the maintenance window suppressing it as of its last version, or null (fields added after the first
     * release: older state restores them as null and 0, and the next version re-evaluates).
     */
    public String suppressedBy;
    /** Event time of the latest window start or end that changed its suppression: the time of that version. */
    public long maintenanceAt;
    /** The next window boundary at which its suppression may change, or 0 when none is known. */
    public long maintenanceCheck;

    public IncidentState() {}

    AnomalyEntry find(String anomalyId) {
        // Hash codes first: a String keeps its own, and ids of one detector differ mostly in their last characters.
        int hash = anomalyId.hashCode();
        for (AnomalyEntry entry : anomalies) {
            if (entry.id.hashCode() == hash && entry.id.equals(anomalyId)) {
                return entry;
            }
        }
        return null;
    }

    boolean hasSeries(String series) {
        for (AnomalyEntry entry : anomalies) {
            if (entry.series != null && entry.series.equals(series)) {
                return true;
            }
        }
        return false;
    }

    boolean hasOngoing() {
        // From the newest: anomalies are appended, and the ongoing ones are usually the latest.
        for (int i = anomalies.size() - 1; i >= 0; i--) {
            if (anomalies.get(i).ongoing()) {
                return true;
            }
        }
        return false;
    }

    /** Latest event time any of its anomalies was active. */
    long activeUntil() {
        long until = openedAt;
        for (AnomalyEntry entry : anomalies) {
            until = Math.max(until, entry.activeUntil());
        }
        return until;
    }
}
