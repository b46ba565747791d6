package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.eval.EvalData;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.SockShopData;
import io.sift.jobs.SiftSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guards the README's Sock Shop figures: the job with its default settings over the real data set (shared data,
 * read in place). Floors sit a little below the figures measured at the commit the README names, so a change that
 * loses real-data quality fails here; raise them when the figures rise.
 */
class SockShopRegressionTest {

    @Test
    void theJobKeepsItsSockShopFigures() throws Exception {
        FaultDataSet set = SockShopData.read(EvalData.dataset("sockshop"));
        FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(null, Map.of())).run(set);
        FaultScoring.Score score = FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());
        String figures = "recall " + score.overall().recall() + ", AS@1 " + score.overall().as1() + ", noise/h "
                + score.noisePerHour();
        assertTrue(score.faults().size() >= 120, "the faults with data are scored: " + score.faults().size());
        assertTrue(score.overall().recall() >= 0.80, figures);
        assertTrue(score.overall().as1() >= 0.58, figures);
        assertTrue(score.overall().as3() >= 0.60, figures);
        assertTrue(score.noisePerHour() <= 1.5, figures);
    }
}
