package io.sift.eval.nab;

import java.util.List;

/**
 * A detector's result under one profile: the optimised threshold, the raw corpus score, the null and perfect
 * detectors' raw scores and the normalised score {@code 100 × (raw - null) / (perfect - null)}.
 */
public record NabProfileResult(String profile, double threshold, double rawScore, double nullScore,
        double perfectScore, double score, List<SeriesFigures> series) {
}
