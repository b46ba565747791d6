package io.sift.jobs.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs plain-Java workloads on this thread for a fixed time each and measures them. Workloads alternate in rounds
 * (subject, baseline, subject, baseline, ...) so that a change in the machine's load during the run touches both
 * alike, after a warm-up that lets the JIT compile each one.
 */
public final class Throughput {

    /** Something measured in passes. */
    public interface Workload {
        /** The name shown in the table. */
        String name();

        Measurement.Role role();

        /** Untimed work before a pass (e.g. moving replayed input on in event time). */
        default void prepare() {}

        /** One timed pass; returns how many records it processed. Passes should take 10-200 ms. */
        long pass();
    }

    private Throughput() {}

    /**
     * Warms each workload up for {@code warmUpSeconds} of wall clock and of this JVM's CPU time both, then measures
     * each for {@code seconds} in total, split into {@code rounds} alternating slices. The CPU time counts because the
     * JIT needs work, not time: on a shared machine where this JVM got half a core, a wall-clock warm-up did half the
     * work, and the correlator (whose first 60,000 versions run at a fifth of its later speed while being compiled) was
     * measured mostly compiling.
     */
    public static List<Measurement> alternate(double warmUpSeconds, double seconds, int rounds,
            List<? extends Workload> workloads) {
        for (Workload workload : workloads) {
            warmUp(workload, warmUpSeconds);
        }
        List<Measurement> totals = new ArrayList<>();
        for (Workload workload : workloads) {
            totals.add(new Measurement(workload.name(), workload.role(), 0, 0, 0));
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < workloads.size(); i++) {
                totals.set(i, runFor(workloads.get(i), seconds / rounds, totals.get(i)));
            }
        }
        return totals;
    }

    /**
     * Runs passes until both {@code seconds} of wall clock and of this JVM's CPU time have passed (where the CPU time is
     * known), or at most four times {@code seconds} of wall clock on a machine too busy to give it that much.
     */
    private static void warmUp(Workload workload, double seconds) {
        long budget = (long) (seconds * 1e9);
        long wallStart = System.nanoTime();
        long cpuStart = Machine.processCpuNanos();
        long wall;
        boolean cpuShort;
        do {
            workload.prepare();
            workload.pass();
            wall = System.nanoTime() - wallStart;
            cpuShort = cpuStart >= 0 && Machine.processCpuNanos() - cpuStart < budget;
        } while (wall < budget || cpuShort && wall < 4 * budget);
    }

    /** Runs passes until {@code seconds} of timed passes have elapsed (at least one pass). */
    private static Measurement runFor(Workload workload, double seconds, Measurement start) {
        long budget = (long) (seconds * 1e9);
        long timed = 0;
        Measurement total = start;
        do {
            workload.prepare();
            long cpu = Machine.processCpuNanos();
            long wall = System.nanoTime();
            long records = workload.pass();
            long elapsed = System.nanoTime() - wall;
            total = total.plus(records, elapsed, Machine.processCpuNanos() - cpu);
            timed += elapsed;
        } while (timed < budget);
        return total;
    }
}
