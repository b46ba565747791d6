package io.sift.core.logs;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DirectionFilter;
import io.sift.core.detect.SeriesKeys;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lines per template and tumbling event-time window of one service, as metric points ({@link #METRIC}, labels
 * {@code template.id}, {@code template} and the window's last lines as {@code example.1..n}) for the metric detector:
 * a template's rate spike or drop against its own baseline. A template with lines in one of the last
 * {@code quietWindows} windows gets an explicit zero in a window without lines, so a drop is visible; after that many
 * quiet windows it is forgotten (bounded state and output). Windows are emitted in order up to a watermark and only
 * from what arrived for them, so the points do not depend on how the watermark interleaved with the lines.
 */
public final class TemplateRates implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Name of the metric: lines of a template in a window. */
    public static final String METRIC = "log.template.count";
    public static final String LABEL_ID = "template.id";
    public static final String LABEL_TEMPLATE = "template";
    public static final String LABEL_EXAMPLE = "example.";

    private final long windowMillis;
    private final int quietWindows;
    private final int maxExamples;

    /**
     * @param windowMillis tumbling window (the job's log window)
     * @param quietWindows windows without lines after which a template gets no more zeros
     * @param maxExamples  last lines of the window carried by a point (0 for none)
     */
    public TemplateRates(long windowMillis, int quietWindows, int maxExamples) {
        if (windowMillis < 1 || quietWindows < 1 || maxExamples < 0) {
            throw new IllegalArgumentException("window must be >= 1 ms, quietWindows >= 1, maxExamples >= 0; got "
                    + windowMillis + ", " + quietWindows + ", " + maxExamples);
        }
        this.windowMillis = windowMillis;
        this.quietWindows = quietWindows;
        this.maxExamples = maxExamples;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** End (exclusive) of the window holding {@code time}. */
    public long windowEnd(long time) {
        return Math.floorDiv(time, windowMillis) * windowMillis + windowMillis;
    }

    /** Event time at which the window holding {@code time} is due (its last millisecond, as Flink's windows). */
    public long dueAt(long time) {
        return windowEnd(time) - 1;
    }

    /** Counts one line of a template. The caller drops lines whose window is already due (late lines). */
    public void onLine(TemplateRateState state, Resource resource, String templateId, String template, String line,
            long time) {
        count(state, resource, templateId, template, null, line, time);
    }

    /**
     * As {@link #onLine(TemplateRateState, Resource, String, String, String, long)} for a mined template: its text is
     * spelled out only when the line is the template's first in its window (the text the count keeps), not per line.
     */
    public void onLine(TemplateRateState state, Resource resource, MinedTemplate template, String line, long time) {
        count(state, resource, template.id, null, template, line, time);
    }

    private void count(TemplateRateState state, Resource resource, String templateId, String template,
            MinedTemplate mined, String line, long time) {
        if (state.service == null) {
            state.service = resource.getService();
            state.environment = resource.getEnvironment();
        }
        long end = windowEnd(time);
        TemplateRateState.Count count = findCount(state, end, templateId);
        if (count == null) {
            count = new TemplateRateState.Count();
            count.windowEnd = end;
            count.templateId = templateId;
            count.template = mined != null ? mined.text() : template;
            state.counts.add(count);
            if (state.countIndex != null) {
                state.countIndex.put(new TemplateRateState.CountKey(end, templateId), count);
            }
        }
        state.lastCount = count;
        count.lines++;
        if (maxExamples > 0) {
            count.examples.add(line);
            if (count.examples.size() > maxExamples) {
                count.examples.remove(0);
            }
        }
        if (state.nextWindowEnd == 0 || end < state.nextWindowEnd) {
            state.nextWindowEnd = end;
        }
    }

    /** Counts at most this long are scanned rather than indexed. */
    private static final int COUNT_SCAN_LIMIT = 16;

    /**
     * The count of a window and template, or null: a scan of few counts, or, when a state object (kept on the heap)
     * is consulted again with many, a hash lookup, so a storm of new templates costs no scan per line.
     */
    private static TemplateRateState.Count findCount(TemplateRateState state, long end, String templateId) {
        TemplateRateState.Count last = state.lastCount;
        if (last != null && last.windowEnd == end && last.templateId.equals(templateId)) {
            return last; // a run of lines of one template
        }
        if (state.countIndex == null) {
            if (state.counts.size() <= COUNT_SCAN_LIMIT || ++state.countLookups < 2) {
                for (TemplateRateState.Count c : state.counts) {
                    if (c.windowEnd == end && c.templateId.equals(templateId)) {
                        return c;
                    }
                }
                return null;
            }
            state.countIndex = new HashMap<>();
            for (TemplateRateState.Count c : state.counts) {
                state.countIndex.putIfAbsent(new TemplateRateState.CountKey(c.windowEnd, c.templateId), c);
            }
        }
        return state.countIndex.get(new TemplateRateState.CountKey(end, templateId));
    }

    /** A template id went away at {@code time} (generalised into another, or evicted): no zeros for it from then on. */
    public void retire(TemplateRateState state, String templateId, long time) {
        TemplateRateState.Retired retired = new TemplateRateState.Retired();
        retired.templateId = templateId;
        retired.fromWindowEnd = windowEnd(time);
        state.retired.add(retired);
    }

    /**
     * Emits every window due at {@code timestamp} (window end - 1 <= timestamp), oldest first, templates in id order.
     * Returns the points; the state is empty afterwards when nothing is pending or active.
     */
    public List<MetricPoint> fire(TemplateRateState state, long timestamp, String defaultEnvironment) {
        List<MetricPoint> points = new ArrayList<>();
        while (state.nextWindowEnd != 0 && state.nextWindowEnd - 1 <= timestamp) {
            long end = state.nextWindowEnd;
            emitWindow(state, end, points);
            long next = end + windowMillis;
            if (state.active.isEmpty()) {
                // Nothing to keep alive with zeros: jump to the next window with lines, if any.
                next = 0;
                for (TemplateRateState.Count c : state.counts) {
                    next = next == 0 ? c.windowEnd : Math.min(next, c.windowEnd);
                }
            }
            state.nextWindowEnd = next;
        }
        if (state.nextWindowEnd == 0) {
            state.retired.clear();
        }
        return points;
    }

    /** Event time of the next window due, or null when nothing is pending. */
    public Long nextDue(TemplateRateState state) {
        return state.nextWindowEnd == 0 ? null : state.nextWindowEnd - 1;
    }

    private static final Comparator<TemplateRateState.Active> BY_TEMPLATE_ID = Comparator.comparing(a -> a.templateId);

    private void emitWindow(TemplateRateState state, long end, List<MetricPoint> points) {
        TreeMap<String, MetricPoint> byId = new TreeMap<>();
        // One resource for the window's points: they are serialised apart downstream and nobody changes them.
        Resource resource = new Resource(state.service, null, null, state.environment);
        state.countIndex = null;
        state.countLookups = 0;
        state.lastCount = null;
        // Active templates by id (the last entry of an id, as a scan from the start would keep), so that a window of
        // many templates costs no scan of the active ones per count; built only for a window with counts.
        Map<String, TemplateRateState.Active> activeById = null;
        for (Iterator<TemplateRateState.Count> it = state.counts.iterator(); it.hasNext(); ) {
            TemplateRateState.Count c = it.next();
            if (c.windowEnd != end) {
                continue;
            }
            it.remove();
            byId.put(c.templateId, point(resource, end, c.templateId, c.template, c.lines, c.examples));
            if (activeById == null) {
                activeById = new HashMap<>(state.active.size() * 2);
                for (TemplateRateState.Active a : state.active) {
                    activeById.put(a.templateId, a);
                }
            }
            TemplateRateState.Active active = activeById.get(c.templateId);
            if (active == null) {
                active = new TemplateRateState.Active();
                active.templateId = c.templateId;
                active.template = c.template;
                state.active.add(active);
                activeById.put(active.templateId, active);
            }
            active.lastWindowEnd = end;
        }
        // Retirements effective by this window, after its counts (the lines the id had are real) and before its
        // zeros (its lines now go to another id: no zero, no drop).
        Set<String> retiredIds = null;
        for (Iterator<TemplateRateState.Retired> it = state.retired.iterator(); it.hasNext(); ) {
            TemplateRateState.Retired r = it.next();
            if (r.fromWindowEnd <= end) {
                if (retiredIds == null) {
                    retiredIds = new HashSet<>();
                }
                retiredIds.add(r.templateId);
                it.remove();
            }
        }
        if (retiredIds != null) {
            Set<String> retiredNow = retiredIds;
            state.active.removeIf(a -> retiredNow.contains(a.templateId));
        }
        for (Iterator<TemplateRateState.Active> it = state.active.iterator(); it.hasNext(); ) {
            TemplateRateState.Active a = it.next();
            if (a.lastWindowEnd == end) {
                continue;
            }
            if (end - a.lastWindowEnd > quietWindows * windowMillis) {
                it.remove();
                continue;
            }
            byId.put(a.templateId, point(resource, end, a.templateId, a.template, 0, List.of()));
        }
        state.active.sort(BY_TEMPLATE_ID);
        points.addAll(byId.values());
    }

    private static MetricPoint point(Resource resource, long end, String id, String template, long lines,
            List<String> examples) {
        Map<String, String> labels = new LinkedHashMap<>(4 + 2 * examples.size());
        labels.put(LABEL_ID, id);
        labels.put(LABEL_TEMPLATE, template);
        for (int i = 0; i < examples.size(); i++) {
            labels.put(LABEL_EXAMPLE + (i + 1), examples.get(i));
        }
        // The constructor, not the builder: a window emits a point per active template, and the builder validates and
        // copies defaults field by field.
        return new MetricPoint(Instant.ofEpochMilli(end - 1), METRIC, (double) lines, "{line}", MetricKind.GAUGE,
                resource, labels);
    }

    /**
     * The series key of a point: for template counts only the template id identifies the series (the text and the
     * example lines ride along as labels but must not split it); other points keep {@link SeriesKeys#of}.
     */
    public static String seriesKey(MetricPoint point, String defaultEnvironment) {
        if (!METRIC.equals(point.getName())) {
            return SeriesKeys.of(point, defaultEnvironment);
        }
        String id = point.getLabels() == null ? null : point.getLabels().get(LABEL_ID);
        return SeriesKeys.of(point.getName(), point.getResource(), id == null ? Map.of() : Map.of(LABEL_ID, id),
                defaultEnvironment);
    }

    /**
     * Detector settings for template counts: counts are small integers and most templates are low-volume, so a
     * window must differ from the baseline by at least {@code minLines} lines (and the relative deviation), for two
     * windows in a row; both directions count (a template that stops is news too). The full warm-up: a template born
     * with a fault (the new-template detector's case) has no baseline to drop from when the fault ends.
     */
    public static BaselineConfig baseline(double threshold, int warmUpSamples, double minRelativeDeviation,
            double minLines) {
        return BaselineConfig.builder()
                .threshold(threshold)
                .warmUpSamples(warmUpSamples)
                .minRelativeDeviation(minRelativeDeviation)
                .minAbsoluteDeviation(minLines)
                .minConsecutive(2)
                .quietSamples(2)
                .direction(DirectionFilter.BOTH)
                .build();
    }
}
