package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.LogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain syslog lines as rsyslog and syslog-ng forward them. */
class SyslogLineDecoderTest {

    private static final SyslogLineDecoder DECODER = new SyslogLineDecoder(
            Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC));

    private static LogRecord decode(String line) throws DecodeException {
        List<LogRecord> out = new ArrayList<>();
        DECODER.decode(line.getBytes(StandardCharsets.UTF_8), out);
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void rfc5424LineTakesTimeHostAppAndSeverityFromItsHeader() throws Exception {
        // rsyslog's RSYSLOG_SyslogProtocol23Format: <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG; PRI 131 = local0.err
        LogRecord log = decode("<131>1 2026-12-07T10:15:30.123+01:00 web01 orders 4242 - - payment declined for order 17");
        assertEquals(Instant.parse("2026-12-07T09:15:30.123Z"), log.getTime());
        assertEquals("orders", log.getResource().getService());
        assertEquals("web01", log.getResource().getHost());
        assertEquals(17, log.getSeverityNumber(), "err");
        assertEquals("payment declined for order 17", log.getBody());
        LogRecord structured = decode("<14>1 2026-12-07T10:15:31Z web01 cart - ID47 [exampleSDID@32473 iut=\"3\"]"
                + " ERROR cart store unreachable");
        assertEquals(17, structured.getSeverityNumber(), "info priority, but the text says ERROR");
        assertEquals("ERROR cart store unreachable", structured.getBody());
    }

    @Test
    void bsdLineIsReadInTheCurrentYearAsUtc() throws Exception {
        LogRecord log = decode("<27>Dec  7 11:00:00 db01 postgres[812]: FATAL:  too many connections");
        assertEquals(Instant.parse("2026-12-07T11:00:00Z"), log.getTime());
        assertEquals("postgres", log.getResource().getService());
        assertEquals("db01", log.getResource().getHost());
        assertEquals(17, log.getSeverityNumber(), "PRI 27 = daemon.err");
        LogRecord noPri = decode("Dec 31 23:59:58 web01 sshd[42]: Accepted publickey for deploy");
        assertEquals(Instant.parse("2025-12-31T23:59:58Z"), noPri.getTime(), "not a year ahead: last year's");
        assertEquals(0, noPri.getSeverityNumber(), "no priority and no level word");
        assertNull(noPri.getSeverityText());
    }

    @Test
    void aLineOfAnotherFormatIsRefusedWithTheFormatNamed() {
        var json = assertThrows(DecodeException.class, () -> decode("{\"message\":\"hi\"}"));
        assertEquals(ErrorKinds.MALFORMED_LINE_PROTOCOL, json.errorKind());
        assertTrue(json.getMessage().startsWith("syslog: not an RFC 5424"), json.getMessage());
        var badTime = assertThrows(DecodeException.class, () -> decode("<14>1 yesterday web01 app - - - hi"));
        assertTrue(badTime.getMessage().contains("not RFC 3339"), badTime.getMessage());
    }
}
