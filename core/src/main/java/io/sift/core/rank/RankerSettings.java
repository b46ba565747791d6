package io.sift.core.rank;

import java.io.Serializable;

/**
 * Settings of {@link RootCauseRanker} that depend on the telemetry rather than on an incident. One configuration
 * serves every incident of a deployment.
 */
public final class RankerSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * How far apart two onsets may be and still count as "started together": about the sampling interval plus the
     * detection delay. Anomalies of a caller and its dependency that start much further apart are unlikely to be
     * one fault travelling along the call.
     */
    public final long onsetResolutionMillis;

    private RankerSettings(long onsetResolutionMillis) {
        if (onsetResolutionMillis <= 0) {
            throw new IllegalArgumentException("onsetResolutionMillis must be positive, e.g. 120000 for 10-60 s samples; got "
                    + onsetResolutionMillis);
        }
        this.onsetResolutionMillis = onsetResolutionMillis;
    }

    /** Suits 10-60 s samples, as the streaming job's metrics. */
    public static RankerSettings defaults() {
        return new RankerSettings(120_000);
    }

    public static RankerSettings withOnsetResolution(long onsetResolutionMillis) {
        return new RankerSettings(onsetResolutionMillis);
    }
}
