package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeasonalBaselineTest {

    private static final long HOUR = 3_600_000L;

    private static double daily(long time) {
        return 100 + 30 * Math.sin(2 * Math.PI * (time % (24 * HOUR)) / (24.0 * HOUR));
    }

    private static SeasonalBaseline learnDays(boolean seasonal, int days) {
        SeasonalBaseline baseline = new SeasonalBaseline(0.01, 0.05, seasonal);
        Random random = new Random(7);
        for (long time = 0; time < days * 24 * HOUR; time += HOUR / 12) {
            baseline.learn(time, daily(time) + random.nextGaussian(), 1.0);
        }
        return baseline;
    }

    @Test
    void learnsTheDailyPattern() {
        SeasonalBaseline seasonal = learnDays(true, 14);
        long sixAm = 14 * 24 * HOUR + 6 * HOUR;

        // The level itself follows the swing a little (it learns every residual), hence a loose tolerance.
        assertEquals(daily(sixAm), seasonal.expected(sixAm), 10.0);
        double plainError = Math.abs(learnDays(false, 14).expected(sixAm) - daily(sixAm));
        assertTrue(plainError > 20.0, "without offsets the peak is missed, error " + plainError);
        assertTrue(seasonal.scale() < 3.0, "residual scale near the noise (1), got " + seasonal.scale());
    }

    @Test
    void withoutSeasonalityTheDailySwingIsNoise() {
        SeasonalBaseline plain = learnDays(false, 14);

        assertTrue(plain.scale() > 10.0, "the swing of 30 shows in the plain scale, got " + plain.scale());
    }
}
