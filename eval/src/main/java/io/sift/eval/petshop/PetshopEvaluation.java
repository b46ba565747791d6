package io.sift.eval.petshop;

import io.sift.core.correlate.AnomalyEntry;
import io.sift.core.topology.Topology;
import io.sift.eval.EvalData;
import io.sift.schema.RootCauseHint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Amazon's PetShop root-cause benchmark through Sift's detection and ranking: for every issue of every traffic
 * scenario, detect anomalies, open the incident on the alarmed component, rank its root-cause candidates, and score
 * whether the true root cause is first, or among the first three.
 */
public final class PetshopEvaluation {

    /** Hints kept per issue: enough for top-3 and for the report to show the runners-up. */
    static final int HINTS = 5;

    private final PetshopDetection detection;
    private final PetshopDiagnosis diagnosis = new PetshopDiagnosis(HINTS);

    public PetshopEvaluation() {
        this(new PetshopDetection(PetshopDetection.DEFAULT_METRICS));
    }

    public PetshopEvaluation(PetshopDetection detection) {
        this.detection = detection;
    }

    /** Reads every scenario folder (one holding a {@code graph.csv}) under the data folder, in name order. */
    public static List<PetshopScenario> readDataset(Path root) {
        EvalData.require(root, "petshop");
        List<PetshopScenario> scenarios = new ArrayList<>();
        for (Path folder : PetshopScenario.subfolders(root)) {
            if (Files.isRegularFile(folder.resolve("graph.csv"))) {
                scenarios.add(PetshopScenario.read(folder));
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("no PetShop scenario (a folder with graph.csv) under " + root.toAbsolutePath());
        }
        return scenarios;
    }

    public PetshopReport run(Path root) {
        return run(readDataset(root));
    }

    public PetshopReport run(List<PetshopScenario> scenarios) {
        // Scenarios recorded without normal data learn their baseline from the normal data of the others: the same
        // application and components, under other traffic.
        List<MetricTable> pooledNormal = scenarios.stream().flatMap(s -> s.normal().stream()).toList();
        List<PetshopReport.IssueOutcome> outcomes = new ArrayList<>();
        for (PetshopScenario scenario : scenarios) {
            Topology topology = PetshopDiagnosis.topologyOf(scenario.edges());
            List<MetricTable> history = scenario.normal().map(List::of).orElse(pooledNormal);
            for (PetshopIssue issue : scenario.issues()) {
                List<AnomalyEntry> anomalies = detection.detect(issue, history);
                List<RootCauseHint> hints = diagnosis.diagnose(topology, issue.targetItem(), anomalies);
                List<String> ranked = hints.stream().map(RootCauseHint::getItem).toList();
                outcomes.add(new PetshopReport.IssueOutcome(scenario.name(), issue.id(), issue.kind(), issue.rootCause(),
                        ranked, ranked.indexOf(issue.rootCause()) + 1,
                        hints.isEmpty() ? List.of() : hints.get(0).getReasons()));
            }
        }
        return new PetshopReport(outcomes);
    }
}
