package io.sift.jobs.cli;

import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultReport;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.PetshopFaultData;
import io.sift.eval.petshop.PetshopEvaluation;
import io.sift.eval.petshop.PetshopReport;
import io.sift.eval.petshop.PetshopScenario;
import io.sift.jobs.SiftSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval petshop}: root-cause ranking on Amazon's PetShop benchmark, top-1 and top-3 accuracy. With
 * {@code --job}, the job itself (MiniCluster) runs over every traffic scenario (one run per scenario, its issues laid
 * one after another, see {@link PetshopFaultData}) and its incidents are scored as for {@code eval sockshop}.
 */
@Command(name = "petshop", mixinStandardHelpOptions = true,
        description = {"Root-cause top-1/top-3 accuracy on Amazon's PetShop benchmark, per traffic scenario and issue kind.",
                "With --job: run the job (a local MiniCluster) over each traffic scenario, every issue its own "
                        + "environment preceded by the scenario's normal history, and score the incidents it emits: "
                        + "recall, AS@1/3/5, noise and time to detect per scenario and issue kind, and AS@1 averaged "
                        + "over scenarios. A fault is found when an incident is detected from 1 min before to 10 min "
                        + "after its start (the sample period before the alarm's)."})
final class EvalPetshopCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/data/petshop",
            description = "The PetShop data folder (traffic scenarios with graph.csv and issue folders). Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures and per-issue ranks as JSON"
            + " (with --job: one file per scenario, the scenario's name inserted before the extension).")
    Path json;

    @Option(names = "--job", description = "Run the Flink job over the data and score the incidents it emits.")
    boolean job;

    @Option(names = "--details", description = "With --job: also list every fault with its match and hints, and every noise incident.")
    boolean details;

    @Option(names = "--dump", paramLabel = "FILE", description = "With --job: also write every anomaly and incident"
            + " version the job emitted, one record a line (one file per scenario, named as for --json).")
    Path dump;

    @Option(names = "--config", description = "With --job: configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", description = "With --job: override one setting, e.g. -Dsift.correlate.gap=5m", mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (job) {
            return runJob();
        }
        PetshopReport report = new PetshopEvaluation().run(data);
        System.out.print(report.table());
        PetshopReport.Accuracy mean = report.averageOverScenarios();
        System.out.printf(Locale.ROOT, "%nPetShop root cause, mean of %d scenarios: top-1 %.3f, top-3 %.3f (dataset's MAD-traversal"
                + " baseline: low-traffic latency 0.571 / 0.571, availability 0.833 / 1.000)%n",
                report.scenarios().size(), mean.top1(), mean.top3());
        if (json != null) {
            report.writeJson(json);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }

    private int runJob() throws Exception {
        long started = System.nanoTime();
        Configuration conf = SiftSettings.load(config, overrides);
        Map<String, FaultScoring.Score> scores = new LinkedHashMap<>();
        for (PetshopScenario scenario : PetshopEvaluation.readDataset(data)) {
            FaultDataSet set = PetshopFaultData.read(scenario);
            System.out.printf("%s: %,d metric points, %d issues%s; running the job ...%n", set.name(),
                    set.metrics().size(), set.faults().size(),
                    scenario.normal().isPresent() ? "" : " (no normal history: issues come without one)");
            FaultDataRunner.Output output = new FaultDataRunner(conf).run(set);
            FaultScoring.Score score = FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());
            System.out.print(FaultReport.table(score, details));
            System.out.printf("%,d anomaly versions, %,d incident versions%n%n", output.anomalies().size(),
                    output.incidents().size());
            scores.put(scenario.name(), score);
            if (dump != null) {
                output.writeDump(perScenario(dump, scenario.name()));
            }
            if (json != null) {
                Path file = perScenario(json, scenario.name());
                FaultReport.writeJson(score, file);
                System.out.println("JSON written to " + file.toAbsolutePath());
            }
        }
        System.out.print(summary(scores));
        System.out.printf(Locale.ROOT, "%.0f s%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Per scenario and issue kind, then means over scenarios (each scenario weighs the same, as eval petshop). */
    static String summary(Map<String, FaultScoring.Score> scores) {
        StringBuilder out = new StringBuilder();
        String row = "%-20s %-13s %6s %7s %6s %6s %9s%n";
        out.append(String.format(Locale.ROOT, row, "SCENARIO", "ISSUE KIND", "ISSUES", "RECALL", "AS@1", "AS@3",
                "NOISE/h"));
        TreeSet<String> kinds = new TreeSet<>();
        scores.values().forEach(s -> s.byFaultType().keySet().forEach(k -> kinds.add(kind(k))));
        Map<String, List<FaultScoring.Figures>> perKind = new LinkedHashMap<>();
        List<FaultScoring.Figures> all = new ArrayList<>();
        scores.forEach((scenario, score) -> {
            score.byFaultType().forEach((type, f) -> {
                out.append(line(row, scenario, kind(type), f, ""));
                perKind.computeIfAbsent(kind(type), k -> new ArrayList<>()).add(f);
            });
            out.append(line(row, scenario, "all", score.overall(),
                    String.format(Locale.ROOT, "%.2f", score.noisePerHour())));
            all.add(score.overall());
        });
        for (String kind : kinds) {
            out.append(line(row, "mean of scenarios", kind, mean(perKind.getOrDefault(kind, List.of())), ""));
        }
        FaultScoring.Figures mean = mean(all);
        out.append(line(row, "mean of scenarios", "all", mean, ""));
        out.append(String.format(Locale.ROOT, "%nPetShop through the job, mean of %d scenarios: AS@1 %.3f, AS@3 %.3f,"
                + " recall %.3f (eval petshop without --job ranks outside the job)%n", all.size(), mean.as1(),
                mean.as3(), mean.recall()));
        return out.toString();
    }

    private static String kind(String faultType) {
        return faultType.substring(faultType.indexOf('/') + 1);
    }

    /** Unweighted mean of per-scenario figures (groups without faults left out); no time to detect. */
    private static FaultScoring.Figures mean(List<FaultScoring.Figures> parts) {
        List<FaultScoring.Figures> present = parts.stream().filter(f -> f.faults() > 0).toList();
        if (present.isEmpty()) {
            return new FaultScoring.Figures(0, 0, 0, 0, 0, null);
        }
        return new FaultScoring.Figures(present.stream().mapToInt(FaultScoring.Figures::faults).sum(),
                present.stream().mapToDouble(FaultScoring.Figures::recall).average().orElse(0),
                present.stream().mapToDouble(FaultScoring.Figures::as1).average().orElse(0),
                present.stream().mapToDouble(FaultScoring.Figures::as3).average().orElse(0),
                present.stream().mapToDouble(FaultScoring.Figures::as5).average().orElse(0), null);
    }

    private static String line(String format, String scenario, String kind, FaultScoring.Figures f, String noise) {
        return String.format(Locale.ROOT, format, scenario, kind, f.faults(),
                String.format(Locale.ROOT, "%.3f", f.recall()), String.format(Locale.ROOT, "%.3f", f.as1()),
                String.format(Locale.ROOT, "%.3f", f.as3()), noise);
    }

    private static Path perScenario(Path file, String scenario) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String named = dot < 0 ? name + "-" + scenario : name.substring(0, dot) + "-" + scenario + name.substring(dot);
        return file.resolveSibling(named);
    }
}
