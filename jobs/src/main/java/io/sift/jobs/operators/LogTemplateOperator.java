package io.sift.jobs.operators;

import io.sift.schema.Anomaly;
import io.sift.schema.LogRecord;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link LogTemplateFunction} with its services' miner states cached between lines: the operator owns the key
 * context, so it can write a service's state back when the service leaves the cache, and writes every changed state
 * back before each snapshot. Flink takes the keyed state backend's snapshot after the operator's
 * {@link #snapshotState} (see {@code StreamOperatorStateHandler#snapshotState}), so a checkpoint or savepoint holds
 * exactly what the lines before its barrier made, and a restore starts with an empty cache.
 *
 * <p>Same uid, state names and serializers as the function run by {@code KeyedStream#process}: savepoints of either
 * restore into the other.
 */
public final class LogTemplateOperator extends KeyedProcessOperator<String, LogRecord, Anomaly> {

    private static final long serialVersionUID = 1L;

    private final int maxCachedServices;

    /**
     * @param function          the miner
     * @param maxCachedServices services whose state is kept deserialised between lines (at least 1)
     */
    public LogTemplateOperator(LogTemplateFunction function, int maxCachedServices) {
        super(function);
        if (maxCachedServices < 1) {
            throw new IllegalArgumentException("sift.logs.cached-services must be at least 1, got " + maxCachedServices);
        }
        this.maxCachedServices = maxCachedServices;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Off the heap a snapshot copies no object of the cache: the services stay cached across it.
        ((LogTemplateFunction) getUserFunction()).cacheServices(maxCachedServices, KeyedOperators.keySwitch(this),
                !(getKeyedStateBackend() instanceof HeapKeyedStateBackend));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        ((LogTemplateFunction) getUserFunction()).flushCache();
        super.snapshotState(context);
    }
}
