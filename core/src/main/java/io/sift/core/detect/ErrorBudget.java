package io.sift.core.detect;

import io.sift.core.util.StableIds;
import io.sift.schema.SloState;
import io.sift.schema.SloStatus;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

/**
 * The error-budget accounting of one SLO over its rolling window, from the samples of its SLI (an error ratio, the
 * share of bad events, 0-1; the samples of all the service's instances are pooled).
 *
 * <p>Accounting, in minutes of complete outage: the budget of a window is {@code (1 - objective) x window} (99.9 %
 * over 28 days: 40.32 minutes); a minute spends its mean error ratio (a minute at 100 % errors spends one minute,
 * one at 2 % spends 0.02). This is the bad-event fraction weighted by time, which equals the share of bad requests
 * when traffic is steady over the window; minutes without samples spend nothing. Burn rates are the mean error
 * ratio of the samples in a window divided by {@code 1 - objective}, as in the burn-rate anomaly ({@link RuleSet}),
 * and the status uses the same multi-window conditions ({@link SloRule#firing}), so both agree on one series.
 *
 * <p>Bounded memory whatever the window: per-minute sums of the last {@value #MINUTES} minutes (plus
 * {@value #SLACK} minutes of slack for samples ahead of the minute being reported), and per-hour sums over the
 * window. Windows longer than the minute ring are resolved to whole hours beyond it. A status is computed as of
 * the end of a given minute and only from samples up to it, so it does not depend on how far ahead other samples
 * have arrived. Samples older than the minute ring are refused ({@link #add} returns false): too late to account.
 */
