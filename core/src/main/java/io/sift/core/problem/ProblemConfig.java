package io.sift.core.problem;

import java.io.Serializable;
import java.time.Duration;

/** When recurring incidents become a problem candidate: at least {@code minIncidents} within {@code window}. */
public final class ProblemConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public final int minIncidents;
    public final long windowMillis;

    public ProblemConfig(int minIncidents, Duration window) {
        if (minIncidents < 2) {
            throw new IllegalArgumentException("sift.problems.min-incidents must be at least 2 (one incident is no "
                    + "recurrence), got " + minIncidents);
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("sift.problems.window must be a positive duration such as 7 d, got "
                    + window);
        }
        this.minIncidents = minIncidents;
        this.windowMillis = window.toMillis();
    }

    public static ProblemConfig defaults() {
        return new ProblemConfig(3, Duration.ofDays(7));
    }

    @Override
    public String toString() {
        return "ProblemConfig{minIncidents=" + minIncidents + ", window=" + Duration.ofMillis(windowMillis) + '}';
    }
}
