package io.sift.jobs.cli;

import io.sift.eval.EvalData;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultReport;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.SockShopData;
import io.sift.jobs.SiftSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval sockshop}: the job itself (MiniCluster) over a real data set with labelled faults, scored on the
 * incidents it emits: fault recall, AS@1/3/5, noise incidents per hour and time to detect, per fault type.
 */
@Command(name = "sockshop", mixinStandardHelpOptions = true,
        description = {"Run the job (a local MiniCluster) over the Sock Shop data set (pod and node metrics with 124 "
                + "injected faults) and score the incidents it emits: fault recall, AS@1/AS@3/AS@5 (the faulty "
                + "service, pod or node among the matching incident's ranked hints), noise incidents per hour "
                + "outside fault windows, and time to detect, per fault type.",
                "A fault is found when an incident is detected from 1 min before to 10 min after its start; the "
                        + "earliest such incident is its match, read as it stood 10 min after the start."})
final class EvalFaultsCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR", description = "The sockshop data folder. Default: the shared data's sockshop/.")
    Path data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures, every fault's result and the noise incidents as JSON.")
    Path json;

    @Option(names = "--details", description = "Also list every fault with its match and hints, and every noise incident.")
    boolean details;

    @Option(names = "--dump", paramLabel = "FILE", description = "Also write every anomaly and incident version the job emitted, one JSON record a line.")
    Path dump;

    @Option(names = "--config", description = "Configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", description = "Override one setting, e.g. -Dsift.correlate.gap=5m", mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        Path folder = data != null ? EvalData.require(data, "sockshop") : EvalData.dataset("sockshop");
        long started = System.nanoTime();
        FaultDataSet set = SockShopData.read(folder);
        System.out.printf("Sock Shop: %,d metric points, %d faults; running the job ...%n", set.metrics().size(),
                set.faults().size());
        FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(config, overrides)).run(set);
        FaultScoring.Score score = FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());
        System.out.print(FaultReport.table(score, details));
        System.out.printf("%,d anomaly versions, %,d incident versions; %.0f s%n", output.anomalies().size(),
                output.incidents().size(), (System.nanoTime() - started) / 1e9);
        if (dump != null) {
            try (var out = java.nio.file.Files.newBufferedWriter(dump)) {
                for (var anomaly : output.anomalies()) {
                    out.write(anomaly.toString());
                    out.newLine();
                }
                for (var incident : output.incidents()) {
                    out.write(incident.toString());
                    out.newLine();
                }
            }
        }
        if (json != null) {
            FaultReport.writeJson(score, json);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }
}
