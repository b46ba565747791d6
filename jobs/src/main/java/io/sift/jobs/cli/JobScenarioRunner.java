package io.sift.jobs.cli;

import io.sift.eval.scenarios.ScenarioEvaluation;
import io.sift.eval.scenarios.ScenarioPipeline;
import io.sift.jobs.SiftJob;
import io.sift.jobs.SiftSource;
import io.sift.jobs.SiftWiring;
import io.sift.scenario.Scenario;
import io.sift.schema.ChangeEvent;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a generated scenario through the Flink job itself, in a local MiniCluster with in-memory inputs, and collects
 * the anomaly and incident versions it emits: the job's own figures, beside the plain-Java pipeline's.
 */
final class JobScenarioRunner implements ScenarioEvaluation.Runner {

    private final Configuration conf;

    JobScenarioRunner(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public ScenarioPipeline.Output run(Scenario scenario) throws Exception {
        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        SiftJob.Inputs inputs = new SiftJob.Inputs(SiftSource.of(scenario.metrics().toList(), MetricPoint.class),
                SiftSource.of(scenario.logs().toList(), LogRecord.class),
                SiftSource.of(scenario.changes(), ChangeEvent.class),
                SiftSource.of(scenario.topology(), TopologyUpdate.class));
        FaultDataRunner.Output output = FaultDataRunner.collect(env, inputs, conf, "sift-eval-scenario");
        return new ScenarioPipeline.Output(output.anomalies(), output.incidents());
    }
}
