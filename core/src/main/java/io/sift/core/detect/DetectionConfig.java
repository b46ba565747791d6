package io.sift.core.detect;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which detectors run on which metric, and the per-series controls around them. Detector names:
 * <ul>
 *   <li>{@code robust-baseline}: the robust adaptive baseline ({@link RobustBaselineDetector}), cheapest; it
 *       cannot be combined with the others;</li>
 *   <li>{@code baseline}: the seasonal robust baseline of {@link MetricModel}, its residual scored;</li>
 *   <li>{@code rcf}: a shingled Random Cut Forest in {@link MetricModel} (about 30 k points/s per core and a few
 *       hundred KB per series: configure it only where it is worth it);</li>
 *   <li>{@code cusum}: CUSUM level-shift detection in {@link MetricModel}.</li>
 * </ul>
 * Combine with '+' (e.g. {@code baseline+cusum}); the largest calibrated score of a sample wins.
 */
public final class DetectionConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String ROBUST_BASELINE = RobustBaselineDetector.NAME;
    public static final String BASELINE = "baseline";
    public static final String RCF = "rcf";
    public static final String CUSUM = "cusum";
    public static final List<String> NAMES = List.of(ROBUST_BASELINE, BASELINE, RCF, CUSUM);

    /** Detectors of every metric without its own. */
    public final List<String> detectors;
    /** Detectors by metric name. */
    public final Map<String, List<String>> detectorsByMetric;
    /** Robust baseline and episode settings (minimum deviations, direction, episode rules) of every metric. */
    public final BaselineConfig baseline;
    public final Map<String, BaselineConfig> baselineByMetric;
    /** Settings of {@link MetricModel} (its detector switches are set from the detector names). */
    public final DetectorConfig model;
    public final GapPolicy gapPolicy;
    /** Most samples filled into one gap; a longer gap is filled this far and then skipped. */
    public final int maxGapFill;
    /** Most active series per metric name (per parallel instance); 0 means no cap. */
    public final int maxSeriesPerMetric;
    /** Static thresholds and SLO burn-rate rules, evaluated alongside the detectors (none by default). */
    public RuleSet rules = RuleSet.NONE;

    public DetectionConfig(List<String> detectors, Map<String, List<String>> detectorsByMetric, BaselineConfig baseline,
            Map<String, BaselineConfig> baselineByMetric, DetectorConfig model, GapPolicy gapPolicy, int maxGapFill,
            int maxSeriesPerMetric) {
        this.detectors = validate(detectors, "default");
        Map<String, List<String>> byMetric = new LinkedHashMap<>();
        detectorsByMetric.forEach((m, d) -> byMetric.put(m, validate(d, m)));
        this.detectorsByMetric = Map.copyOf(byMetric);
        this.baseline = baseline;
        this.baselineByMetric = Map.copyOf(baselineByMetric);
        this.model = model;
        this.gapPolicy = gapPolicy;
        this.maxGapFill = maxGapFill;
        this.maxSeriesPerMetric = maxSeriesPerMetric;
        if (maxGapFill < 0) {
            throw new IllegalArgumentException("maxGapFill must be 0 or more; got " + maxGapFill);
        }
        if (maxSeriesPerMetric < 0) {
            throw new IllegalArgumentException("maxSeriesPerMetric must be 0 (no cap) or more; got " + maxSeriesPerMetric);
        }
    }

    /** Only the robust baseline, with these settings (the behaviour before the metric model existed). */
    public static DetectionConfig robust(BaselineConfig baseline, Map<String, BaselineConfig> byMetric) {
        return new DetectionConfig(List.of(ROBUST_BASELINE), Map.of(), baseline, byMetric, DetectorConfig.defaults(),
                GapPolicy.SKIP, 0, 0);
    }

    /** This configuration with {@code baseline} for {@code metric}, unless the metric already has its own. */
    public DetectionConfig withBaselineIfAbsent(String metric, BaselineConfig forMetric) {
        if (baselineByMetric.containsKey(metric)) {
            return this;
        }
        Map<String, BaselineConfig> byMetric = new LinkedHashMap<>(baselineByMetric);
        byMetric.put(metric, forMetric);
        DetectionConfig c = new DetectionConfig(detectors, detectorsByMetric, baseline, byMetric, model, gapPolicy,
                maxGapFill, maxSeriesPerMetric);
        c.rules = rules;
        return c;
    }

    /** This configuration with these static thresholds and SLO rules. */
    public DetectionConfig withRules(RuleSet rules) {
        DetectionConfig c = new DetectionConfig(detectors, detectorsByMetric, baseline, baselineByMetric, model,
                gapPolicy, maxGapFill, maxSeriesPerMetric);
        c.rules = rules == null ? RuleSet.NONE : rules;
        return c;
    }

    public List<String> detectorsOf(String metric) {
        return detectorsByMetric.getOrDefault(metric, detectors);
    }

    public BaselineConfig baselineOf(String metric) {
        return baselineByMetric.getOrDefault(metric, baseline);
    }

    /** The detector of one metric's series. */
    public SeriesDetector detectorFor(String metric) {
        List<String> names = detectorsOf(metric);
        BaselineConfig b = baselineOf(metric);
        if (names.contains(ROBUST_BASELINE)) {
            return new SeriesDetector(names, b, null, gapPolicy, maxGapFill);
        }
        DetectorConfig m = model.toBuilder()
                .baselineScoring(names.contains(BASELINE))
                .randomCutForest(names.contains(RCF))
                .changePoint(names.contains(CUSUM))
                .direction(b.direction)
                .minAbsoluteDeviation(b.minAbsoluteDeviation)
                .minRelativeDeviation(b.minRelativeDeviation)
                .build();
        return new SeriesDetector(names, b, m, gapPolicy, maxGapFill);
    }

    /** Parses "baseline+rcf" (also "baseline,rcf"). */
    public static List<String> parse(String text) {
        List<String> names = new ArrayList<>();
        for (String part : text.split("[+,]")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !names.contains(name)) {
                names.add(name);
            }
        }
        return validate(names, text);
    }

    private static List<String> validate(List<String> names, String what) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no detector given for " + what + "; choose among " + NAMES);
        }
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown detector '" + name + "' for " + what + "; choose among "
                        + NAMES + " (combine with '+', e.g. baseline+cusum)");
            }
        }
        if (names.contains(ROBUST_BASELINE) && names.size() > 1) {
            throw new IllegalArgumentException(ROBUST_BASELINE + " cannot be combined (for " + what
                    + "); use baseline, rcf and cusum together instead");
        }
        return List.copyOf(names);
    }
}
