package io.sift.core.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Partials per key and tumbling window: what is emitted when, and that the partials sum to the records. */
class WindowBundleTest {

    private static final long MINUTE = 60_000;

    /** Sums of values per key; long[]{sum, count}. */
    private static final WindowBundle.Aggregation<Long, long[]> SUM = new WindowBundle.Aggregation<>() {
        @Override
        public long[] create() {
            return new long[2];
        }

        @Override
        public void add(Long record, long[] partial) {
            partial[0] += record;
            partial[1]++;
        }
    };

    private record Emitted(String key, long windowStart, long sum, long count) {}

    private static WindowBundle.Emitter<String, long[]> into(List<Emitted> out) {
        return (key, start, partial) -> out.add(new Emitted(key, start, partial[0], partial[1]));
    }

    @Test
    void aWindowIsEmittedOnceTheWatermarkReachesItsLastMillisecond() throws Exception {
        WindowBundle<String, Long, long[]> bundle = new WindowBundle<>(MINUTE, 100, SUM);
        bundle.add("a", 0, 1L);
        bundle.add("a", 59_999, 2L);
        bundle.add("b", 30_000, 5L);
        bundle.add("a", 60_000, 7L);
        List<Emitted> out = new ArrayList<>();
        bundle.emitEndedBy(59_998, into(out));
        assertTrue(out.isEmpty(), "the first minute is not over before 59,999 ms");
        bundle.emitEndedBy(59_999, into(out));
        assertEquals(Map.of("a", new Emitted("a", 0, 3, 2), "b", new Emitted("b", 0, 5, 1)), byKey(out));
        assertEquals(1, bundle.size(), "the second minute's partial is still held");
        out.clear();
        bundle.add("a", 61_000, 1L);
        bundle.emitAll(into(out));
        assertEquals(List.of(new Emitted("a", MINUTE, 8, 2)), out);
        assertEquals(0, bundle.size());
    }

    @Test
    void recordsBeforeTheEpochFallIntoTheirOwnWindow() throws Exception {
        WindowBundle<String, Long, long[]> bundle = new WindowBundle<>(MINUTE, 100, SUM);
        assertEquals(-MINUTE, bundle.windowStart(-1));
        assertEquals(0, bundle.windowStart(0));
        bundle.add("a", -1, 1L);
        bundle.add("a", 1, 1L);
        List<Emitted> out = new ArrayList<>();
        bundle.emitEndedBy(-1, into(out));
        assertEquals(List.of(new Emitted("a", -MINUTE, 1, 1)), out);
    }

    @Test
    void aFullBundleAsksToBeEmittedAndLateRecordsStillCount() throws Exception {
        WindowBundle<String, Long, long[]> bundle = new WindowBundle<>(MINUTE, 2, SUM);
        assertFalse(bundle.add("a", 0, 1L));
        assertFalse(bundle.add("a", 1, 1L), "the same key and window is the same partial");
        assertTrue(bundle.add("b", 2, 1L), "two partials fill a bundle of two");
        List<Emitted> out = new ArrayList<>();
        bundle.emitAll(into(out));
        // A record of a window already emitted starts a new partial (the window after the shuffle merges both).
        bundle.add("a", 3, 4L);
        bundle.emitEndedBy(Long.MAX_VALUE, into(out));
        long sumOfA = out.stream().filter(e -> e.key.equals("a")).mapToLong(Emitted::sum).sum();
        assertEquals(6, sumOfA);
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new WindowBundle<>(0, 1, SUM));
        assertThrows(IllegalArgumentException.class, () -> new WindowBundle<>(MINUTE, 0, SUM));
    }

    private static Map<String, Emitted> byKey(List<Emitted> out) {
        Map<String, Emitted> byKey = new TreeMap<>();
        out.forEach(e -> byKey.put(e.key, e));
        return byKey;
    }
}
