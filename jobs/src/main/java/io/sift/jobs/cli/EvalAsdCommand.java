package io.sift.jobs.cli;

import io.sift.core.detect.DetectorConfig;
import io.sift.eval.EvalData;
import io.sift.eval.asd.AsdCorpus;
import io.sift.eval.asd.AsdDetectors;
import io.sift.eval.asd.AsdEvaluation;
import io.sift.eval.nab.NabProfile;
import io.sift.eval.nab.NabProfileResult;
import io.sift.eval.nab.NabReport;
import io.sift.eval.nab.SeriesFigures;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval asd}: Sift's detectors and two simple baselines on the Application Server Dataset, per metric
 * series, scored with NAB's rules (see {@link AsdCorpus} for how the windows are derived).
 */
@Command(name = "asd", mixinStandardHelpOptions = true,
        description = {"Score Sift's metric detection against simple detectors on the Application Server Dataset"
                + " (ASD: 12 servers x 19 metrics, 5-minute rows), per metric series, with NAB's scoring rules.",
                "Each detector is fed a series' train rows, then its test rows; only test rows are scored (no"
                        + " probation). Windows: a labelled anomaly is a run of consecutive test rows labelled 1; it"
                        + " belongs to the metrics its interpretation label names (to every metric if none names"
                        + " it); as in NAB, a window is 10 % of the test rows divided by the series' anomalies (at"
                        + " least the run), centred on the run, clipped, overlapping windows merged.",
                "Detectors: sift = the job's default robust baseline with its episodes (a row scores while an"
                        + " episode is open), sift-model = the metric model as 'eval nab' runs it, windowed-gaussian"
                        + " = NAB's windowed Gaussian, train-zscore = z-score against the train rows."})
final class EvalAsdCommand implements Callable<Integer> {

    @Option(names = "--data", description = "ASD folder (holding train/, test/, test_label/). Default: ${DEFAULT-VALUE}",
            defaultValue = "../shared/data/asd")
    Path data;

    @Option(names = "--json", description = "Also write the scores and per-series figures to this JSON file.")
    Path json;

    @Option(names = "--series", description = "Print every series' figures for Sift (standard profile).")
    boolean perSeries;

    @Option(names = "-D", description = "A sift.detect.* setting for the sift detector, e.g."
            + " -Dsift.detect.level-shift-adopt=2h.", mapFallbackValue = "")
    java.util.Map<String, String> settings = new java.util.HashMap<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Configuration conf = new Configuration();
        settings.forEach(conf::setString);
        SiftSettings sift = new SiftSettings(conf);
        long start = System.nanoTime();
        AsdCorpus corpus = AsdCorpus.load(EvalData.require(data, "asd"));
        AsdEvaluation.Report report = AsdEvaluation.evaluate(corpus,
                AsdDetectors.all(sift.baseline, DetectorConfig.defaults()));
        double seconds = (System.nanoTime() - start) / 1e9;

        out.printf("ASD: %d series (%d servers x %d metrics), %d windows in the test rows, scored in %.1f s%n%n",
                report.series(), report.series() / AsdCorpus.METRICS, AsdCorpus.METRICS, report.windows(), seconds);
        out.printf("%-18s %9s %12s %12s %9s %11s %10s%n", "detector", "standard", "low FP", "low FN", "detected",
                "false rows", "threshold");
        for (NabReport d : report.detectors()) {
            NabProfileResult standard = d.profile(NabProfile.STANDARD);
            int detected = standard.series().stream().mapToInt(SeriesFigures::detectedWindows).sum();
            int falseRows = standard.series().stream().mapToInt(SeriesFigures::falseAlarmRows).sum();
            out.printf("%-18s %9.2f %12.2f %12.2f %9s %11d %10.4f%n", d.detector(), standard.score(),
                    d.score(NabProfile.REWARD_LOW_FP), d.score(NabProfile.REWARD_LOW_FN),
                    detected + "/" + report.windows(), falseRows, standard.threshold());
        }
        out.printf("%n(standard profile: detected windows and false-alarm rows at the profile's threshold)%n");
        if (perSeries) {
            out.printf("%n%-14s %8s %9s %12s %9s%n", "series", "windows", "detected", "false rows", "raw");
            for (SeriesFigures s : report.detector(AsdDetectors.SIFT).profile(NabProfile.STANDARD).series()) {
                out.printf("%-14s %8d %9d %12d %9.2f%n", s.series(), s.windows(), s.detectedWindows(),
                        s.falseAlarmRows(), s.rawScore());
            }
        }
        if (json != null) {
            report.writeJson(json);
            out.printf("Wrote %s%n", json);
        }
        out.flush();
        return 0;
    }
}
