package io.sift.jobs.cli;

import io.sift.eval.EvalData;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultReport;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.RcdSockShopData;
import io.sift.eval.faults.SockShopData;
import io.sift.jobs.SiftSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval sockshop|rcd-sockshop}: the job itself (MiniCluster) over a real data set with labelled faults,
 * scored on the incidents it emits: fault recall, AS@1/3/5, noise incidents per hour and time to detect, per fault
 * type. The subcommands differ only in the data set they read; running, scoring and reporting are shared.
 */
abstract class EvalFaultsCommand implements Callable<Integer> {

    private static final String MATCHING = "A fault is found when an incident is detected from 1 min before to 10 min"
            + " after its start; the earliest such incident is its match, read as it stood 10 min after the start.";

    @Command(name = "sockshop", mixinStandardHelpOptions = true,
            description = {"Run the job (a local MiniCluster) over the Sock Shop data set (pod and node metrics with 124 "
                    + "injected faults) and score the incidents it emits: fault recall, AS@1/AS@3/AS@5 (the faulty "
                    + "service, pod or node among the matching incident's ranked hints), noise incidents per hour "
                    + "outside fault windows, and time to detect, per fault type.", MATCHING})
    static final class SockShop extends EvalFaultsCommand {
        SockShop() {
            super("sockshop", "Sock Shop");
        }

        @Override
        FaultDataSet read(Path folder) {
            return SockShopData.read(folder);
        }
    }

    @Command(name = "rcd-sockshop", mixinStandardHelpOptions = true,
            description = {"Run the job (a local MiniCluster) over the RCD Sock Shop data set (13 containers' CPU and "
                    + "memory, 3 services' request rate and latency, 1 s samples; 50 injected CPU hogs and memory "
                    + "leaks, each case its own environment, its anomalous window laid right after its normal one) and "
                    + "score the incidents it emits as for sockshop; each whole case is scored, so noise is counted in "
                    + "the fault-free normal windows.", MATCHING})
    static final class RcdSockShop extends EvalFaultsCommand {
        RcdSockShop() {
            super(RcdSockShopData.NAME, "RCD Sock Shop");
        }

        @Override
        FaultDataSet read(Path folder) {
            return RcdSockShopData.read(folder);
        }
    }

    @Option(names = "--data", paramLabel = "DIR", description = "The data set's folder. Default: the shared data's folder of the subcommand's name.")
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

    private final String folderName;
    private final String title;

    EvalFaultsCommand(String folderName, String title) {
        this.folderName = folderName;
        this.title = title;
    }

    /** The data set in the given folder. */
    abstract FaultDataSet read(Path folder);

    @Override
    public Integer call() throws Exception {
        Path folder = data != null ? EvalData.require(data, folderName) : EvalData.dataset(folderName);
        long started = System.nanoTime();
        FaultDataSet set = read(folder);
        System.out.printf("%s: %,d metric points, %d faults; running the job ...%n", title, set.metrics().size(),
                set.faults().size());
        FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(config, overrides)).run(set);
        FaultScoring.Score score = FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());
        System.out.print(FaultReport.table(score, details));
        System.out.printf("%,d anomaly versions, %,d incident versions; %.0f s%n", output.anomalies().size(),
                output.incidents().size(), (System.nanoTime() - started) / 1e9);
        if (dump != null) {
            output.writeDump(dump);
        }
        if (json != null) {
            FaultReport.writeJson(score, json);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }
}
