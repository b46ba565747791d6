package io.sift.core.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link TemplateRates} remembers about one service: the line counts of windows not yet emitted, the templates
 * active in the recent past (their zeros make a drop visible) and templates retired by generalisation or eviction. A
 * plain mutable POJO of lists (Flink keyed state, POJO serializer, no Kryo).
 */
public class TemplateRateState {
    /** Service and environment of the lines (the resource of the points). */
    public String service;
    public String environment;
    /** End (exclusive, epoch millis) of the next window to emit; 0 when nothing is pending. */
    public long nextWindowEnd;
    /** Counts of windows not yet emitted, one entry per (window, template). */
    public List<Count> counts = new ArrayList<>();
    /** Templates with lines in the recent past. */
    public List<Active> active = new ArrayList<>();
    /** Templates whose id went away (generalised or evicted), effective from a window on. */
    public List<Retired> retired = new ArrayList<>();

    /**
     * Derived lookup of {@link #counts} by window and template, never serialized: built once a state object is
     * consulted again with many counts (a storm of templates), dropped whenever counts are removed.
     */
    transient Map<CountKey, Count> countIndex;
    /** Lookups through this state object since its index was dropped. */
    transient int countLookups;

    /** The count the latest line went to (never serialized; dropped with the index whenever counts are removed). */
    transient Count lastCount;

    record CountKey(long windowEnd, String templateId) {
        // Spelled out: the record's generated methods go through method handles, slower on this per-line path.
        @Override
        public int hashCode() {
            return 31 * Long.hashCode(windowEnd) + templateId.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof CountKey k && k.windowEnd == windowEnd && k.templateId.equals(templateId);
        }
    }

    public TemplateRateState() {}

    public boolean isEmpty() {
        return counts.isEmpty() && active.isEmpty() && retired.isEmpty();
    }

    /** Lines of one template in one window, with the last few lines as examples. */
    public static class Count {
        public long windowEnd;
        public String templateId;
        public String template;
        public long lines;
        public List<String> examples = new ArrayList<>();

        public Count() {}
    }

    /** A template seen recently: zeros are emitted for it until it has been quiet for the configured windows. */
    public static class Active {
        public String templateId;
        public String template;
        /** End of the latest window in which it had lines. */
        public long lastWindowEnd;

        public Active() {}
    }

    /** A template id that stopped existing; from the window ending at {@code fromWindowEnd} on, no zeros for it. */
    public static class Retired {
        public String templateId;
        public long fromWindowEnd;

        public Retired() {}
    }
}
