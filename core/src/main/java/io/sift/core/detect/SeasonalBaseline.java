package io.sift.core.detect;

import java.io.Serializable;

/**
 * A robust, adaptive level with learned hour-of-day and day-of-week offsets. The level and every seasonal offset
 * learn from Huber-clipped residuals, so spikes barely move them. The seasonal offsets are only used when they
 * explain the series: the model keeps the residual scale with and without them and predicts with the smaller.
 */
public final class SeasonalBaseline implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final long HOUR_MILLIS = 3_600_000L;
    private static final int HOURS_PER_DAY = 24;
    private static final int DAYS_PER_WEEK = 7;
    /** Mean absolute deviation × this ≈ standard deviation for normal noise. */
    private static final double MAD_TO_SIGMA = 1.2533;
    /** Residuals are clipped at this many scales when learning. */
    private static final double CLIP = 3.0;
    /** Seasonal offsets are used once their residual scale is below this share of the plain one. */
    private static final double SEASONAL_GAIN = 0.9;

    private final double alpha;
    private final double seasonalAlpha;
    private final boolean seasonal;

    private long samples;
    private double level;
    private double plainMad;
    private double seasonalMad;
    private final double[] hourOffset = new double[HOURS_PER_DAY];
    private final double[] dayOffset = new double[DAYS_PER_WEEK];
    private final int[] hourVisits = new int[HOURS_PER_DAY];
    private final int[] dayVisits = new int[DAYS_PER_WEEK];

    public SeasonalBaseline(double alpha, double seasonalAlpha, boolean seasonal) {
        this.alpha = alpha;
        this.seasonalAlpha = seasonalAlpha;
        this.seasonal = seasonal;
    }

    public long samples() {
        return samples;
    }

    /** The level without seasonal offsets. */
    public double level() {
        return level;
    }

    /** The value expected at this time, before seeing it. */
    public double expected(long epochMillis) {
        return useSeasonal() ? level + offset(epochMillis) : level;
    }

    /** Robust standard deviation of the residuals of the prediction in use (never zero). */
    public double scale() {
        double mad = useSeasonal() ? seasonalMad : plainMad;
        double floor = Math.max(1e-9, 1e-4 * Math.abs(level));
        return Math.max(mad * MAD_TO_SIGMA, floor);
    }

    /**
     * Moves the level so that the value expected at {@code epochMillis} is {@code expected}, and widens the residual
     * spreads to at least {@code meanAbsDeviation} (a level shift adopted as the new normal).
     */
    public void rebase(long epochMillis, double expected, double meanAbsDeviation) {
        if (samples == 0) {
            return;
        }
        level += expected - expected(epochMillis);
        plainMad = Math.max(plainMad, meanAbsDeviation);
        seasonalMad = Math.max(seasonalMad, meanAbsDeviation);
    }

    /**
     * Learns a sample. {@code weight} in (0, 1] slows learning (e.g. while the sample looks anomalous).
     */
    public void learn(long epochMillis, double value, double weight) {
        samples++;
        if (samples == 1) {
            level = value;
            return;
        }
        // Early samples learn fast (a running mean), later ones at the configured rate.
        double rate = Math.max(alpha, 1.0 / samples) * weight;
        double scale = scale();
        double clip = CLIP * scale;
        int hour = hourOfDay(epochMillis);
        int day = dayOfWeek(epochMillis);
        double offset = offset(epochMillis);

        double plainResidual = value - level;
        double seasonalResidual = value - level - offset;
        plainMad += rate * (Math.min(Math.abs(plainResidual), clip) - plainMad);
        seasonalMad += rate * (Math.min(Math.abs(seasonalResidual), clip) - seasonalMad);

        double residual = seasonal ? seasonalResidual : plainResidual;
        double clipped = Math.max(-clip, Math.min(clip, residual));
        level += rate * clipped;
        if (seasonal) {
            double deseasonalised = clipped;
            hourVisits[hour]++;
            double hourRate = Math.max(seasonalAlpha, 1.0 / hourVisits[hour]) * weight;
            hourOffset[hour] += hourRate * deseasonalised;
            dayVisits[day]++;
            double dayRate = Math.max(seasonalAlpha / HOURS_PER_DAY, 1.0 / dayVisits[day]) * weight;
            dayOffset[day] += dayRate * (deseasonalised - hourRate * deseasonalised);
        }
    }

    private boolean useSeasonal() {
        return seasonal && samples > 2 * HOURS_PER_DAY && seasonalMad < SEASONAL_GAIN * plainMad;
    }

    private double offset(long epochMillis) {
        return hourOffset[hourOfDay(epochMillis)] + dayOffset[dayOfWeek(epochMillis)];
    }

    private static int hourOfDay(long epochMillis) {
        return (int) Math.floorMod(epochMillis / HOUR_MILLIS, HOURS_PER_DAY);
    }

    private static int dayOfWeek(long epochMillis) {
        return (int) Math.floorMod(Math.floorDiv(epochMillis, HOUR_MILLIS * HOURS_PER_DAY), DAYS_PER_WEEK);
    }
}
