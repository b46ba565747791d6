package io.sift.core.detect;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.state.RandomCutForestMapper;
import com.amazon.randomcutforest.state.RandomCutForestState;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * A Random Cut Forest over the last {@code shingleSize} values of a series (internal shingling), as OpenSearch
 * anomaly detection uses it: the score says how much a new shingle would change the forest (about 1 for usual
 * shapes, larger for unusual ones). Values are standardised by the caller so one forest setting suits any unit.
 *
 * <p>Serialisable through the library's own state format ({@link RandomCutForestMapper} to a
 * {@link RandomCutForestState}, with tree, sampler and shingle state, compressed), so a restored forest continues
 * scoring where it stopped instead of warming up again.
 */
public final class ShingledForest implements Serializable {

    private static final long serialVersionUID = 1L;

    private transient RandomCutForest forest;
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

    private static RandomCutForestMapper mapper() {
        RandomCutForestMapper mapper = new RandomCutForestMapper();
        mapper.setSaveExecutorContextEnabled(true);
        mapper.setSaveTreeStateEnabled(true);
        mapper.setSaveSamplerStateEnabled(true);
        mapper.setSaveCoordinatorStateEnabled(true);
        mapper.setCompressionEnabled(true);
        return mapper;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeObject(mapper().toState(forest));
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        forest = mapper().toModel((RandomCutForestState) in.readObject());
    }
}
