package io.sift.jobs.cli;

import io.sift.eval.scenarios.ScenarioEvaluation;
import io.sift.eval.scenarios.ScenarioPipeline;
import io.sift.jobs.SiftJob;
import io.sift.jobs.SiftSettings;
import io.sift.jobs.SiftSource;
import io.sift.jobs.SiftWiring;
import io.sift.scenario.Scenario;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs a generated scenario through the Flink job itself, in a local MiniCluster with in-memory inputs, and collects
 * the anomaly and incident versions it emits: the job's own figures, beside the plain-Java pipeline's.
 */
final class JobScenarioRunner implements ScenarioEvaluation.Runner {

    private static final TypeInformation<Either<Anomaly, Incident>> OUTPUT_TYPE =
            new EitherTypeInfo<>(new AvroTypeInfo<>(Anomaly.class), new AvroTypeInfo<>(Incident.class));

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
        SiftJob.Outputs nowhere = new SiftJob.Outputs(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        SiftJob.Streams streams = SiftJob.build(env, inputs, nowhere, new SiftSettings(conf));
        DataStream<Either<Anomaly, Incident>> both = streams.anomalies()
                .map(a -> Either.<Anomaly, Incident>Left(a), OUTPUT_TYPE).name("Anomalies → evaluation")
                .union(streams.incidents().map(i -> Either.<Anomaly, Incident>Right(i), OUTPUT_TYPE)
                        .name("Incidents → evaluation"));
        List<Anomaly> anomalies = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        try (CloseableIterator<Either<Anomaly, Incident>> out = both.executeAndCollect("sift-eval-scenario")) {
            while (out.hasNext()) {
                Either<Anomaly, Incident> next = out.next();
                if (next.isLeft()) {
                    anomalies.add(next.left());
                } else {
                    incidents.add(next.right());
                }
            }
        }
        return new ScenarioPipeline.Output(anomalies, incidents);
    }
}
