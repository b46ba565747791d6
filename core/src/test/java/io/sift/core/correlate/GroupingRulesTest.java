package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing, validation and group keys of the user's grouping rules. */
class GroupingRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    static Anomaly anomaly(String service, String metric, String host, Map<String, String> labels) {
        return Anomaly.newBuilder().setId("a-" + service + "-" + metric).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey(metric + "|" + service).setMetric(metric)
                .setResource(Resource.newBuilder().setService(service).setHost(host).build()).setLabels(labels)
                .setOnset(T0).setTime(T0).setObserved(2).setExpected(1).setLowerBound(0).setUpperBound(1.5)
                .setDeviation(8).setDirection(Direction.UP).setScore(80).build();
    }

    @Test
    void theShorthandGroupsEveryAnomalyByTheListedAttributesInOrder() {
        GroupingRules rules = GroupingRules.groupBy(" cluster , region ");
        assertEquals(1, rules.rules().size());
        assertEquals(List.of("cluster", "region"), rules.rules().get(0).groupBy);
        assertEquals(List.of("group-by{cluster=eu-1,region=west}"),
                rules.keysOf(anomaly("orders", "latency", null, Map.of("region", "west", "cluster", "eu-1"))));
        assertTrue(GroupingRules.groupBy("  ").isEmpty(), "blank: no rule");
        assertTrue(GroupingRules.groupBy(null).isEmpty());
    }

    @Test
    void anAnomalyLackingAnAttributeIsNotGroupedByThatRule() {
        GroupingRules rules = GroupingRules.groupBy("cluster,region");
        assertEquals(List.of(), rules.keysOf(anomaly("orders", "latency", null, Map.of("cluster", "eu-1"))));
        assertEquals(List.of(), rules.keysOf(anomaly("orders", "latency", null,
                Map.of("cluster", "eu-1", "region", " "))), "a blank value is no value");
    }

    @Test
    void rulesParseWithMatchesWindowsAndResourceAttributes() {
        GroupingRules rules = GroupingRules.parse(
                "db-cluster: match=metric:db.*,service:*-db group-by=cluster window=5m ;; by-host: group-by=host");
        assertEquals(2, rules.rules().size());
        GroupingRule db = rules.rules().get(0);
        assertEquals("db-cluster", db.name);
        assertEquals(Map.of("metric", "db.*", "service", "*-db"), db.match);
        assertEquals(5 * 60_000, db.windowMillis);
        assertEquals(5 * 60_000, db.windowMillis(600_000));
        assertEquals(600_000, rules.rules().get(1).windowMillis(600_000), "no window: the correlation gap");

        Anomaly dbAnomaly = anomaly("orders-db", "db.latency", "node-7", Map.of("cluster", "eu-1"));
        assertEquals(List.of("db-cluster{cluster=eu-1}", "by-host{host=node-7}"), rules.keysOf(dbAnomaly));
        Anomaly otherMetric = anomaly("orders-db", "latency", "node-7", Map.of("cluster", "eu-1"));
        assertEquals(List.of("by-host{host=node-7}"), rules.keysOf(otherMetric), "match limits the rule");
        Anomaly otherService = anomaly("orders", "db.latency", null, Map.of("cluster", "eu-1"));
        assertEquals(List.of(), rules.keysOf(otherService), "every matcher must match; no host, no by-host key");
    }

    @Test
    void globsAreLiteralExceptTheStar() {
        GroupingRules rules = GroupingRules.parse("r: match=metric:db.* group-by=cluster");
        assertNull(rules.rules().get(0).keyOf(anomaly("a", "dbxlatency", null, Map.of("cluster", "c"))),
                "'.' is a dot, not any character");
        assertEquals("r{cluster=c}", rules.rules().get(0).keyOf(anomaly("a", "db.", null, Map.of("cluster", "c"))));
    }

    @Test
    void aLabelWithAReservedNameIsReachedWithTheLabelPrefix() {
        GroupingRules rules = GroupingRules.parse("r: group-by=label.service");
        assertEquals(List.of("r{label.service=shared}"),
                rules.keysOf(anomaly("orders", "latency", null, Map.of("service", "shared"))));
        assertEquals(List.of("x{signal=METRIC,detector=robust-baseline}"), GroupingRules
                .parse("x: group-by=signal,detector").keysOf(anomaly("a", "m", null, Map.of())));
    }

    @Test
    void malformedRulesSayWhatToWrite() {
        assertMessage("start with the rule's name", "group-by=cluster");
        assertMessage("missing group-by", "r: match=metric:db.*");
        assertMessage("unknown field 'groupby'", "r: groupby=cluster");
        assertMessage("must be <attribute>:<glob>", "r: group-by=cluster match=metric");
        assertMessage("duration 'soon'", "r: group-by=cluster window=soon");
        assertMessage("window must be positive", "r: group-by=cluster window=0s");
        assertMessage("needs a value", "r: group-by=");
        assertMessage("two grouping rules are named 'r'", "r: group-by=a; r: group-by=b");
        assertMessage("rule name 'bad name'", "bad name: group-by=a");
        assertMessage("names an attribute twice", "r: group-by=a,a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupingRules.parse("r: group-by=cluster; s: window=1m"));
        assertTrue(e.getMessage().startsWith("grouping rule 2 's: window=1m': "), e.getMessage());
        assertTrue(e.getMessage().contains("expected '<name>: group-by="), "the syntax to write: " + e.getMessage());
    }

    @Test
    void theShorthandAndRulesCombineButNotUnderOneName() {
        GroupingRules both = GroupingRules.groupBy("cluster").and(GroupingRules.parse("db: group-by=host"));
        assertEquals(2, both.rules().size());
        assertThrows(IllegalArgumentException.class,
                () -> GroupingRules.groupBy("cluster").and(GroupingRules.parse("group-by: group-by=host")));
    }

    private static void assertMessage(String expected, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupingRules.parse(text));
        assertTrue(e.getMessage().contains(expected), "'" + text + "' → " + e.getMessage());
    }
}
