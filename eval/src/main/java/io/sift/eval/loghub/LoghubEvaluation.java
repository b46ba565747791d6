package io.sift.eval.loghub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sift.core.logs.MinedTemplate;
import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateMiner;
import io.sift.core.logs.TemplateMinerState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sift eval loghub}: feeds each system's lines through a fresh template miner in log order, one
 * configuration for every system, and scores the templates every line ended up in against the corrected ground truth.
 */
public final class LoghubEvaluation {

    private final MinerConfig config;

    public LoghubEvaluation(MinerConfig config) {
        this.config = config;
    }

    /** Mines and scores every system. */
    public Report run(List<LoghubSystem> systems) {
        List<SystemResult> results = new ArrayList<>();
        for (LoghubSystem system : systems) {
            results.add(evaluate(system));
        }
        return new Report(results);
    }

    /** Mines one system and scores it. */
    public SystemResult evaluate(LoghubSystem system) {
        List<String> predicted = mine(system.contents());
        LoghubMetrics.Grouping grouping = LoghubMetrics.grouping(system.templates(), predicted);
        double pa = LoghubMetrics.parsingAccuracy(system.templates(), predicted);
        return new SystemResult(system.name(), system.corrected(), system.contents().size(), grouping.truthGroups(),
                grouping.predictedGroups(), grouping.accuracy(), pa, grouping.templateF1(),
                mistakes(system, predicted, grouping.wrongTruth()));
    }

    /** The final template of each line: the template its line joined, as it stands after the whole stream. */
    public List<String> mine(List<String> lines) {
        TemplateMiner miner = new TemplateMiner(config);
        TemplateMinerState state = new TemplateMinerState();
        List<MinedTemplate> joined = new ArrayList<>(lines.size());
        long time = 0;
        for (String line : lines) {
            joined.add(miner.mine(state, line, time++).template());
        }
        List<String> predicted = new ArrayList<>(lines.size());
        for (MinedTemplate template : joined) {
            predicted.add(template.current().text());
        }
        return predicted;
    }

