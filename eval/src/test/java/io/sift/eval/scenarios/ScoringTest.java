package io.sift.eval.scenarios;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The figures respond to worse correlation: the evaluation can tell good from bad. */
class ScoringTest {

    private static ScenarioEvaluation.Result run(CorrelationConfig correlation) throws Exception {
        PipelineSettings defaults = PipelineSettings.defaults();
        return new ScenarioEvaluation(new PipelineSettings(defaults.baseline(), defaults.baselineByMetric(),
                correlation, defaults.logErrorMetric(), defaults.logWindowMillis(), defaults.outOfOrdernessMillis(),
                defaults.silenceMillis())).run(3, 2);
    }

    @Test
    void withoutTopologyAFaultSplitsIntoOneIncidentPerItem() throws Exception {
        Figures good = run(CorrelationConfig.defaults()).overall();
        Figures blind = run(CorrelationConfig.builder().maxHops(0).build()).overall();
        assertTrue(blind.splitIncidents() > 0, "splits: " + blind);
        assertTrue(blind.compression() < good.compression() / 2, blind.compression() + " vs " + good.compression());
    }

    @Test
    void incidentsThatNeverCloseAbsorbLaterFaults() throws Exception {
        Figures good = run(CorrelationConfig.defaults()).overall();
        // A gap and quiet period longer than the estates: everything linked piles into few incidents.
        Figures sticky = run(CorrelationConfig.builder().gap(Duration.ofHours(6)).quiet(Duration.ofHours(6))
                .linkGap(Duration.ofHours(6)).onsetTolerance(Duration.ofHours(6)).mergeWindow(Duration.ofHours(6))
                .build()).overall();
        assertTrue(sticky.recall() < good.recall(), sticky.recall() + " vs " + good.recall());
        assertTrue(sticky.purity() < good.purity(), sticky.purity() + " vs " + good.purity());
    }
}
