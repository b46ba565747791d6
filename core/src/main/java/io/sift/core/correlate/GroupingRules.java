package io.sift.core.correlate;

import io.sift.core.detect.ThresholdRule;
import io.sift.schema.Anomaly;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user's grouping rules (see {@link GroupingRule}), in order. Grammar of {@link #parse(String)} (rules separated
 * by ';', as Sift's other rule settings):
 *
 * <pre>
 *   rule      := name ':' field+            (fields separated by blanks, in any order)
 *   field     := 'group-by=' attribute (',' attribute)*         (required)
 *              | 'match=' attribute ':' glob (',' attribute ':' glob)*   (all must match; '*' any characters)
 *              | 'window=' duration        (ms, s, m, h or d; default: the correlation gap)
 *   attribute := service | host | instance | metric | signal | detector | label name | 'label.' label name
 * </pre>
 *
 * e.g. {@code db-cluster: match=metric:db.* group-by=cluster window=5m; k8s: group-by=cluster,namespace}.
 * {@link #groupBy(String)} reads the shorthand {@code cluster,region}: one rule named {@value #GROUP_BY_RULE} for
 * every anomaly, with the correlation gap as window.
 */
public final class GroupingRules implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Name of the rule made from the plain list of attributes ({@link #groupBy(String)}). */
    public static final String GROUP_BY_RULE = "group-by";

    public static final String SYNTAX = "'<name>: group-by=<attribute>[,<attribute>...] [match=<attribute>:<glob>"
            + "[,...]] [window=<duration>]' separated by ';', attributes being service, host, instance, metric, signal,"
            + " detector or a label name (e.g. 'db-cluster: match=metric:db.* group-by=cluster window=5m;"
            + " k8s: group-by=cluster,namespace')";

    private static final GroupingRules NONE = new GroupingRules(List.of());

    private final List<GroupingRule> rules;

    private GroupingRules(List<GroupingRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** No rules: anomalies are grouped by topology and time only. */
    public static GroupingRules none() {
        return NONE;
    }

    /** These rules, in order; names must be unique. */
    public static GroupingRules of(List<GroupingRule> rules) {
        Set<String> names = new HashSet<>();
        for (GroupingRule rule : rules) {
            if (!names.add(rule.name)) {
                throw new IllegalArgumentException("two grouping rules are named '" + rule.name
                        + "'; give each rule its own name");
            }
        }
        return rules.isEmpty() ? NONE : new GroupingRules(rules);
    }

    /** These rules followed by the other's (names must stay unique). */
    public GroupingRules and(GroupingRules other) {
        List<GroupingRule> all = new ArrayList<>(rules);
        all.addAll(other.rules);
        return of(all);
    }

    public List<GroupingRule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The shorthand: attributes separated by ',' (blank: no rule), e.g. {@code cluster,region}. */
    public static GroupingRules groupBy(String attributes) {
        if (attributes == null || attributes.isBlank()) {
            return NONE;
        }
        return of(List.of(new GroupingRule(GROUP_BY_RULE, attributes(attributes), Map.of(), -1)));
    }

    /** Parses rules separated by ';' (blank text: none); a malformed rule is refused with the syntax to write. */
    public static GroupingRules parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<GroupingRule> rules = new ArrayList<>();
        String[] parts = text.split(";");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            try {
                rules.add(parseRule(parts[i].strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("grouping rule " + (i + 1) + " '" + parts[i].strip() + "': "
                        + e.getMessage() + "; expected " + SYNTAX, e);
            }
        }
        return of(rules);
    }

    private static GroupingRule parseRule(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || text.substring(0, colon).contains("=")) {
            throw new IllegalArgumentException("start with the rule's name and ':', e.g. 'db-cluster: group-by=cluster'");
        }
        String name = text.substring(0, colon).strip();
        List<String> groupBy = null;
        Map<String, String> match = new LinkedHashMap<>();
        long window = -1;
        for (String field : text.substring(colon + 1).strip().split("\\s+")) {
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            String key = eq < 0 ? field : field.substring(0, eq);
            String value = eq < 0 ? "" : field.substring(eq + 1);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("'" + field + "' needs a value: write " + key + "=<value>");
            }
            switch (key) {
                case "group-by" -> {
                    if (groupBy != null) {
                        throw new IllegalArgumentException("group-by is given twice; list the attributes once,"
                                + " separated by ','");
                    }
                    groupBy = attributes(value);
                }
                case "match" -> {
                    for (String matcher : value.split(",")) {
                        int sep = matcher.indexOf(':');
                        if (sep <= 0 || sep == matcher.length() - 1) {
                            throw new IllegalArgumentException("match '" + matcher
                                    + "' must be <attribute>:<glob>, e.g. match=metric:db.*");
                        }
                        if (match.put(matcher.substring(0, sep), matcher.substring(sep + 1)) != null) {
                            throw new IllegalArgumentException("match names '" + matcher.substring(0, sep)
                                    + "' twice");
                        }
                    }
                }
                case "window" -> window = ThresholdRule.parseDuration(value);
                default -> throw new IllegalArgumentException("unknown field '" + key
                        + "'; a rule has group-by=, match= and window=");
            }
        }
        if (groupBy == null) {
            throw new IllegalArgumentException("missing group-by=<attribute>[,<attribute>...]");
        }
        if (window == 0) {
            throw new IllegalArgumentException("window must be positive, e.g. window=10m");
        }
        return new GroupingRule(name, groupBy, match, window);
    }

    private static List<String> attributes(String list) {
        List<String> attributes = new ArrayList<>();
        for (String attribute : list.split(",")) {
            if (!attribute.isBlank()) {
                attributes.add(attribute.strip());
            }
        }
        return attributes;
    }

    /** The group keys of an anomaly, one per rule that applies to it, in rule order (often none). */
    public List<String> keysOf(Anomaly anomaly) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(1);
        for (GroupingRule rule : rules) {
            String key = rule.keyOf(anomaly);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    /**
     * How closely a new anomaly with these group keys is grouped with an incident's anomalies: the smallest onset
     * difference to one that shares a key and overlaps it in time (it started no more than the rule's window after
     * that one ended, nor more than the window before that one started), or {@link Long#MAX_VALUE}.
     */
    long distance(List<AnomalyEntry> entries, List<String> keys, long onset, long gapMillis) {
        long closest = Long.MAX_VALUE;
        if (keys.isEmpty()) {
            return closest;
        }
        for (AnomalyEntry entry : entries) {
            if (entry.groups == null) {
                continue;
            }
            for (String key : keys) {
                if (entry.groups.contains(key)) {
                    long window = windowOf(key, gapMillis);
                    boolean overlaps = (entry.ongoing() || onset <= entry.activeUntil() + window)
                            && onset >= entry.onset - window;
                    if (overlaps) {
                        closest = Math.min(closest, Math.abs(onset - entry.onset));
                    }
                }
            }
        }
        return closest;
    }

    private long windowOf(String key, long gapMillis) {
        for (GroupingRule rule : rules) {
            if (rule.made(key)) {
                return rule.windowMillis(gapMillis);
            }
        }
        return gapMillis;
    }

    @Override
    public String toString() {
        List<String> texts = new ArrayList<>();
        rules.forEach(r -> texts.add(r.toString()));
        return String.join("; ", texts);
    }
}
