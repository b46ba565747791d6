package io.sift.core.detect;

import com.amazon.randomcutforest.RandomCutForest;

/**
 * A Random Cut Forest over the last {@code shingleSize} values of a series (internal shingling), as OpenSearch
 * anomaly detection uses it: the score says how much a new shingle would change the forest (about 1 for usual
 * shapes, larger for unusual ones). Values are standardised by the caller so one forest setting suits any unit.
 */
public final class ShingledForest {

    private final RandomCutForest forest;
    private final double[] point = new double[1];

    public ShingledForest(int shingleSize, int trees, int sampleSize, double timeDecay, long seed) {
        this.forest = RandomCutForest.builder()
                .dimensions(shingleSize)
                .shingleSize(shingleSize)
                .internalShinglingEnabled(true)
                .numberOfTrees(trees)
                .sampleSize(sampleSize)
                .timeDecay(timeDecay)
                .outputAfter(Math.max(1, sampleSize / 8))
                .randomSeed(seed)
                .build();
    }

    /** Scores the value (as the newest element of the current shingle) and then learns it. */
    public double scoreAndLearn(double value) {
        point[0] = value;
        double score = forest.getAnomalyScore(point);
        forest.update(point);
        return score;
    }
}