public final class ErrorBudget implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Minutes resolved minute by minute (the 6 h burn window). */
    static final int MINUTES = 360;
    /** Extra minute slots for samples that arrive ahead of the minute being reported. */
    static final int SLACK = 30;
    private static final int RING = MINUTES + SLACK;
    /** Remaining budget below which the status is WARNING. */
    public static final double WARNING_FRACTION = 0.25;

    private final int hours;
    private final long[] minuteStamp = new long[RING];
    private final double[] minuteSum = new double[RING];
    private final int[] minuteCount = new int[RING];
    private final long[] hourStamp;
    private final double[] hourSum;
    private final long[] hourCount;
    /** Per hour, the sum of its minutes' mean error ratios (budget minutes spent in it). */
    private final double[] hourBad;
    private final int[] hourMinutes;
    private long latestMinute = Long.MIN_VALUE;

    public ErrorBudget(long windowMinutes) {
        this.hours = (int) ((windowMinutes + 59) / 60) + 1;
        hourStamp = new long[hours];
        hourSum = new double[hours];
        hourCount = new long[hours];
        hourBad = new double[hours];
        hourMinutes = new int[hours];
        Arrays.fill(minuteStamp, Long.MIN_VALUE);
        Arrays.fill(hourStamp, Long.MIN_VALUE);
    }

    /** The minute (since the epoch) of an event time. */
    public static long minuteOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000L);
    }

    /**
     * Adds one SLI sample (event time in ms, error ratio clamped to 0-1). Returns false, and ignores it, when it is
     * older than the minute ring.
     */
    public boolean add(long epochMillis, double errorRatio) {
        long minute = minuteOf(epochMillis);
        if (latestMinute != Long.MIN_VALUE && minute <= latestMinute - RING) {
            return false;
        }
        double ratio = Double.isFinite(errorRatio) ? Math.max(0.0, Math.min(1.0, errorRatio)) : 0.0;
        latestMinute = Math.max(latestMinute, minute);
        int m = (int) Math.floorMod(minute, RING);
        if (minuteStamp[m] != minute) {
            // The slot's old minute is older than the ring; its share is already in its hour.
            minuteStamp[m] = minute;
            minuteSum[m] = 0.0;
            minuteCount[m] = 0;
        }
        double before = minuteCount[m] == 0 ? 0.0 : minuteSum[m] / minuteCount[m];
        boolean firstOfMinute = minuteCount[m] == 0;
        minuteSum[m] += ratio;
        minuteCount[m]++;
        long hour = Math.floorDiv(minute, 60L);
        int h = (int) Math.floorMod(hour, hours);
        if (hourStamp[h] != hour) {
            hourStamp[h] = hour;
            hourSum[h] = 0.0;
            hourCount[h] = 0;
            hourBad[h] = 0.0;
            hourMinutes[h] = 0;
        }
        hourSum[h] += ratio;
        hourCount[h]++;
        hourBad[h] += minuteSum[m] / minuteCount[m] - before;
        if (firstOfMinute) {
            hourMinutes[h]++;
        }
        return true;
    }

    /** Whether samples of this minute are held (a status of it can be given). */
    public boolean hasSamples(long minute) {
        int m = (int) Math.floorMod(minute, RING);
        return minuteStamp[m] == minute && minuteCount[m] > 0;
    }

    /** Mean error ratio of the samples in the {@code minutes} up to and including {@code atMinute} (0 without). */
    public double ratio(int minutes, long atMinute) {
        double[] sums = sums(minutes, atMinute);
        return sums[1] == 0 ? 0.0 : sums[0] / sums[1];
    }

    /** {sample sum, sample count, bad minutes, minutes with samples} over the window ending with atMinute. */
    private double[] sums(long minutes, long atMinute) {
        double sum = 0.0;
        double count = 0.0;
        double bad = 0.0;
        double observed = 0.0;
        // Longer windows: minute by minute back to an hour boundary, whole hours before it (no gap, no overlap).
        long fineFrom = minutes <= MINUTES ? atMinute - minutes
                : Math.floorDiv(atMinute - MINUTES + 60, 60L) * 60 - 1; // exclusive
        for (int i = 0; i < RING; i++) {
            if (minuteStamp[i] > fineFrom && minuteStamp[i] <= atMinute && minuteCount[i] > 0) {
                sum += minuteSum[i];
                count += minuteCount[i];
                bad += minuteSum[i] / minuteCount[i];
                observed++;
            }
        }
        if (minutes > MINUTES) {
            // Whole hours that end before the fine part and start inside the window.
            long from = atMinute - minutes; // exclusive
            for (int i = 0; i < hours; i++) {
                long start = hourStamp[i] * 60;
                if (hourStamp[i] != Long.MIN_VALUE && start + 59 <= fineFrom && start > from) {
                    sum += hourSum[i];
                    count += hourCount[i];
                    bad += hourBad[i];
                    observed += hourMinutes[i];
                }
            }
        }
        return new double[] {sum, count, bad, observed};
    }

    /** The budget of the SLO as of the end of {@code minute}. */
    public Status status(SloRule rule, long minute) {
        double[] window = sums(rule.windowMinutes, minute);
        double budget = rule.budgetMinutes();
        double consumed = window[2];
        double remaining = budget - consumed;
        SloRule.Firing firing = SloRule.firing(m -> rule.burnRate(ratio(m, minute)));
        SloState state;
        if (remaining <= 0.0) {
            state = SloState.EXHAUSTED;
        } else if (firing != null && firing.condition().severity().equals("page")) {
            state = SloState.FAST_BURN;
        } else if (firing != null) {
            state = SloState.SLOW_BURN;
        } else if (remaining / budget < WARNING_FRACTION) {
            state = SloState.WARNING;
        } else {
            state = SloState.OK;
        }
        int m = (int) Math.floorMod(minute, RING);
        boolean held = minuteStamp[m] == minute && minuteCount[m] > 0;
        return new Status(minute, budget, consumed, remaining, remaining / budget,
                rule.burnRate(ratio(5, minute)), rule.burnRate(ratio(60, minute)), rule.burnRate(ratio(360, minute)),
                rule.burnRate(ratio(3 * 24 * 60, minute)), state, firing,
                held ? minuteSum[m] / minuteCount[m] : 0.0, held ? minuteCount[m] : 0, (long) window[3]);
    }

    /** The budget of one SLO at the end of one minute. */
    public record Status(long minute, double budgetMinutes, double consumedMinutes, double remainingMinutes,
            double remainingFraction, double burnRate5m, double burnRate1h, double burnRate6h, double burnRate3d,
            SloState state, SloRule.Firing firing, double minuteRatio, int minuteSamples, long observedMinutes) {

        /** The status as the record Sift publishes, with an id that is the same on every replay. */
        public SloStatus toRecord(String environment, SloRule rule) {
            Instant time = Instant.ofEpochMilli(minute * 60_000L);
            return SloStatus.newBuilder()
                    .setId(StableIds.of("slo", environment, rule.name, Long.toString(time.toEpochMilli())))
                    .setTime(time)
                    .setEnvironment(environment)
                    .setService(rule.service)
                    .setSlo(rule.name)
                    .setSli(rule.metric)
                    .setObjective(rule.objective)
                    .setWindowMinutes(rule.windowMinutes)
                    .setBudgetMinutes(budgetMinutes)
                    .setConsumedMinutes(consumedMinutes)
                    .setRemainingMinutes(remainingMinutes)
                    .setRemainingFraction(remainingFraction)
                    .setBurnRate5m(burnRate5m)
                    .setBurnRate1h(burnRate1h)
                    .setBurnRate6h(burnRate6h)
                    .setBurnRate3d(burnRate3d)
                    .setStatus(state)
                    .setAlertWindows(firing == null ? null : firing.condition().windows())
                    .setErrorRatio(minuteRatio)
                    .setSamples(minuteSamples)
                    .setObservedMinutes(observedMinutes)
                    .build();
        }
    }
}
