package io.sift.connectors.kafka;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event time of the newest record of one Kafka partition and fingerprints of its recent records, for the
 * lateness and duplicate checks of {@link SourceScreen}. Bounded: at most {@code capacity} fingerprints, and none
 * older than the allowed lateness (about 100 bytes each).
 */
final class PartitionMemory {

    private final int capacity;
    /** fingerprint → event time, oldest first. */
    private final LinkedHashMap<Long, Long> recent;
    long newest = Long.MIN_VALUE;

    PartitionMemory(int capacity) {
        this.capacity = capacity;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024) * 2) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > PartitionMemory.this.capacity;
            }
        };
    }

    /** How far {@code time} is behind the newest record, or 0 when it is not. */
    long behind(long time) {
        return newest == Long.MIN_VALUE || time >= newest ? 0 : newest - time;
    }

    /** Remembers the record; true when the same bytes were seen recently (then nothing changes). */
    boolean repeat(long fingerprint, long time) {
        return capacity > 0 && recent.containsKey(fingerprint);
    }

    /** Takes an accepted record into account. */
    void accept(long fingerprint, long time, long allowedLatenessMillis) {
        newest = Math.max(newest, time);
        if (capacity == 0) {
            return;
        }
        recent.put(fingerprint, time);
        // Records older than the lateness are refused as late before their fingerprint would be looked at.
        long horizon = newest - allowedLatenessMillis;
        Iterator<Long> times = recent.values().iterator();
        while (times.hasNext()) {
            if (times.next() >= horizon) {
                break;
            }
            times.remove();
        }
    }

    int remembered() {
        return recent.size();
    }

    /** A 64-bit FNV-1a hash of the bytes: collisions among a partition's recent records are negligible. */
    static long fingerprint(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash ^ bytes.length;
    }
}
