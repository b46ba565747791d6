package io.sift.jobs.operators;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keyed state kept deserialised between the elements and timers of the most recently used keys, written back when a
 * key leaves the cache and before every snapshot. On the heap backend the cache is then emptied (an asynchronous heap
 * snapshot must never see a later change of an object it holds); on a backend that serialises on write (RocksDB) it
 * keeps its keys, clean, so that a snapshot every few seconds does not make every hot key be read and deserialised
 * again. On RocksDB a hot key then costs no read and no write of serialised
 * state per element. The operator that owns the key context provides the {@link KeySwitch} and calls {@link #flush}
 * from its {@code snapshotState}, before Flink snapshots the keyed state backend.
 *
 * @param <V> what a key's state is read into (mutable; written back if marked changed)
 */
final class WriteBehindCache<V> {

    /** Runs an action with another key's state current, then restores the key at hand. */
    @FunctionalInterface
    interface KeySwitch {
        void withKey(String key, StateAction action) throws Exception;
    }

    @FunctionalInterface
    interface StateAction {
        void run() throws Exception;
    }

    /** Reads and writes the current key's state. */
    interface Store<V> {
        V read() throws Exception;

        void write(V value) throws Exception;
    }

    private static final class Held<V> {
        final V value;
        boolean changed;

        Held(V value) {
            this.value = value;
        }
    }

    private final int capacity;
    private final KeySwitch keys;
    private final Store<V> store;
    private final LinkedHashMap<String, Held<V>> held = new LinkedHashMap<>(16, 0.75f, true);
    /** Whether {@link #flush} keeps the keys (state serialised on write, so a snapshot holds no object of ours). */
    private final boolean keepOnFlush;

    /** @param capacity keys held at most; 0 reads and writes through on every access */
    WriteBehindCache(int capacity, KeySwitch keys, Store<V> store) {
        this(capacity, keys, store, false);
    }

    /**
     * @param keepOnFlush keep the keys (clean) after {@link #flush}: only where the state backend serialises a value
     *                    when it is written (RocksDB), never on the heap backend, whose snapshot holds the objects
     */
    WriteBehindCache(int capacity, KeySwitch keys, Store<V> store, boolean keepOnFlush) {
        this.keepOnFlush = keepOnFlush;
        if (capacity < 0) {
            throw new IllegalArgumentException("a write-behind cache holds 0 or more keys, got " + capacity);
        }
        this.capacity = capacity;
        this.keys = keys;
        this.store = store;
    }

    /** The current key's state (its key is {@code key}): held, or read and held. */
    V get(String key) throws Exception {
        if (capacity == 0) {
            return store.read();
        }
        Held<V> h = held.get(key);
        if (h == null) {
            h = new Held<>(store.read());
            held.put(key, h);
            if (held.size() > capacity) {
                Iterator<Map.Entry<String, Held<V>>> eldest = held.entrySet().iterator();
                Map.Entry<String, Held<V>> evicted = eldest.next();
                eldest.remove();
                if (evicted.getValue().changed) {
                    keys.withKey(evicted.getKey(), () -> store.write(evicted.getValue().value));
                }
            }
        }
        return h.value;
    }

    /** The current key's state changed: written now without a cache, else when it leaves the cache or at a snapshot. */
    void changed(String key, V value) throws Exception {
        Held<V> h = capacity == 0 ? null : held.get(key);
        if (h == null) {
            store.write(value);
        } else {
            h.changed = true;
        }
    }

    /** Forgets the current key (its state was cleared by the caller). */
    void forget(String key) {
        held.remove(key);
    }

    /** Writes every changed key back; then empties the cache, or keeps its keys as written ({@code keepOnFlush}). */
    void flush() throws Exception {
        for (Map.Entry<String, Held<V>> entry : held.entrySet()) {
            Held<V> h = entry.getValue();
            if (h.changed) {
                keys.withKey(entry.getKey(), () -> store.write(h.value));
                h.changed = false;
            }
        }
        if (!keepOnFlush) {
            held.clear();
        }
    }

    /** Keys held (for tests). */
    int size() {
        return held.size();
    }
}
