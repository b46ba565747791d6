package io.sift.core.detect;

/**
 * What a per-series model says about one sample: a score 0-100 comparable across detectors (50 = worth an alert
 * at the default level), the expected value and band, and which detector drove the score.
 */
public record Assessment(double score, double expected, double lower, double upper, String detector) {

    public static final Assessment WARMING_UP = new Assessment(0.0, Double.NaN, Double.NaN, Double.NaN, "warm-up");

    /** Signed distance of the observed value from the expected one. */
    public double deviation(double observed) {
        return observed - expected;
    }
}
