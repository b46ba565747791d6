package io.sift.core.detect;

import java.io.Serializable;

/**
 * Turns a detector's raw surprise (any non-negative scale) into a 0-100 score comparable across series and
 * detectors, in the way of an anomaly likelihood: the short-term mean of the raw surprise is compared with the
 * long-run distribution of that mean, and the tail probability is mapped to a log scale (score 50 at a tail
 * probability of 1e-5, 100 at 1e-10).
 */
public final class ScoreCalibrator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Tail probability that maps to a score of 100. */
    private static final double SMALLEST_TAIL = 1e-10;
    private static final double LOG_SMALLEST_TAIL = Math.log(SMALLEST_TAIL);
    /** Long-run spread is never taken below this share of the long-run mean (flat series stay quiet). */
    private static final double MIN_RELATIVE_SPREAD = 0.05;

    private final double[] recent;
    private final double longAlpha;
    private final double alertScore;
    private final double alertLearningBoost;
    private int next;
    private int filled;
    private double recentSum;
    private long seen;
    private double mean;
    private double variance;

    /**
     * @param shortWindow        samples averaged into the short-term surprise
     * @param longAlpha          learning rate of the long-run distribution
     * @param alertScore         score at which a sample alerts
     * @param alertLearningBoost factor on the learning rate for alerting samples: a series that keeps surprising
     *                           widens its own distribution sooner, so its next alerts need more
     */
    public ScoreCalibrator(int shortWindow, double longAlpha, double alertScore, double alertLearningBoost) {
        this.recent = new double[shortWindow];
        this.longAlpha = longAlpha;
        this.alertScore = alertScore;
        this.alertLearningBoost = alertLearningBoost;
    }

    /** Scores a raw surprise and then learns it. */
    public double score(double rawSurprise) {
        recentSum += rawSurprise - recent[next];
        recent[next] = rawSurprise;
        next = (next + 1) % recent.length;
        filled = Math.min(filled + 1, recent.length);
        double shortMean = recentSum / filled;

        double score = 0.0;
        if (seen > recent.length) {
            double spread = Math.max(Math.sqrt(variance), MIN_RELATIVE_SPREAD * mean + 1e-12);
            double z = (shortMean - mean) / spread;
            score = fromTail(upperTail(z));
        }
        seen++;
        double rate = Math.min(1.0, Math.max(longAlpha, 1.0 / seen) * (score >= alertScore ? alertLearningBoost : 1.0));
        double delta = shortMean - mean;
        mean += rate * delta;
        variance = (1 - rate) * (variance + rate * delta * delta);
        return score;
    }

    /** Score 0-100 of a tail probability. */
    public static double fromTail(double tail) {
        double clamped = Math.max(SMALLEST_TAIL, Math.min(1.0, tail));
        return 100.0 * Math.log(clamped) / LOG_SMALLEST_TAIL;
    }

    /** P(Z > z) for a standard normal Z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2.0));
    }

    /** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
