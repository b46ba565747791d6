package io.sift.jobs.cli;

import io.sift.core.detect.DetectorConfig;
import io.sift.eval.EvalData;
import io.sift.eval.nab.NabCorpus;
import io.sift.eval.nab.NabEvaluation;
import io.sift.eval.nab.NabProfile;
import io.sift.eval.nab.NabProfileResult;
import io.sift.eval.nab.NabReport;
import io.sift.eval.nab.SeriesFigures;
import io.sift.eval.nab.SiftNabDetector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval nab}: runs Sift's metric model (default configuration, the same for every series) over the 58
 * NAB series and scores it with NAB's rules under the three profiles.
 */
@Command(name = "nab", mixinStandardHelpOptions = true,
        description = "Run Sift's metric detector on the Numenta Anomaly Benchmark and print the NAB scores.")
final class EvalNabCommand implements Callable<Integer> {

    @Option(names = "--data", description = "NAB folder (holding data/, labels/, config/). Default: ${DEFAULT-VALUE}",
            defaultValue = "../shared/data/nab")
    Path data;

    @Option(names = "--json", description = "Also write the scores and per-series figures to this JSON file.")
    Path json;

    @Option(names = "--series", description = "Print every series' figures, not only the per-category summary.")
    boolean perSeries;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        NabCorpus corpus = NabCorpus.load(EvalData.require(data, "nab"));
        long start = System.nanoTime();
        NabReport report = NabEvaluation.evaluate(corpus, SiftNabDetector.NAME,
                new SiftNabDetector(DetectorConfig.defaults()));
        double seconds = (System.nanoTime() - start) / 1e9;

        out.printf("NAB: %d series, %d windows, scored in %.1f s%n%n", corpus.series().size(),
                corpus.labelledWindows(), seconds);
        out.printf("%-20s %8s %10s %9s %8s %8s%n", "profile", "score", "threshold", "raw", "null", "perfect");
        for (NabProfileResult p : report.profiles()) {
            out.printf("%-20s %8.2f %10.4f %9.2f %8.2f %8.2f%n", p.profile(), p.score(), p.threshold(), p.rawScore(),
                    p.nullScore(), p.perfectScore());
        }
        NabProfileResult standard = report.profile(NabProfile.STANDARD);
        out.printf("%nStandard profile by category:%n");
        out.printf("%-24s %6s %8s %9s %12s %9s%n", "category", "series", "windows", "detected", "false rows", "raw");
        Map<String, double[]> byCategory = new TreeMap<>();
        for (SeriesFigures s : standard.series()) {
            String category = s.series().contains("/") ? s.series().substring(0, s.series().indexOf('/')) : "";
            double[] sums = byCategory.computeIfAbsent(category, c -> new double[5]);
            sums[0]++;
            sums[1] += s.windows();
            sums[2] += s.detectedWindows();
            sums[3] += s.falseAlarmRows();
            sums[4] += s.rawScore();
        }
        byCategory.forEach((category, sums) -> out.printf("%-24s %6.0f %8.0f %9.0f %12.0f %9.2f%n", category, sums[0],
                sums[1], sums[2], sums[3], sums[4]));
        if (perSeries) {
            out.printf("%n%-56s %8s %9s %12s %9s%n", "series", "windows", "detected", "false rows", "raw");
            for (SeriesFigures s : standard.series()) {
                out.printf("%-56s %8d %9d %12d %9.2f%n", s.series(), s.windows(), s.detectedWindows(),
                        s.falseAlarmRows(), s.rawScore());
            }
        }
        out.printf("%nPublished standard scores for comparison: Numenta HTM 70.10, Random Cut Forest 51.72,"
                + " windowed Gaussian 39.65, ARTime 74.85.%n");
        if (json != null) {
            report.writeJson(json);
            out.printf("Wrote %s%n", json);
        }
        out.flush();
        return 0;
    }
}
