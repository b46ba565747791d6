package io.sift.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * In a storm of new templates the miner's cost per line does not grow with the templates it holds: a line that
 * matches nothing is looked up in posting lists, not compared with every template of its length. Measured as a
 * ratio of two throughputs in the same JVM (a cap of 200 templates against one of 5,000, runs alternated, best of
 * each), which a loaded machine slows alike; the scan this replaced ran about 10 times slower at the larger cap.
 */
class TemplateStormScalingTest {

    private static final int LINES = 20_000;

    @Test
    void aLineOfATemplateStormCostsAboutTheSameWithTwentyFiveTimesTheTemplates() {
        int small = 200;
        int large = 5_000;
        storm(small, LINES / 2); // warm-up: compiled code for both runs
        storm(large, LINES / 2);
        double bestSmall = 0;
        double bestLarge = 0;
        for (int round = 0; round < 3; round++) {
            bestSmall = Math.max(bestSmall, storm(small, LINES));
            bestLarge = Math.max(bestLarge, storm(large, LINES));
        }
        System.out.printf("template storm, miner alone: %,.0f lines/s holding %,d templates, %,.0f lines/s holding"
                + " %,d (ratio %.2f)%n", bestSmall, small, bestLarge, large, bestLarge / bestSmall);
        assertTrue(bestLarge > 0.4 * bestSmall, "the cost per new line grows with the templates held: "
                + bestLarge + " lines/s with " + large + " templates against " + bestSmall + " with " + small);
    }

    /** Mines {@code lines} lines of distinct templates under the cap; returns lines per second. */
    private static double storm(int cap, int lines) {
        TemplateMiner miner = new TemplateMiner(MinerConfig.defaults().withMaxTemplates(cap));
        TemplateMinerState state = new TemplateMinerState();
        long started = System.nanoTime();
        for (int i = 0; i < lines; i++) {
            String w = word(i);
            if (!miner.mine(state, "op" + w + " stage" + w + " step" + w + " phase" + w, i).isNew()) {
                throw new AssertionError("line " + i + " should start a template");
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(Math.min(cap, lines), state.templates.size(), "the cap holds");
        assertEquals(Math.max(0, lines - cap), state.evictions, "every eviction is counted");
        return lines / seconds;
    }

    /** A word of letters g-z only (never masked as a number or hex), different for every i. */
    private static String word(int i) {
        StringBuilder w = new StringBuilder();
        do {
            w.append((char) ('g' + i % 20));
            i /= 20;
        } while (i > 0);
        return w.toString();
    }
}
