package io.sift.core.detect;

/** Which deviations may raise an anomaly. */
public enum DirectionFilter {
    /** Rises and drops. */
    BOTH,
    /** Only values above the band (latency, error ratio). */
    UP,
    /** Only values below the band (throughput, hit ratio). */
    DOWN;

    boolean allows(double signedDeviation) {
        return this == BOTH || (this == UP ? signedDeviation > 0 : signedDeviation < 0);
    }
}
