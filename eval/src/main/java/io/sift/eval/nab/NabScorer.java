package io.sift.eval.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NAB's scoring rules (v1.1, the sweeper): each row gets a weight from its position relative to the labelled
 * windows, the threshold is optimised over the whole corpus, and the raw score is normalised between the null
 * detector (0) and the perfect detector (100).
 *
 * <ul>
 *   <li>The first 15 % of each file (at most 750 rows) is probationary: its rows are not scored at all.</li>
 *   <li>A detection inside a window earns {@code tpWeight × σ(position) / σ(-1)}, where the position runs from
 *       about -1 at the window's left edge to 0 at its right edge; only the best (earliest) detection of a window
 *       counts; a window without detection costs {@code fnWeight}.</li>
 *   <li>A detection outside windows costs {@code fpWeight}, scaled by the sigmoid of its distance past the
 *       preceding window (in window lengths), so detections just after a window cost little; before any window
 *       it costs the full {@code fpWeight}.</li>
 *   <li>A row is a detection when its anomaly score is at least the threshold; the chosen threshold is the one
 *       (among the scores that occur, plus 1.1 for "nothing") with the highest corpus score, the highest such
 *       threshold on ties.</li>
 * </ul>
 */
public final class NabScorer {

    /** Fraction of each file that is probationary. */
    public static final double PROBATION_FRACTION = 0.15;
    /** Probation is a fraction of at most this many rows (NAB caps it at 15 % of 5000 = 750 rows). */
    public static final int PROBATION_CAP_ROWS = 5000;
    /** The sweep's starting threshold, above any 0..1 score: no detection at all. */
    public static final double NO_DETECTION_THRESHOLD = 1.1;
    /** The score NAB's null detector gives every row. */
    static final double NULL_DETECTOR_SCORE = 0.5;

    private static final int OUTSIDE = -1;
    private static final int PROBATION = -2;

    private NabScorer() {
    }

    /** NAB's scaled sigmoid: about 0.987 at -1 (window start), 0 at 0 (window end), -1 from 3 on. */
    public static double scaledSigmoid(double position) {
        if (position >= 3.0) {
            return -1.0;
        }
        return 2.0 / (1.0 + Math.exp(5.0 * position)) - 1.0;
    }

    /** Rows of a file of {@code rows} rows that are probationary (a fractional count, compared with the index). */
    public static double probationaryLength(int rows) {
        return Math.min(Math.floor(PROBATION_FRACTION * rows), PROBATION_FRACTION * PROBATION_CAP_ROWS);
    }

    /** Scores a detector's per-row anomaly scores (one array per series, in corpus order) under one profile. */
    public static NabProfileResult score(NabCorpus corpus, List<double[]> anomalyScores, NabProfile profile) {
        return score(corpus, anomalyScores, profile, true);
    }

    /**
     * As {@link #score(NabCorpus, List, NabProfile)}; {@code probation} false scores every row (for series whose
     * detector was given a history before the scored rows, as in a train/test split).
     */
    public static NabProfileResult score(NabCorpus corpus, List<double[]> anomalyScores, NabProfile profile,
            boolean probation) {
        List<NabSeries> series = corpus.series();
        if (anomalyScores.size() != series.size()) {
            throw new IllegalArgumentException("need one score array per series: " + series.size() + ", got "
                    + anomalyScores.size());
        }
        List<Swept> swept = new ArrayList<>(series.size());
        int windowIds = 0;
        for (int s = 0; s < series.size(); s++) {
            Swept one = sweep(series.get(s), anomalyScores.get(s), profile, windowIds, probation);
            windowIds += series.get(s).windows().size();
            swept.add(one);
        }
        Optimum best = optimise(swept, windowIds, profile);

        List<double[]> nullScores = new ArrayList<>(series.size());
        for (NabSeries one : series) {
            double[] constant = new double[one.size()];
            Arrays.fill(constant, NULL_DETECTOR_SCORE);
            nullScores.add(constant);
        }
        List<Swept> nullSwept = new ArrayList<>(series.size());
        int nullIds = 0;
        for (int s = 0; s < series.size(); s++) {
            nullSwept.add(sweep(series.get(s), nullScores.get(s), profile, nullIds, probation));
            nullIds += series.get(s).windows().size();
        }
        double nullScore = optimise(nullSwept, nullIds, profile).score;
        double perfectScore = corpus.labelledWindows() * profile.tpWeight();

        List<SeriesFigures> figures = new ArrayList<>(series.size());
        double total = 0;
        for (int s = 0; s < series.size(); s++) {
            SeriesFigures one = figuresAt(series.get(s), swept.get(s), best.threshold, profile);
            total += one.rawScore();
            figures.add(one);
        }
        double normalised = 100.0 * (total - nullScore) / (perfectScore - nullScore);
        return new NabProfileResult(profile.name(), best.threshold, total, nullScore, perfectScore, normalised,
                figures);
    }

    /** Per-row sweep weights of one file, and which window (corpus-wide id) each row is in. */
    private record Swept(double[] anomalyScore, double[] weight, int[] window) {
    }

