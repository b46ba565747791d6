package io.sift.core.maintenance;

import java.io.Serializable;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a maintenance window on a signal's attribute, as in an Alertmanager silence: {@code name=value}
 * (equality), {@code name=~regex} (the whole value matches), or their negations {@code !=} and {@code !~}. A missing
 * attribute reads as the empty string, so {@code host!=db-1} holds for a signal without a host.
 */
public final class MaintenanceMatcher implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final String value;
    private final boolean regex;
    private final boolean negated;
    private final Pattern pattern;

    public MaintenanceMatcher(String name, String value, boolean regex, boolean negated) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a maintenance matcher needs an attribute name, e.g. service=orders-db");
        }
        if (value == null) {
            throw new IllegalArgumentException("the matcher on '" + name + "' needs a value, e.g. " + name + "=x");
        }
        this.name = name;
        this.value = value;
        this.regex = regex;
        this.negated = negated;
        try {
            this.pattern = regex ? Pattern.compile(value) : null;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("the matcher " + this + " has an invalid regular expression: "
                    + e.getDescription() + "; quote it in double quotes if it contains ',' ';' or '@'", e);
        }
    }

    public String name() {
        return name;
    }

    /** Whether the attributes (see {@link MaintenanceWindow#attributesOf}) satisfy this matcher. */
    public boolean matches(Map<String, String> attributes) {
        String actual = attributes.getOrDefault(name, "");
        boolean hit = regex ? pattern.matcher(actual).matches() : value.equals(actual);
        return hit != negated;
    }

    @Override
    public String toString() {
        return name + (negated ? (regex ? "!~" : "!=") : (regex ? "=~" : "=")) + "\"" + value + "\"";
    }
}
