package io.sift.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** NAB's fixed points of the scaled sigmoid and the probationary period. */
class NabScorerTest {

    @Test
    void scaledSigmoidMatchesNabsDocumentedValues() {
        assertEquals(0.98661, NabScorer.scaledSigmoid(-1.0), 1e-5);
        assertEquals(0.84828, NabScorer.scaledSigmoid(-0.5), 1e-5);
        assertEquals(0.0, NabScorer.scaledSigmoid(0.0), 1e-12);
        assertEquals(-0.98661, NabScorer.scaledSigmoid(1.0), 1e-5);
        assertEquals(-1.0, NabScorer.scaledSigmoid(3.0), 0.0);
    }

    @Test
    void probationIsFifteenPercentCappedAt750Rows() {
        assertEquals(150.0, NabScorer.probationaryLength(1000), 0.0);
        assertEquals(604.0, NabScorer.probationaryLength(4032), 0.0);
        assertEquals(750.0, NabScorer.probationaryLength(22695), 0.0);
    }
}
