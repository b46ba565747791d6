package io.sift.jobs.cli;

import io.sift.core.logs.MinerConfig;
import io.sift.eval.EvalData;
import io.sift.eval.loghub.LoghubEvaluation;
import io.sift.eval.loghub.LoghubSystem;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval loghub}: the log template miner on the Loghub benchmark. Every system's 2,000 labelled lines go
 * through a fresh miner in log order with one configuration for all systems; grouping accuracy (GA) and parsing
 * accuracy (PA) are scored against the corrected ground truth.
 */
@Command(name = "loghub", mixinStandardHelpOptions = true,
        description = "Score the log template miner on Loghub (grouping and parsing accuracy per system).")
final class EvalLoghubCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "../shared/data/loghub",
            description = "Folder with one sub-folder per system holding <System>_2k.log_structured_corrected.csv "
                    + "(default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Option(names = "--mistakes", defaultValue = "0",
            description = "Per system, list this many ground-truth templates that were not grouped exactly.")
    int mistakes;

    @Option(names = "--throughput-millis", defaultValue = "2000",
            description = "Replay the lines through the miner this long (after as long a warm-up) to measure lines "
                    + "per second on one thread, then measure the heap it holds (0: skip both).")
    long throughputMillis;

    @Override
    public Integer call() throws Exception {
        List<LoghubSystem> systems = LoghubSystem.discover(EvalData.require(data, "loghub"));
        MinerConfig config = MinerConfig.defaults();
        LoghubEvaluation evaluation = new LoghubEvaluation(config);
        LoghubEvaluation.Report report = evaluation.run(systems);
        System.out.println("Loghub template mining: " + systems.size() + " systems from " + data.toAbsolutePath()
                .normalize() + ", one configuration for all (" + describe(config) + ")");
        System.out.println();
        report.print(System.out, mistakes);
        double linesPerSecond = 0;
        if (throughputMillis > 0) {
            linesPerSecond = evaluation.throughput(systems, throughputMillis);
            System.out.println();
            System.out.printf(Locale.ROOT, "Miner throughput: %,.0f lines/s on one thread (the lines above replayed "
                    + "for %d ms after as long a warm-up; not a JMH benchmark)%n", linesPerSecond, throughputMillis);
        }
        LoghubEvaluation.Memory memory = null;
        if (throughputMillis > 0) {
            memory = evaluation.memory(systems, 20);
            System.out.printf(Locale.ROOT, "Miner heap: about %,.0f bytes per template, %,.0f per service state "
                    + "(%.0f templates; index included; used heap after GC with 20 copies of each state)%n",
                    memory.bytesPerTemplate(), memory.bytesPerService(), memory.templatesPerService());
        }
        if (json != null) {
            report.writeJson(json, config, linesPerSecond, memory);
            System.out.println("JSON: " + json.toAbsolutePath().normalize());
        }
        return 0;
    }

    private static String describe(MinerConfig config) {
        return "masks " + config.masks().stream().map(m -> m.name().toLowerCase(Locale.ROOT)).toList()
                + ", " + config.minDistinctWords() + " distinct words make a variable";
    }
}
