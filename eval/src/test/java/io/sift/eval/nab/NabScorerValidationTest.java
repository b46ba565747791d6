package io.sift.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.eval.EvalData;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scorer reproduces NAB's published scoreboard from the published raw detector outputs: the standard-profile
 * figures the issue names, and all three profiles against {@code results/final_results.json}.
 */
class NabScorerValidationTest {

    private static final double TOLERANCE = 0.5;

    private static NabCorpus corpus;
    private static JsonNode finalResults;

    @BeforeAll
    static void load() throws IOException {
        corpus = NabCorpus.load(EvalData.dataset("nab"));
        finalResults = new ObjectMapper().readTree(corpus.root().resolve("results/final_results.json").toFile());
    }

    @ParameterizedTest
    @CsvSource({"numenta, 70.10", "randomCutForest, 51.72", "windowedGaussian, 39.65"})
    void reproducesPublishedScores(String detector, double publishedStandard) {
        NabReport report = NabEvaluation.evaluatePublished(corpus, detector);

        System.out.printf("NAB scorer on published %s: standard %.2f, reward_low_FP %.2f, reward_low_FN %.2f%n",
                detector, report.score(NabProfile.STANDARD), report.score(NabProfile.REWARD_LOW_FP),
                report.score(NabProfile.REWARD_LOW_FN));
        assertEquals(publishedStandard, report.score(NabProfile.STANDARD), TOLERANCE, detector + " standard");
        for (String profile : new String[] {NabProfile.STANDARD, NabProfile.REWARD_LOW_FP, NabProfile.REWARD_LOW_FN}) {
            double published = finalResults.path(detector).path(profile).asDouble(Double.NaN);
            assertEquals(published, report.score(profile), TOLERANCE, detector + " " + profile);
        }
    }
}
