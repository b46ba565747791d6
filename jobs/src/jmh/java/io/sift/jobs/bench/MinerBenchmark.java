package io.sift.jobs.bench;

import io.sift.core.logs.MinerConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Log template mining per line, as in {@code sift bench --stages miner}: the Loghub sample lines (or generated ones
 * when the shared data is missing) replayed through Sift's miner with templates learned, from empty states, and
 * through the digit-mask group-by baseline. One operation = one line. The data folder comes from
 * {@code -Dsift.data.dir} or {@code SIFT_DATA_DIR}, else {@code ../shared/data} from the working directory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Thread)
public class MinerBenchmark {

    private MinerBench.WarmMinerLoop warm;
    private MinerBench.ColdMinerLoop cold;
    private MinerBench.NaiveGroupingLoop naive;

    @Setup
    public void setUp() {
        MinerBench.LogInput input = MinerBench.LogInput.load();
        warm = new MinerBench.WarmMinerLoop(input, MinerConfig.defaults());
        cold = new MinerBench.ColdMinerLoop(input, MinerConfig.defaults());
        naive = new MinerBench.NaiveGroupingLoop(input);
    }

    /** TemplateMiner.mine on the next line, templates learned in earlier replays. */
    @Benchmark
    public long siftMinerWarm() {
        warm.step();
        return warm.newTemplates;
    }

    /** TemplateMiner.mine on the next line, states emptied at the start of every replay. */
    @Benchmark
    public void siftMinerCold() {
        cold.step();
    }

    /** Digit masking and exact group-by on the next line. */
    @Benchmark
    public void digitMaskGroupByBaseline() {
        naive.step();
    }
}
