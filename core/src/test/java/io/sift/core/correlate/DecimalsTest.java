package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The reasons' numbers must read exactly as String.format wrote them before, halves and edges included. */
class DecimalsTest {

    private static void sameAsFormatter(double v) {
        assertEquals(String.format(Locale.ROOT, "%.1f", v), Decimals.fixed(v, 1), "%.1f of " + v);
        assertEquals(String.format(Locale.ROOT, "%.0f", v), Decimals.fixed(v, 0), "%.0f of " + v);
        assertEquals(String.format(Locale.ROOT, "%.3g", v), Decimals.threeSignificant(v), "%.3g of " + v);
    }

    @Test
    void halvesAndEdgesReadAsTheFormatterWritesThem() {
        double[] edges = {0.0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.5, 1.5, 2.5, 2.45, 2.55, 9.95, 9.96, 99.95, 99.96,
            99.995, 100.0, 0.0015, 0.00095, 0.001, 0.0005, 1e-4, 9.9995e-5, 1e7, 9_999_999.95, 1e9, 123456789.25,
            Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double v : edges) {
            sameAsFormatter(v);
            sameAsFormatter(-v);
        }
    }

    @Test
    void exactHalvesAtEveryScaleReadAsTheFormatterWritesThem() {
        for (long k = 0; k < 50_000; k++) {
            sameAsFormatter(k / 20.0);    // x.x5 and x.x0
            sameAsFormatter(k / 200.0);   // x.xx5, the third significant digit of small values
            sameAsFormatter(k / 2000.0);
            sameAsFormatter(-k / 20.0);
        }
    }

    @Test
    void randomValuesOfEveryMagnitudeReadAsTheFormatterWritesThem() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 150_000; i++) {
            double v = Math.pow(10, random.nextDouble(-6, 10)) * (random.nextBoolean() ? 1 : -1);
            sameAsFormatter(v);
            // Values a few ulps around a half of the last shown digit.
            double half = (Math.floor(Math.abs(v) * 10) + 0.5) / 10;
            sameAsFormatter(Math.nextUp(half));
            sameAsFormatter(Math.nextDown(half));
            sameAsFormatter(half);
        }
    }
}
