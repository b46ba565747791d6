package io.sift.jobs.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench stages by name, in the order they run: the plain-Java stages first (nothing else running in the JVM),
 * then the MiniCluster jobs, then Elasticsearch.
 */
public final class BenchSuite {

    /** A stage's code. */
    @FunctionalInterface
    public interface Stage {
        StageReport run(BenchSettings settings) throws Exception;
    }

    private static final Map<String, Stage> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put(DetectorBench.STAGE, DetectorBench::run);
        STAGES.put(MinerBench.STAGE, MinerBench::run);
        STAGES.put(CorrelatorBench.STAGE, CorrelatorBench::run);
        STAGES.put(DecodeBench.STAGE, DecodeBench::run);
        STAGES.put(JobBench.DETECTION_JOB, settings -> JobBench.run(settings, JobBench.DETECTION_JOB));
        STAGES.put(JobBench.LOG_JOB, settings -> JobBench.run(settings, JobBench.LOG_JOB));
        STAGES.put(JobBench.JOB, settings -> JobBench.run(settings, JobBench.JOB));
        STAGES.put(JobBench.DETECTION_JOB_ROCKSDB, settings -> JobBench.run(settings, JobBench.DETECTION_JOB_ROCKSDB));
        STAGES.put(JobBench.JOB_ROCKSDB, settings -> JobBench.run(settings, JobBench.JOB_ROCKSDB));
        STAGES.put(ElasticsearchBulkBench.STAGE, ElasticsearchBulkBench::run);
        STAGES.put(GatewayBench.ALERTS, settings -> GatewayBench.run(settings, GatewayBench.ALERTS));
        STAGES.put(GatewayBench.REMOTE_WRITE, settings -> GatewayBench.run(settings, GatewayBench.REMOTE_WRITE));
    }

    private BenchSuite() {}

    public static List<String> stageNames() {
        return new ArrayList<>(STAGES.keySet());
    }

    /** The named stages in suite order; an unknown name is refused with the list of known ones. */
    public static List<String> select(List<String> names) {
        for (String name : names) {
            if (!STAGES.containsKey(name)) {
                throw new IllegalArgumentException("unknown bench stage '" + name + "'; stages: "
                        + String.join(",", STAGES.keySet()));
            }
        }
        return STAGES.keySet().stream().filter(names::contains).toList();
    }

    /** Runs one stage, noting the load average before and after it and what else used the CPU meanwhile. */
    public static StageReport run(String name, BenchSettings settings) throws Exception {
        String before = Machine.loadAverage();
        Machine.CpuWindow cpu = new Machine.CpuWindow();
        StageReport report = STAGES.get(name).run(settings);
        report.loadAverages(before, Machine.loadAverage(), cpu.describe());
        return report;
    }
}
