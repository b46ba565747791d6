package io.sift.jobs;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.GroupingRules;
import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.DetectionConfig;
import io.sift.core.detect.DetectorConfig;
import io.sift.core.detect.DirectionFilter;
import io.sift.core.detect.GapPolicy;
import io.sift.core.detect.RuleSet;
import io.sift.core.detect.SloRule;
import io.sift.core.detect.ThresholdRule;
import io.sift.core.logs.LogMetrics;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/** The job's settings, read once from a Flink configuration into the plain-Java configs of sift-core. */
public final class SiftSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    public final Configuration configuration;
    public final BaselineConfig baseline;
    /** Per-metric detector settings that differ from {@link #baseline}. */
    public final Map<String, BaselineConfig> baselineByMetric;
    public final CorrelationConfig correlation;
    /** Which detectors run on which metric, with the gap policy, warm-up and series cap (sift.detect.*). */
    public final DetectionConfig detection;

    /** Service health: KPI weights and dependency impact (sift.health.*). */
    public final io.sift.core.health.HealthModel health;

    public SiftSettings(Configuration configuration) {
        this.configuration = configuration;
        this.baseline = BaselineConfig.builder()
                .threshold(configuration.get(SiftOptions.DETECT_THRESHOLD))
                .warmUpSamples(configuration.get(SiftOptions.DETECT_WARM_UP))
                .minRelativeDeviation(configuration.get(SiftOptions.DETECT_MIN_RELATIVE))
                .levelShiftAdoptMillis(configuration.get(SiftOptions.DETECT_LEVEL_SHIFT_ADOPT).toMillis())
                .build();
        Map<String, BaselineConfig> byMetric = new HashMap<>();
        // Error counts are small integers: only a rise by a few lines a window means something.
        byMetric.put(LogMetrics.LOG_ERROR_METRIC, BaselineConfig.builder()
                .threshold(configuration.get(SiftOptions.DETECT_THRESHOLD))
                .warmUpSamples(Math.max(5, configuration.get(SiftOptions.DETECT_WARM_UP) / 4))
                .minRelativeDeviation(configuration.get(SiftOptions.DETECT_MIN_RELATIVE))
                .minAbsoluteDeviation(configuration.get(SiftOptions.LOG_MIN_ERRORS))
                .minConsecutive(1)
                .quietSamples(2)
                .direction(DirectionFilter.UP)
                .levelShiftAdoptMillis(configuration.get(SiftOptions.DETECT_LEVEL_SHIFT_ADOPT).toMillis())
                .build());
        this.baselineByMetric = Map.copyOf(byMetric);
        Map<String, List<String>> detectorsByMetric = new HashMap<>();
        configuration.get(SiftOptions.DETECT_DETECTORS_BY_METRIC)
                .forEach((metric, names) -> detectorsByMetric.put(metric, DetectionConfig.parse(names)));
        DetectorConfig model = DetectorConfig.builder()
                .warmUpSamples(configuration.get(SiftOptions.DETECT_MODEL_WARM_UP))
                .quickWarmUpSamples(configuration.get(SiftOptions.DETECT_QUICK_WARM_UP))
                .quickWarmUpSigmas(configuration.get(SiftOptions.DETECT_QUICK_WARM_UP_SIGMAS))
                .forestTrees(configuration.get(SiftOptions.DETECT_RCF_TREES))
                .forestSampleSize(configuration.get(SiftOptions.DETECT_RCF_SAMPLE_SIZE))
                // Episodes (open, rescore, end after quiet samples) come from the episode rules, not a refractory time.
                .refractorySamples(0)
                .build();
        this.detection = new DetectionConfig(DetectionConfig.parse(configuration.get(SiftOptions.DETECT_DETECTORS)),
                detectorsByMetric, baseline, baselineByMetric, model,
                GapPolicy.parse(configuration.get(SiftOptions.DETECT_GAP_POLICY)),
                configuration.get(SiftOptions.DETECT_GAP_MAX_FILL), configuration.get(SiftOptions.DETECT_MAX_SERIES))
                .withRules(rules(configuration));
        try {
            this.health = new io.sift.core.health.HealthModel(
                    io.sift.core.health.HealthModel.parseWeights(configuration.get(SiftOptions.HEALTH_WEIGHTS)),
                    configuration.get(SiftOptions.HEALTH_DEPENDENCY_IMPACT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SiftOptions.HEALTH_WEIGHTS.key() + " / "
                    + SiftOptions.HEALTH_DEPENDENCY_IMPACT.key() + ": " + e.getMessage(), e);
        }
        for (java.time.Duration w : configuration.get(SiftOptions.HEALTH_WINDOWS)) {
            if (w.toMillis() < 1000 || w.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException(SiftOptions.HEALTH_WINDOWS.key() + ": windows are whole seconds,"
                        + " at least one, e.g. '1 min;5 min'; got " + w);
            }
        }
        this.correlation = correlation(configuration);
    }

    private static io.sift.core.correlate.RankerSettings rankerSettings(Configuration configuration) {
        try {
            return io.sift.core.correlate.RankerSettings.defaults()
                    .weights(configuration.get(SiftOptions.CORRELATE_RANK_WEIGHTS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SiftOptions.CORRELATE_RANK_WEIGHTS.key() + ": " + e.getMessage(), e);
        }
    }

    /** The correlator's settings; a refused value is reported under its setting's key. */
    static CorrelationConfig correlation(Configuration configuration) {
        CorrelationConfig.Builder builder = CorrelationConfig.builder()
                .defaultEnvironment(configuration.get(SiftOptions.DEFAULT_ENVIRONMENT))
                .gap(configuration.get(SiftOptions.CORRELATE_GAP))
                .maxHops(configuration.get(SiftOptions.CORRELATE_MAX_HOPS))
                .quiet(configuration.get(SiftOptions.CORRELATE_QUIET))
                .reopen(configuration.get(SiftOptions.CORRELATE_REOPEN))
                .changeLookback(configuration.get(SiftOptions.CHANGE_LOOKBACK))
                .linkGap(configuration.get(SiftOptions.CORRELATE_LINK_GAP))
                .onsetTolerance(configuration.get(SiftOptions.CORRELATE_ONSET_TOLERANCE))
                .mergeWindow(configuration.get(SiftOptions.CORRELATE_MERGE_WINDOW))
                .standingAfter(configuration.get(SiftOptions.CORRELATE_STANDING_AFTER))
                .openOnHarmless(configuration.get(SiftOptions.CORRELATE_OPEN_ON_HARMLESS))
                .coOnset(configuration.get(SiftOptions.CORRELATE_CO_ONSET))
                .maxAnomalyRefs(configuration.get(SiftOptions.CORRELATE_MAX_ANOMALY_REFS))
                .maxHints(configuration.get(SiftOptions.CORRELATE_MAX_HINTS))
                .flapCount(configuration.get(SiftOptions.CORRELATE_FLAP_COUNT))
                .flapWindow(configuration.get(SiftOptions.CORRELATE_FLAP_WINDOW))
                .flapQuiet(configuration.getOptional(SiftOptions.CORRELATE_FLAP_QUIET).orElse(null))
                .grouping(grouping(configuration))
                .maintenance(MaintenanceOptions.windows(configuration))
                .ranker(rankerSettings(configuration));
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // The builder names its own fields (e.g. 'flapCount must be at least 1'): say which setting that is.
            String field = e.getMessage().split("[ :]", 2)[0];
            ConfigOption<?> option = CORRELATION_OPTIONS.get(field);
            throw option == null ? e : new IllegalArgumentException(option.key() + ": " + e.getMessage(), e);
        }
    }

    /** Builder field of CorrelationConfig → the option that sets it. */
    private static final Map<String, ConfigOption<?>> CORRELATION_OPTIONS = Map.ofEntries(
            Map.entry("defaultEnvironment", SiftOptions.DEFAULT_ENVIRONMENT),
            Map.entry("gap", SiftOptions.CORRELATE_GAP),
            Map.entry("linkGap", SiftOptions.CORRELATE_LINK_GAP),
            Map.entry("onsetTolerance", SiftOptions.CORRELATE_ONSET_TOLERANCE),
            Map.entry("mergeWindow", SiftOptions.CORRELATE_MERGE_WINDOW),
            Map.entry("standingAfter", SiftOptions.CORRELATE_STANDING_AFTER),
            Map.entry("coOnset", SiftOptions.CORRELATE_CO_ONSET),
            Map.entry("maxHops", SiftOptions.CORRELATE_MAX_HOPS),
            Map.entry("quiet", SiftOptions.CORRELATE_QUIET),
            Map.entry("reopen", SiftOptions.CORRELATE_REOPEN),
            Map.entry("changeLookback", SiftOptions.CHANGE_LOOKBACK),
            Map.entry("maxAnomalyRefs", SiftOptions.CORRELATE_MAX_ANOMALY_REFS),
            Map.entry("maxHints", SiftOptions.CORRELATE_MAX_HINTS),
            Map.entry("flapCount", SiftOptions.CORRELATE_FLAP_COUNT),
            Map.entry("flapWindow", SiftOptions.CORRELATE_FLAP_WINDOW),
            Map.entry("flapQuiet", SiftOptions.CORRELATE_FLAP_QUIET));

    /** The grouping rules of sift.correlate.group-by and sift.correlate.rules, refused with the syntax when malformed. */
    static GroupingRules grouping(Configuration configuration) {
        GroupingRules groupBy;
        try {
            groupBy = GroupingRules.groupBy(configuration.get(SiftOptions.CORRELATE_GROUP_BY));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SiftOptions.CORRELATE_GROUP_BY.key() + ": " + e.getMessage()
                    + "; expected attributes separated by ',', e.g. 'cluster,region'", e);
        }
        try {
            return groupBy.and(GroupingRules.parse(configuration.get(SiftOptions.CORRELATE_RULES)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SiftOptions.CORRELATE_RULES.key() + ": " + e.getMessage(), e);
        }
    }

    /** The static thresholds and SLOs, refused with the syntax to write when malformed. */
    static RuleSet rules(Configuration configuration) {
        List<ThresholdRule> thresholds;
        try {
            thresholds = ThresholdRule.parseAll(configuration.get(SiftOptions.DETECT_THRESHOLDS));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SiftOptions.DETECT_THRESHOLDS.key() + ": " + e.getMessage(), e);
        }
        List<SloRule> slos;
        try {
            slos = SloRule.parseAll(configuration.get(SiftOptions.SLO_OBJECTIVES));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SiftOptions.SLO_OBJECTIVES.key() + ": " + e.getMessage(), e);
        }
        return new RuleSet(thresholds, slos);
    }

    public static SiftSettings defaults() {
        return new SiftSettings(new Configuration());
    }

    /**
     * Reads {@code key: value} lines (YAML-style flat keys; '#' starts a comment) and then the overrides, and
     * rejects keys that no option declares, so a typo is not silently ignored.
     */
    public static Configuration load(Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'key: value', got '" + line + "'");
                }
                values.put(line.substring(0, colon).strip(), unquote(line.substring(colon + 1).strip()));
            }
        }
        values.putAll(overrides);
        java.util.Set<String> known = OptionsCatalog.keys();
        for (String key : values.keySet()) {
            if (key.startsWith("sift.") && !known.contains(key)) {
                throw new IllegalArgumentException("unknown setting '" + key + "'; known settings: " + known);
            }
        }
        return Configuration.fromMap(values);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
