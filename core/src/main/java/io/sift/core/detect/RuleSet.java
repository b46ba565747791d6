package io.sift.core.detect;

import io.sift.core.util.StableIds;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.MetricPoint;
import io.sift.schema.SignalType;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The configured rules, evaluated on a series alongside whatever adaptive detector runs on it, each with its own
 * episodes (one anomaly per episode, rising versions, end):
 *
 * <ul>
 *   <li>{@link ThresholdRule static thresholds} (detector {@value ThresholdRule#DETECTOR}): an episode opens once
 *       the value has breached the threshold for the rule's 'for' duration (onset: the first breaching sample), a
 *       new version follows when the score rises by {@value #RESCORE_STEP}, and the first sample back within the
 *       threshold ends it;</li>
 *   <li>{@link SloRule SLO burn-rate alerts} (detector {@value SloRule#DETECTOR}): an episode opens when a
 *       multi-window condition holds and ends when none does; its labels say which (slo, slo.objective,
 *       slo.severity, slo.windows, slo.burn.long, slo.burn.short, slo.budget.consumed).</li>
 * </ul>
 *
 * A silent series ends its open episodes at its last sample ({@link #onSilence}).
 */
public final class RuleSet implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final RuleSet NONE = new RuleSet(List.of(), List.of());
    /** Score rise that emits a new version of an open episode. */
    public static final double RESCORE_STEP = 5.0;

    public final List<ThresholdRule> thresholds;
    public final List<SloRule> slos;
    private final Map<String, Boolean> metrics = new HashMap<>();
    /** The keys of this configuration's rules in {@link RuleState} (threshold texts, SLO names). */
    private final java.util.Set<String> thresholdKeys = new java.util.HashSet<>();
    private final java.util.Set<String> sloKeys = new java.util.HashSet<>();

    public RuleSet(List<ThresholdRule> thresholds, List<SloRule> slos) {
        this.thresholds = List.copyOf(thresholds);
        this.slos = List.copyOf(slos);
        for (ThresholdRule t : thresholds) {
            metrics.put(t.metric, true);
            thresholdKeys.add(t.text);
        }
        for (SloRule s : slos) {
            metrics.put(s.metric, true);
            sloKeys.add(s.name);
        }
    }

    /** Parses the option texts (see {@link ThresholdRule} and {@link SloRule} for the grammar). */
    public static RuleSet parse(String thresholds, String slos) {
        return new RuleSet(ThresholdRule.parseAll(thresholds), SloRule.parseAll(slos));
    }

    public boolean isEmpty() {
        return thresholds.isEmpty() && slos.isEmpty();
    }

    /** Whether any rule watches the series of this point (a cheap test by metric name first). */
    public boolean watches(MetricPoint point) {
        if (!metrics.containsKey(point.getName())) {
            return false;
        }
        return thresholds.stream().anyMatch(t -> t.matches(point)) || slos.stream().anyMatch(s -> s.matches(point));
    }

    /** Evaluates one sample of the series; samples not newer than the latest one are ignored. */
    public void onSample(RuleState state, String seriesKey, MetricPoint point, Consumer<Anomaly> out) {
        long time = point.getTime().toEpochMilli();
        if (time <= state.lastSeen) {
            return;
        }
        state.lastSeen = time;
        reconcile(state, point, point.getTime(), out);
        double value = point.getValue();
        for (ThresholdRule rule : thresholds) {
            if (rule.matches(point)) {
                threshold(rule, state.thresholds.computeIfAbsent(rule.text, k -> new RuleState.Threshold()),
                        seriesKey, point, time, value, out);
            }
        }
        for (SloRule rule : slos) {
            if (rule.matches(point)) {
                slo(rule, state.slos.computeIfAbsent(rule.name, k -> new RuleState.Slo()), seriesKey, point, time,
                        value, out);
            }
        }
    }

    /**
     * State of rules this configuration no longer has (a restore after the thresholds or SLOs changed): an SLO whose
     * objective changed keeps its burn-rate windows (they hold the series' error ratios, whatever the objective), an
     * open episode of a changed or removed rule ends at this sample (the rule that kept it open is gone), and the
     * rest of a removed rule's state is dropped. A changed threshold starts its breach afresh.
     */
    private void reconcile(RuleState state, MetricPoint point, Instant end, Consumer<Anomaly> out) {
        if (isCurrent(state)) {
            return;
        }
        for (SloRule rule : slos) {
            if (point != null && rule.matches(point) && !state.slos.containsKey(rule.name)) {
                String series = rule.service + ":" + rule.metric;
                String former = state.slos.keySet().stream()
                        .filter(k -> !sloKeys.contains(k) && k.lastIndexOf(':') > 0
                                && k.substring(0, k.lastIndexOf(':')).equals(series))
                        .findFirst().orElse(null);
                if (former != null) {
                    RuleState.Slo old = state.slos.remove(former);
                    if (old.episode != null) {
                        out.accept(close(old.episode, end));
                    }
                    state.slos.put(rule.name, new RuleState.Slo(old.windows));
                }
            }
        }
        for (var it = state.thresholds.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!thresholdKeys.contains(e.getKey())) {
                if (e.getValue().episode != null) {
                    out.accept(close(e.getValue().episode, end));
                }
                it.remove();
            }
        }
        for (var it = state.slos.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!sloKeys.contains(e.getKey())) {
                if (e.getValue().episode != null) {
                    out.accept(close(e.getValue().episode, end));
                }
                it.remove();
            }
        }
    }

    /** Whether all of the state belongs to rules of this configuration. */
    public boolean isCurrent(RuleState state) {
        return thresholdKeys.containsAll(state.thresholds.keySet()) && sloKeys.containsAll(state.slos.keySet());
    }

    /**
     * Ends the open episodes of rules this configuration no longer has at the series' last sample and drops their
     * state (for a series that no rule of this configuration watches any more, so {@link #onSample} never sees it).
     */
    public void retire(RuleState state, Consumer<Anomaly> out) {
        reconcile(state, null, Instant.ofEpochMilli(state.lastSeen), out);
    }

    /** The series fell silent: ends the open episodes at its last sample. */
    public void onSilence(RuleState state, Consumer<Anomaly> out) {
        Instant end = Instant.ofEpochMilli(state.lastSeen);
        for (RuleState.Threshold t : state.thresholds.values()) {
            t.breachSince = -1;
            if (t.episode != null) {
                out.accept(close(t.episode, end));
                t.episode = null;
            }
        }
        for (RuleState.Slo s : state.slos.values()) {
            if (s.episode != null) {
                out.accept(close(s.episode, end));
                s.episode = null;
            }
        }
    }

    private static void threshold(ThresholdRule rule, RuleState.Threshold t, String seriesKey, MetricPoint point,
            long time, double value, Consumer<Anomaly> out) {
        if (!rule.breached(value)) {
            t.breachSince = -1;
            if (t.episode != null) {
                out.accept(close(t.episode, point.getTime()));
                t.episode = null;
            }
            return;
        }
        if (t.breachSince < 0) {
            t.breachSince = time;
        }
        double score = rule.score(value);
        double scale = rule.threshold == 0.0 ? 1.0 : Math.abs(rule.threshold);
        double deviation = (value - rule.threshold) / scale;
        if (t.episode == null) {
            if (time - t.breachSince < rule.forMillis) {
                return;
            }
            Map<String, String> labels = new HashMap<>(labelsOf(point));
            labels.put("threshold.rule", rule.text);
            t.episode = Anomaly.newBuilder()
                    .setId(StableIds.of("anom", seriesKey, ThresholdRule.DETECTOR + " " + rule.text,
                            Long.toString(t.breachSince)))
                    .setVersion(1)
                    .setSignal(SignalType.METRIC)
                    .setDetector(ThresholdRule.DETECTOR)
                    .setSeriesKey(seriesKey)
                    .setMetric(point.getName())
                    .setResource(point.getResource())
                    .setLabels(labels)
                    .setOnset(Instant.ofEpochMilli(t.breachSince))
                    .setTime(point.getTime())
                    .setEnd(null)
                    .setObserved(value)
                    .setExpected(rule.threshold)
                    .setLowerBound(rule.direction() == Direction.UP ? Math.min(0.0, rule.threshold) : rule.threshold)
                    .setUpperBound(rule.direction() == Direction.UP ? rule.threshold : Math.max(0.0, rule.threshold))
                    .setDeviation(deviation)
                    .setDirection(rule.direction())
                    .setScore(score)
                    .setSamples(1)
                    .build();
            out.accept(Anomaly.newBuilder(t.episode).build());
            return;
        }
        rescore(t.episode, point, score, value, deviation, null, out);
    }

    private void slo(SloRule rule, RuleState.Slo s, String seriesKey, MetricPoint point, long time, double value,
            Consumer<Anomaly> out) {
        s.windows.add(time, value);
        SloRule.Firing f = SloRule.firing(minutes -> rule.burnRate(s.windows.ratio(minutes)));
        if (f == null) {
            if (s.episode != null) {
                out.accept(close(s.episode, point.getTime()));
                s.episode = null;
            }
            return;
        }
        SloRule.Condition firing = f.condition();
        double score = f.score();
        double longBurn = f.longBurn();
        double shortBurn = f.shortBurn();
        Map<String, String> labels = new HashMap<>(labelsOf(point));
        labels.put("slo", rule.name);
        labels.put("slo.objective", SloRule.percent(rule.objective));
        labels.put("slo.severity", firing.severity());
        labels.put("slo.windows", firing.windows());
        labels.put("slo.burn.long", format(longBurn));
        labels.put("slo.burn.short", format(shortBurn));
        labels.put("slo.budget.consumed",
                format(100.0 * rule.budgetSpent(longBurn, firing.longMinutes())) + "%");
        labels.put("slo.window", rule.windowText());
        double ratio = s.windows.ratio(firing.longMinutes());
        if (s.episode == null) {
            s.episode = Anomaly.newBuilder()
                    .setId(StableIds.of("anom", seriesKey, SloRule.DETECTOR + " " + rule.name, Long.toString(time)))
                    .setVersion(1)
                    .setSignal(SignalType.METRIC)
                    .setDetector(SloRule.DETECTOR)
                    .setSeriesKey(seriesKey)
                    .setMetric(point.getName())
                    .setResource(point.getResource())
                    .setLabels(labels)
                    .setOnset(point.getTime())
                    .setTime(point.getTime())
                    .setEnd(null)
                    .setObserved(ratio)
                    .setExpected(rule.budget())
                    .setLowerBound(0.0)
                    .setUpperBound(firing.burnRate() * rule.budget())
                    .setDeviation(longBurn)
                    .setDirection(Direction.UP)
                    .setScore(score)
                    .setSamples(1)
                    .build();
            out.accept(Anomaly.newBuilder(s.episode).build());
            return;
        }
        if (score >= s.episode.getScore() + RESCORE_STEP) {
            s.episode.setUpperBound(firing.burnRate() * rule.budget());
        }
        rescore(s.episode, point, score, ratio, longBurn, labels, out);
    }

    /** A further breaching sample of an open episode: a new version when the score rose enough. */
    private static void rescore(Anomaly episode, MetricPoint point, double score, double observed, double deviation,
            Map<String, String> labels, Consumer<Anomaly> out) {
        episode.setSamples(episode.getSamples() + 1);
        episode.setTime(point.getTime());
        if (score >= episode.getScore() + RESCORE_STEP) {
            episode.setVersion(episode.getVersion() + 1);
            episode.setScore(score);
            episode.setObserved(observed);
            episode.setDeviation(deviation);
            if (labels != null) {
                episode.setLabels(labels);
            }
            out.accept(Anomaly.newBuilder(episode).build());
        }
    }

    private static Anomaly close(Anomaly episode, Instant end) {
        return Anomaly.newBuilder(episode).setVersion(episode.getVersion() + 1).setEnd(end).build();
    }

    private static Map<String, String> labelsOf(MetricPoint point) {
        return point.getLabels() == null ? Map.of() : point.getLabels();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
