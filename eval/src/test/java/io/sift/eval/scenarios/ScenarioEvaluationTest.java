package io.sift.eval.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.scenario.FaultType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression guard of {@code sift eval scenarios}: a fixed set of generated estates must keep the figures reached
 * when correlation was last improved, less a small margin, so a later change cannot quietly undo them.
 */
class ScenarioEvaluationTest {

    /** Estates 1-8: 40 faults, eight of every type, with noise. */
    private static final long SEED = 1;
    private static final int RUNS = 8;

    // Reached at the last correlation change (see the commit log), minus the margin.
    private static final double MIN_RECALL = 1.00;
    private static final double MIN_PURITY = 0.996 - 0.02;
    private static final double MIN_COMPRESSION = 27.0 - 2.0;
    private static final double MIN_TOP1 = 0.825 - 0.05;
    private static final double MIN_TOP3 = 0.975 - 0.05;
    private static final double MAX_MEAN_FIRST_VERSION_SECONDS = 30 + 10;
    /** Per type, at least this top-3 share (network partitions rank worst; see the ranker). */
    private static final double MIN_TOP3_PER_TYPE = 0.75;

    private static ScenarioEvaluation.Result result;

    @BeforeAll
    static void evaluate() throws Exception {
        result = new ScenarioEvaluation(PipelineSettings.defaults()).run(SEED, RUNS);
        System.out.print(ScenarioEvaluation.table(result, false));
    }

    @Test
    void everyFaultGetsAnIncidentOfItsOwn() {
        assertEquals(RUNS * FaultType.values().length, result.overall().faults());
        assertTrue(result.overall().recall() >= MIN_RECALL, "recall " + result.overall().recall());
        for (Map.Entry<FaultType, Figures> e : result.byType().entrySet()) {
            assertEquals(RUNS, e.getValue().faults(), e.getKey() + " faults");
            assertTrue(e.getValue().recall() >= MIN_RECALL, e.getKey() + " recall " + e.getValue().recall());
        }
    }

    @Test
    void incidentsArePureAndCompressTheAnomalies() {
        Figures all = result.overall();
        assertTrue(all.purity() >= MIN_PURITY, "purity " + all.purity());
        assertTrue(all.compression() >= MIN_COMPRESSION, "compression " + all.compression());
    }

    @Test
    void rootCausesAreRankedHigh() {
        Figures all = result.overall();
        assertTrue(all.top1() >= MIN_TOP1, "top-1 " + all.top1());
        assertTrue(all.top3() >= MIN_TOP3, "top-3 " + all.top3());
        for (Map.Entry<FaultType, Figures> e : result.byType().entrySet()) {
            assertTrue(e.getValue().top3() >= MIN_TOP3_PER_TYPE, e.getKey() + " top-3 " + e.getValue().top3());
        }
    }

    @Test
    void incidentsAppearWithinAMinuteOrSo() {
        assertTrue(result.overall().meanFirstVersionSeconds() <= MAX_MEAN_FIRST_VERSION_SECONDS,
                "mean time to first version " + result.overall().meanFirstVersionSeconds() + " s");
    }

    @Test
    void noiseIsInjectedAndMostlyDetected() {
        assertEquals(RUNS * ScenarioSuite.NOISE_PER_HOUR * ScenarioSuite.DURATION.toHours(), result.noiseInjected());
        assertTrue(result.noiseDetected() >= result.noiseInjected() * 0.8,
                "noise glitches detected: " + result.noiseDetected() + " of " + result.noiseInjected());
    }

    @Test
    void theJsonReportHoldsTheFigures(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("figures/scenarios.json");
        ScenarioEvaluation.writeJson(result, file);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertEquals(result.overall().faults(), json.at("/overall/faults").asInt());
        assertEquals(result.overall().recall(), json.at("/overall/recall").asDouble(), 1e-4);
        assertEquals(RUNS, json.at("/estates").size());
        assertTrue(json.at("/byFaultType/BAD_DEPLOY/top1").isNumber());
        assertTrue(Files.size(file) > 0);
    }
}
