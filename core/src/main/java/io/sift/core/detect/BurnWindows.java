package io.sift.core.detect;

import java.io.Serializable;

/**
 * Running aggregates of one error-ratio series for burn-rate windows: per-minute buckets (sum and count of the
 * samples) in a ring covering 6 h and per-hour buckets in a ring covering 3 days. Event-time based (a bucket is
 * the sample's epoch minute or hour), deterministic and bounded (about 9 KB). The error ratio of a window is the
 * mean of the samples in it; windows longer than 6 h are resolved to whole hours.
 */
public final class BurnWindows implements Serializable {

    private static final long serialVersionUID = 1L;

    static final int MINUTES = 360;
    static final int HOURS = 72;

    private final long[] minuteStamp = new long[MINUTES];
    private final double[] minuteSum = new double[MINUTES];
    private final int[] minuteCount = new int[MINUTES];
    private final long[] hourStamp = new long[HOURS];
    private final double[] hourSum = new double[HOURS];
    private final int[] hourCount = new int[HOURS];
    private long latestMinute = Long.MIN_VALUE;

    public BurnWindows() {
        java.util.Arrays.fill(minuteStamp, Long.MIN_VALUE);
        java.util.Arrays.fill(hourStamp, Long.MIN_VALUE);
    }

    /** Adds one sample (event time in ms, error ratio). */
    public void add(long epochMillis, double errorRatio) {
        long minute = Math.floorDiv(epochMillis, 60_000L);
        latestMinute = Math.max(latestMinute, minute);
        int m = (int) Math.floorMod(minute, MINUTES);
        if (minuteStamp[m] != minute) {
            minuteStamp[m] = minute;
            minuteSum[m] = 0.0;
            minuteCount[m] = 0;
        }
        minuteSum[m] += errorRatio;
        minuteCount[m]++;
        long hour = Math.floorDiv(minute, 60L);
        int h = (int) Math.floorMod(hour, HOURS);
        if (hourStamp[h] != hour) {
            hourStamp[h] = hour;
            hourSum[h] = 0.0;
            hourCount[h] = 0;
        }
        hourSum[h] += errorRatio;
        hourCount[h]++;
    }

    /** Mean error ratio over the last {@code minutes} minutes up to the latest sample (0 without samples). */
    public double ratio(int minutes) {
        if (latestMinute == Long.MIN_VALUE) {
            return 0.0;
        }
        double sum = 0.0;
        long count = 0;
        if (minutes <= MINUTES) {
            for (int i = 0; i < MINUTES; i++) {
                if (minuteStamp[i] > latestMinute - minutes && minuteStamp[i] <= latestMinute) {
                    sum += minuteSum[i];
                    count += minuteCount[i];
                }
            }
        } else {
            long latestHour = Math.floorDiv(latestMinute, 60L);
            int hours = (int) Math.min(HOURS, (minutes + 59) / 60);
            for (int i = 0; i < HOURS; i++) {
                if (hourStamp[i] > latestHour - hours && hourStamp[i] <= latestHour) {
                    sum += hourSum[i];
                    count += hourCount[i];
                }
            }
        }
        return count == 0 ? 0.0 : sum / count;
    }
}
