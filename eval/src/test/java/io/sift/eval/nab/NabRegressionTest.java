package io.sift.eval.nab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.DetectorConfig;
import io.sift.eval.EvalData;
import org.junit.jupiter.api.Test;

/**
 * Sift's default metric model on the whole NAB corpus: fails when the standard-profile score falls more than a
 * small margin below the figure reached, so later changes cannot quietly undo it.
 */
class NabRegressionTest {

    /** Standard-profile score reached by the default configuration (see the commit that set it). */
    static final double REACHED_STANDARD = 70.71;
    /** Allowed loss before the test fails (run-to-run noise is nil: the model is deterministic). */
    static final double MARGIN = 1.0;

    @Test
    void defaultModelKeepsItsNabScore() {
        NabCorpus corpus = NabCorpus.load(EvalData.dataset("nab"));
        NabReport report = NabEvaluation.evaluate(corpus, SiftNabDetector.NAME,
                new SiftNabDetector(DetectorConfig.defaults()));

        double standard = report.score(NabProfile.STANDARD);
        System.out.printf("Sift on NAB: standard %.2f, reward_low_FP %.2f, reward_low_FN %.2f%n", standard,
                report.score(NabProfile.REWARD_LOW_FP), report.score(NabProfile.REWARD_LOW_FN));
        assertTrue(standard >= REACHED_STANDARD - MARGIN,
                "NAB standard score fell to " + standard + " (reached " + REACHED_STANDARD + ")");
    }
}
