package io.sift.core.detect;

import io.sift.schema.Anomaly;
import java.util.HashMap;
import java.util.Map;

/**
 * A series' recent excursions beyond its baseline, so that a departure it makes day after day is its habit rather
 * than news: a container that runs a job every few hours (its process count steps from 4 to 7 and back), a rate that
 * is zero but for short bursts. The habit envelope of {@link RobustBaselineDetector} counts samples, so a departure of
 * a few minutes that recurs all day stays below its share; this counts the days on which departures happened. An
 * excursion is a run of samples beyond the baseline's gates; for each of the last {@link #DAYS} days with one, their
 * number and largest peak deviation are kept. Days, not only a count of excursions: a fault that strikes a service
 * several times within hours is still news each time, a departure made several times a day on most days is not.
 */
public final class Excursions {

    /**
     * Label set on an episode that opened on a routine departure ({@link #habitual}): the anomaly is recorded and may
     * join an incident, but opens none of its own. Set by Sift; a series' own label of this name is overwritten.
     */
    public static final String ROUTINE_LABEL = "sift.routine";

    /** Days remembered per series (a week, so that a weekday pattern is learnt too). */
    static final int DAYS = 7;
    /**
     * A departure is habitual when, on this many of the remembered days, the series departed at least
     * {@link #PER_DAY} times and as far.
     */
    static final int HABITUAL_DAYS = 3;
    /** Departures a day that make a routine: more than one, so a fault or a daily batch once a day stays news. */
    static final int PER_DAY = 2;
    static final long DAY_MILLIS = 24L * 3_600_000L;
    /**
     * An earlier day covers a departure when its peak times this factor reaches the departure's deviation (the same
     * margin as the habit envelope's), so a fault well beyond the usual departures still opens an episode.
     */
    static final double MARGIN = 1.5;

    private Excursions() {}

    /** Whether an anomaly opened on a departure its series routinely makes. */
    public static boolean isRoutine(Anomaly anomaly) {
        return "true".equals(anomaly.getLabels().get(ROUTINE_LABEL));
    }

    /** Marks a just-opened episode (and so its later versions) as routine. */
    static void markRoutine(Anomaly episode) {
        Map<String, String> labels = new HashMap<>(episode.getLabels());
        labels.put(ROUTINE_LABEL, "true");
        episode.setLabels(labels);
    }

    /**
     * Whether a deviation beyond the baseline's gates is one the series already made on {@link #HABITUAL_DAYS} of the
     * {@link #DAYS} days up to {@code time}.
     */
    static boolean habitual(SeriesState state, double absDeviation, long time) {
        if (state.excursionDays == null) {
            return false;
        }
        long today = Math.floorDiv(time, DAY_MILLIS);
        int covering = 0;
        for (int i = 0; i < DAYS; i++) {
            long day = state.excursionDays[i] - 1;
            if (state.excursionDays[i] != 0 && today - day < DAYS && state.excursionCounts[i] >= PER_DAY
                    && MARGIN * state.excursionPeaks[i] >= absDeviation) {
                covering++;
            }
        }
        return covering >= HABITUAL_DAYS;
    }

    /** Follows the current excursion: a sample beyond the gates extends it, a sample within them ends it. */
    static void track(SeriesState state, boolean beyond, double absDeviation, long time) {
        if (beyond) {
            if (state.excursionStart == 0) {
                state.excursionStart = time;
                state.excursionPeak = absDeviation;
            } else {
                state.excursionPeak = Math.max(state.excursionPeak, absDeviation);
            }
            return;
        }
        if (state.excursionStart != 0) {
            remember(state, Math.floorDiv(state.excursionStart, DAY_MILLIS), state.excursionPeak);
            state.excursionStart = 0;
            state.excursionPeak = 0;
        }
    }

    private static void remember(SeriesState state, long day, double peak) {
        if (state.excursionDays == null) {
            state.excursionDays = new long[DAYS];
            state.excursionPeaks = new double[DAYS];
            state.excursionCounts = new int[DAYS];
        }
        // Slots hold day + 1 (0: unused); the day's slot keeps its largest peak, a new day takes the oldest slot.
        int oldest = 0;
        for (int i = 0; i < DAYS; i++) {
            if (state.excursionDays[i] == day + 1) {
                state.excursionPeaks[i] = Math.max(state.excursionPeaks[i], peak);
                state.excursionCounts[i]++;
                return;
            }
            if (state.excursionDays[i] < state.excursionDays[oldest]) {
                oldest = i;
            }
        }
        state.excursionDays[oldest] = day + 1;
        state.excursionPeaks[oldest] = peak;
        state.excursionCounts[oldest] = 1;
    }
}
