package io.sift.jobs.bench;

/**
 * How long and on how much the stages run.
 *
 * @param seconds          measured seconds per workload (plain-Java stages) or per job run (MiniCluster stages)
 * @param warmUpSeconds    unmeasured seconds before measuring (JIT compilation, Flink start-up, state warm-up)
 * @param series           active metric series in the detector stage
 * @param topologyItems    configuration items in the correlator stage's topology
 * @param parallelism      parallelism of the MiniCluster jobs
 * @param elasticsearchUrl Elasticsearch for the bulk stage
 * @param documents        documents per Elasticsearch run
 * @param bulkSize         documents per bulk request
 */
public record BenchSettings(double seconds, double warmUpSeconds, int series, int topologyItems, int parallelism,
        String elasticsearchUrl, int documents, int bulkSize) {

    public BenchSettings {
        if (!(seconds > 0) || warmUpSeconds < 0) {
            throw new IllegalArgumentException("--seconds must be positive (got " + seconds + ")");
        }
        if (series < 1 || topologyItems < 100 || parallelism < 1 || documents < 1 || bulkSize < 1) {
            throw new IllegalArgumentException("series, parallelism, documents and bulk size must be at least 1 and"
                    + " the topology at least 100 items");
        }
    }

    /** Alternating rounds for plain-Java stages: enough to even out load changes, each slice still long. */
    public int rounds() {
        return (int) Math.max(1, Math.min(5, Math.round(seconds)));
    }
}
