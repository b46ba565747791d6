package io.sift.core.detect;

import java.util.Locale;

/** What a series' detector does with the samples missing in a gap (the series' shortest interval is the step). */
public enum GapPolicy {
    /** Nothing: the next sample is scored as if it followed directly (for gauges sampled irregularly). */
    SKIP,
    /** Missing samples count as zero (counts and rates that report nothing when there is nothing). */
    ZERO,
    /** Missing samples repeat the previous value (gauges that report on change only). */
    PREVIOUS;

    public static GapPolicy parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gap policy must be skip, zero or previous; got '" + text + "'");
        }
    }
}
