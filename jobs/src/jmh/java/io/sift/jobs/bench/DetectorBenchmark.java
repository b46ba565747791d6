package io.sift.jobs.bench;

import io.sift.core.detect.BaselineConfig;
import io.sift.jobs.SiftSettings;
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
 * Metric detection per point, as in {@code sift bench --stages detector}: Sift's detector and the EWMA z-score
 * baseline over the same replayed series (state looked up by series key in a HashMap). One operation = one point.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Thread)
public class DetectorBenchmark {

    @Param("10000")
    public int series;

    private DetectorBench.SiftDetectorLoop sift;
    private DetectorBench.EwmaZScoreLoop ewma;

    @Setup
    public void setUp() {
        DetectorBench.MetricInput input = DetectorBench.MetricInput.generate(series);
        BaselineConfig config = SiftSettings.defaults().baseline;
        sift = new DetectorBench.SiftDetectorLoop(input, config);
        ewma = new DetectorBench.EwmaZScoreLoop(input, config.warmUpSamples, config.alpha, config.threshold);
    }

    /** Sift's RobustBaselineDetector.onSample on the next point (a lap's re-stamping is amortised in). */
    @Benchmark
    public long siftRobustBaseline() {
        if (sift.step()) {
            sift.nextLap();
        }
        return sift.anomalies;
    }

    /** The EWMA z-score baseline on the next point. */
    @Benchmark
    public long ewmaZScoreBaseline() {
        if (ewma.step()) {
            ewma.nextLap();
        }
        return ewma.anomalies;
    }
}
