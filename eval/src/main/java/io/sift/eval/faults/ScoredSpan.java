package io.sift.eval.faults;

import java.time.Duration;
import java.time.Instant;

/**
 * A stretch of a data set's event time in which its incidents are scored: faults starting in it are counted, and
 * incidents opened in it away from any fault are noise. Stretches before a detector has seen any data (warm-up) and
 * gaps in the data are left out.
 */
public record ScoredSpan(String environment, Instant from, Instant until) {

    public ScoredSpan {
        if (!until.isAfter(from)) {
            throw new IllegalArgumentException("a scored span must end after it starts: " + from + " .. " + until);
        }
    }

    public Duration length() {
        return Duration.between(from, until);
    }

    public boolean contains(Instant time) {
        return !time.isBefore(from) && time.isBefore(until);
    }
}
