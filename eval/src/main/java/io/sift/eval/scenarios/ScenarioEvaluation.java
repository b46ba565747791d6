package io.sift.eval.scenarios;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.scenario.FaultType;
import io.sift.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sift eval scenarios}: generates estates with injected faults and noise, runs Sift's plain-Java pipeline
 * over each, and scores the incidents against the ground truth: recall, purity, compression, root-cause top-1 and
 * top-3, and time to the first incident version, per fault type and overall.
 */
public final class ScenarioEvaluation {

    /** The figures of a whole evaluation. */
    public record Result(long seed, List<RunScore> runs, Figures overall, Map<FaultType, Figures> byType,
            int noiseInjected, int noiseDetected, double seconds) {}

    /** Runs one generated scenario through Sift: the plain-Java pipeline, or the Flink job itself. */
    @FunctionalInterface
    public interface Runner {
        ScenarioPipeline.Output run(Scenario scenario) throws Exception;
    }

    private final Runner runner;

    /** Scores the plain-Java pipeline (detection and correlation as the job does them, without Flink). */
    public ScenarioEvaluation(PipelineSettings settings) {
        this(scenario -> new ScenarioPipeline(settings).run(scenario));
    }

    public ScenarioEvaluation(Runner runner) {
        this.runner = runner;
    }

    public Result run(long seed, int runs) throws Exception {
        long started = System.nanoTime();
        List<RunScore> scores = new ArrayList<>();
        for (ScenarioSuite.Run run : ScenarioSuite.of(seed, runs)) {
            Scenario scenario = run.generator().generate();
            ScenarioPipeline.Output output = runner.run(scenario);
            scores.add(RunScore.of(run, scenario, output));
        }
        Map<FaultType, Figures> byType = new LinkedHashMap<>();
        for (FaultType type : FaultType.values()) {
            byType.put(type, Figures.of(scores, type));
        }
        int injected = scores.stream().mapToInt(RunScore::noiseInjected).sum();
        int detected = scores.stream().mapToInt(RunScore::noiseDetected).sum();
        return new Result(seed, scores, Figures.overall(scores), byType, injected, detected,
                (System.nanoTime() - started) / 1e9);
    }