    private static Swept sweep(NabSeries series, double[] scores, NabProfile profile, int firstWindowId,
            boolean probationary) {
        int n = series.size();
        if (scores.length != n) {
            throw new IllegalArgumentException(series.name() + ": " + scores.length + " scores for " + n + " rows");
        }
        double probation = probationary ? probationaryLength(n) : 0;
        double maxTruePositive = scaledSigmoid(-1.0);
        double[] weight = new double[n];
        int[] window = new int[n];
        List<NabSeries.Window> windows = series.windows();
        int next = 0;
        NabSeries.Window previous = null;
        for (int i = 0; i < n; i++) {
            while (next < windows.size() && windows.get(next).end() < i) {
                previous = windows.get(next);
                next++;
            }
            boolean inside = next < windows.size() && windows.get(next).start() <= i;
            if (inside) {
                NabSeries.Window current = windows.get(next);
                // NAB's position: -(end - i + 1) / length, so even the last row of a window scores a little.
                double position = -(current.end() - i + 1) / (double) current.length();
                weight[i] = scaledSigmoid(position) * profile.tpWeight() / maxTruePositive;
                window[i] = firstWindowId + next;
            } else {
                double position = previous == null ? 3.0 : Math.abs(previous.end() - i) / (double) (previous.length() - 1);
                weight[i] = scaledSigmoid(position) * profile.fpWeight();
                window[i] = OUTSIDE;
            }
            if (i < probation) {
                window[i] = PROBATION;
            }
        }
        return new Swept(scores, weight, window);
    }

    private record Optimum(double threshold, double score) {
    }

    /** NAB's threshold sweep over the pooled rows of all files, highest anomaly score first. */
    private static Optimum optimise(List<Swept> swept, int windowCount, NabProfile profile) {
        int rows = 0;
        for (Swept one : swept) {
            for (int w : one.window) {
                if (w != PROBATION) {
                    rows++;
                }
            }
        }
        double[] score = new double[rows];
        double[] weight = new double[rows];
        int[] window = new int[rows];
        double[] windowBest = new double[windowCount];
        boolean[] scorable = new boolean[windowCount];
        int r = 0;
        for (Swept one : swept) {
            for (int i = 0; i < one.window.length; i++) {
                if (one.window[i] == PROBATION) {
                    continue;
                }
                score[r] = one.anomalyScore[i];
                weight[r] = one.weight[i];
                window[r] = one.window[i];
                if (window[r] >= 0) {
                    scorable[window[r]] = true;
                }
                r++;
            }
        }
        double total = 0;
        for (int w = 0; w < windowCount; w++) {
            if (scorable[w]) {
                windowBest[w] = -profile.fnWeight();
                total += windowBest[w];
            }
        }
        Integer[] order = new Integer[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        // Stable, like Python's sorted(reverse=True): equal scores keep file order (it cannot change the sums).
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));

        double threshold = NO_DETECTION_THRESHOLD;
        Optimum best = null;
        for (int k = 0; k <= rows; k++) {
            if (k == rows || score[order[k]] != threshold) {
                // Everything at or above `threshold` is counted: record it before lowering the threshold.
                if (best == null || total > best.score) {
                    best = new Optimum(threshold, total);
                }
                if (k == rows) {
                    break;
                }
                threshold = score[order[k]];
            }
            int row = order[k];
            if (window[row] == OUTSIDE) {
                total += weight[row];
            } else if (weight[row] > windowBest[window[row]]) {
                total += weight[row] - windowBest[window[row]];
                windowBest[window[row]] = weight[row];
            }
        }
        return best;
    }

    private static SeriesFigures figuresAt(NabSeries series, Swept swept, double threshold, NabProfile profile) {
        int windows = series.windows().size();
        double[] best = new double[windows];
        boolean[] scorable = new boolean[windows];
        boolean[] detected = new boolean[windows];
        int firstId = Integer.MAX_VALUE;
        for (int w : swept.window) {
            if (w >= 0) {
                firstId = Math.min(firstId, w);
            }
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int tn = 0;
        double fpScore = 0;
        for (int i = 0; i < swept.window.length; i++) {
            int w = swept.window[i];
            if (w == PROBATION) {
                continue;
            }
            boolean alarm = swept.anomalyScore[i] >= threshold;
            if (w == OUTSIDE) {
                if (alarm) {
                    fp++;
                    fpScore += swept.weight[i];
                } else {
                    tn++;
                }
                continue;
            }
            int local = w - firstId;
            if (!scorable[local]) {
                scorable[local] = true;
                best[local] = -profile.fnWeight();
            }
            if (alarm) {
                tp++;
                detected[local] = true;
                best[local] = Math.max(best[local], swept.weight[i]);
            } else {
                fn++;
            }
        }
        double raw = fpScore;
        int detectedWindows = 0;
        for (int w = 0; w < windows; w++) {
            if (scorable[w]) {
                raw += best[w];
            }
            if (detected[w]) {
                detectedWindows++;
            }
        }
        return new SeriesFigures(series.name(), windows, detectedWindows, fp, raw, tp, fn, tn);
    }
}
