package io.sift.jobs.operators;

import io.sift.schema.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * Counts the dead letters an operator emits: the Flink metric {@code deadLettered} in total and per error kind (group
 * {@code errorKind=<kind>}), and job accumulators of the same names ({@code deadLettered},
 * {@code deadLettered.<kind>}) merged over all operators, for run summaries and tests.
 */
public final class DeadLetterCounter {

    private final RuntimeContext context;
    private final Counter total;
    private final LongCounter totalAccumulator;
    private final Map<String, Counter> byKind = new HashMap<>();
    private final Map<String, LongCounter> accumulatorByKind = new HashMap<>();

    public DeadLetterCounter(RuntimeContext context) {
        this.context = context;
        this.total = context.getMetricGroup().counter(DeadLetterTag.COUNTER);
        this.totalAccumulator = accumulator(DeadLetterTag.COUNTER);
    }

    /** Name of the accumulator counting dead letters of one kind. */
    public static String accumulatorName(String errorKind) {
        return DeadLetterTag.COUNTER + "." + errorKind;
    }

    public void count(DeadLetter deadLetter) {
        String kind = deadLetter.getErrorKind();
        total.inc();
        totalAccumulator.add(1);
        byKind.computeIfAbsent(kind, k -> context.getMetricGroup().addGroup("errorKind", k)
                .counter(DeadLetterTag.COUNTER)).inc();
        accumulatorByKind.computeIfAbsent(kind, k -> accumulator(accumulatorName(k))).add(1);
    }

    private LongCounter accumulator(String name) {
        Object existing = context.getAccumulator(name);
        if (existing instanceof LongCounter counter) {
            // Another function of the same task (chained) registered it: share it.
            return counter;
        }
        LongCounter counter = new LongCounter();
        context.addAccumulator(name, counter);
        return counter;
    }
}
