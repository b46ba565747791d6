package io.sift.jobs.cli;

import io.sift.core.logs.LogMetrics;
import io.sift.eval.scenarios.PipelineSettings;
import io.sift.eval.scenarios.ScenarioEvaluation;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval scenarios}: generated estates with injected faults and background noise, run through Sift's
 * detection and correlation (plain Java, with the job's settings), scored against the ground truth.
 */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "Score correlation on generated estates with injected faults of every type and background noise:"
                + " recall, purity, compression, root-cause top-1/top-3 and time to the first incident version.")
final class EvalScenariosCommand implements Callable<Integer> {

    @Option(names = "--seed", description = "Seed of the first estate; estate i uses seed + i.", defaultValue = "1")
    long seed;

    @Option(names = "--runs", description = "Number of estates (each has one fault of every type).", defaultValue = "10")
    int runs;

    @Option(names = "--json", description = "Also write the figures as JSON to this file.")
    Path json;

    @Option(names = "--details", description = "Also list every fault and incident of every estate.")
    boolean details;

    @Option(names = "--job", description = "Run each estate through the Flink job itself (a local MiniCluster, "
            + "slower) instead of the plain-Java pipeline.")
    boolean job;

    @Option(names = "--config", description = "Configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", description = "Override one setting, e.g. -Dsift.correlate.gap=5m", mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1; got " + runs);
        }
        org.apache.flink.configuration.Configuration conf = SiftSettings.load(config, overrides);
        ScenarioEvaluation evaluation = job ? new ScenarioEvaluation(new JobScenarioRunner(conf))
                : new ScenarioEvaluation(settings(conf));
        ScenarioEvaluation.Result result = evaluation.run(seed, runs);
        System.out.print(ScenarioEvaluation.table(result, details));
        if (json != null) {
            ScenarioEvaluation.writeJson(result, json);
            System.out.println("Figures as JSON: " + json.toAbsolutePath());
        }
        return 0;
    }

    /** The pipeline with the job's own settings, so the figures are the job's. */
    static PipelineSettings settings(org.apache.flink.configuration.Configuration conf) {
        SiftSettings job = new SiftSettings(conf);
        return new PipelineSettings(job.baseline, job.baselineByMetric, job.correlation, LogMetrics.LOG_ERROR_METRIC,
                conf.get(SiftOptions.LOG_WINDOW).toMillis(), conf.get(SiftOptions.OUT_OF_ORDERNESS).toMillis(),
                conf.get(SiftOptions.SERIES_SILENCE).toMillis(), job.detection);
    }
}
