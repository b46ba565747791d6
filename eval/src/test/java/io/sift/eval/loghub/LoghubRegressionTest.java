package io.sift.eval.loghub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.logs.MinerConfig;
import io.sift.eval.EvalData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guards the miner's accuracy on the Loghub systems in the shared data: fails when the default configuration falls
 * below the figures it reached (average GA 0.9979, lowest system 0.9925, average PA 0.8610) by more than a small
 * margin, so a later change cannot quietly undo them.
 */
class LoghubRegressionTest {

    private static final double AVERAGE_GA_FLOOR = 0.9979 - 0.005;
    private static final double SYSTEM_GA_FLOOR = 0.9925 - 0.01;
    private static final double AVERAGE_PA_FLOOR = 0.8610 - 0.01;

    @Test
    void defaultMinerKeepsItsLoghubAccuracy() {
        List<LoghubSystem> systems = LoghubSystem.discover(EvalData.dataset("loghub"));
        assertEquals(8, systems.size(), "the shared data holds eight Loghub systems");
        LoghubEvaluation.Report report = new LoghubEvaluation(MinerConfig.defaults()).run(systems);
        StringBuilder table = new StringBuilder();
        for (LoghubEvaluation.SystemResult r : report.systems()) {
            table.append(String.format("%n  %-10s GA %.4f PA %.4f", r.system(), r.groupingAccuracy(),
                    r.parsingAccuracy()));
            assertTrue(r.groupingAccuracy() >= SYSTEM_GA_FLOOR, r.system() + " GA fell below " + SYSTEM_GA_FLOOR
                    + table);
        }
        assertTrue(report.averageGroupingAccuracy() >= AVERAGE_GA_FLOOR,
                "average GA " + report.averageGroupingAccuracy() + " fell below " + AVERAGE_GA_FLOOR + table);
        assertTrue(report.averageParsingAccuracy() >= AVERAGE_PA_FLOOR,
                "average PA " + report.averageParsingAccuracy() + " fell below " + AVERAGE_PA_FLOOR + table);
    }
}
