package io.sift.jobs.operators;

import io.sift.core.detect.SeriesKeys;
import io.sift.core.logs.MineResult;
import io.sift.core.logs.MinedTemplate;
import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateMiner;
import io.sift.core.logs.TemplateMinerState;
import io.sift.core.logs.TemplateRateState;
import io.sift.core.logs.TemplateRates;
import io.sift.core.util.StableIds;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Mines log templates per service (keyed by environment and service, see {@link LogErrorRate#key}) with the
 * plain-Java {@link TemplateMiner}, its state in keyed state, and reports a template never seen before: after the
 * service's warm-up, a new template whose first line is at warning level or above, that is not a one-word variant of
 * a known template (a known warning naming another client is a new value, not a new event) and that recurs (at least
 * {@code minLines} lines within {@code windowMillis} of its first) becomes one {@link SignalType#LOG} anomaly naming
 * the template and carrying example lines. A single stray line is not worth an incident; a new error that keeps
 * coming is what a bad deploy or a broken dependency looks like.
 *
 * <p>With {@link TemplateRates} set, it also counts lines per template and event-time window and emits them on the
 * side output {@link #TEMPLATE_COUNTS} as {@link TemplateRates#METRIC} points for the metric detector (a template's
 * rate spike or drop), with explicit zeros for templates active in the recent past. Windows are emitted by event-time
 * timers, each from the lines that arrived for it, so a replay emits the same points.
 *
 * <p>A service's miner state and window counts are whole objects (up to {@code maxTemplates} templates): on RocksDB
 * reading and writing them for every line costs far more than mining it. Run by {@link LogTemplateOperator}, they are
 * kept deserialised in a bounded cache between lines and written back when a service leaves the cache and before
 * every snapshot (see {@link #cacheServices}). Run by a plain {@code KeyedProcessOperator}, which would not write them
 * back, every line reads and writes them.
 */
public final class LogTemplateFunction extends KeyedProcessFunction<String, LogRecord, Anomaly> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "mine-log-templates";
    public static final String NAME = "Mine log templates per service, flag new warning/error templates";
    /** The detector name on the anomalies. */
    public static final String DETECTOR = "log-new-template";
    /** The metric name on the anomalies (their observed value is the lines of the template in the window). */
    public static final String METRIC = "log.template.new";
    /** OpenTelemetry severity number of WARN. */
    public static final int WARN_SEVERITY = 13;
    /** Name of the metric counting templates evicted to respect the memory cap. */
    public static final String EVICTIONS_METRIC = "logTemplateEvictions";

    private final MinerConfig minerConfig;
    private final long warmUpMillis;
    private final long windowMillis;
    private final int minLines;
    private final int maxExamples;
    private final String defaultEnvironment;
    /** Per-template window counts, or null for none. */
    private final TemplateRates rates;

    /** Side output: lines per template and window, as metric points. */
    public static final OutputTag<MetricPoint> TEMPLATE_COUNTS =
            new OutputTag<>("log-template-counts", new AvroTypeInfo<>(MetricPoint.class));

    private transient TemplateMiner miner;
    private transient ValueState<TemplateRateState> rateState;
    private transient ValueState<TemplateMinerState> templates;
    private transient ValueState<Long> firstLine;
    private transient MapState<String, NewTemplate> newTemplates;
    private transient Counter evictions;
    private transient org.apache.flink.api.common.accumulators.LongCounter evictionsTotal;
    /** Services' states kept deserialised between lines, least recently used first; null to read and write per line. */
    private transient LinkedHashMap<String, Cached> cache;
    private transient int maxCachedServices;
    private transient WriteBehindCache.KeySwitch keySwitch;
    /** Whether {@link #flushCache} keeps the services cached (RocksDB), else empties the cache (heap). */
    private transient boolean keepOnFlush;

    /**
     * @param minerConfig        the miner's settings
     * @param warmUpMillis       event time after a service's first line during which templates are learned silently
     * @param windowMillis       how long after a new template's first line its lines are gathered before deciding
     * @param minLines           lines of the new template within the window for it to be reported
     * @param maxExamples        example lines carried by the anomaly
     * @param defaultEnvironment environment of lines that name none
     */
    public LogTemplateFunction(MinerConfig minerConfig, long warmUpMillis, long windowMillis, int minLines,
            int maxExamples, String defaultEnvironment) {
        this(minerConfig, warmUpMillis, windowMillis, minLines, maxExamples, defaultEnvironment, null);
    }

    /** As above, and counting lines per template and window with {@code rates} (null for no counts). */
    public LogTemplateFunction(MinerConfig minerConfig, long warmUpMillis, long windowMillis, int minLines,
            int maxExamples, String defaultEnvironment, TemplateRates rates) {
        if (warmUpMillis < 0 || windowMillis < 1 || minLines < 1 || maxExamples < 1) {
            throw new IllegalArgumentException("warm-up must be >= 0, window >= 1 ms, minLines and maxExamples >= 1");
        }
        this.minerConfig = minerConfig;
        this.warmUpMillis = warmUpMillis;
        this.windowMillis = windowMillis;
        this.minLines = minLines;
        this.maxExamples = maxExamples;
        this.defaultEnvironment = defaultEnvironment;
        this.rates = rates;
    }

    /** Sift's defaults: 45 minutes of warm-up, 3 lines within 5 minutes, 3 examples. */
    public static LogTemplateFunction withDefaults(String defaultEnvironment) {
        return new LogTemplateFunction(MinerConfig.defaults(), 45 * 60_000L, 5 * 60_000L, 3, 3, defaultEnvironment);
    }

    /** Sift's defaults, and per-template counts in {@code countWindowMillis} windows (zeros for 10 quiet windows). */
    public static LogTemplateFunction withTemplateCounts(String defaultEnvironment, long countWindowMillis) {
        return withTemplateCounts(defaultEnvironment, countWindowMillis, MinerConfig.defaults().maxTemplates());
    }

    /** As {@link #withTemplateCounts(String, long)}, keeping at most {@code maxTemplates} templates per service. */
    public static LogTemplateFunction withTemplateCounts(String defaultEnvironment, long countWindowMillis,
            int maxTemplates) {
        return new LogTemplateFunction(MinerConfig.defaults().withMaxTemplates(maxTemplates), 45 * 60_000L,
                5 * 60_000L, 3, 3, defaultEnvironment, new TemplateRates(countWindowMillis, QUIET_WINDOWS, 3));
    }

    /** Windows without lines after which a template gets no more zero counts. */
    public static final int QUIET_WINDOWS = 10;

    @Override
    public void open(OpenContext openContext) {
        miner = new TemplateMiner(minerConfig);
        templates = getRuntimeContext().getState(
                new ValueStateDescriptor<>("templates", TypeInformation.of(TemplateMinerState.class)));
        firstLine = getRuntimeContext().getState(new ValueStateDescriptor<>("first-line", Types.LONG));
        newTemplates = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("new-templates", Types.STRING, TypeInformation.of(NewTemplate.class)));
        evictions = getRuntimeContext().getMetricGroup().counter(EVICTIONS_METRIC);
        evictionsTotal = new org.apache.flink.api.common.accumulators.LongCounter();
        getRuntimeContext().addAccumulator(EVICTIONS_METRIC, evictionsTotal);
        rateState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("template-rates", TypeInformation.of(TemplateRateState.class)));
    }

    /** A service's miner state and window counts as read from keyed state; dirty once changed and not written back. */
    private static final class Cached {
        TemplateMinerState templates;
        TemplateRateState counts;
        boolean dirty;
        /** The latest window timer this entry registered for its counts (0 for none). */
        long countTimer;
        /**
         * Whether the service has new templates being gathered ({@code newTemplates} not empty), or null when not
         * known since the entry was read: lines of a service with none then cost no state access for them.
         */
        Boolean gathering;

        Cached(TemplateMinerState templates, TemplateRateState counts) {
            this.templates = templates;
            this.counts = counts;
        }
    }

    /**
     * Keeps up to {@code maxServices} services' states deserialised between lines (called by
     * {@link LogTemplateOperator#open}); {@code keySwitch} makes another service's state current to write it back.
     */
    void cacheServices(int maxServices, WriteBehindCache.KeySwitch keySwitch) {
        cacheServices(maxServices, keySwitch, false);
    }

    /**
     * As above; {@code keepOnFlush}: the services stay cached, clean, after {@link #flushCache} (only where the state
     * backend serialises on write, RocksDB: a snapshot every few seconds then costs no read of every service after it).
     */
    void cacheServices(int maxServices, WriteBehindCache.KeySwitch keySwitch, boolean keepOnFlush) {
        if (maxServices < 1) {
            throw new IllegalArgumentException("the miner cache must hold at least 1 service, got " + maxServices);
        }
        this.maxCachedServices = maxServices;
        this.keySwitch = keySwitch;
        this.cache = new LinkedHashMap<>(16, 0.75f, true);
        this.keepOnFlush = keepOnFlush;
    }

    /**
     * Writes every changed service's state back and empties the cache (called before every snapshot, so the snapshot
     * holds what the lines so far made). Emptying it matters on the heap backend: an object the snapshot holds must
     * not change while the snapshot is written, and reading it through the state again copies it. On RocksDB the
     * snapshot holds bytes, so the services stay cached (clean) when {@code keepOnFlush}.
     */
    void flushCache() throws Exception {
        if (cache == null) {
            return;
        }
        for (Map.Entry<String, Cached> entry : cache.entrySet()) {
            if (entry.getValue().dirty) {
                Cached cached = entry.getValue();
                keySwitch.withKey(entry.getKey(), () -> write(cached));
            }
        }
        if (!keepOnFlush) {
            cache.clear();
        }
    }

    /** Services in the cache (for tests). */
    int cachedServices() {
        return cache == null ? 0 : cache.size();
    }

    /** The current service's state: from the cache, else read (and cached, writing back the least recent beyond the bound). */
    private Cached current(String key) throws Exception {
        Cached cached = cache == null ? null : cache.get(key);
        if (cached != null) {
            return cached;
        }
        cached = new Cached(templates.value(), rateState.value());
        if (cache != null) {
            cache.put(key, cached);
            if (cache.size() > maxCachedServices) {
                Map.Entry<String, Cached> eldest = cache.entrySet().iterator().next();
                String evictedKey = eldest.getKey();
                Cached evicted = eldest.getValue();
                cache.remove(evictedKey);
                if (evicted.dirty) {
                    keySwitch.withKey(evictedKey, () -> write(evicted));
                }
            }
        }
        return cached;
    }

    /** Marks the current service's state changed: written now without a cache, else when it leaves the cache. */
    private void changed(Cached cached) throws Exception {
        if (cache == null) {
            write(cached);
        } else {
            cached.dirty = true;
        }
    }

    /** Writes a service's state to keyed state (its key must be current). */
    private void write(Cached cached) throws Exception {
        templates.update(cached.templates);
        if (cached.counts == null) {
            rateState.clear();
        } else {
            rateState.update(cached.counts);
        }
        cached.dirty = false;
    }

    @Override
    public void processElement(LogRecord log, Context ctx, Collector<Anomaly> out) throws Exception {
        long time = log.getTime().toEpochMilli();
        Cached cached = current(ctx.getCurrentKey());
        TemplateMinerState state = cached.templates;
        if (state == null) {
            state = new TemplateMinerState();
            cached.templates = state;
            firstLine.update(time);
        }
        MineResult result = miner.mine(state, log.getBody(), time);
        if (result.evictedId() != null) {
            evictions.inc();
            evictionsTotal.add(1);
        }
        MinedTemplate template = result.template();
        switch (result.outcome()) {
            case NEW -> {
                boolean warmedUp = time >= firstLine.value() + warmUpMillis;
                if (warmedUp && result.isNovel() && log.getSeverityNumber() >= WARN_SEVERITY) {
                    NewTemplate fresh = NewTemplate.first(template, log, time, defaultEnvironment);
                    newTemplates.put(template.id, fresh);
                    cached.gathering = Boolean.TRUE;
                    ctx.timerService().registerEventTimeTimer(time + windowMillis);
                }
            }
            case GENERALISED -> {
                NewTemplate tracked = notGathering(cached) ? null : newTemplates.get(result.previousId());
                if (tracked != null) {
                    newTemplates.remove(result.previousId());
                    tracked.templateId = template.id;
                    tracked.template = template.text();
                    newTemplates.put(template.id, tracked.add(log, time, windowMillis, maxExamples));
                }
            }
            case MATCHED -> {
                NewTemplate tracked = notGathering(cached) ? null : newTemplates.get(template.id);
                if (tracked != null) {
                    newTemplates.put(template.id, tracked.add(log, time, windowMillis, maxExamples));
                }
            }
            default -> throw new IllegalStateException("unknown outcome " + result.outcome());
        }
        if (!notGathering(cached)) {
            markFolded(state, time);
        }
        if (rates != null) {
            count(cached, log, result, time, ctx);
        }
        changed(cached);
    }

    /** Whether the service surely has no new templates being gathered (learnt once per cache entry). */
    private boolean notGathering(Cached cached) throws Exception {
        if (cached.gathering == null) {
            cached.gathering = !newTemplates.isEmpty();
        }
        return !cached.gathering;
    }

    /** Counts the line in its window (late lines, whose window was emitted, are dropped as Flink's windows do). */
    private void count(Cached cached, LogRecord log, MineResult result, long time, Context ctx) throws Exception {
        if (rates.dueAt(time) <= ctx.timerService().currentWatermark()) {
            return;
        }
        TemplateRateState counts = cached.counts;
        if (counts == null) {
            counts = new TemplateRateState();
            cached.counts = counts;
        }
        if (result.previousId() != null && !result.previousId().equals(result.template().id)) {
            rates.retire(counts, result.previousId(), time);
        }
        if (result.evictedId() != null) {
            rates.retire(counts, result.evictedId(), time);
        }
        rates.onLine(counts, log.getResource(), result.template(), log.getBody(), time);
        long due = rates.dueAt(time);
        // A timer registered for this window by this cache entry is still pending (the window is not due yet, see
        // above, and nothing deletes timers): registering it again would only cost a timer-queue write.
        if (due != cached.countTimer) {
            ctx.timerService().registerEventTimeTimer(due);
            cached.countTimer = due;
        }
    }

    /** Emits the template counts of the windows due at {@code timestamp} and schedules the next window. */
    private void fireCounts(long timestamp, OnTimerContext ctx) throws Exception {
        Cached cached = current(ctx.getCurrentKey());
        TemplateRateState counts = cached.counts;
        if (counts == null) {
            return;
        }
        for (MetricPoint point : rates.fire(counts, timestamp, defaultEnvironment)) {
            ctx.output(TEMPLATE_COUNTS, point);
        }
        Long next = rates.nextDue(counts);
        if (next == null && counts.isEmpty()) {
            cached.counts = null;
            changed(cached);
            return;
        }
        changed(cached);
        if (next != null && next > timestamp) {
            ctx.timerService().registerEventTimeTimer(next);
        }
    }

    /**
     * Notes, in event time, a tracked template folded into an older one while its window is open. Deciding this here
     * rather than when the timer fires keeps the outcome independent of how far the input ran ahead of the watermark,
     * so a replay emits exactly the same anomalies.
     */
    private void markFolded(TemplateMinerState state, long time) throws Exception {
        List<NewTemplate> folded = new ArrayList<>();
        for (NewTemplate tracked : newTemplates.values()) {
            if (!tracked.folded && time <= tracked.onset + windowMillis && !isLive(state, tracked.templateId)) {
                folded.add(tracked);
            }
        }
        for (NewTemplate tracked : folded) {
            tracked.folded = true;
            newTemplates.put(tracked.templateId, tracked);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Anomaly> out) throws Exception {
        if (rates != null) {
            fireCounts(timestamp, ctx);
        }
        Cached cached = current(ctx.getCurrentKey());
        if (notGathering(cached)) {
            return;
        }
        List<String> due = new ArrayList<>();
        int pending = 0;
        for (Map.Entry<String, NewTemplate> entry : newTemplates.entries()) {
            pending++;
            if (entry.getValue().onset + windowMillis <= timestamp) {
                due.add(entry.getKey());
            }
        }
        cached.gathering = pending > due.size();
        for (String id : due) {
            NewTemplate tracked = newTemplates.get(id);
            newTemplates.remove(id);
            // A template folded into an older one since was a new value of a known event, not a new event.
            if (tracked.lines >= minLines && !tracked.folded) {
                out.collect(tracked.toAnomaly());
            }
        }
    }

    private static boolean isLive(TemplateMinerState state, String id) {
        for (MinedTemplate template : state.templates) {
            if (template.id.equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** A template first seen after warm-up, while its lines are gathered (a Flink POJO). */
    public static final class NewTemplate {
        public String templateId;
        public String template;
        public String service;
        public String environment;
        public String seriesKey;
        public long onset;
        public long last;
        public int lines;
        public int maxSeverity;
        public String severityText;
        public List<String> examples = new ArrayList<>();
        /** Folded into an older template within its window: a new value of a known event, not a new event. */
        public boolean folded;

        public NewTemplate() {}

        static NewTemplate first(MinedTemplate template, LogRecord log, long time, String defaultEnvironment) {
            NewTemplate fresh = new NewTemplate();
            fresh.templateId = template.id;
            fresh.template = template.text();
            fresh.service = log.getResource().getService();
            fresh.environment = SeriesKeys.environment(log.getResource(), defaultEnvironment);
            fresh.seriesKey = SeriesKeys.of(METRIC, service(fresh), Map.of("template.id", template.id),
                    defaultEnvironment);
            fresh.onset = time;
            fresh.last = time;
            fresh.lines = 1;
            fresh.maxSeverity = log.getSeverityNumber();
            fresh.severityText = log.getSeverityText();
            fresh.examples.add(log.getBody());
            return fresh;
        }

        /** Counts a line of the template; lines after the window are not counted (the outcome must not depend on timing). */
        NewTemplate add(LogRecord log, long time, long windowMillis, int maxExamples) {
            if (time > onset + windowMillis) {
                return this;
            }
            lines++;
            last = Math.max(last, time);
            if (log.getSeverityNumber() > maxSeverity) {
                maxSeverity = log.getSeverityNumber();
                severityText = log.getSeverityText();
            }
            if (examples.size() < maxExamples && !examples.contains(log.getBody())) {
                examples.add(log.getBody());
            }
            return this;
        }

        private static Resource service(NewTemplate t) {
            return Resource.newBuilder().setService(t.service).setEnvironment(t.environment).build();
        }

        /**
         * The anomaly: ended at the last line gathered; observed is the lines in the window against none expected;
         * the score rises with severity (WARN 60, ERROR 75, FATAL 90) and a little with repetition.
         */
        Anomaly toAnomaly() {
            double base = maxSeverity >= 21 ? 90 : maxSeverity >= 17 ? 75 : 60;
            double score = Math.min(99, base + Math.min(9, 1.5 * (lines - 1)));
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("template.id", templateId);
            labels.put("template", template);
            labels.put("severity", severityText == null ? Integer.toString(maxSeverity) : severityText);
            for (int i = 0; i < examples.size(); i++) {
                labels.put("example." + (i + 1), examples.get(i));
            }
            return Anomaly.newBuilder()
                    .setId(StableIds.of("anom", seriesKey, Long.toString(onset)))
                    .setVersion(1)
                    .setSignal(SignalType.LOG)
                    .setDetector(DETECTOR)
                    .setSeriesKey(seriesKey)
                    .setMetric(METRIC)
                    .setResource(service(this))
                    .setLabels(new HashMap<>(labels))
                    .setOnset(Instant.ofEpochMilli(onset))
                    .setTime(Instant.ofEpochMilli(last))
                    .setEnd(Instant.ofEpochMilli(last))
                    .setObserved(lines)
                    .setExpected(0)
                    .setLowerBound(0)
                    .setUpperBound(0)
                    .setDeviation(sigmaEquivalent(score))
                    .setDirection(Direction.UP)
                    .setScore(score)
                    .setSamples(lines)
                    .build();
        }

        /** The deviation the metric detector would need for this score (threshold 3σ), so rankings compare. */
        private static double sigmaEquivalent(double score) {
            return 3.0 * Math.sqrt(Math.log(1.0 / (1.0 - score / 100.0)) / Math.log(2.0));
        }
    }
}
