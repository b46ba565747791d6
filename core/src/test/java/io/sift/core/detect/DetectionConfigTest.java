package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Detector names, and the quick warm-up that scores a sparse series early with a wide band. */
class DetectionConfigTest {

    @Test
    void parsesCombinationsAndRejectsWhatCannotRun() {
        assertEquals(java.util.List.of("baseline", "rcf"), DetectionConfig.parse("baseline + RCF"));
        assertThrows(IllegalArgumentException.class, () -> DetectionConfig.parse("robust-baseline+rcf"));
        assertThrows(IllegalArgumentException.class, () -> DetectionConfig.parse("holt-winters"));
    }

    private static double peakScore(int quickWarmUp) {
        MetricModel model = new MetricModel(DetectorConfig.builder().randomCutForest(false).baselineScoring(true)
                .quickWarmUpSamples(quickWarmUp).build());
        Random random = new Random(9);
        double peak = 0;
        for (int i = 0; i < 40; i++) {
            Assessment a = model.assess(60_000L * i, (i == 35 ? 200 : 100) + random.nextGaussian());
            peak = Math.max(peak, a.score());
            if (i == 35 && quickWarmUp > 0) {
                assertTrue(a.upper() - a.expected() > 6 * 0.5, "a wide band early: " + a);
            }
        }
        return peak;
    }

    @Test
    void quickWarmUpScoresASparseSeriesLongBeforeTheModelsWarmUpEnds() {
        assertEquals(0.0, peakScore(0), "without it, 40 samples are still warming up");
        assertTrue(peakScore(20) >= 50, "with it, a 100-sigma spike at sample 36 alerts");
    }

    @Test
    void aModelSurvivesItsSerialFormWithTheSameFuture() {
        DetectorConfig config = DetectorConfig.builder().warmUpSamples(50).forestTrees(5).forestSampleSize(32)
                .changePoint(true).build();
        MetricModel a = new MetricModel(config);
        Random random = new Random(4);
        for (int i = 0; i < 200; i++) {
            a.assess(60_000L * i, 10 + random.nextGaussian());
        }
        MetricModel b = MetricModel.fromBytes(a.toBytes());
        for (int i = 200; i < 300; i++) {
            double v = (i > 280 ? 30 : 10) + random.nextGaussian();
            assertEquals(a.assess(60_000L * i, v), b.assess(60_000L * i, v), "sample " + i);
        }
    }
}
