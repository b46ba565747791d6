package io.sift.jobs.bench;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.Correlator;
import io.sift.jobs.SiftSettings;
import io.sift.schema.Anomaly;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Correlation per anomaly version, as in {@code sift bench --stages correlator}: the anomaly storm on a synthetic
 * estate of {@code items} configuration items through Sift's correlator and through the group-by-item baseline.
 * One operation = one anomaly version (plus advancing event time when it moves on).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Thread)
public class CorrelatorBenchmark {

    @Param("10000")
    public int items;

    private CorrelatorBench.SiftCorrelatorLoop sift;
    private CorrelatorBench.GroupByItemLoop groupBy;

    @Setup
    public void setUp() {
        Instant start = Instant.parse("2025-03-04T08:00:00Z");
        SyntheticEstate estate = SyntheticEstate.build(items, 42, "bench", start);
        List<Anomaly> storm = AnomalyStorm.generate(estate, 60_000, AnomalyStorm.Shape.defaults(), 42, start);
        CorrelationConfig config = SiftSettings.defaults().correlation.toBuilder().defaultEnvironment("bench").build();
        sift = new CorrelatorBench.SiftCorrelatorLoop(new Correlator(config), estate, storm);
        groupBy = new CorrelatorBench.GroupByItemLoop(storm, config);
    }

    @Benchmark
    public long siftCorrelator() {
        sift.step();
        return sift.versions;
    }

    @Benchmark
    public long groupByItemBaseline() {
        groupBy.step();
        return groupBy.notifications;
    }
}
