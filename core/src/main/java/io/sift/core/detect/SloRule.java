package io.sift.core.detect;

import io.sift.schema.MetricPoint;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A service level objective on an error-ratio series (the metric's value is the share of bad events, 0-1), alerted
 * on with the multi-window, multi-burn-rate rules of the Google SRE workbook (chapter "Alerting on SLOs"), against
 * a 30-day budget. Burn rate = error ratio / (1 - objective): 1 spends the budget exactly in 30 days.
 *
 * <ul>
 *   <li>page: burn rate &ge; 14.4 over 1 h and over 5 min (2 % of the budget in an hour);</li>
 *   <li>page: burn rate &ge; 6 over 6 h and over 30 min (5 % of the budget in six hours);</li>
 *   <li>ticket: burn rate &ge; 1 over 3 days and over 6 h (10 % of the budget in three days).</li>
 * </ul>
 *
 * Configuration: {@code service:metric:objective}, separated by ';' or ',', the objective as a percentage (99.9)
 * or a fraction (0.999), e.g. {@code checkout:http.server.error.ratio:99.9}.
 */
public final class SloRule implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DETECTOR = "slo-burn-rate";
    public static final String SYNTAX = "'<service>:<metric>:<objective>' separated by ';', the objective in percent"
            + " (e.g. 'checkout:http.server.error.ratio:99.9; orders:http.server.error.ratio:99.5')";
    /** The budget period the burn rates refer to. */
    public static final long PERIOD_MINUTES = 30L * 24 * 60;

    /** One multi-window alert condition. */
    public record Condition(String severity, double burnRate, int longMinutes, int shortMinutes, double baseScore,
            String windows) implements Serializable {}

    /** The workbook's conditions, most severe first. */
    public static final List<Condition> CONDITIONS = List.of(
            new Condition("page", 14.4, 60, 5, 90.0, "1h/5m"),
            new Condition("page", 6.0, 360, 30, 90.0, "6h/30m"),
            new Condition("ticket", 1.0, 3 * 24 * 60, 360, 60.0, "3d/6h"));

    public final String service;
    public final String metric;
    /** Objective as a fraction, e.g. 0.999. */
    public final double objective;
    public final String name;

    public SloRule(String service, String metric, double objective) {
        if (service.isBlank() || metric.isBlank()) {
            throw new IllegalArgumentException("service and metric must not be empty; expected " + SYNTAX);
        }
        if (!(objective > 0.0 && objective < 1.0)) {
            throw new IllegalArgumentException("objective must be between 0 and 100 % (exclusive), e.g. 99.9; got "
                    + objective * 100 + " %");
        }
        this.service = service;
        this.metric = metric;
        this.objective = objective;
        this.name = service + ":" + metric + ":" + percent(objective);
    }

    /** Parses {@code service:metric:objective} entries separated by ';' or ',' (blank: none). */
    public static List<SloRule> parseAll(String text) {
        List<SloRule> rules = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return rules;
        }
        for (String part : text.split("[;,]")) {
            if (!part.isBlank()) {
                rules.add(parse(part));
            }
        }
        return rules;
    }

    public static SloRule parse(String text) {
        String t = text.strip();
        int first = t.indexOf(':');
        int last = t.lastIndexOf(':');
        if (first <= 0 || last <= first + 1 || last == t.length() - 1) {
            throw new IllegalArgumentException("SLO '" + t + "': expected " + SYNTAX);
        }
        String objectiveText = t.substring(last + 1).strip();
        if (objectiveText.endsWith("%")) {
            objectiveText = objectiveText.substring(0, objectiveText.length() - 1).strip();
        }
        double objective;
        try {
            objective = Double.parseDouble(objectiveText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLO '" + t + "': objective '" + objectiveText + "' is not a number;"
                    + " expected " + SYNTAX);
        }
        if (objective > 1.0) {
            objective /= 100.0;
        }
        try {
            return new SloRule(t.substring(0, first).strip(), t.substring(first + 1, last).strip(), objective);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SLO '" + t + "': " + e.getMessage(), e);
        }
    }

    public boolean matches(MetricPoint point) {
        return metric.equals(point.getName()) && service.equals(point.getResource().getService());
    }

    /** The error budget as an error ratio: 1 - objective. */
    public double budget() {
        return 1.0 - objective;
    }

    /** Burn rate of an error ratio. */
    public double burnRate(double errorRatio) {
        return errorRatio / budget();
    }

    /** Share of the 30-day budget spent by burning at this rate for this many minutes. */
    public static double budgetConsumed(double burnRate, int minutes) {
        return burnRate * minutes / PERIOD_MINUTES;
    }

    /** Score of a condition that holds: its base (page 90, ticket 60) plus up to 9.9 with the burn past the rate. */
    public static double score(Condition c, double longBurn, double shortBurn) {
        double past = Math.min(longBurn, shortBurn) / c.burnRate() - 1.0;
        return c.baseScore() + Math.min(9.9, 10.0 * Math.max(0.0, past));
    }

    static String percent(double objective) {
        return new java.math.BigDecimal(objective * 100).round(new java.math.MathContext(6)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    @Override
    public String toString() {
        return name;
    }
}
