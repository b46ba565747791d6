package io.sift.eval.petshop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The figures of a PetShop run: top-1 and top-3 accuracy per traffic scenario and issue kind, per scenario, and
 * averaged over scenarios (each scenario weighs the same however many issues it has, as the issue's target asks).
 */
public record PetshopReport(List<IssueOutcome> outcomes) {

    /**
     * What happened to one issue.
     *
     * @param rank 1-based rank of the true root cause among the hints, 0 when it was not ranked at all
     */
    public record IssueOutcome(String scenario, String issue, String kind, String rootCause, List<String> ranked,
            int rank, List<String> topReasons) {

        boolean inTop(int k) {
            return rank >= 1 && rank <= k;
        }
    }

    /** Share of issues whose root cause is ranked first, and within the first three. */
    public record Accuracy(int issues, double top1, double top3) {

        static Accuracy of(List<IssueOutcome> outcomes) {
            if (outcomes.isEmpty()) {
                return new Accuracy(0, 0, 0);
            }
            double n = outcomes.size();
            return new Accuracy(outcomes.size(), outcomes.stream().filter(o -> o.inTop(1)).count() / n,
                    outcomes.stream().filter(o -> o.inTop(3)).count() / n);
        }

        /** Unweighted mean of per-scenario figures. */
        static Accuracy mean(List<Accuracy> parts) {
            List<Accuracy> present = parts.stream().filter(a -> a.issues > 0).toList();
            if (present.isEmpty()) {
                return new Accuracy(0, 0, 0);
            }
            return new Accuracy(present.stream().mapToInt(Accuracy::issues).sum(),
                    present.stream().mapToDouble(Accuracy::top1).average().orElse(0),
                    present.stream().mapToDouble(Accuracy::top3).average().orElse(0));
        }
    }

    public List<String> scenarios() {
        List<String> names = new ArrayList<>();
        outcomes.forEach(o -> {
            if (!names.contains(o.scenario())) {
                names.add(o.scenario());
            }
        });
        return names;
    }

    public List<String> kinds() {
        TreeSet<String> kinds = new TreeSet<>();
        outcomes.forEach(o -> kinds.add(o.kind()));
        return List.copyOf(kinds);
    }

    public Accuracy scenario(String scenario) {
        return select(o -> o.scenario().equals(scenario));
    }

    public Accuracy scenarioAndKind(String scenario, String kind) {
        return select(o -> o.scenario().equals(scenario) && o.kind().equals(kind));
    }

    /** The headline figure: the mean of the per-scenario accuracies. */
    public Accuracy averageOverScenarios() {
        return Accuracy.mean(scenarios().stream().map(this::scenario).toList());
    }

    /** One issue kind, averaged over the scenarios that have issues of that kind. */
    public Accuracy kindAveragedOverScenarios(String kind) {
        return Accuracy.mean(scenarios().stream().map(s -> scenarioAndKind(s, kind)).toList());
    }

    private Accuracy select(Predicate<IssueOutcome> filter) {
        return Accuracy.of(outcomes.stream().filter(filter).toList());
    }

    /** The table printed by {@code sift eval petshop}. */
    public String table() {
        StringBuilder out = new StringBuilder();
        String row = "%-20s %-13s %6s %7s %7s%n";
        out.append(String.format(Locale.ROOT, row, "SCENARIO", "ISSUE KIND", "ISSUES", "TOP-1", "TOP-3"));
        for (String scenario : scenarios()) {
            for (String kind : kinds()) {
                Accuracy a = scenarioAndKind(scenario, kind);
                if (a.issues() > 0) {
                    out.append(line(row, scenario, kind, a));
                }
            }
            out.append(line(row, scenario, "all", scenario(scenario)));
        }
        for (String kind : kinds()) {
            out.append(line(row, "mean of scenarios", kind, kindAveragedOverScenarios(kind)));
        }
        out.append(line(row, "mean of scenarios", "all", averageOverScenarios()));
        out.append(String.format(Locale.ROOT, "%nPer issue (rank of the true root cause; 0 = not ranked):%n"));
        for (IssueOutcome o : outcomes) {
            out.append(String.format(Locale.ROOT, "  %-18s %-16s %-13s rank %d  hints %s%n", o.scenario(), o.issue(),
                    o.kind(), o.rank(), String.join(", ", o.ranked())));
        }
        return out.toString();
    }

    private static String line(String format, String scenario, String kind, Accuracy a) {
        return String.format(Locale.ROOT, format, scenario, kind, a.issues(), fraction(a.top1()), fraction(a.top3()));
    }

    private static String fraction(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The figures as plain maps and lists, for {@code --json}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", "petshop");
        json.put("average_over_scenarios", accuracyJson(averageOverScenarios()));
        Map<String, Object> kinds = new LinkedHashMap<>();
        kinds().forEach(k -> kinds.put(k, accuracyJson(kindAveragedOverScenarios(k))));
        json.put("kind_average_over_scenarios", kinds);
        Map<String, Object> scenarios = new LinkedHashMap<>();
        for (String scenario : scenarios()) {
            Map<String, Object> s = accuracyJson(scenario(scenario));
            Map<String, Object> byKind = new LinkedHashMap<>();
            for (String kind : kinds()) {
                Accuracy a = scenarioAndKind(scenario, kind);
                if (a.issues() > 0) {
                    byKind.put(kind, accuracyJson(a));
                }
            }
            s.put("kinds", byKind);
            scenarios.put(scenario, s);
        }
        json.put("scenarios", scenarios);
        List<Map<String, Object>> issues = new ArrayList<>();
        for (IssueOutcome o : outcomes) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("scenario", o.scenario());
            i.put("issue", o.issue());
            i.put("kind", o.kind());
            i.put("root_cause", o.rootCause());
            i.put("rank", o.rank());
            i.put("hints", o.ranked());
            i.put("top_hint_reasons", o.topReasons());
            issues.add(i);
        }
        json.put("issues", issues);
        return json;
    }

    /** Writes {@link #toJson()} to a file, creating its folder. */
    public void writeJson(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Map<String, Object> accuracyJson(Accuracy a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issues", a.issues());
        m.put("top1", a.top1());
        m.put("top3", a.top3());
        return m;
    }
}
