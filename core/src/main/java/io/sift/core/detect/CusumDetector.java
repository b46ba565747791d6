package io.sift.core.detect;

import java.io.Serializable;

/**
 * Two-sided CUSUM on standardised residuals: accumulates the evidence for a sustained shift of the level up or
 * down that single samples are too small to show. The surprise is the larger sum in units of the decision
 * interval; a sum that crosses the interval restarts (the shift has been reported).
 */
public final class CusumDetector implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double slack;
    private final double decisionInterval;
    private double upper;
    private double lower;

    /**
     * @param slack            residual (in standard deviations) tolerated per sample, typically half the shift to
     *                         detect
     * @param decisionInterval accumulated evidence (in standard deviations) at which a shift is declared
     */
    public CusumDetector(double slack, double decisionInterval) {
        this.slack = slack;
        this.decisionInterval = decisionInterval;
    }

    /** Adds a standardised residual; returns the surprise (1 at the decision interval), signed by direction. */
    public double update(double standardisedResidual) {
        upper = Math.max(0.0, upper + standardisedResidual - slack);
        lower = Math.max(0.0, lower - standardisedResidual - slack);
        double surprise = upper >= lower ? upper / decisionInterval : -lower / decisionInterval;
        if (upper >= decisionInterval || lower >= decisionInterval) {
            upper = 0.0;
            lower = 0.0;
        }
        return surprise;
    }
}
