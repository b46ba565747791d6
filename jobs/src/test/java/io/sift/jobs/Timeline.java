package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/** What a fault test did when, printed as it goes (seconds since the test began), for its report. */
final class Timeline {

    private final String test;
    private final long startNanos = System.nanoTime();

    Timeline(String test) {
        this.test = test;
    }

    void note(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[%s +%.1f s] %s%n", test, seconds(), String.format(Locale.ROOT, format, args));
    }

    /** Seconds since the test began. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Waits until {@code condition} holds while {@code job} runs; fails when the job ends first or time runs out. */
    void await(String what, Duration timeout, JobClient job, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            JobStatus status = job.getJobStatus().get();
            if (status.isGloballyTerminalState()) {
                fail("the job ended (" + status + ") before " + what);
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + timeout);
            }
            Thread.sleep(100);
        }
        note("%s", what);
    }
}
