package io.sift.core.maintenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads maintenance windows from their compact form, one window per line or separated by ';':
 * <pre>
 *   ID: MATCHER[,MATCHER...] @ SCHEDULE
 *   MATCHER  = name=value | name!=value | name=~regex | name!~regex   (value in double quotes if it has , ; @ or space)
 *   SCHEDULE = START/END                       one-off, ISO-8601 instants or offset times, END exclusive
 *            | DAYS HH:MM-HH:MM [ZONE]         weekly; DAYS like mon-fri or sat,sun or daily; ZONE an IANA id, UTC if
 *                                              omitted; an end at or before the start ends on the next day
 * </pre>
 * e.g. {@code nightly-backup: service=orders-db @ daily 01:00-02:00 Europe/Berlin; upgrade: host=~"db-.*" @
 * 2026-12-08T22:00Z/2026-12-09T01:00Z}. A value starting with {@code file:} names a file holding the same form
 * ({@code #} starts a comment line).
 */
public final class MaintenanceWindows {

    private MaintenanceWindows() {}

    /** Parses the setting's value; blank gives no windows. Messages name the window and say what to write. */
    public static List<MaintenanceWindow> parse(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String text = value.strip();
        if (text.startsWith("file:")) {
            Path file = Path.of(text.substring("file:".length()).strip());
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the maintenance windows file " + file + ": "
                        + e.getMessage() + " (sift.maintenance.windows=file:/path names a readable file)", e);
            }
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String entry : splitOutsideQuotes(stripComments(text), ";\n")) {
            if (entry.isBlank()) {
                continue;
            }
            MaintenanceWindow window = parseOne(entry.strip());
            if (!ids.add(window.id())) {
                throw new IllegalArgumentException("two maintenance windows are named '" + window.id()
                        + "': give each its own id (it is what suppressed incidents name)");
            }
            windows.add(window);
        }
        return List.copyOf(windows);
    }

    private static String stripComments(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (!line.strip().startsWith("#")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static MaintenanceWindow parseOne(String entry) {
        int colon = entry.indexOf(':');
        int at = indexOutsideQuotes(entry, '@');
        if (colon <= 0 || at < 0 || at < colon) {
            throw new IllegalArgumentException("cannot read the maintenance window '" + entry + "': write it as "
                    + "'ID: service=orders-db @ sat,sun 02:00-04:00 Europe/Berlin' or "
                    + "'ID: host=db-1 @ 2026-12-08T22:00Z/2026-12-09T01:00Z'");
        }
        String id = entry.substring(0, colon).strip();
        List<MaintenanceMatcher> matchers = new ArrayList<>();
        for (String matcher : splitOutsideQuotes(entry.substring(colon + 1, at), ",")) {
            if (!matcher.isBlank()) {
                matchers.add(matcher(id, matcher.strip()));
            }
        }
        return new MaintenanceWindow(id, matchers, schedule(id, entry.substring(at + 1).strip()));
    }

    private static MaintenanceMatcher matcher(String id, String text) {
        int eq = text.indexOf('=');
        int tilde = text.indexOf('~');
        int op = eq < 0 ? tilde : tilde < 0 ? eq : Math.min(eq, tilde);
        if (op <= 0) {
            throw new IllegalArgumentException("maintenance window '" + id + "': cannot read the matcher '" + text
                    + "'; write name=value, name!=value, name=~regex or name!~regex");
        }
        boolean negated = text.charAt(op - 1) == '!' && text.charAt(op) == '=' ? true
                : text.charAt(op - 1) == '!' && text.charAt(op) == '~';
        String name = text.substring(0, negated ? op - 1 : op).strip();
        String rest = text.substring(op + 1);
        boolean regex;
        if (text.charAt(op) == '~') {
            regex = true; // name!~regex
        } else if (rest.startsWith("~")) {
            regex = true; // name=~regex
            rest = rest.substring(1);
        } else {
            regex = false;
        }
        return new MaintenanceMatcher(name, unquote(rest.strip()), regex, negated);
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static MaintenanceSchedule schedule(String id, String text) {
        if (text.contains("/") && !text.contains(" ")) {
            String[] bounds = text.split("/", 2);
            return new MaintenanceSchedule.Once(instant(id, bounds[0]), instant(id, bounds[1]));
        }
        String[] parts = text.split("\\s+");
        if (parts.length < 2 || parts.length > 3 || !parts[1].contains("-")) {
            throw new IllegalArgumentException("maintenance window '" + id + "': cannot read the schedule '" + text
                    + "'; write START/END (ISO-8601, e.g. 2026-12-08T22:00Z/2026-12-09T01:00Z) or "
                    + "DAYS HH:MM-HH:MM [ZONE] (e.g. mon-fri 22:00-02:00 Europe/Berlin)");
        }
        String[] times = parts[1].split("-", 2);
        ZoneId zone;
        try {
            zone = parts.length == 3 ? ZoneId.of(parts[2]) : ZoneId.of("UTC");
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("maintenance window '" + id + "': unknown time zone '" + parts[2]
                    + "'; use an IANA id such as Europe/Berlin or UTC", e);
        }
        return new MaintenanceSchedule.Weekly(days(id, parts[0]), time(id, times[0]), time(id, times[1]), zone);
    }

    private static long instant(String id, String text) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.strip()).toEpochMilli();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("maintenance window '" + id + "': cannot read the time '" + text
                        + "'; write an ISO-8601 time with an offset, e.g. 2026-12-08T22:00Z or "
                        + "2026-12-08T23:00+01:00", e);
            }
        }
    }

    private static LocalTime time(String id, String text) {
        if (text.equals("24:00")) {
            return LocalTime.MIDNIGHT;
        }
        try {
            return LocalTime.parse(text.length() == 4 ? "0" + text : text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("maintenance window '" + id + "': cannot read the time of day '" + text
                    + "'; write HH:MM, e.g. 02:00", e);
        }
    }

    private static Set<DayOfWeek> days(String id, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("daily") || lower.equals("*")) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : lower.split(",")) {
            String[] range = part.split("-", 2);
            DayOfWeek from = day(id, range[0]);
            DayOfWeek to = range.length == 2 ? day(id, range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String id, String text) {
        String t = text.strip();
        for (DayOfWeek d : DayOfWeek.values()) {
            String name = d.name().toLowerCase(Locale.ROOT);
            if (t.length() >= 3 && name.startsWith(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("maintenance window '" + id + "': unknown weekday '" + text
                + "'; write mon, tue, wed, thu, fri, sat, sun, a range like mon-fri, or daily");
    }

    private static int indexOutsideQuotes(String text, char wanted) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == wanted && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> splitOutsideQuotes(String text, String separators) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && separators.indexOf(c) >= 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
