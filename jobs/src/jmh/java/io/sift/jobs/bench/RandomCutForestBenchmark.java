package io.sift.jobs.bench;

import com.amazon.randomcutforest.RandomCutForest;
import io.sift.core.detect.SeriesKeys;
import io.sift.scenario.MetricNames;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.MetricPoint;
import java.time.Duration;
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
 * A reference point, not Sift's code: the raw randomcutforest-core library (what OpenSearch anomaly detection runs
 * per entity) scoring and updating one shingled forest per point, on the values of one scenario series. Compare
 * with {@link DetectorBenchmark} to see what a forest per series would cost. One operation = one point.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Thread)
public class RandomCutForestBenchmark {

    /** OpenSearch's defaults: 50 trees of 256 points, shingles of 8. */
    @Param("50")
    public int trees;

    @Param("8")
    public int shingleSize;

    private RandomCutForest forest;
    private double[] values;
    private int cursor;

    @Setup
    public void setUp() {
        forest = RandomCutForest.builder().dimensions(shingleSize).shingleSize(shingleSize)
                .internalShinglingEnabled(true).numberOfTrees(trees).sampleSize(256).randomSeed(7).build();
        // One series: the first service's p95 latency over 12 h of 10 s samples, replayed in a loop.
        List<MetricPoint> latencies = ScenarioGenerator.builder().seed(7).services(24).duration(Duration.ofHours(12))
                .randomFaults(2).build().generate().metrics()
                .filter(p -> p.getName().equals(MetricNames.HTTP_DURATION_P95)).toList();
        String series = SeriesKeys.of(latencies.get(0), "prod");
        values = latencies.stream().filter(p -> SeriesKeys.of(p, "prod").equals(series))
                .mapToDouble(MetricPoint::getValue).toArray();
    }

    /** The plain forest API (deprecated in favour of the thresholded forest of randomcutforest-parkservices). */
    @Benchmark
    @SuppressWarnings("deprecation")
    public double scoreAndUpdate() {
        double[] point = {values[cursor]};
        cursor = cursor + 1 == values.length ? 0 : cursor + 1;
        double score = forest.getAnomalyScore(point);
        forest.update(point);
        return score;
    }
}
