package io.sift.jobs.operators;

import io.sift.core.window.WindowBundle;
import java.io.Serializable;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Chained before the shuffle into a tumbling event-time window whose aggregate merges partials: adapts a
 * {@link WindowBundle}, so one partial per key and window crosses the network instead of every record. Partials are
 * emitted, stamped with their window's start, before the watermark that ends their window is passed on, before a
 * checkpoint barrier (so the operator keeps no state and savepoints are unchanged), when the input goes idle (the
 * window may then fire without this subtask), at the end of the input, and when the bundle is full.
 */
public final class WindowPreAggregate<IN, ACC> extends AbstractStreamOperator<ACC>
        implements OneInputStreamOperator<IN, ACC> {

    private static final long serialVersionUID = 1L;

    /** The key of the window after the shuffle, from a record. */
    @FunctionalInterface
    public interface KeyOf<IN> extends Serializable {
        String of(IN record);
    }

    /** A serializable aggregation, to ship with the job graph. */
    public interface Aggregation<IN, ACC> extends WindowBundle.Aggregation<IN, ACC>, Serializable {}

    /**
     * Partials a subtask holds before it emits them early: far more than the keys (services) of a window in most
     * estates, a bound on memory when the watermark stalls.
     */
    public static final int MAX_PARTIALS = 10_000;

    private final long windowMillis;
    private final int maxPartials;
    private final KeyOf<IN> keyOf;
    private final Aggregation<IN, ACC> aggregation;
    private transient WindowBundle<String, IN, ACC> bundle;
    private transient WindowBundle.Emitter<String, ACC> emitter;

    /**
     * @param windowMillis the window's size, as the window after the shuffle has it
     * @param maxPartials  partials held at most before they are emitted early
     */
    public WindowPreAggregate(long windowMillis, int maxPartials, KeyOf<IN> keyOf, Aggregation<IN, ACC> aggregation) {
        this.windowMillis = windowMillis;
        this.maxPartials = maxPartials;
        this.keyOf = keyOf;
        this.aggregation = aggregation;
        WindowBundle.check(windowMillis, maxPartials);
    }

    @Override
    public void open() throws Exception {
        super.open();
        bundle = new WindowBundle<>(windowMillis, maxPartials, aggregation);
        emitter = (key, windowStart, partial) -> output.collect(new StreamRecord<>(partial, windowStart));
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        IN record = element.getValue();
        if (bundle.add(keyOf.of(record), element.getTimestamp(), record)) {
            bundle.emitAll(emitter);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        bundle.emitEndedBy(mark.getTimestamp(), emitter);
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        if (status.isIdle()) {
            bundle.emitAll(emitter);
        }
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        bundle.emitAll(emitter);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        bundle.emitAll(emitter);
        super.finish();
    }
}
