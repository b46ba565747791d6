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
 * Configuration: {@code [name=]service:metric:objective[/window]}, separated by ';' or ',', the objective as a
 * percentage (99.9) or a fraction (0.999), the rolling window of the error budget as a number of days, hours or
 * minutes ({@code 28d}, the default; {@code 7d}, {@code 12h}), e.g. {@code checkout:http.server.error.ratio:99.9} or
 * {@code checkout-availability=checkout:http.server.error.ratio:99.9/28d}. Without a name the SLO is named
 * {@code service:metric:objective%}. The burn-rate alerts do not depend on the window (a burn rate is a speed); the
 * budget accounting ({@link ErrorBudget}) does.
 */
public final class SloRule implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String DETECTOR = "slo-burn-rate";
    public static final String SYNTAX = "'[<name>=]<service>:<metric>:<objective>[/<window>]' separated by ';', the"
            + " objective in percent, the window in d, h or m (default 28d) (e.g. 'checkout:http.server.error.ratio:99.9;"
            + " orders-availability=orders:http.server.error.ratio:99.5/7d')";
    /** The budget period the workbook's alert arithmetic refers to ({@link #budgetConsumed(double, int)}). */
    public static final long PERIOD_MINUTES = 30L * 24 * 60;
    /** The default rolling window of an SLO's error budget: 28 days (four whole weeks, so every weekday counts alike). */
    public static final long DEFAULT_WINDOW_MINUTES = 28L * 24 * 60;

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
    /** Rolling window of the error budget, in minutes. */
    public final long windowMinutes;

    public SloRule(String service, String metric, double objective) {
        this(null, service, metric, objective, DEFAULT_WINDOW_MINUTES);
    }

    /** An SLO with its own name (null or blank: {@code service:metric:objective%}) and budget window. */
    public SloRule(String name, String service, String metric, double objective, long windowMinutes) {
        if (service.isBlank() || metric.isBlank()) {
            throw new IllegalArgumentException("service and metric must not be empty; expected " + SYNTAX);
        }
        if (!(objective > 0.0 && objective < 1.0)) {
            throw new IllegalArgumentException("objective must be between 0 and 100 % (exclusive), e.g. 99.9; got "
                    + objective * 100 + " %");
        }
        if (windowMinutes < 60 || windowMinutes > 400L * 24 * 60) {
            throw new IllegalArgumentException("window must be between 1h and 400d, e.g. 28d; got " + windowMinutes
                    + " minutes");
        }
        this.service = service;
        this.metric = metric;
        this.objective = objective;
        this.windowMinutes = windowMinutes;
        this.name = name == null || name.isBlank() ? service + ":" + metric + ":" + percent(objective) : name.strip();
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
        String name = null;
        int equals = t.indexOf('=');
        if (equals >= 0) {
            name = t.substring(0, equals).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("SLO '" + t + "': empty name before '='; expected " + SYNTAX);
            }
            t = t.substring(equals + 1).strip();
        }
        long window = DEFAULT_WINDOW_MINUTES;
        int slash = t.lastIndexOf('/');
        if (slash >= 0) {
            window = windowMinutes(t, t.substring(slash + 1).strip());
            t = t.substring(0, slash).strip();
        }
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
            return new SloRule(name, t.substring(0, first).strip(), t.substring(first + 1, last).strip(), objective,
                    window);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SLO '" + t + "': " + e.getMessage(), e);
        }
    }

    private static long windowMinutes(String slo, String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([dhm])").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("SLO '" + slo + "': window '" + text + "' must be a whole number of"
                    + " days, hours or minutes, e.g. 28d, 7d or 12h; expected " + SYNTAX);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> n * 24 * 60;
            case "h" -> n * 60;
            default -> n;
        };
    }

    /** The window as written in settings: 28d, 12h or 90m. */
    public String windowText() {
        if (windowMinutes % (24 * 60) == 0) {
            return windowMinutes / (24 * 60) + "d";
        }
        return windowMinutes % 60 == 0 ? windowMinutes / 60 + "h" : windowMinutes + "m";
    }

    /** The error budget of the window in minutes of complete outage: (1 - objective) x window. */
    public double budgetMinutes() {
        return budget() * windowMinutes;
    }

    /** Share of this SLO's budget (its own window) spent by burning at this rate for this many minutes. */
    public double budgetSpent(double burnRate, int minutes) {
        return burnRate * minutes / windowMinutes;
    }

    /**
     * The most severe of the workbook's conditions that holds for these burn rates, with its score, or null. Shared
     * by the burn-rate anomaly ({@link RuleSet}) and the SLO status ({@link ErrorBudget}) so that both agree.
     */
    public static Firing firing(java.util.function.IntToDoubleFunction burnOver) {
        Firing best = null;
        for (Condition c : CONDITIONS) {
            double lb = burnOver.applyAsDouble(c.longMinutes());
            double sb = burnOver.applyAsDouble(c.shortMinutes());
            if (lb >= c.burnRate() && sb >= c.burnRate()) {
                double cs = score(c, lb, sb);
                if (best == null || cs > best.score()) {
                    best = new Firing(c, cs, lb, sb);
                }
            }
        }
        return best;
    }

    /** A condition that holds, its score and the long- and short-window burn rates. */
    public record Firing(Condition condition, double score, double longBurn, double shortBurn) {}

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
