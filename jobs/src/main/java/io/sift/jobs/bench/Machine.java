package io.sift.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/** What the bench needs to know about the machine and the JVM: CPU time, load, heap after a collection. */
public final class Machine {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private Machine() {}

    /** CPU time used by this process so far (all threads), in nanoseconds. */
    public static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    /**
     * CPU time of this JVM's JIT compiler threads so far, in nanoseconds, from {@code /proc/self/task/<tid>/schedstat}
     * (threads named "C1 CompilerThre..." or "C2 CompilerThre..."), or 0 where there is no such file. JIT
     * compilation is a one-off cost of a fresh JVM that on a loaded 2-core machine runs on for tens of seconds.
     */
    public static long compilerCpuNanos() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return 0;
        }
        long total = 0;
        try (java.util.stream.Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        String schedstat = Files.readString(thread.resolve("schedstat")).trim();
                        int space = schedstat.indexOf(' ');
                        total += Long.parseLong(space < 0 ? schedstat : schedstat.substring(0, space));
                    }
                } catch (IOException | NumberFormatException gone) {
                    // a thread that ended while listed: its time is no longer counted (compiler threads rarely end)
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
        return total;
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The 1, 5 and 15 minute load averages as the kernel prints them, e.g. "5.21 6.02 6.40". */
    public static String loadAverage() {
        Path proc = Path.of("/proc/loadavg");
        try {
            if (Files.isReadable(proc)) {
                String[] fields = Files.readString(proc).trim().split("\\s+");
                return fields[0] + " " + fields[1] + " " + fields[2];
            }
        } catch (IOException fallThrough) {
            // the MXBean's 1-minute figure below
        }
        return String.format(Locale.ROOT, "%.2f", OS.getSystemLoadAverage());
    }

    /**
     * Machine-wide CPU time from {@code /proc/stat}: {busy, steal, total} in clock ticks, or null where there is no
     * such file. Busy excludes idle and I/O wait; steal is time the hypervisor gave to other guests.
     */
    static long[] machineCpuTicks() {
        Path stat = Path.of("/proc/stat");
        try {
            if (!Files.isReadable(stat)) {
                return null;
            }
            String[] fields = Files.readAllLines(stat).get(0).trim().split("\\s+");
            long total = 0;
            long[] values = new long[fields.length - 1];
            for (int i = 1; i < fields.length; i++) {
                values[i - 1] = Long.parseLong(fields[i]);
            }
            // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
            for (int i = 0; i < Math.min(8, values.length); i++) {
                total += values[i];
            }
            long idle = values[3] + (values.length > 4 ? values[4] : 0);
            long steal = values.length > 7 ? values[7] : 0;
            return new long[] {total - idle - steal, steal, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU use over an interval: the whole machine's and this process's, to see what others took meanwhile. */
    public static final class CpuWindow {
        private final long[] machineStart = machineCpuTicks();
        private final long processStart = processCpuNanos();
        private final long wallStart = System.nanoTime();

        /** E.g. "machine busy 1.92 of 2 cores (this JVM 0.98, others 0.94), steal 0.0 %", or "" off Linux. */
        public String describe() {
            long[] machineEnd = machineCpuTicks();
            if (machineStart == null || machineEnd == null || machineEnd[2] == machineStart[2]) {
                return "";
            }
            double total = machineEnd[2] - machineStart[2];
            double busyCores = cores() * (machineEnd[0] - machineStart[0]) / total;
            double ours = (double) (processCpuNanos() - processStart) / (System.nanoTime() - wallStart);
            double steal = 100.0 * (machineEnd[1] - machineStart[1]) / total;
            return String.format(Locale.ROOT, "machine busy %.2f of %d cores (this JVM %.2f, other processes %.2f),"
                    + " steal %.1f %%", busyCores, cores(), ours, Math.max(0, busyCores - ours), steal);
        }
    }

    /** Heap in use after full collections: what the live objects take. */
    public static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        // Several rounds: finalizers and reference processing can free more on the next one.
        for (int round = 0; round < 4; round++) {
            System.gc();
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * Heap retained by what {@code build} returns: used heap after GC with it alive minus before it was built.
     * Meaningful for objects of many megabytes (divide by the count of what they hold).
     */
    public static long retainedHeap(Supplier<Object> build) {
        long before = usedHeapAfterGc();
        Object held = build.get();
        long after = usedHeapAfterGc();
        java.lang.ref.Reference.reachabilityFence(held);
        return after - before;
    }
}
