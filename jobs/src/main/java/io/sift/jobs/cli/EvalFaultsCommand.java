package io.sift.jobs.cli;

import io.sift.eval.EvalData;
import io.sift.eval.faults.AlertGrouping;
import io.sift.eval.faults.Fault;
import io.sift.eval.faults.FaultAlertsData;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultReport;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.RcdSockShopData;
import io.sift.eval.faults.ScoredSpan;
import io.sift.eval.faults.SockShopData;
import io.sift.schema.Incident;
import io.sift.jobs.SiftSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift eval sockshop|rcd-sockshop|fault-alerts}: the job itself (MiniCluster) over a real data set with labelled faults,
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

    @Command(name = "fault-alerts", mixinStandardHelpOptions = true,
            description = {"Run the job (a local MiniCluster) over the fault-alerts data set (metric, trace and log "
                    + "alerts extracted per injected fault of GAIA MicroSS and OpenRCA Market cloudbed-1/2, each "
                    + "system's typed knowledge graph as topology; each fault its own environment; MicroSS's "
                    + "time-shifted copies left out) and score the incidents it emits: per system and overall, the "
                    + "alert grouping (incidents per fault, purity: the share of a fault's alerts in its main "
                    + "incident, the labelled entity among the main incident's top 1/3 hints) and the figures of the "
                    + "other data sets.", MATCHING,
                    "Root items: the labelled entity and the item it resolves to in the graph (an instance's service)."})
    static final class FaultAlerts extends EvalFaultsCommand {
        FaultAlerts() {
            super(FaultAlertsData.NAME, "fault-alerts");
        }

        @Override
        FaultDataSet read(Path folder) {
            throw new UnsupportedOperationException("fault-alerts holds one data set per system");
        }

        @Override
        List<FaultDataSet> readAll(Path folder) {
            return FaultAlertsData.read(folder);
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

    /** The data sets in the given folder, each run through the job on its own (one, unless overridden). */
    List<FaultDataSet> readAll(Path folder) {
        return List.of(read(folder));
    }

    @Override
    public Integer call() throws Exception {
        Path folder = data != null ? EvalData.require(data, folderName) : EvalData.dataset(folderName);
        long started = System.nanoTime();
        List<FaultDataSet> sets = readAll(folder);
        Map<String, Object> jsonOut = new LinkedHashMap<>();
        List<Fault> allFaults = new ArrayList<>();
        List<ScoredSpan> allSpans = new ArrayList<>();
        List<Incident> allIncidents = new ArrayList<>();
        List<AlertGrouping.FaultGrouping> allGroupings = new ArrayList<>();
        List<FaultDataRunner.Output> outputs = new ArrayList<>();
        for (FaultDataSet set : sets) {
            System.out.printf("%s: %,d metric points, %,d alert notifications, %d faults; running the job ...%n",
                    set.name(), set.metrics().size(), set.alerts().size(), set.faults().size());
            FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(config, overrides)).run(set);
            outputs.add(output);
            FaultScoring.Score score = FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());
            System.out.print(FaultReport.table(score, details));
            Map<String, Object> setJson = new LinkedHashMap<>(FaultReport.toJson(score));
            if (!set.alerts().isEmpty()) {
                List<AlertGrouping.FaultGrouping> groupings = AlertGrouping.score(set.faults(), set.alerts(),
                        output.incidents());
                System.out.print(AlertGrouping.table(set.name(), groupings, details));
                setJson.put("alertGrouping", AlertGrouping.toJson(groupings));
                allGroupings.addAll(groupings);
            }
            System.out.printf("%,d anomaly versions, %,d incident versions%n%n", output.anomalies().size(),
                    output.incidents().size());
            allFaults.addAll(set.faults());
            allSpans.addAll(set.spans());
            allIncidents.addAll(output.incidents());
            jsonOut.put(set.name(), setJson);
        }
        if (sets.size() > 1) {
            // Environments differ between the sets, so their faults and incidents score together as well.
            FaultScoring.Score overall = FaultScoring.score(title + " (all)", allFaults, allSpans, allIncidents);
            System.out.print(FaultReport.table(overall, false));
            Map<String, Object> overallJson = new LinkedHashMap<>(FaultReport.toJson(overall));
            if (!allGroupings.isEmpty()) {
                System.out.print(AlertGrouping.table(title + " (all)", allGroupings, false));
                overallJson.put("alertGrouping", AlertGrouping.toJson(allGroupings));
            }
            jsonOut.put("overall", overallJson);
        }
        System.out.printf("%.0f s%n", (System.nanoTime() - started) / 1e9);
        if (dump != null) {
            FaultDataRunner.Output all = new FaultDataRunner.Output(
                    outputs.stream().flatMap(o -> o.anomalies().stream()).toList(),
                    outputs.stream().flatMap(o -> o.incidents().stream()).toList());
            all.writeDump(dump);
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValue(json.toFile(), sets.size() == 1 ? jsonOut.values().iterator().next() : jsonOut);
            System.out.println("JSON written to " + json.toAbsolutePath());
        }
        return 0;
    }
}
