package io.sift.core.window;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Partial aggregates of tumbling event-time windows, per key, kept before a shuffle so that one partial per key and
 * window crosses the network instead of every record (a local combiner). The partials are merged after the shuffle
 * by the window that owns the key, so what is emitted never changes a result, only how many records carry it: a
 * bundle may be emitted at any time, and must be before the watermark passes a window's end (else the partial is late
 * downstream) and before a checkpoint barrier (then the bundle holds no state of its own).
 *
 * <p>Not thread-safe: one per operator subtask.
 *
 * @param <K>   the key the window after the shuffle is keyed by
 * @param <IN>  a record
 * @param <ACC> a partial aggregate, mergeable after the shuffle
 */
public final class WindowBundle<K, IN, ACC> {

    /** Starts and grows a partial aggregate. */
    public interface Aggregation<IN, ACC> {
        ACC create();

        void add(IN record, ACC partial);
    }

    /** Receives the partial of one key and window. */
    @FunctionalInterface
    public interface Emitter<K, ACC> {
        void emit(K key, long windowStart, ACC partial) throws Exception;
    }

    private final long windowMillis;
    private final int maxEntries;
    private final Aggregation<IN, ACC> aggregation;
    /** Window start → key → partial; windows in order, so the ended ones come first. */
    private final TreeMap<Long, Map<K, ACC>> windows = new TreeMap<>();
    private int entries;
    /** The window the last record fell into: records mostly arrive in order, so most skip the tree. */
    private long lastStart = Long.MIN_VALUE;
    private Map<K, ACC> lastWindow;

    /**
     * @param windowMillis the tumbling window's size (offset 0, as Flink's {@code TumblingEventTimeWindows.of})
     * @param maxEntries   partials held at most; a full bundle asks to be emitted
     */
    public WindowBundle(long windowMillis, int maxEntries, Aggregation<IN, ACC> aggregation) {
        check(windowMillis, maxEntries);
        this.windowMillis = windowMillis;
        this.maxEntries = maxEntries;
        this.aggregation = aggregation;
    }

    /** Refuses a window or a bound a bundle cannot have (where a job is built, before any bundle exists). */
    public static void check(long windowMillis, int maxEntries) {
        if (windowMillis <= 0) {
            throw new IllegalArgumentException("a window must be longer than 0 ms, was " + windowMillis);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a bundle must hold at least one partial, was " + maxEntries);
        }
    }

    /** The start of the window holding {@code timestamp}. */
    public long windowStart(long timestamp) {
        return timestamp - Math.floorMod(timestamp, windowMillis);
    }

    /** Adds a record of event time {@code timestamp}; true when the bundle is full and should be emitted. */
    public boolean add(K key, long timestamp, IN record) {
        long start = windowStart(timestamp);
        Map<K, ACC> window = lastWindow;
        if (start != lastStart || window == null) {
            window = windows.computeIfAbsent(start, s -> new HashMap<>());
            lastStart = start;
            lastWindow = window;
        }
        ACC partial = window.get(key);
        if (partial == null) {
            partial = aggregation.create();
            window.put(key, partial);
            entries++;
        }
        aggregation.add(record, partial);
        return entries >= maxEntries;
    }

    /** Emits and forgets the partials of every window that ends at or before {@code watermark}. */
    public void emitEndedBy(long watermark, Emitter<K, ACC> emitter) throws Exception {
        Iterator<Map.Entry<Long, Map<K, ACC>>> it = windows.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Map<K, ACC>> window = it.next();
            long start = window.getKey();
            // Flink fires a window when the watermark reaches its last millisecond (end - 1).
            if (start + windowMillis - 1 > watermark) {
                break;
            }
            emit(start, window.getValue(), emitter);
            it.remove();
            if (start == lastStart) {
                lastWindow = null;
            }
        }
    }

    /** Emits and forgets every partial. */
    public void emitAll(Emitter<K, ACC> emitter) throws Exception {
        for (Map.Entry<Long, Map<K, ACC>> window : windows.entrySet()) {
            emit(window.getKey(), window.getValue(), emitter);
        }
        windows.clear();
        lastWindow = null;
    }

    private void emit(long start, Map<K, ACC> partials, Emitter<K, ACC> emitter) throws Exception {
        for (Map.Entry<K, ACC> partial : partials.entrySet()) {
            emitter.emit(partial.getKey(), start, partial.getValue());
        }
        entries -= partials.size();
    }

    /** Partials held. */
    public int size() {
        return entries;
    }
}
