package io.sift.eval.loghub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoghubMetricsTest {

    private static final List<String> TRUTH = List.of("A <*>", "A <*>", "B <*>", "B <*>", "C", "D");

    @Test
    void perfectGroupingAndTemplatesScoreOne() {
        assertEquals(1.0, LoghubMetrics.groupingAccuracy(TRUTH, TRUTH));
        assertEquals(1.0, LoghubMetrics.parsingAccuracy(TRUTH, TRUTH));
        assertEquals(1.0, LoghubMetrics.grouping(TRUTH, TRUTH).templateF1());
    }

    @Test
    void groupingIgnoresTheTemplateTextButNotTheGroups() {
        List<String> renamed = List.of("x", "x", "y", "y", "z", "w");
        assertEquals(1.0, LoghubMetrics.groupingAccuracy(TRUTH, renamed));
        assertEquals(0.0, LoghubMetrics.parsingAccuracy(TRUTH, renamed));
    }

    @Test
    void aMergedPairOfGroupsLosesBothAndASplitGroupLosesAllItsLines() {
        List<String> merged = List.of("A <*>", "A <*>", "A <*>", "A <*>", "C", "D");
        assertEquals(2.0 / 6, LoghubMetrics.groupingAccuracy(TRUTH, merged), 1e-12);
        List<String> split = List.of("A 1", "A <*>", "B <*>", "B <*>", "C", "D");
        assertEquals(4.0 / 6, LoghubMetrics.groupingAccuracy(TRUTH, split), 1e-12);
        assertEquals(5.0 / 6, LoghubMetrics.parsingAccuracy(TRUTH, split), 1e-12);
        LoghubMetrics.Grouping grouping = LoghubMetrics.grouping(TRUTH, split);
        // 3 of 4 truth groups right; 3 of 5 predicted groups right.
        double precision = 3.0 / 5;
        double recall = 3.0 / 4;
        assertEquals(2 * precision * recall / (precision + recall), grouping.templateF1(), 1e-12);
        assertEquals(List.of("A <*>"), grouping.wrongTruth());
    }

    @Test
    void blankGroundTruthLinesAreLeftOut() {
        List<String> truth = List.of("A", "", "A");
        List<String> predicted = List.of("a", "b", "a");
        assertEquals(1.0, LoghubMetrics.groupingAccuracy(truth, predicted));
        assertEquals(0.0, LoghubMetrics.parsingAccuracy(truth, predicted));
    }
}
