package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** Every correlator setting is a sift.correlate.* option, defaults equal the correlator's, errors name the key. */
class CorrelationSettingsTest {

    private static final List<ConfigOption<?>> CORRELATE_OPTIONS = List.of(SiftOptions.CORRELATE_GAP,
            SiftOptions.CORRELATE_MAX_HOPS, SiftOptions.CORRELATE_QUIET, SiftOptions.CORRELATE_REOPEN,
            SiftOptions.CHANGE_LOOKBACK, SiftOptions.CORRELATE_LINK_GAP, SiftOptions.CORRELATE_ONSET_TOLERANCE,
            SiftOptions.CORRELATE_MERGE_WINDOW, SiftOptions.CORRELATE_MAX_ANOMALY_REFS, SiftOptions.CORRELATE_MAX_HINTS,
            SiftOptions.CORRELATE_FLAP_COUNT, SiftOptions.CORRELATE_FLAP_WINDOW, SiftOptions.CORRELATE_FLAP_QUIET,
            SiftOptions.CORRELATE_GROUP_BY, SiftOptions.CORRELATE_RULES, SiftOptions.CORRELATE_STANDING_AFTER,
            SiftOptions.CORRELATE_OPEN_ON_HARMLESS, SiftOptions.CORRELATE_CO_ONSET, SiftOptions.CORRELATE_RANK_WEIGHTS);

    @Test
    void theDefaultsAreTheCorrelatorsOwn() {
        CorrelationConfig fromOptions = SiftSettings.defaults().correlation;
        CorrelationConfig own = CorrelationConfig.defaults();
        assertEquals(own.defaultEnvironment, fromOptions.defaultEnvironment);
        assertEquals(own.gapMillis, fromOptions.gapMillis);
        assertEquals(own.linkGapMillis, fromOptions.linkGapMillis);
        assertEquals(own.onsetToleranceMillis, fromOptions.onsetToleranceMillis);
        assertEquals(own.mergeWindowMillis, fromOptions.mergeWindowMillis);
        assertEquals(own.maxHops, fromOptions.maxHops);
        assertEquals(own.quietMillis, fromOptions.quietMillis);
        assertEquals(own.reopenMillis, fromOptions.reopenMillis);
        assertEquals(own.changeLookbackMillis, fromOptions.changeLookbackMillis);
        assertEquals(own.maxAnomalyRefs, fromOptions.maxAnomalyRefs);
        assertEquals(own.maxHints, fromOptions.maxHints);
        assertEquals(own.flapCount, fromOptions.flapCount);
        assertEquals(own.standingAfterMillis, fromOptions.standingAfterMillis);
        assertEquals(own.openOnHarmless, fromOptions.openOnHarmless);
        assertEquals(own.coOnsetMillis, fromOptions.coOnsetMillis);
        assertEquals(own.flapWindowMillis, fromOptions.flapWindowMillis);
        assertEquals(own.flapQuietMillis, fromOptions.flapQuietMillis);
        assertTrue(fromOptions.grouping.isEmpty(), "no grouping rules unless configured");
        assertEquals(own.ranker.toString(), fromOptions.ranker.toString());
    }