    /** The table printed on the console. */
    public static String table(Result result, boolean details) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Generated scenarios: seeds %d-%d, %d estates, %d faults, %d noise"
                        + " glitches injected (%d detected), in %.1f s%n", result.seed(),
                result.seed() + result.runs().size() - 1, result.runs().size(), result.overall().faults(),
                result.noiseInjected(), result.noiseDetected(), result.seconds()));
        if (details) {
            for (RunScore run : result.runs()) {
                out.append(String.format(Locale.ROOT, "%n  seed %d (%s): %d anomaly versions, %d incidents%n",
                        run.run().seed(), run.run().shape(), run.anomalyVersions(), run.incidents().size()));
                for (RunScore.FaultOutcome f : run.faults()) {
                    out.append(String.format(Locale.ROOT, "    %s %-20s %-16s %s%n", f.fault().id(), f.fault().type(),
                            f.fault().rootCauseItem(), f.recalled()
                                    ? String.format(Locale.ROOT, "%s rank %s, first version +%d s, %d anomalies%s",
                                            f.incidentId(), f.rootRank() == 0 ? "-" : f.rootRank(),
                                            f.firstVersionMillis() / 1000, f.anomalies(),
                                            f.incidentCount() > 1 ? ", split in " + f.incidentCount() : "")
                                    : "MISSED (" + f.anomalies() + " anomalies)"));
                }
                for (RunScore.IncidentOutcome i : run.incidents()) {
                    out.append(String.format(Locale.ROOT, "    %s %-8s %2d/%-3d top %-16s %s%n", i.id(),
                            i.fault() == null ? "noise" : i.fault().id(), i.ofFault(), i.anomalies(),
                            i.topHint(), String.join(",", i.items())));
                }
            }
            out.append(System.lineSeparator());
        }
        out.append(String.format(Locale.ROOT, "%-20s %6s %7s %7s %11s %6s %6s %12s%n", "FAULT TYPE", "FAULTS",
                "RECALL", "PURITY", "COMPRESSION", "TOP-1", "TOP-3", "FIRST (s)"));
        for (Map.Entry<FaultType, Figures> e : result.byType().entrySet()) {
            out.append(row(e.getKey().name(), e.getValue()));
        }
        out.append(row("ALL", result.overall()));
        Figures all = result.overall();
        out.append(String.format(Locale.ROOT, "%nALL: %d anomaly versions → %d incidents (%d of them noise only,"
                        + " %d split fragments).%n", all.anomalyVersions(), all.incidents(), noiseIncidents(result),
                all.splitIncidents()));
        out.append("Targets: recall 100 %, purity ≥ 95 %, compression ≥ 20:1, top-1 ≥ 80 %, top-3 ≥ 95 %.")
                .append(System.lineSeparator());
        return out.toString();
    }

    private static long noiseIncidents(Result result) {
        return result.runs().stream().flatMap(r -> r.incidents().stream()).filter(i -> i.fault() == null).count();
    }

    private static String row(String name, Figures f) {
        return String.format(Locale.ROOT, "%-20s %6d %7s %7s %11s %6s %6s %12s%n", name, f.faults(), percent(f.recall()),
                percent(f.purity()), Double.isNaN(f.compression()) ? "-" : String.format(Locale.ROOT, "%.1f:1",
                        f.compression()), percent(f.top1()), percent(f.top3()),
                Double.isNaN(f.meanFirstVersionSeconds()) ? "-" : String.format(Locale.ROOT, "%.0f (max %.0f)",
                        f.meanFirstVersionSeconds(), f.maxFirstVersionSeconds()));
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** The figures as JSON, for scripts. */
    public static void writeJson(Result result, Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("evaluation", "scenarios");
        root.put("seed", result.seed());
        root.put("runs", result.runs().size());
        root.put("noiseInjected", result.noiseInjected());
        root.put("noiseDetected", result.noiseDetected());
        root.put("noiseOnlyIncidents", noiseIncidents(result));
        root.set("overall", figures(mapper, result.overall()));
        ObjectNode byType = root.putObject("byFaultType");
        result.byType().forEach((type, f) -> byType.set(type.name(), figures(mapper, f)));
        ArrayNode runs = root.putArray("estates");
        for (RunScore run : result.runs()) {
            ObjectNode r = runs.addObject();
            r.put("seed", run.run().seed());
            r.put("services", run.run().services());
            r.put("sampleIntervalSeconds", run.run().sampleInterval().toSeconds());
            r.put("anomalyVersions", run.anomalyVersions());
            r.put("incidents", run.incidents().size());
            ArrayNode faults = r.putArray("faults");
            for (RunScore.FaultOutcome f : run.faults()) {
                ObjectNode o = faults.addObject();
                o.put("id", f.fault().id());
                o.put("type", f.fault().type().name());
                o.put("rootCause", f.fault().rootCauseItem());
                o.put("start", f.fault().start().toString());
                o.put("recalled", f.recalled());
                o.put("incident", f.incidentId());
                o.put("rootCauseRank", f.rootRank());
                o.put("firstVersionSeconds", f.firstVersionMillis() < 0 ? null : f.firstVersionMillis() / 1000.0);
                o.put("anomalies", f.anomalies());
                o.put("incidentsDominated", f.incidentCount());
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        mapper.writeValue(file.toFile(), root);
    }

    private static ObjectNode figures(ObjectMapper mapper, Figures f) {
        ObjectNode o = mapper.createObjectNode();
        o.put("faults", f.faults());
        number(o, "recall", f.recall());
        number(o, "purity", f.purity());
        number(o, "compression", f.compression());
        number(o, "top1", f.top1());
        number(o, "top3", f.top3());
        number(o, "meanFirstVersionSeconds", f.meanFirstVersionSeconds());
        number(o, "maxFirstVersionSeconds", f.maxFirstVersionSeconds());
        o.put("anomalyVersions", f.anomalyVersions());
        o.put("incidents", f.incidents());
        o.put("splitIncidents", f.splitIncidents());
        return o;
    }

    private static void number(ObjectNode o, String name, double v) {
        if (Double.isNaN(v)) {
            o.putNull(name);
        } else {
            o.put(name, Math.round(v * 10_000) / 10_000.0);
        }
    }
}
