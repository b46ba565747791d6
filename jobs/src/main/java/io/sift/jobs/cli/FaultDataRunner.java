package io.sift.jobs.cli;

import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.PointSequence;
import io.sift.jobs.SiftJob;
import io.sift.jobs.SiftSettings;
import io.sift.jobs.SiftSource;
import io.sift.jobs.SiftWiring;
import io.sift.schema.Alert;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs a real data set through the Flink job itself (a local MiniCluster) and collects the anomaly and incident
 * versions it emits, for {@link io.sift.eval.faults.FaultScoring}. Alerts, changes and topology are in-memory sources in
 * event-time order. The metric points are generated from the data
 * set's tables by a Flink data-generator source in event-time order: the data set stays in this JVM (found through a
 * registry by id) instead of travelling inside the job graph.
 */
final class FaultDataRunner {

    private static final Map<String, PointSequence> REGISTRY = new ConcurrentHashMap<>();
    private static final TypeInformation<Either<Anomaly, Incident>> OUTPUT_TYPE =
            new EitherTypeInfo<>(new AvroTypeInfo<>(Anomaly.class), new AvroTypeInfo<>(Incident.class));

    /** What the job emitted. */
    record Output(List<Anomaly> anomalies, List<Incident> incidents) {

        /** Every anomaly and incident version, one JSON record a line, for a look at what the job did. */
        void writeDump(java.nio.file.Path file) throws java.io.IOException {
            try (var out = java.nio.file.Files.newBufferedWriter(file)) {
                for (var record : anomalies) {
                    out.write(record.toString());
                    out.newLine();
                }
                for (var record : incidents) {
                    out.write(record.toString());
                    out.newLine();
                }
            }
        }
    }

    private final Configuration conf;

    FaultDataRunner(Configuration conf) {
        // A replay of finished inputs has no idle input; taking one for idle by the wall clock would make the figures
        // depend on how busy the machine is.
        this.conf = new Configuration(conf);
        this.conf.set(io.sift.jobs.SiftOptions.IDLENESS, java.time.Duration.ZERO);
    }

    Output run(FaultDataSet data) throws Exception {
        String id = data.name() + "-" + System.nanoTime();
        REGISTRY.put(id, data.metrics());
        try {
            StreamExecutionEnvironment env = SiftWiring.environment(conf);
            SiftJob.Inputs inputs = new SiftJob.Inputs(
                    data.metrics().size() == 0 ? SiftSource.empty(MetricPoint.class)
                            : points(id, data.metrics().size()),
                    SiftSource.empty(LogRecord.class),
                    data.changes().isEmpty() ? SiftSource.empty(ChangeEvent.class)
                            : SiftSource.of(data.changes(), ChangeEvent.class),
                    data.topology().isEmpty() ? SiftSource.empty(TopologyUpdate.class)
                            : SiftSource.of(data.topology(), TopologyUpdate.class),
                    SiftSource.empty(ItsmUpdate.class),
                    data.alerts().isEmpty() ? SiftSource.empty(Alert.class)
                            : SiftSource.of(data.alerts(), Alert.class));
            return collect(env, inputs, conf, "sift-eval-" + data.name());
        } finally {
            REGISTRY.remove(id);
        }
    }

    /** Builds the job on these inputs with no sinks and collects the anomaly and incident versions it emits. */
    static Output collect(StreamExecutionEnvironment env, SiftJob.Inputs inputs, Configuration conf, String jobName)
            throws Exception {
        SiftJob.Outputs nowhere = new SiftJob.Outputs(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of());
        SiftJob.Streams streams = SiftJob.build(env, inputs, nowhere, new SiftSettings(conf));
        DataStream<Either<Anomaly, Incident>> both = streams.anomalies()
                .map(a -> Either.<Anomaly, Incident>Left(a), OUTPUT_TYPE).name("Anomalies → evaluation")
                .union(streams.incidents().map(i -> Either.<Anomaly, Incident>Right(i), OUTPUT_TYPE)
                        .name("Incidents → evaluation"));
        List<Anomaly> anomalies = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        try (CloseableIterator<Either<Anomaly, Incident>> out = both.executeAndCollect(jobName)) {
            while (out.hasNext()) {
                Either<Anomaly, Incident> next = out.next();
                if (next.isLeft()) {
                    anomalies.add(next.left());
                } else {
                    incidents.add(next.right());
                }
            }
        }
        return new Output(anomalies, incidents);
    }

    /** One source subtask reads the whole sequence in order, so event time only moves forward. */
    private static SiftSource<MetricPoint> points(String id, long count) {
        return (env, watermarks, name, uid) -> {
            EitherTypeInfo<DeadLetter, MetricPoint> type = new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class),
                    new AvroTypeInfo<>(MetricPoint.class));
            DataGeneratorSource<Either<DeadLetter, MetricPoint>> source =
                    new DataGeneratorSource<>(new PointGenerator(id), count, type);
            return env.fromSource(source, watermarks, name).uid(uid).setParallelism(1);
        };
    }

    private static final class PointGenerator implements GeneratorFunction<Long, Either<DeadLetter, MetricPoint>> {
        private static final long serialVersionUID = 1L;
        private final String id;
        private transient PointSequence sequence;

        PointGenerator(String id) {
            this.id = id;
        }

        @Override
        public void open(SourceReaderContext context) {
            sequence = REGISTRY.get(id);
            if (sequence == null) {
                throw new IllegalStateException("no data set " + id + ": evaluation jobs run in the evaluating JVM only");
            }
        }

        @Override
        public Either<DeadLetter, MetricPoint> map(Long index) {
            return Either.Right(sequence.get(index));
        }
    }
}
