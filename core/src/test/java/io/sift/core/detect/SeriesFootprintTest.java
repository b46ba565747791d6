package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Heap and checkpoint bytes per active series, measured (not a timed test): {@code mvn -o -q -B -pl core -am test
 * -Dtest=SeriesFootprintTest -Dsurefire.failIfNoSpecifiedTests=false} prints the figures.
 */
class SeriesFootprintTest {

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long heapPerSeries(DetectorConfig config, int seriesCount, int samples) {
        Random random = new Random(1);
        List<Object> keep = new ArrayList<>(seriesCount);
        long before = usedAfterGc();
        for (int s = 0; s < seriesCount; s++) {
            MetricModel model = new MetricModel(config);
            SeriesState state = new SeriesState();
            for (int i = 0; i < samples; i++) {
                model.assess(60_000L * i, 100 + random.nextGaussian());
            }
            keep.add(model);
            keep.add(state);
        }
        long after = usedAfterGc();
        assertTrue(keep.size() == 2 * seriesCount);
        return (after - before) / seriesCount;
    }

    @Test
    /** Issue 3's budget: at most 2 KiB of heap per active series without a forest (figures printed for the note). */
    void seriesStateStaysWithinTwoKibWithoutAForest() {
        DetectorConfig noForest = DetectorConfig.builder().randomCutForest(false).changePoint(true)
                .baselineScoring(true).build();
        DetectorConfig forest = DetectorConfig.builder().changePoint(true).baselineScoring(true).build();
        long robust = robustHeapPerSeries(20_000);
        long model = heapPerSeries(noForest, 20_000, 400);
        long rcf = heapPerSeries(forest, 100, 600);
        MetricModel m = new MetricModel(noForest);
        MetricModel f = new MetricModel(forest);
        Random random = new Random(2);
        for (int i = 0; i < 600; i++) {
            double v = 100 + random.nextGaussian();
            m.assess(60_000L * i, v);
            f.assess(60_000L * i, v);
        }
        System.out.printf("heap bytes per series: robust-baseline %d, baseline+cusum %d, baseline+cusum+rcf"
                + " (30 trees x 256) %d; checkpoint bytes: baseline+cusum %d, +rcf %d%n", robust, model, rcf,
                m.toBytes().length, f.toBytes().length);
        assertTrue(robust <= 2048, "robust-baseline state " + robust + " B per series");
        assertTrue(model <= 2048, "baseline+cusum state " + model + " B per series");
        assertTrue(rcf > model, "a forest costs more than the baseline it sits on: " + rcf + " vs " + model);
    }

    private static long robustHeapPerSeries(int seriesCount) {
        RobustBaselineDetector detector = new RobustBaselineDetector(BaselineConfig.defaults());
        List<SeriesState> keep = new ArrayList<>(seriesCount);
        long before = usedAfterGc();
        for (int s = 0; s < seriesCount; s++) {
            SeriesState state = new SeriesState();
            keep.add(state);
        }
        long after = usedAfterGc();
        assertTrue(keep.size() == seriesCount && detector.config() != null);
        return (after - before) / seriesCount;
    }
}
