package io.sift.core.correlate;

import io.sift.schema.Anomaly;
import io.sift.schema.Resource;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A user rule that adds a grouping key (as Alertmanager's {@code group_by}): anomalies it matches that carry the
 * same values of its group-by attributes, and overlap in time within its window, belong to one incident even
 * without a topology path between their items. An anomaly lacking one of the attributes is not grouped by the rule.
 *
 * <p>Attributes are read from the anomaly: {@code service}, {@code host}, {@code instance} (its resource),
 * {@code metric}, {@code signal}, {@code detector}; any other name is a label of its series, and
 * {@code label.<name>} names a label that has one of those reserved names. The syntax is in {@link GroupingRules}.
 */
public final class GroupingRule implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Attributes read from the anomaly itself rather than from its labels. */
    public static final Set<String> RESERVED = Set.of("service", "host", "instance", "metric", "signal", "detector");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /** Unique name; it prefixes the group key, so two rules never group with each other. */
    public final String name;
    /** Attributes whose values must be equal, in the order they appear in the key. */
    public final List<String> groupBy;
    /** Attribute → glob ('*' any characters) that must all match for the rule to apply; empty: every anomaly. */
    public final Map<String, String> match;
    /** How far apart in time grouped anomalies may be, or -1 for the correlation gap. */
    public final long windowMillis;

    private final Map<String, Pattern> matchPatterns;

    public GroupingRule(String name, List<String> groupBy, Map<String, String> match, long windowMillis) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name '" + name + "' must be letters, digits, '.', '_' or '-',"
                    + " e.g. 'db-cluster'");
        }
        if (groupBy == null || groupBy.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "' needs group-by=<attribute>[,<attribute>...],"
                    + " e.g. group-by=cluster,region");
        }
        for (String attribute : groupBy) {
            requireAttribute(name, attribute);
        }
        if (Set.copyOf(groupBy).size() != groupBy.size()) {
            throw new IllegalArgumentException("rule '" + name + "' names an attribute twice in group-by: " + groupBy);
        }
        match = match == null ? Map.of() : match;
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : match.entrySet()) {
            requireAttribute(name, m.getKey());
            if (m.getValue() == null || m.getValue().isEmpty()) {
                throw new IllegalArgumentException("rule '" + name + "': match on '" + m.getKey()
                        + "' needs a value or glob, e.g. match=metric:db.*");
            }
            patterns.put(m.getKey(), glob(m.getValue()));
        }
        if (windowMillis != -1 && windowMillis <= 0) {
            throw new IllegalArgumentException("rule '" + name + "': window must be a positive duration, e.g."
                    + " window=10m (leave it out for the correlation gap)");
        }
        this.name = name;
        this.groupBy = List.copyOf(groupBy);
        this.match = Map.copyOf(match);
        this.windowMillis = windowMillis;
        this.matchPatterns = patterns;
    }

    /** The window in effect: this rule's own, else the correlation gap. */
    public long windowMillis(long gapMillis) {
        return windowMillis > 0 ? windowMillis : gapMillis;
    }

    /**
     * The group key of an anomaly under this rule, e.g. {@code db-cluster{cluster=eu-1,region=west}}, or null when
     * the rule does not match it or it lacks one of the group-by attributes.
     */
    public String keyOf(Anomaly anomaly) {
        for (Map.Entry<String, Pattern> m : matchPatterns.entrySet()) {
            String value = attribute(anomaly, m.getKey());
            if (value == null || !m.getValue().matcher(value).matches()) {
                return null;
            }
        }
        StringBuilder key = new StringBuilder(name).append('{');
        for (int i = 0; i < groupBy.size(); i++) {
            String value = attribute(anomaly, groupBy.get(i));
            if (value == null || value.isBlank()) {
                return null;
            }
            key.append(i == 0 ? "" : ",").append(groupBy.get(i)).append('=').append(value);
        }
        return key.append('}').toString();
    }

    /** Whether a group key was made by this rule. */
    boolean made(String key) {
        return key.length() > name.length() && key.charAt(name.length()) == '{' && key.startsWith(name);
    }

    /** The value of an attribute of an anomaly (see the class comment), or null when it has none. */
    static String attribute(Anomaly anomaly, String attribute) {
        Resource resource = anomaly.getResource();
        switch (attribute) {
            case "service":
                return resource == null ? null : resource.getService();
            case "host":
                return resource == null ? null : resource.getHost();
            case "instance":
                return resource == null ? null : resource.getInstance();
            case "metric":
                return anomaly.getMetric();
            case "signal":
                return anomaly.getSignal() == null ? null : anomaly.getSignal().name();
            case "detector":
                return anomaly.getDetector();
            default:
                Map<String, String> labels = anomaly.getLabels();
                String label = attribute.startsWith("label.") ? attribute.substring("label.".length()) : attribute;
                return labels == null ? null : labels.get(label);
        }
    }

    private static void requireAttribute(String rule, String attribute) {
        if (attribute == null || attribute.isBlank() || attribute.equals("label.")
                || !attribute.strip().equals(attribute) || attribute.contains(",") || attribute.contains(":")) {
            throw new IllegalArgumentException("rule '" + rule + "': '" + attribute + "' is not an attribute name;"
                    + " write one of " + new java.util.TreeSet<>(RESERVED) + " or a label name (label.<name> for a"
                    + " label with a reserved name)");
        }
    }

    /** A glob where '*' stands for any characters and everything else is literal. */
    private static Pattern glob(String glob) {
        List<String> parts = new ArrayList<>();
        for (String literal : glob.split("\\*", -1)) {
            parts.add(literal.isEmpty() ? "" : Pattern.quote(literal));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(name).append(": group-by=").append(String.join(",", groupBy));
        if (!match.isEmpty()) {
            List<String> m = new ArrayList<>();
            new java.util.TreeMap<>(match).forEach((k, v) -> m.add(k + ":" + v));
            text.append(" match=").append(String.join(",", m));
        }
        if (windowMillis > 0) {
            text.append(" window=").append(windowMillis).append("ms");
        }
        return text.toString();
    }
}
