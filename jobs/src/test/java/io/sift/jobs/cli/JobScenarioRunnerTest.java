package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.eval.scenarios.ScenarioPipeline;
import io.sift.eval.scenarios.ScenarioSuite;
import io.sift.jobs.SiftSettings;
import io.sift.jobs.operators.LogTemplateFunction;
import io.sift.scenario.Scenario;
import io.sift.schema.Anomaly;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The scenario evaluation's two runners on one generated estate: the Flink job (in a MiniCluster) detects exactly the
 * anomalies the plain-Java pipeline detects, plus the new-log-template anomalies only the job's template operator
 * raises, so the pipeline's figures describe the job's detection.
 */
class JobScenarioRunnerTest {

    private static Set<String> ids(java.util.List<Anomaly> versions, boolean newTemplates) {
        return versions.stream().filter(a -> newTemplates == a.getMetric().equals(LogTemplateFunction.METRIC))
                .map(Anomaly::getId).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theJobDetectsWhatThePipelineDetectsPlusNewLogTemplates() throws Exception {
        Configuration conf = SiftSettings.load(null, Map.of("parallelism.default", "2"));
        Scenario scenario = ScenarioSuite.of(3, 1).get(0).generator().generate();
        ScenarioPipeline.Output job = new JobScenarioRunner(conf).run(scenario);
        ScenarioPipeline.Output pipeline = new ScenarioPipeline(EvalScenariosCommand.settings(conf)).run(scenario);

        assertEquals(ids(pipeline.anomalyVersions(), false), ids(job.anomalyVersions(), false),
                "the same metric, error-rate and template-count anomalies");
        assertEquals(Set.of(), ids(pipeline.anomalyVersions(), true), "the pipeline raises no new-template anomaly");
        assertTrue(!ids(job.anomalyVersions(), true).isEmpty(), "the job's template operator raises new templates");
        assertTrue(!job.incidentVersions().isEmpty(), "the job's incidents are collected too");
    }

    /**
     * The job shares records between chained operators (object reuse): an operator that changed a record it was given
     * or had emitted would change another's output. Same estate with and without: the same versions of the metric,
     * error-rate and template-count anomalies, scores and ends included. (New-template anomalies, and so the
     * incidents they open or join, already differ from one run to the next with or without sharing: which lines of
     * a service a first template sees depends on how its inputs interleave.)
     */
    @Test
    void sharingRecordsBetweenChainedOperatorsChangesNoOutput() throws Exception {
        Scenario scenario = ScenarioSuite.of(3, 1).get(0).generator().generate();
        ScenarioPipeline.Output shared = new JobScenarioRunner(SiftSettings.load(null,
                Map.of("parallelism.default", "2"))).run(scenario);
        ScenarioPipeline.Output copied = new JobScenarioRunner(SiftSettings.load(null,
                Map.of("parallelism.default", "2", "pipeline.object-reuse", "false"))).run(scenario);
        assertSame("anomaly versions", detected(copied), detected(shared));
        assertTrue(detected(shared).size() > 100, "the estate's faults give anomalies");
    }

    private static Set<String> detected(ScenarioPipeline.Output output) {
        return output.anomalyVersions().stream().filter(a -> !a.getMetric().equals(LogTemplateFunction.METRIC))
                .map(a -> a.getId() + "@" + a.getVersion() + " " + a.getScore() + " " + a.getEnd())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Equal sets, or a failure naming the first few differences rather than both sets. */
    private static void assertSame(String what, Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty(), () -> what + ": " + expected.size() + " without sharing, "
                + actual.size() + " with; only without: " + missing.stream().limit(5).toList() + "; only with: "
                + extra.stream().limit(5).toList());
    }
}
