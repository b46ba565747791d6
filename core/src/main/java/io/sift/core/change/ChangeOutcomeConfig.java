package io.sift.core.change;

import java.io.Serializable;
import java.time.Duration;

/**
 * When a change's outcome is decided and how long it is kept after: the correlator's change look-back (a change is a
 * suspect of anomalies that begin within it), the settle time after it (the correlator's gap: how long after the
 * look-back the correlator still holds the change for new anomalies), and the grace after the decision; and the
 * correlator's default environment, that of a change which names none.
 */
public final class ChangeOutcomeConfig implements Serializable {

    private static final long serialVersionUID = 2L;

    /** The environment of a change whose environment is null or blank, as the correlator takes it. */
    public final String defaultEnvironment;
    public final long lookbackMillis;
    public final long settleMillis;
    public final long graceMillis;

    public ChangeOutcomeConfig(String defaultEnvironment, Duration lookback, Duration settle, Duration grace) {
        if (defaultEnvironment == null || defaultEnvironment.isBlank()) {
            throw new IllegalArgumentException("sift.environment.default: name the environment of changes that carry "
                    + "none, as the correlator does (e.g. 'prod'), got '" + defaultEnvironment + "'");
        }
        this.defaultEnvironment = defaultEnvironment;
        this.lookbackMillis = positive("sift.correlate.change-lookback", lookback, false);
        this.settleMillis = positive("sift.correlate.gap", settle, true);
        this.graceMillis = positive("sift.changes.outcome-grace", grace, true);
    }

    private static long positive(String key, Duration value, boolean zeroAllowed) {
        if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
            throw new IllegalArgumentException(key + " must be a " + (zeroAllowed ? "non-negative" : "positive")
                    + " duration such as 30 min, got " + value);
        }
        return value.toMillis();
    }

    /** The environment a change belongs to: its own, else (null or blank) the default one, as the correlator says. */
    public String environmentOf(String environment) {
        return environment == null || environment.isBlank() ? defaultEnvironment : environment;
    }

    /** Event time at which a change of this time is decided: clean unless a hint named it by then. */
    public long decideAt(long changeTime) {
        return changeTime + lookbackMillis + settleMillis;
    }

    @Override
    public String toString() {
        return "ChangeOutcomeConfig{defaultEnvironment=" + defaultEnvironment + ", lookback=" + Duration.ofMillis(lookbackMillis) + ", settle="
                + Duration.ofMillis(settleMillis) + ", grace=" + Duration.ofMillis(graceMillis) + '}';
    }
}
