package io.sift.eval.loghub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The accuracy measures of the Loghub benchmarks (Zhu et al., ICSE-SEIP 2019; Jiang et al., Loghub-2.0, ISSTA 2024),
 * computed from per-line ground-truth templates and per-line predicted templates. Lines whose ground truth is blank
 * are left out, as the benchmark's evaluator drops them.
 */
public final class LoghubMetrics {

    private LoghubMetrics() {}

    /**
     * Grouping accuracy (GA): the share of lines whose predicted group holds exactly the lines of their
     * ground-truth group. Groups are the distinct template strings on each side.
     */
    public static double groupingAccuracy(List<String> truth, List<String> predicted) {
        return grouping(truth, predicted).accuracy();
    }

    /**
     * Parsing accuracy (PA): the share of lines whose predicted template string equals the ground-truth template
     * string exactly (the Loghub-2.0 definition, with no normalisation of either side).
     */
    public static double parsingAccuracy(List<String> truth, List<String> predicted) {
        check(truth, predicted);
        int lines = 0;
        int correct = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (truth.get(i).isBlank()) {
                continue;
            }
            lines++;
            if (truth.get(i).equals(predicted.get(i))) {
                correct++;
            }
        }
        return lines == 0 ? 0 : (double) correct / lines;
    }

    /** GA with the group-level figures behind it (FGA: F1 of correctly grouped templates, Loghub-2.0). */
    public static Grouping grouping(List<String> truth, List<String> predicted) {
        check(truth, predicted);
        Map<String, List<Integer>> truthGroups = new HashMap<>();
        Map<String, Integer> predictedSizes = new HashMap<>();
        int lines = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (truth.get(i).isBlank()) {
                continue;
            }
            lines++;
            truthGroups.computeIfAbsent(truth.get(i), k -> new ArrayList<>()).add(i);
            predictedSizes.merge(predicted.get(i), 1, Integer::sum);
        }
        int correctLines = 0;
        int correctGroups = 0;
        List<String> wrongTruth = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : truthGroups.entrySet()) {
            Set<String> predictedHere = new HashSet<>();
            for (int line : group.getValue()) {
                predictedHere.add(predicted.get(line));
            }
            String only = predictedHere.size() == 1 ? predictedHere.iterator().next() : null;
            if (only != null && predictedSizes.get(only) == group.getValue().size()) {
                correctLines += group.getValue().size();
                correctGroups++;
            } else {
                wrongTruth.add(group.getKey());
            }
        }
        double accuracy = lines == 0 ? 0 : (double) correctLines / lines;
        double precision = predictedSizes.isEmpty() ? 0 : (double) correctGroups / predictedSizes.size();
        double recall = truthGroups.isEmpty() ? 0 : (double) correctGroups / truthGroups.size();
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Grouping(accuracy, f1, truthGroups.size(), predictedSizes.size(), wrongTruth);
    }

    private static void check(List<String> truth, List<String> predicted) {
        if (truth.size() != predicted.size()) {
            throw new IllegalArgumentException(truth.size() + " ground-truth lines but " + predicted.size()
                    + " predicted");
        }
    }

    /**
     * @param accuracy        GA
     * @param templateF1      FGA: F1 of ground-truth groups reproduced exactly (precision over predicted groups)
     * @param truthGroups     distinct ground-truth templates
     * @param predictedGroups distinct predicted templates
     * @param wrongTruth      ground-truth templates whose lines were not grouped exactly
     */
    public record Grouping(double accuracy, double templateF1, int truthGroups, int predictedGroups,
            List<String> wrongTruth) {}
}
