package io.sift.connectors.formats;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.MetricPoint;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * InfluxDB line protocol, Telegraf's default data format: {@code cpu,host=web01,cpu=cpu0 usage_idle=90.1,count=3i
 * 1458229140000000000}, every line of the message (blank lines and {@code #} comments skipped). Escapes: {@code \,},
 * {@code \ } and {@code \=} in names, tags and field keys, {@code \"} and {@code \\} in string fields. Integer
 * ({@code 3i}, {@code 3u}), float and boolean fields become points ({@link FieldMetrics}); string fields are left out.
 * The time is in nanoseconds (Telegraf's precision); a line without one is refused, as its event time is unknown.
 */
public final class InfluxLineDecoder implements RecordDecoder<MetricPoint> {

    private static final long serialVersionUID = 1L;

    @Override
    public InputFormat format() {
        return InputFormat.INFLUX_LINE;
    }

    @Override
    public void decode(byte[] bytes, List<MetricPoint> out) throws DecodeException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("not UTF-8 text");
        }
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                line(line, out);
            } catch (DecodeException e) {
                throw lines.length == 1 ? e : malformed("line " + (i + 1) + ": " + e.getMessage()
                        .substring(format().toString().length() + 2));
            }
        }
    }

    private void line(String line, List<MetricPoint> out) throws DecodeException {
        List<String> parts = split(line, ' ', true);
        parts.removeIf(String::isEmpty);
        if (parts.size() < 2 || parts.size() > 3) {
            throw malformed("expected '<measurement>[,<tag>=<value>...] <field>=<value>[,...] <time>', got '"
                    + abbreviate(line) + "'");
        }
        List<String> series = split(parts.get(0), ',', false);
        String measurement = unescape(series.get(0));
        if (measurement.isEmpty()) {
            throw malformed("empty measurement in '" + abbreviate(line) + "'");
        }
        Map<String, String> tags = new HashMap<>();
        for (String tag : series.subList(1, series.size())) {
            int eq = indexOfUnescaped(tag, '=');
            if (eq <= 0) {
                throw malformed("tag '" + tag + "' is not <key>=<value>");
            }
            tags.put(unescape(tag.substring(0, eq)), unescape(tag.substring(eq + 1)));
        }
        Map<String, Double> fields = new LinkedHashMap<>();
        for (String field : split(parts.get(1), ',', true)) {
            int eq = indexOfUnescaped(field, '=');
            if (eq <= 0) {
                throw malformed("field '" + field + "' is not <key>=<value>");
            }
            Double value = value(field.substring(eq + 1));
            if (value != null) {
                fields.put(unescape(field.substring(0, eq)), value);
            }
        }
        if (parts.size() < 3) {
            throw malformed("line has no time stamp (its event time is unknown): '" + abbreviate(line) + "'");
        }
        long nanos;
        try {
            nanos = Long.parseLong(parts.get(2));
        } catch (NumberFormatException e) {
            throw malformed("time stamp '" + parts.get(2) + "' is not an integer (nanoseconds)");
        }
        FieldMetrics.emit(measurement, tags, fields, Instant.ofEpochSecond(0, nanos), out);
    }

    /** A field value as a number, or null for a string field (not a sample). */
    private Double value(String raw) throws DecodeException {
        if (raw.startsWith("\"")) {
            return null;
        }
        switch (raw) {
            case "t", "T", "true", "True", "TRUE":
                return 1.0;
            case "f", "F", "false", "False", "FALSE":
                return 0.0;
            default:
                break;
        }
        String number = raw.endsWith("i") || raw.endsWith("u") ? raw.substring(0, raw.length() - 1) : raw;
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw malformed("field value '" + raw + "' is not a number, boolean or quoted string");
        }
    }

    /** Splits at unescaped separators; with {@code quotes}, not inside double-quoted strings. */
    static List<String> split(String s, char separator, boolean quotes) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
            } else if (quotes && c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static int indexOfUnescaped(String s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && ",= \\\"".indexOf(s.charAt(i + 1)) >= 0) {
                sb.append(s.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    private DecodeException malformed(String message) {
        return new DecodeException(ErrorKinds.MALFORMED_LINE_PROTOCOL, format() + ": " + message);
    }
}
