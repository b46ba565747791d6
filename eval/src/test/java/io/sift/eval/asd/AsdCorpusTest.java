package io.sift.eval.asd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sift.eval.nab.NabSeries.Window;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ASD reader and the window rule on a small synthetic server (not the real data). */
class AsdCorpusTest {

    @Test
    void runsAreMaximalStretchesOfOnes() {
        assertEquals(List.of(new Window(1, 2), new Window(5, 5), new Window(7, 8)),
                AsdCorpus.runs(new int[] {0, 1, 1, 0, 0, 1, 0, 1, 1}));
        assertEquals(List.of(), AsdCorpus.runs(new int[] {0, 0}));
    }

    @Test
    void windowsFollowNabsLengthRuleCentredOnTheRunAndMerge() {
        int[] labels = new int[200];
        labels[50] = 1; // run 50..50
        labels[52] = 1; // run 52..52: its window overlaps the first, so they merge
        for (int i = 150; i < 160; i++) {
            labels[i] = 1; // run 150..159, longer than the NAB length
        }
        // Three runs for every metric (no interpretation label): NAB length floor(0.1 * 200 / 3) = 6.
        List<Window> windows = AsdCorpus.windows(labels, List.of(), 4);
        // 50: extra 5 -> 48..53; 52: 50..55, merged into 48..55; 150..159 is longer than 6: the run itself.
        assertEquals(List.of(new Window(48, 55), new Window(150, 159)), windows);
    }

    @Test
    void aRunBelongsToTheMetricsItsInterpretationNames() {
        int[] labels = new int[100];
        labels[10] = 1;
        labels[11] = 1;
        labels[60] = 1;
        List<AsdCorpus.Segment> segments = List.of(new AsdCorpus.Segment(10, 11, new int[] {2, 3}));
        // Metric 2: both runs (60 has no interpretation, so it is every metric's); length floor(10 / 2) = 5.
        assertEquals(List.of(new Window(9, 13), new Window(58, 62)), AsdCorpus.windows(labels, segments, 2));
        // Metric 1: only the uninterpreted run; length 10, clipped at nothing here.
        assertEquals(List.of(new Window(56, 65)), AsdCorpus.windows(labels, segments, 1));
    }

    @Test
    void windowsAreClippedToTheTestRows() {
        int[] labels = new int[20];
        labels[0] = 1;
        assertEquals(List.of(new Window(0, 1)), AsdCorpus.windows(labels, List.of(), 1)); // length 2: 0..1 (-1 clipped)
    }

    @Test
    void loadsEveryServerAndMetricWithTrainTestAndWindows(@TempDir Path root) throws IOException {
        for (String folder : List.of("train", "test", "test_label", "interpretation_label")) {
            Files.createDirectories(root.resolve(folder));
        }
        Files.write(root.resolve("train/omi-2.txt"), rows(4, 0.0));
        Files.write(root.resolve("test/omi-2.txt"), rows(30, 100.0));
        List<String> labels = new ArrayList<>(Collections.nCopies(30, "0"));
        labels.set(12, "1");
        labels.set(13, "1");
        Files.write(root.resolve("test_label/omi-2.txt"), labels);
        Files.write(root.resolve("interpretation_label/omi-2.txt"), List.of("12-13:5,19"));
        Files.write(root.resolve("train/omi-10.txt"), rows(2, 0.0));
        Files.write(root.resolve("test/omi-10.txt"), rows(10, 0.0));
        Files.write(root.resolve("test_label/omi-10.txt"), Collections.nCopies(10, "0"));

        AsdCorpus corpus = AsdCorpus.load(root);
        assertEquals(2 * AsdCorpus.METRICS, corpus.series().size());
        AsdCorpus.Series first = corpus.series().get(0);
        assertEquals("omi-2/m01", first.name(), "servers by number: omi-2 before omi-10");
        assertEquals("omi-10/m01", corpus.series().get(AsdCorpus.METRICS).name());
        AsdCorpus.Series m5 = corpus.series().get(4);
        assertEquals(5, m5.metric());
        assertArrayEquals(new double[] {4.0, 104.0, 204.0, 304.0}, m5.train(), "row r, metric m: r * 100 + m - 1");
        assertEquals(30, m5.test().length);
        assertEquals(10_104.0, m5.test()[1], 0.0);
        // One run (12..13) for metrics 5 and 19 only; NAB length floor(0.1 * 30 / 1) = 3 -> 12..14.
        assertEquals(List.of(new Window(12, 14)), m5.windows());
        assertEquals(List.of(new Window(12, 14)), corpus.series().get(18).windows());
        assertEquals(List.of(), first.windows());
        assertEquals(2, corpus.asNab().labelledWindows());
        assertEquals(AsdCorpus.Series.timeOf(4), m5.scored().timestamps()[0], "test rows continue after train rows");
    }

    @Test
    void windowedGaussianScoresTheTailOfTheWindowSoFar() {
        // Train 1, 3 (mean 2, std 1), then test 2 and 5: 2 is at the mean (score 0.5); after 2 the window is 1, 3, 2
        // (std sqrt(2/3)), so 5 is 3 / 0.8165 = 3.67 std away.
        AsdCorpus.Series series = new AsdCorpus.Series("omi-1", 1, new double[] {1, 3}, new double[] {2, 5}, List.of());
        double[] scores = AsdDetectors.windowedGaussian(series);
        assertEquals(0.5, scores[0], 1e-7); // the erfc fit is good to ~1e-7
        assertEquals(1.0 - io.sift.core.detect.ScoreCalibrator.upperTail(3.0 / Math.sqrt(2.0 / 3)), scores[1], 1e-9);
    }

    /** {@code n} rows of 19 values: row r, metric m (0-based) holds offset * 100 + r * 100 + m. */
    private static List<String> rows(int n, double offset) {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            StringBuilder line = new StringBuilder();
            for (int m = 0; m < AsdCorpus.METRICS; m++) {
                line.append(m == 0 ? "" : ",").append(offset * 100 + r * 100 + m);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
