package io.sift.core.detect;

import java.io.IOException;
import java.io.Serializable;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;

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

    /**
     * Writes the buckets that can still count (a minute bucket within 6 h of the latest minute, an hour bucket within
     * 3 days of the latest hour; older ones are never read again and are overwritten when their slot comes round) as
     * Avro binary primitives: the latest minute, then per ring the number of buckets and each bucket's distance back
     * from the latest (varint), sum and count. About 11 bytes per minute bucket instead of the arrays' 20.
     */
    public void writeTo(Encoder out) throws IOException {
        out.writeLong(latestMinute);
        if (latestMinute == Long.MIN_VALUE) {
            return;
        }
        writeRing(out, minuteStamp, minuteSum, minuteCount, latestMinute);
        writeRing(out, hourStamp, hourSum, hourCount, Math.floorDiv(latestMinute, 60L));
    }

    private static void writeRing(Encoder out, long[] stamp, double[] sum, int[] count, long latest)
            throws IOException {
        int live = 0;
        for (long s : stamp) {
            if (live(s, latest, stamp.length)) {
                live++;
            }
        }
        out.writeInt(live);
        for (int i = 0; i < stamp.length; i++) {
            if (live(stamp[i], latest, stamp.length)) {
                out.writeLong(latest - stamp[i]);
                out.writeDouble(sum[i]);
                out.writeInt(count[i]);
            }
        }
    }

    private static boolean live(long stamp, long latest, int ring) {
        return stamp != Long.MIN_VALUE && stamp > latest - ring && stamp <= latest;
    }

    /** The windows {@link #writeTo} wrote. */
    public static BurnWindows readFrom(Decoder in) throws IOException {
        BurnWindows w = new BurnWindows();
        w.latestMinute = in.readLong();
        if (w.latestMinute == Long.MIN_VALUE) {
            return w;
        }
        readRing(in, w.minuteStamp, w.minuteSum, w.minuteCount, w.latestMinute);
        readRing(in, w.hourStamp, w.hourSum, w.hourCount, Math.floorDiv(w.latestMinute, 60L));
        return w;
    }

    private static void readRing(Decoder in, long[] stamp, double[] sum, int[] count, long latest)
            throws IOException {
        int live = in.readInt();
        if (live < 0 || live > stamp.length) {
            throw new IOException("burn windows: " + live + " buckets in a ring of " + stamp.length);
        }
        for (int k = 0; k < live; k++) {
            long s = latest - in.readLong();
            int i = (int) Math.floorMod(s, (long) stamp.length);
            stamp[i] = s;
            sum[i] = in.readDouble();
            count[i] = in.readInt();
        }
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
