package io.sift.connectors.formats;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.LogRecord;
import io.sift.schema.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain syslog line per message, as rsyslog (omkafka with a syslog template), syslog-ng's kafka destination or a
 * shipper forwarding raw lines writes it: RFC 5424 ({@code <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG}) or the BSD
 * form of RFC 3164 ({@code [<PRI>]Mmm dd hh:mm:ss HOST TAG[PID]: MSG}). The app name or tag is the service, the host
 * the host; severity comes from PRI (syslog 0-7 to OpenTelemetry's numbers), else from a level word at the start of
 * the message. RFC 3164 has no year or zone: the line is read as UTC in the current year, or the previous one when that
 * would put it more than a day ahead.
 */
public final class SyslogLineDecoder implements RecordDecoder<LogRecord> {

    private static final long serialVersionUID = 1L;

    private static final Pattern RFC5424 = Pattern.compile(
            "^<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|\\[.*?\\](?:\\[.*?\\])*)(?: (.*))?$", Pattern.DOTALL);
    private static final Pattern RFC3164 = Pattern.compile(
            "^(?:<(\\d{1,3})>)?([A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}) (\\S+) ([^:\\[\\s]+)(?:\\[[^\\]]*\\])?: ?(.*)$",
            Pattern.DOTALL);
    private static final Pattern LEVEL_WORD = Pattern.compile(
            "^\\W{0,2}(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter BSD_TIME = DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.ROOT);
    /** syslog severities 0 (emergency) to 7 (debug) as OpenTelemetry severity numbers. */
    private static final int[] SEVERITY = {21, 21, 21, 17, 13, 10, 9, 5};

    private final Clock clock;

    public SyslogLineDecoder() {
        this(Clock.systemUTC());
    }

    SyslogLineDecoder(Clock clock) {
        this.clock = clock;
    }

    @Override
    public InputFormat format() {
        return InputFormat.SYSLOG;
    }

    @Override
    public void decode(byte[] bytes, List<LogRecord> out) throws DecodeException {
        String line = new String(bytes, StandardCharsets.UTF_8).stripTrailing();
        Matcher m = RFC5424.matcher(line);
        if (m.matches()) {
            Instant time;
            try {
                time = OffsetDateTime.parse(m.group(2)).toInstant();
            } catch (DateTimeParseException e) {
                throw refused("RFC 5424 time stamp '" + m.group(2) + "' is not RFC 3339");
            }
            String message = m.group(8) == null ? "" : m.group(8).replaceFirst("^\uFEFF", "");
            out.add(record(time, priority(m.group(1)), nil(m.group(4)), nil(m.group(3)), message));
            return;
        }
        m = RFC3164.matcher(line);
        if (m.matches()) {
            out.add(record(bsdTime(m.group(2)), priority(m.group(1)), m.group(4), m.group(3), m.group(5)));
            return;
        }
        throw refused("not an RFC 5424 or RFC 3164 syslog line");
    }

    private LogRecord record(Instant time, Integer syslogSeverity, String app, String host, String message)
            throws DecodeException {
        int severity = 0;
        String text = null;
        if (syslogSeverity != null) {
            severity = SEVERITY[syslogSeverity];
            text = List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug").get(syslogSeverity);
        }
        Matcher level = LEVEL_WORD.matcher(message);
        if (level.find() && (syslogSeverity == null || syslogSeverity >= 5)) {
            // Applications behind a default-priority logger write their level in the text.
            severity = OtlpLogsDecoder.severityOf(level.group(1));
            text = level.group(1);
        }
        if (app == null) {
            throw refused("no app name: the service of the line is unknown");
        }
        Map<String, String> attributes = new HashMap<>();
        return new LogRecord(time, severity, text, message, new Resource(app, host, null, null), attributes, null,
                null);
    }

    private static Integer priority(String pri) throws DecodeException {
        if (pri == null) {
            return null;
        }
        int value = Integer.parseInt(pri);
        if (value > 191) {
            throw new DecodeException(ErrorKinds.MALFORMED_LINE_PROTOCOL, "syslog: priority " + value + " above 191");
        }
        return value % 8;
    }

    private Instant bsdTime(String stamp) throws DecodeException {
        int year = LocalDateTime.now(clock).getYear();
        try {
            Instant time = LocalDateTime.parse(year + " " + stamp.replaceAll(" +", " "), BSD_TIME)
                    .toInstant(ZoneOffset.UTC);
            if (time.isAfter(clock.instant().plusSeconds(86_400))) {
                time = LocalDateTime.parse((year - 1) + " " + stamp.replaceAll(" +", " "), BSD_TIME)
                        .toInstant(ZoneOffset.UTC);
            }
            return time;
        } catch (DateTimeParseException e) {
            throw refused("time stamp '" + stamp + "' is not 'Mmm dd hh:mm:ss'");
        }
    }

    private static String nil(String field) {
        return "-".equals(field) ? null : field;
    }

    private DecodeException refused(String why) {
        return new DecodeException(ErrorKinds.MALFORMED_LINE_PROTOCOL, format() + ": " + why);
    }
}
