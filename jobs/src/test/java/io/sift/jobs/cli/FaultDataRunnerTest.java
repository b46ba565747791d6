package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.eval.faults.Fault;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.PointSequence;
import io.sift.eval.faults.ScoredSpan;
import io.sift.eval.faults.SeriesTable;
import io.sift.jobs.SiftSettings;
import io.sift.schema.MetricKind;
import io.sift.schema.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A small estate written here (three services, a day of per-minute CPU and memory with noise, one CPU fault) run
 * through the job by the real-data evaluation's runner: the points reach the job in order, the fault is found and its
 * service named first, and the quiet day opens at most a few incidents.
 */
class FaultDataRunnerTest {

    private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    private static final int MINUTES = 24 * 60;
    private static final int FAULT_MINUTE = 20 * 60;

    private static SeriesTable service(String name, boolean faulty, Random random) {
        long[] times = new long[MINUTES];
        double[][] values = new double[MINUTES][];
        for (int m = 0; m < MINUTES; m++) {
            times[m] = START.plus(Duration.ofMinutes(m)).toEpochMilli();
            boolean hit = faulty && m >= FAULT_MINUTE && m < FAULT_MINUTE + 5;
            double cpu = hit ? 0.95 + 0.01 * random.nextGaussian() : 0.20 + 0.01 * random.nextGaussian();
            double memory = 5e8 + 1e6 * random.nextGaussian();
            values[m] = new double[] {cpu, memory};
        }
        return new SeriesTable(new Resource(name, null, name + "-0", "test"), Map.of(),
                List.of(new SeriesTable.Column("container_cpu_usage_ratio", "1", MetricKind.GAUGE),
                        new SeriesTable.Column("container_memory_usage_bytes", "By", MetricKind.GAUGE)),
                times, values);
    }

    @Test
    void theJobFindsTheFaultAndNamesItsService() throws Exception {
        Random random = new Random(7);
        List<SeriesTable> tables = new ArrayList<>();
        for (String name : List.of("alpha", "bravo", "charlie")) {
            tables.add(service(name, name.equals("bravo"), random));
        }
        Fault fault = new Fault("cpu-1", "test", START.plus(Duration.ofMinutes(FAULT_MINUTE)), Duration.ofMinutes(5),
                "cpu-stress", "service", "bravo", Set.of("bravo", "bravo-0"));
        FaultDataSet set = new FaultDataSet("synthetic", new PointSequence(tables), List.of(), List.of(),
                List.of(fault), List.of(new ScoredSpan("test", START.plus(Duration.ofHours(2)),
                        START.plus(Duration.ofMinutes(MINUTES)))));

        FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(null,
                Map.of("parallelism.default", "2"))).run(set);
        FaultScoring.Score score = FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());

        FaultScoring.FaultResult result = score.faults().get(0);
        assertTrue(result.found(), "an incident opens within the fault's window: " + score.noise());
        assertEquals(1, result.rank(), "bravo is the first hint: " + result.hints());
        assertTrue(result.timeToDetect().compareTo(Duration.ofMinutes(3)) <= 0, "found within 3 min");
        assertTrue(score.noisePerHour() <= 0.5, "a quiet estate opens few incidents: " + score.noise());
    }
}
