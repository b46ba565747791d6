package io.sift.eval.nab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs a detector over every NAB series and scores the result under every profile. */
public final class NabEvaluation {

    /** Folder of the published detector results, beside {@code data/}. */
    public static final String PUBLISHED_FOLDER = "published_scores";

    private NabEvaluation() {
    }

    /**
     * Evaluates a detector: for each series (rows in timestamp order) it returns one anomaly score per row in
     * 0..1, computed causally (a row's score may depend only on that row and earlier ones).
     */
    public static NabReport evaluate(NabCorpus corpus, String detectorName, Function<NabSeries, double[]> detector) {
        List<double[]> scores = new ArrayList<>();
        for (NabSeries series : corpus.series()) {
            scores.add(detector.apply(series));
        }
        return score(corpus, detectorName, scores);
    }

    /** Scores a detector's published results ({@code published_scores/DETECTOR/...}). */
    public static NabReport evaluatePublished(NabCorpus corpus, String detectorName) {
        Path folder = corpus.root().resolve(PUBLISHED_FOLDER);
        return evaluate(corpus, detectorName, series -> NabCorpus.readPublishedScores(folder, detectorName, series));
    }

    public static NabReport score(NabCorpus corpus, String detectorName, List<double[]> scores) {
        List<NabProfileResult> results = new ArrayList<>();
        for (NabProfile profile : corpus.profiles()) {
            results.add(NabScorer.score(corpus, scores, profile));
        }
        return new NabReport(detectorName, results);
    }
}
