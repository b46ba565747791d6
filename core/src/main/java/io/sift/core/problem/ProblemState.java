package io.sift.core.problem;

import java.util.ArrayList;
import java.util.List;

/** Recent incidents of one root-cause fingerprint and the problem they formed, if any (a POJO for Flink state). */
public class ProblemState {
    /** Incidents with this fingerprint, oldest opening first. */
    public List<Occurrence> occurrences = new ArrayList<>();
    /** Id of the problem once enough incidents recurred; null before. */
    public String problemId;
    public long version;
    /** Latest event time an incident of this fingerprint settled; the state expires a window after it. */
    public long lastActivity = Long.MIN_VALUE;

    public ProblemState() {}

    public boolean isEmpty() {
        return occurrences.isEmpty();
    }

    /** One incident counted for the fingerprint (a POJO for Flink state). */
    public static class Occurrence {
        public String incidentId;
        public long openedAt;

        public Occurrence() {}

        Occurrence(String incidentId, long openedAt) {
            this.incidentId = incidentId;
            this.openedAt = openedAt;
        }
    }
}
