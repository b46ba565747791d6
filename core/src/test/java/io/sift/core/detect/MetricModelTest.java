package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricModelTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 300_000L;
    private static final int SPIKE_AT = 1500;

    /** Noisy level 100 with a 5-minute step, and a spike of {@code spike} at {@link #SPIKE_AT}. */
    private static double[] noisyWithSpike(double spike, long seed) {
        Random random = new Random(seed);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 100 + 2 * random.nextGaussian();
        }
        values[SPIKE_AT] += spike;
        return values;
    }

    private static double[] scores(DetectorConfig config, double[] values) {
        MetricModel model = new MetricModel(config);
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scores[i] = model.assess(T0 + i * STEP, values[i]).score();
        }
        return scores;
    }

    private static int alerts(double[] scores, double alertScore) {
        int count = 0;
        for (double score : scores) {
            if (score >= alertScore) {
                count++;
            }
        }
        return count;
    }

    @Test
    void spikeAlertsAndNoiseMostlyDoesNot() {
        DetectorConfig config = DetectorConfig.defaults();
        double[] scores = scores(config, noisyWithSpike(40, 1));

        assertTrue(scores[SPIKE_AT] >= config.alertScore, "spike scored " + scores[SPIKE_AT]);
        assertTrue(alerts(scores, config.alertScore) <= 5, "too many alerts on noise: " + alerts(scores, config.alertScore));
    }

    @Test
    void warmUpGivesNoScore() {
        DetectorConfig config = DetectorConfig.builder().warmUpSamples(50).build();
        double[] values = noisyWithSpike(0, 2);
        values[10] = 1000;
        double[] scores = scores(config, values);

        for (int i = 0; i < 50; i++) {
            assertEquals(0.0, scores[i], "sample " + i + " is in the warm-up");
        }
    }

    @Test
    void directionFilterIgnoresDropsWhenOnlyRisesMatter() {
        double[] drop = noisyWithSpike(-40, 3);

        assertTrue(scores(DetectorConfig.defaults(), drop)[SPIKE_AT] >= 50, "a drop alerts by default");
        assertEquals(0.0, scores(DetectorConfig.builder().direction(DirectionFilter.UP).build(), drop)[SPIKE_AT]);
    }

    @Test
    void smallAbsoluteDeviationIsNotRaised() {
        double[] values = noisyWithSpike(40, 4);

        double[] scores = scores(DetectorConfig.builder().minAbsoluteDeviation(100).build(), values);

        assertEquals(0.0, scores[SPIKE_AT]);
    }

    @Test
    void aModelCopiedMidStreamScoresTheRestExactlyAsTheOriginal() {
        // A checkpoint copies the model (heap state while a snapshot runs; RocksDB on every access): the copy must go
        // on exactly as the original would, or the job's output depends on when checkpoints happened.
        double[] values = noisyWithSpike(40, 11);
        DetectorConfig config = DetectorConfig.defaults();
        MetricModel original = new MetricModel(config);
        MetricModel copied = new MetricModel(config);
        for (int i = 0; i < values.length; i++) {
            if (i % 97 == 50) {
                copied = MetricModel.fromBytes(copied.toBytes());
            }
            double a = original.assess(T0 + i * STEP, values[i]).score();
            double b = copied.assess(T0 + i * STEP, values[i]).score();
            assertEquals(a, b, "score of sample " + i);
        }
    }

    @Test
    void aRestoredModelTakesTheCurrentAlertControlsAndKeepsItsLearningStructure() {
        double[] drop = noisyWithSpike(-40, 3);
        DetectorConfig before = DetectorConfig.defaults();
        MetricModel model = new MetricModel(before);
        for (int i = 0; i < SPIKE_AT; i++) {
            model.assess(T0 + i * STEP, drop[i]);
        }
        byte[] checkpoint = model.toBytes();
        assertTrue(MetricModel.fromBytes(checkpoint).assess(T0 + SPIKE_AT * STEP, drop[SPIKE_AT]).score() >= 50,
                "with the old settings the drop alerts");

        // Restarted with only rises alerting, and a smaller forest that would need relearning.
        DetectorConfig after = DetectorConfig.builder().direction(DirectionFilter.UP).forestTrees(10).build();
        MetricModel restored = MetricModel.fromBytes(checkpoint);
        assertTrue(restored.adoptControls(after), "the controls changed");
        assertEquals(0.0, restored.assess(T0 + SPIKE_AT * STEP, drop[SPIKE_AT]).score(), "the new direction applies");
        assertEquals(DirectionFilter.UP, restored.config().direction);
        assertEquals(before.forestTrees, restored.config().forestTrees, "the learnt forest keeps its size");
        assertTrue(!restored.adoptControls(after), "adopting the same settings again changes nothing");

        MetricModel unchanged = MetricModel.fromBytes(checkpoint);
        assertTrue(!unchanged.adoptControls(DetectorConfig.defaults()), "equal settings are no change");
    }

    @Test
    void everySettingIsEitherAnAlertControlOrLearningStructure() {
        DetectorConfig base = DetectorConfig.defaults();
        java.util.Map<String, DetectorConfig.Builder> controls = new java.util.LinkedHashMap<>();
        controls.put("warmUpSamples", base.toBuilder().warmUpSamples(301));
        controls.put("quickWarmUpSamples", base.toBuilder().quickWarmUpSamples(7));
        controls.put("quickWarmUpSigmas", base.toBuilder().quickWarmUpSigmas(5));
        controls.put("newExtremeCheck", base.toBuilder().newExtremeCheck(false));
        controls.put("newExtremeTolerance", base.toBuilder().newExtremeTolerance(0.5));
        controls.put("direction", base.toBuilder().direction(DirectionFilter.DOWN));
        controls.put("minAbsoluteDeviation", base.toBuilder().minAbsoluteDeviation(1));
        controls.put("minRelativeDeviation", base.toBuilder().minRelativeDeviation(0.1));
        controls.put("minDeviationSigmas", base.toBuilder().minDeviationSigmas(2));
        controls.put("alertScore", base.toBuilder().alertScore(70));
        controls.put("refractorySamples", base.toBuilder().refractorySamples(3));
        controls.put("refractoryFactor", base.toBuilder().refractoryFactor(0.5));
        controls.put("refractoryExtension", base.toBuilder().refractoryExtension(2));
        java.util.Map<String, DetectorConfig.Builder> structure = new java.util.LinkedHashMap<>();
        structure.put("alpha", base.toBuilder().alpha(0.01));
        structure.put("seasonalAlpha", base.toBuilder().seasonalAlpha(0.1));
        structure.put("seasonality", base.toBuilder().seasonality(false));
        structure.put("baselineScoring", base.toBuilder().baselineScoring(true));
        structure.put("calibrationWindow", base.toBuilder().calibrationWindow(3));
        structure.put("calibrationAlpha", base.toBuilder().calibrationAlpha(0.01));
        structure.put("calibrationAlertBoost", base.toBuilder().calibrationAlertBoost(3));
        structure.put("changePoint", base.toBuilder().changePoint(true));
        structure.put("changePointSlack", base.toBuilder().changePointSlack(1));
        structure.put("changePointInterval", base.toBuilder().changePointInterval(4));
        structure.put("randomCutForest", base.toBuilder().randomCutForest(false));
        structure.put("forestShingleSize", base.toBuilder().forestShingleSize(4));
        structure.put("forestTrees", base.toBuilder().forestTrees(10));
        structure.put("forestSampleSize", base.toBuilder().forestSampleSize(64));
        structure.put("forestTimeDecay", base.toBuilder().forestTimeDecay(0.01));
        structure.put("forestSeed", base.toBuilder().forestSeed(7));
        assertEquals(29, controls.size() + structure.size(), "every setting of DetectorConfig is listed");
        controls.forEach((name, changed) -> {
            DetectorConfig current = changed.build();
            assertTrue(!current.sameControls(base), name + " is an alert control");
            assertEquals(current, current.withLearningOf(base), name + " is taken by a restored model");
        });
        structure.forEach((name, changed) -> {
            DetectorConfig current = changed.build();
            assertTrue(current.sameControls(base), name + " is learning structure");
            assertEquals(base, current.withLearningOf(base), name + " stays as the model was built");
        });
    }

    @Test
    void refractoryPeriodGivesOneAlertPerEpisode() {
        double[] values = noisyWithSpike(40, 5);
        values[SPIKE_AT + 5] += 60;
        DetectorConfig config = DetectorConfig.defaults();

        double[] scores = scores(config, values);

        assertTrue(scores[SPIKE_AT] >= config.alertScore);
        assertEquals(0.0, scores[SPIKE_AT + 5], "a second spike inside the refractory period is damped");
    }

    @Test
    void levelShiftIsFound() {
        Random random = new Random(6);
        double[] values = new double[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i < SPIKE_AT ? 100 : 130) + 2 * random.nextGaussian();
        }
        double[] scores = scores(DetectorConfig.defaults(), values);

        boolean found = false;
        for (int i = SPIKE_AT; i < SPIKE_AT + 20; i++) {
            found |= scores[i] >= 50;
        }
        assertTrue(found, "a 15-sigma level shift alerts within 20 samples");
    }

    @Test
    void invalidSettingsAreRefusedWithTheirName() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> DetectorConfig.builder().calibrationAlpha(2).build());
        assertTrue(error.getMessage().contains("calibrationAlpha"));
    }
}