    /**
     * Lines per second through the miner alone on one thread: the systems' lines replayed, a fresh state per system
     * and pass, for {@code minMillis} after as long again of warm-up (so the JIT has compiled the hot paths).
     */
    public double throughput(List<LoghubSystem> systems, long minMillis) {
        TemplateMiner miner = new TemplateMiner(config);
        long sink = 0;
        long warmUpEnd = System.nanoTime() + minMillis * 1_000_000L;
        while (System.nanoTime() < warmUpEnd) {
            sink += replay(miner, systems);
        }
        long lines = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            sink += replay(miner, systems);
            for (LoghubSystem system : systems) {
                lines += system.contents().size();
            }
            elapsed = System.nanoTime() - start;
        } while (elapsed < minMillis * 1_000_000L);
        if (sink == 42) {
            System.out.print(""); // keeps the replays' results alive
        }
        return lines / (elapsed / 1e9);
    }

    /**
     * Heap the miner's state holds (templates and lookup index), measured rather than estimated: the used heap after
     * a full collection, with {@code copies} states per system kept alive, against the used heap before. Approximate
     * (the collector decides what "used" means), so reported rounded.
     */
    public Memory memory(List<LoghubSystem> systems, int copies) {
        TemplateMiner miner = new TemplateMiner(config);
        long before = usedHeapAfterGc();
        List<TemplateMinerState> kept = new ArrayList<>();
        long templates = 0;
        for (int copy = 0; copy < copies; copy++) {
            for (LoghubSystem system : systems) {
                TemplateMinerState state = new TemplateMinerState();
                long time = 0;
                for (String line : system.contents()) {
                    miner.mine(state, line, time++);
                }
                templates += state.templates.size();
                kept.add(state);
            }
        }
        long bytes = Math.max(0, usedHeapAfterGc() - before);
        if (kept.size() != copies * systems.size()) {
            throw new IllegalStateException("states were not kept alive");
        }
        return new Memory(bytes / (double) templates, bytes / (double) kept.size(), templates / (double) kept.size());
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }

    /**
     * @param bytesPerTemplate heap per template, the state's index included
     * @param bytesPerService  heap per service state (one Loghub system's 2,000 lines)
     * @param templatesPerService templates per service state
     */
    public record Memory(double bytesPerTemplate, double bytesPerService, double templatesPerService) {}

    private static long replay(TemplateMiner miner, List<LoghubSystem> systems) {
        long templates = 0;
        for (LoghubSystem system : systems) {
            TemplateMinerState state = new TemplateMinerState();
            long time = 0;
            for (String line : system.contents()) {
                miner.mine(state, line, time++);
            }
            templates += state.templates.size();
        }
        return templates;
    }

    /** Ground-truth templates grouped wrongly, largest first, with the predicted templates their lines went to. */
    private static List<Mistake> mistakes(LoghubSystem system, List<String> predicted, List<String> wrongTruth) {
        Map<String, Map<String, Integer>> spread = new LinkedHashMap<>();
        Map<String, Integer> predictedSizes = new LinkedHashMap<>();
        for (int i = 0; i < predicted.size(); i++) {
            predictedSizes.merge(predicted.get(i), 1, Integer::sum);
        }
        java.util.Set<String> wrong = new java.util.HashSet<>(wrongTruth);
        for (int i = 0; i < predicted.size(); i++) {
            String truth = system.templates().get(i);
            if (wrong.contains(truth)) {
                spread.computeIfAbsent(truth, k -> new LinkedHashMap<>()).merge(predicted.get(i), 1, Integer::sum);
            }
        }
        List<Mistake> mistakes = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> entry : spread.entrySet()) {
            int lines = entry.getValue().values().stream().mapToInt(Integer::intValue).sum();
            List<String> into = new ArrayList<>();
            entry.getValue().entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> into.add(e.getValue() + "/" + predictedSizes.get(e.getKey()) + "  " + e.getKey()));
            mistakes.add(new Mistake(entry.getKey(), lines, into));
        }
        mistakes.sort(Comparator.comparingInt(Mistake::lines).reversed());
        return mistakes;
    }

    /**
     * A ground-truth template whose lines were not grouped exactly.
     *
     * @param truth     the ground-truth template
     * @param lines     its lines
     * @param predicted where they went: "lines of it / lines of that predicted group  predicted template"
     */
    public record Mistake(String truth, int lines, List<String> predicted) {}

    /** One system's scores. */
    public record SystemResult(String system, boolean correctedTruth, int lines, int truthTemplates, int minedTemplates,
            double groupingAccuracy, double parsingAccuracy, double groupingF1, List<Mistake> mistakes) {}

    /** All systems' scores and their averages (unweighted, one vote per system, as the benchmark papers do). */
    public record Report(List<SystemResult> systems) {

        public double averageGroupingAccuracy() {
            return systems.stream().mapToDouble(SystemResult::groupingAccuracy).average().orElse(0);
        }

        public double averageParsingAccuracy() {
            return systems.stream().mapToDouble(SystemResult::parsingAccuracy).average().orElse(0);
        }

        public double averageGroupingF1() {
            return systems.stream().mapToDouble(SystemResult::groupingF1).average().orElse(0);
        }

        public double minimumGroupingAccuracy() {
            return systems.stream().mapToDouble(SystemResult::groupingAccuracy).min().orElse(0);
        }

        /** The table printed on stdout. */
        public void print(PrintStream out, int mistakesPerSystem) {
            out.printf(Locale.ROOT, "%-12s %6s %6s %6s %7s %7s %7s%n", "SYSTEM", "LINES", "TRUTH", "MINED", "GA",
                    "PA", "FGA");
            for (SystemResult r : systems) {
                out.printf(Locale.ROOT, "%-12s %6d %6d %6d %7.4f %7.4f %7.4f%n",
                        r.system() + (r.correctedTruth() ? "" : "*"), r.lines(),
                        r.truthTemplates(), r.minedTemplates(), r.groupingAccuracy(), r.parsingAccuracy(),
                        r.groupingF1());
            }
            out.printf(Locale.ROOT, "%-12s %6s %6s %6s %7.4f %7.4f %7.4f%n", "AVERAGE", "", "", "",
                    averageGroupingAccuracy(), averageParsingAccuracy(), averageGroupingF1());
            if (systems.stream().anyMatch(r -> !r.correctedTruth())) {
                out.println("* no corrected ground truth in the data: scored against <System>_2k.log_structured.csv");
            }
            if (mistakesPerSystem > 0) {
                for (SystemResult r : systems) {
                    List<Mistake> shown = r.mistakes().subList(0, Math.min(mistakesPerSystem, r.mistakes().size()));
                    if (shown.isEmpty()) {
                        continue;
                    }
                    out.println();
                    out.println(r.system() + ": ground-truth templates not grouped exactly (largest first)");
                    for (Mistake m : shown) {
                        out.println("  " + m.lines() + "  " + m.truth());
                        for (String p : m.predicted().subList(0, Math.min(4, m.predicted().size()))) {
                            out.println("      -> " + p);
                        }
                    }
                }
            }
        }

        /** The figures as JSON for scripts. */
        public void writeJson(Path file, MinerConfig config, double linesPerSecond, Memory memory)
                throws IOException {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("evaluation", "loghub");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (SystemResult r : systems) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("system", r.system());
                row.put("correctedGroundTruth", r.correctedTruth());
                row.put("lines", r.lines());
                row.put("groundTruthTemplates", r.truthTemplates());
                row.put("minedTemplates", r.minedTemplates());
                row.put("groupingAccuracy", r.groupingAccuracy());
                row.put("parsingAccuracy", r.parsingAccuracy());
                row.put("groupingF1", r.groupingF1());
                rows.add(row);
            }
            json.put("systems", rows);
            Map<String, Object> average = new LinkedHashMap<>();
            average.put("groupingAccuracy", averageGroupingAccuracy());
            average.put("parsingAccuracy", averageParsingAccuracy());
            average.put("groupingF1", averageGroupingF1());
            average.put("minimumGroupingAccuracy", minimumGroupingAccuracy());
            json.put("average", average);
            if (linesPerSecond > 0) {
                json.put("minerLinesPerSecondOneThread", linesPerSecond);
            }
            if (memory != null) {
                Map<String, Object> heap = new LinkedHashMap<>();
                heap.put("bytesPerTemplate", Math.round(memory.bytesPerTemplate()));
                heap.put("bytesPerService", Math.round(memory.bytesPerService()));
                heap.put("templatesPerService", memory.templatesPerService());
                json.put("minerHeap", heap);
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("masks", config.masks().stream().map(Enum::name).sorted().toList());
            settings.put("maxTemplates", config.maxTemplates());
            settings.put("maxTokens", config.maxTokens());
            settings.put("minSimilarity", config.minSimilarity());
            settings.put("minDistinctWords", config.minDistinctWords());
            json.put("minerConfig", settings);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        }
    }
}
