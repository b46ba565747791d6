package io.sift.jobs.operators;

import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * Runs {@link MetricDetectorFunction} with recently sampled series' state kept deserialised between samples (see
 * {@link WriteBehindCache}): written back when a series leaves the cache and before each snapshot, so a checkpoint or
 * savepoint holds exactly what the samples before its barrier made (the series stay cached: RocksDB holds bytes). On the heap backend the state already is objects
 * and the function reads and writes through. Same uid, state names and serializers as the function run by
 * {@code KeyedStream#process}: savepoints of either restore into the other.
 */
public final class MetricDetectorOperator extends KeyedProcessOperator<String, MetricPoint, Anomaly> {

    private static final long serialVersionUID = 1L;

    private final int maxCachedSeries;
    private final boolean cacheOnHeap;

    /** @param maxCachedSeries series whose state is kept deserialised between samples (0: none) */
    public MetricDetectorOperator(MetricDetectorFunction function, int maxCachedSeries) {
        this(function, maxCachedSeries, false);
    }

    /** As above; {@code cacheOnHeap} caches on the heap backend too (tests of the cache without RocksDB). */
    MetricDetectorOperator(MetricDetectorFunction function, int maxCachedSeries, boolean cacheOnHeap) {
        super(function);
        if (maxCachedSeries < 0) {
            throw new IllegalArgumentException("sift.detect.cached-series must be 0 or more, got " + maxCachedSeries);
        }
        this.maxCachedSeries = maxCachedSeries;
        this.cacheOnHeap = cacheOnHeap;
    }

    @Override
    public void open() throws Exception {
        super.open();
        boolean onHeap = getKeyedStateBackend() instanceof HeapKeyedStateBackend;
        if (maxCachedSeries > 0 && (cacheOnHeap || !onHeap)) {
            // Off the heap a snapshot copies no object of the cache: the series stay cached across it.
            ((MetricDetectorFunction) getUserFunction()).cacheSeries(maxCachedSeries, KeyedOperators.keySwitch(this),
                    !onHeap);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        ((MetricDetectorFunction) getUserFunction()).flushCache();
        super.snapshotState(context);
    }
}
