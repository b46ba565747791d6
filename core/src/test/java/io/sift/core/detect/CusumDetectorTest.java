package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CusumDetectorTest {

    @Test
    void sustainedSmallShiftCrossesTheInterval() {
        CusumDetector cusum = new CusumDetector(0.5, 8.0);
        Random random = new Random(8);
        for (int i = 0; i < 500; i++) {
            cusum.update(random.nextGaussian());
        }
        int crossedAfter = -1;
        for (int i = 0; i < 100 && crossedAfter < 0; i++) {
            if (cusum.update(1.5 + random.nextGaussian()) >= 1.0) {
                crossedAfter = i;
            }
        }
        assertTrue(crossedAfter >= 0 && crossedAfter < 30, "a 1.5-sigma shift is declared within 30 samples, got "
                + crossedAfter);
    }

    @Test
    void noiseRarelyCrosses() {
        CusumDetector cusum = new CusumDetector(0.5, 8.0);
        Random random = new Random(9);
        int crossings = 0;
        for (int i = 0; i < 2000; i++) {
            if (Math.abs(cusum.update(random.nextGaussian())) >= 1.0) {
                crossings++;
            }
        }
        assertTrue(crossings <= 5, "noise crossed " + crossings + " times");
    }

    @Test
    void dropsAreSignedNegative() {
        CusumDetector cusum = new CusumDetector(0.5, 8.0);
        double surprise = 0;
        for (int i = 0; i < 10; i++) {
            surprise = cusum.update(-3.0);
        }
        assertTrue(surprise < 0, "a drop gives a negative surprise, got " + surprise);
    }
}
