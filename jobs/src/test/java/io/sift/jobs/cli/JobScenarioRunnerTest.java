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
}
