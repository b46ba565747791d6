package io.sift.jobs.bench;

/**
 * One measured run: how many records a workload processed in how much wall-clock time and process CPU time.
 * "Per core" figures divide by CPU seconds rather than by wall seconds, so a machine shared with other work (fewer
 * cycles for us) does not make a stage look slower per core than it is.
 *
 * @param name      what ran, e.g. "RobustBaselineDetector.onSample"
 * @param role      whether it is the stage's subject, its baseline, or a variant of the subject
 * @param records   records processed while measuring
 * @param wallNanos wall-clock time measured
 * @param cpuNanos  CPU time of the whole process over the same intervals (all threads: work, GC, JIT, Flink's own)
 */
public record Measurement(String name, Role role, long records, long wallNanos, long cpuNanos) {

    /** A stage's subject is compared with its baseline; variants are further runs of the subject's code. */
    public enum Role { SUBJECT, BASELINE, VARIANT }

    public double seconds() {
        return wallNanos / 1e9;
    }

    public double recordsPerSecond() {
        return wallNanos == 0 ? 0 : records / seconds();
    }

    /** Average number of cores busy for this process while measuring. */
    public double coresUsed() {
        return wallNanos == 0 ? 0 : (double) cpuNanos / wallNanos;
    }

    /** Records per CPU second: the throughput one fully available core would give. */
    public double recordsPerCoreSecond() {
        return cpuNanos == 0 ? 0 : records / (cpuNanos / 1e9);
    }

    public Measurement plus(long moreRecords, long moreWallNanos, long moreCpuNanos) {
        return new Measurement(name, role, records + moreRecords, wallNanos + moreWallNanos, cpuNanos + moreCpuNanos);
    }
}
