package io.sift.testing;

import java.time.Duration;
import java.time.Instant;

/** Fixed points in time for deterministic tests: a Monday morning in UTC and a few steps after it. */
public final class FixedInstants {

    /** 2026-11-02T09:00:00Z, a Monday. */
    public static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    /** {@link #T0} plus one second. */
    public static final Instant T0_PLUS_1S = T0.plusSeconds(1);
    /** {@link #T0} plus ten seconds. */
    public static final Instant T0_PLUS_10S = T0.plusSeconds(10);
    /** {@link #T0} plus one minute. */
    public static final Instant T1 = T0.plus(Duration.ofMinutes(1));
    /** {@link #T0} plus five minutes. */
    public static final Instant T5 = T0.plus(Duration.ofMinutes(5));
    /** {@link #T0} plus one hour. */
    public static final Instant T0_PLUS_1H = T0.plus(Duration.ofHours(1));
    /** {@link #T0} plus one day: 2026-11-03T09:00:00Z. */
    public static final Instant T0_PLUS_1D = T0.plus(Duration.ofDays(1));

    private FixedInstants() {
    }

    /** {@link #T0} plus the given number of seconds. */
    public static Instant t0PlusSeconds(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
