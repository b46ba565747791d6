package io.sift.core.detect;

import io.sift.schema.Direction;
import io.sift.schema.MetricPoint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A static threshold on one metric from configuration, evaluated alongside the adaptive detector of its series.
 * Grammar (rules separated by ';'):
 *
 * <pre>
 *   rule     := metric [ '{' matcher (',' matcher)* '}' ] op value [ 'for' duration ]
 *   matcher  := 'service' '=' name | label '=' value
 *   op       := '&gt;' | '&gt;=' | '&lt;' | '&lt;='        ('&gt;', '&gt;=': a rise; '&lt;', '&lt;=': a drop)
 *   duration := number ('ms' | 's' | 'm' | 'h' | 'd')    (minimum breach time before the episode opens; default 0)
 * </pre>
 *
 * e.g. {@code http.server.error.ratio > 0.05 for 2m; db.client.connections.usage{service=orders} >= 0.9}.
 *
 * <p>Score (0-100, as the other detectors: 50 at the threshold, 90 and above severe):
 * {@code min(100, 50 + 50 * |value - threshold| / |threshold|)}, i.e. 50 at the threshold, 75 at 50 % past it and
 * 100 at twice (or, for a drop, zero) the threshold; a threshold of 0 scores 100 as soon as it is passed.
 */
public final class ThresholdRule implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DETECTOR = "static-threshold";
    public static final String SYNTAX = "'<metric>[{service=<name>,<label>=<value>}] <op> <value> [for <duration>]'"
            + " with <op> one of >, >=, <, <= and <duration> like 30s, 2m, 1h"
            + " (e.g. 'http.server.error.ratio > 0.05 for 2m; db.client.connections.usage >= 0.9')";

    private static final Pattern RULE = Pattern.compile(
            "^([A-Za-z0-9_.:\\-/]+)\\s*(?:\\{([^}]*)\\})?\\s*(>=|<=|>|<)\\s*(\\S+)(?:\\s+for\\s+(\\S+))?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("^(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)$");

    public final String text;
    public final String metric;
    /** Required service, or null for any. */
    public final String service;
    /** Required labels (all must match). */
    public final Map<String, String> labels;
    public final String operator;
    public final double threshold;
    public final long forMillis;

    public ThresholdRule(String metric, String service, Map<String, String> labels, String operator, double threshold,
            long forMillis) {
        if (!List.of(">", ">=", "<", "<=").contains(operator)) {
            throw new IllegalArgumentException("unknown operator '" + operator + "'; write one of >, >=, <, <=");
        }
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be a finite number; got " + threshold);
        }
        if (forMillis < 0) {
            throw new IllegalArgumentException("'for' duration must not be negative; got " + forMillis + " ms");
        }
        this.metric = metric;
        this.service = service;
        this.labels = Map.copyOf(labels);
        this.operator = operator;
        this.threshold = threshold;
        this.forMillis = forMillis;
        StringBuilder t = new StringBuilder(metric);
        if (service != null || !labels.isEmpty()) {
            List<String> m = new ArrayList<>();
            if (service != null) {
                m.add("service=" + service);
            }
            new java.util.TreeMap<>(labels).forEach((k, v) -> m.add(k + "=" + v));
            t.append('{').append(String.join(",", m)).append('}');
        }
        t.append(' ').append(operator).append(' ').append(threshold);
        if (forMillis > 0) {
            t.append(" for ").append(forMillis).append("ms");
        }
        this.text = t.toString();
    }

    /** Parses rules separated by ';' (blank text: none). */
    public static List<ThresholdRule> parseAll(String text) {
        List<ThresholdRule> rules = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return rules;
        }
        String[] parts = text.split(";");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            try {
                rules.add(parse(parts[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("threshold rule " + (i + 1) + " '" + parts[i].strip() + "': "
                        + e.getMessage(), e);
            }
        }
        return rules;
    }

    /** Parses one rule; a malformed rule is refused with the syntax to write. */
    public static ThresholdRule parse(String text) {
        Matcher m = RULE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected " + SYNTAX);
        }
        String service = null;
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
            for (String matcher : m.group(2).split(",")) {
                if (matcher.isBlank()) {
                    continue;
                }
                int eq = matcher.indexOf('=');
                if (eq <= 0 || eq == matcher.length() - 1) {
                    throw new IllegalArgumentException("matcher '" + matcher.strip()
                            + "' must be <key>=<value>, e.g. {service=orders,route=/pay}");
                }
                String key = matcher.substring(0, eq).strip();
                String value = matcher.substring(eq + 1).strip();
                if (key.equals("service")) {
                    service = value;
                } else {
                    labels.put(key, value);
                }
            }
        }
        double value;
        try {
            value = Double.parseDouble(m.group(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold '" + m.group(4) + "' is not a number; expected " + SYNTAX);
        }
        long forMillis = m.group(5) == null ? 0 : parseDuration(m.group(5));
        return new ThresholdRule(m.group(1), service, labels, m.group(3), value, forMillis);
    }

    /** "500ms", "30s", "2m", "1h", "1d" in milliseconds. */
    public static long parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("duration '" + text + "' must be a number with a unit ms, s, m, h or d,"
                    + " e.g. 'for 2m'");
        }
        double n = Double.parseDouble(m.group(1));
        long unit = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        return Math.round(n * unit);
    }

    /** Whether this rule watches the series of this point. */
    public boolean matches(MetricPoint point) {
        if (!metric.equals(point.getName())) {
            return false;
        }
        if (service != null && !service.equals(point.getResource().getService())) {
            return false;
        }
        for (Map.Entry<String, String> l : labels.entrySet()) {
            Map<String, String> pl = point.getLabels();
            if (pl == null || !l.getValue().equals(pl.get(l.getKey()))) {
                return false;
            }
        }
        return true;
    }

    public Direction direction() {
        return operator.startsWith(">") ? Direction.UP : Direction.DOWN;
    }

    public boolean breached(double value) {
        return switch (operator) {
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "<" -> value < threshold;
            default -> value <= threshold;
        };
    }

    /** Score of a breaching value: 50 at the threshold, rising with the distance past it relative to it. */
    public double score(double value) {
        double past = Math.abs(value - threshold);
        if (threshold == 0.0) {
            return past > 0 ? 100.0 : 50.0;
        }
        return Math.min(100.0, 50.0 + 50.0 * past / Math.abs(threshold));
    }

    @Override
    public String toString() {
        return text;
    }
}
