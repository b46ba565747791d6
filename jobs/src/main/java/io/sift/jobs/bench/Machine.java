package io.sift.jobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
    public static long retainedHeap(java.util.function.Supplier<Object> build) {
        long before = usedHeapAfterGc();
        Object held = build.get();
        long after = usedHeapAfterGc();
        java.lang.ref.Reference.reachabilityFence(held);
        return after - before;
    }
}