    @Test
    void everySettingIsListedDescribedAndReachesTheCorrelator() throws Exception {
        for (ConfigOption<?> option : CORRELATE_OPTIONS) {
            assertTrue(OptionsCatalog.keys().contains(option.key()), option.key() + " is listed by ./sift options");
            assertTrue(option.key().startsWith("sift.correlate."), option.key());
            assertTrue(option.description().toString().length() > 40, option.key() + " is described");
        }
        Configuration conf = SiftSettings.load(null, Map.ofEntries(
                Map.entry("sift.correlate.link-gap", "45 s"),
                Map.entry("sift.correlate.onset-tolerance", "2 min"),
                Map.entry("sift.correlate.merge-window", "90 s"),
                Map.entry("sift.correlate.max-anomaly-refs", "7"),
                Map.entry("sift.correlate.max-hints", "5"),
                Map.entry("sift.correlate.flap-count", "4"),
                Map.entry("sift.correlate.flap-window", "2 h"),
                Map.entry("sift.correlate.quiet-period", "5 min"),
                Map.entry("sift.correlate.flap-quiet-period", "20 min"),
                Map.entry("sift.correlate.group-by", "cluster"),
                Map.entry("sift.correlate.open-on-harmless", "true"),
                Map.entry("sift.correlate.co-onset", "2 min"),
                Map.entry("sift.correlate.rank-weights", "onset=0.4, change=0"),
                Map.entry("sift.correlate.rules", "db: match=metric:db.* group-by=host window=3m")));
        CorrelationConfig config = new SiftSettings(conf).correlation;
        assertEquals(45_000, config.linkGapMillis);
        assertEquals(120_000, config.onsetToleranceMillis);
        assertEquals(90_000, config.mergeWindowMillis);
        assertEquals(7, config.maxAnomalyRefs);
        assertEquals(5, config.maxHints);
        assertEquals(4, config.flapCount);
        assertEquals(Duration.ofHours(2).toMillis(), config.flapWindowMillis);
        assertEquals(Duration.ofMinutes(20).toMillis(), config.flapQuietMillis);
        assertTrue(config.openOnHarmless);
        assertEquals(120_000, config.coOnsetMillis);
        assertEquals(0.4, config.ranker.onsetWeight);
        assertEquals(0.0, config.ranker.changeWeight);
        assertEquals(io.sift.core.correlate.RankerSettings.DEFAULT_WALK_WEIGHT, config.ranker.walkWeight, "not named: default");
        assertEquals(2, config.grouping.rules().size());
        assertEquals("group-by", config.grouping.rules().get(0).name);
        assertEquals(List.of("host"), config.grouping.rules().get(1).groupBy);
        assertEquals(180_000, config.grouping.rules().get(1).windowMillis);

        CorrelationConfig shorterQuiet = new SiftSettings(SiftSettings.load(null,
                Map.of("sift.correlate.quiet-period", "4 min"))).correlation;
        assertEquals(Duration.ofMinutes(12).toMillis(), shorterQuiet.flapQuietMillis,
                "no flap quiet set: three times the quiet period");
    }

    @Test
    void refusedValuesNameTheirSettingAndSayWhatToWrite() {
        assertRefused(Map.of("sift.correlate.flap-count", "0"), "sift.correlate.flap-count: flapCount must be at least 1");
        assertRefused(Map.of("sift.correlate.max-hints", "0"), "sift.correlate.max-hints: ");
        assertRefused(Map.of("sift.correlate.max-anomaly-refs", "0"), "sift.correlate.max-anomaly-refs: ");
        assertRefused(Map.of("sift.correlate.flap-window", "0 s"), "sift.correlate.flap-window: ");
        assertRefused(Map.of("sift.correlate.max-hops", "-1"), "sift.correlate.max-hops: maxHops must be 0");
        assertRefused(Map.of("sift.correlate.quiet-period", "10 min", "sift.correlate.flap-quiet-period", "5 min"),
                "sift.correlate.flap-quiet-period: flapQuiet must be at least the quiet period");
        assertRefused(Map.of("sift.correlate.rank-weights", "walk=-1"), "sift.correlate.rank-weights: ranker weights");
        assertRefused(Map.of("sift.correlate.rank-weights", "luck=1"), "sift.correlate.rank-weights: ranker weight 'luck=1'");
        assertRefused(Map.of("sift.correlate.group-by", "cluster,,cluster"),
                "sift.correlate.group-by: rule 'group-by' names an attribute twice");
        assertRefused(Map.of("sift.correlate.rules", "db group-by=cluster"),
                "sift.correlate.rules: grouping rule 1 'db group-by=cluster': start with the rule's name");
        assertRefused(Map.of("sift.correlate.group-by", "cluster", "sift.correlate.rules", "group-by: group-by=host"),
                "sift.correlate.rules: two grouping rules are named 'group-by'");
    }

    private static void assertRefused(Map<String, String> overrides, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SiftSettings(SiftSettings.load(null, overrides)));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + e.getMessage());
    }
}
