package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.LogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON log events as Filebeat (ECS), Fluent Bit, Vector and OpenShift's fluentd write them, and a field map. */
class JsonLogDecoderTest {

    private static LogRecord decode(JsonLogFields fields, String json) throws DecodeException {
        List<LogRecord> out = new ArrayList<>();
        new JsonLogDecoder(fields).decode(json.getBytes(StandardCharsets.UTF_8), out);
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void filebeatEcsNestedFields() throws Exception {
        String event = "{\"@timestamp\":\"2026-12-07T11:00:00.123Z\",\"message\":\"connection refused\","
                + "\"log\":{\"level\":\"error\",\"file\":{\"path\":\"/var/log/x.log\"}},\"service\":{\"name\":"
                + "\"orders\"},\"host\":{\"name\":\"node-3\"},\"kubernetes\":{\"pod\":{\"name\":\"orders-7f-abc\"}},"
                + "\"trace\":{\"id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}}";
        for (String preset : List.of("ecs", "auto")) {
            LogRecord log = decode(JsonLogFields.preset(preset), event);
            assertEquals(Instant.parse("2026-12-07T11:00:00.123Z"), log.getTime());
            assertEquals("connection refused", log.getBody());
            assertEquals(17, log.getSeverityNumber());
            assertEquals("error", log.getSeverityText());
            assertEquals("orders", log.getResource().getService());
            assertEquals("node-3", log.getResource().getHost());
            assertEquals("orders-7f-abc", log.getResource().getInstance());
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", log.getTraceId());
        }
    }

    @Test
    void fluentBitWithADoubleTimestampAndTheKubernetesFilter() throws Exception {
        String event = "{\"@timestamp\":1765105200.25,\"log\":\"GET /health 200\",\"stream\":\"stdout\","
                + "\"kubernetes\":{\"pod_name\":\"web-5c9-x\",\"namespace_name\":\"shop\",\"container_name\":\"web\","
                + "\"host\":\"node-1\"}}";
        for (String preset : List.of("fluent-bit", "auto")) {
            LogRecord log = decode(JsonLogFields.preset(preset), event);
            assertEquals(Instant.ofEpochMilli(1765105200250L), log.getTime());
            assertEquals("GET /health 200", log.getBody());
            assertEquals("web", log.getResource().getService());
            assertEquals("web-5c9-x", log.getResource().getInstance());
            assertEquals("node-1", log.getResource().getHost());
            assertEquals(0, log.getSeverityNumber());
        }
    }

    @Test
    void vectorAndOpenShiftAndAFieldMapForTheRest() throws Exception {
        LogRecord vector = decode(JsonLogFields.preset("vector"), "{\"timestamp\":\"2026-12-07T11:00:00Z\","
                + "\"message\":\"disk full\",\"level\":\"WARN\",\"kubernetes\":{\"pod_name\":\"p\",\"container_name\""
                + ":\"db\",\"pod_node_name\":\"n\"}}");
        assertEquals("db", vector.getResource().getService());
        assertEquals(13, vector.getSeverityNumber());

        LogRecord openshift = decode(JsonLogFields.preset("openshift"), "{\"@timestamp\":\"2026-12-07T11:00:00"
                + ".000000+00:00\",\"message\":\"OOMKilled\",\"level\":\"err\",\"hostname\":\"worker-2\","
                + "\"kubernetes\":{\"pod_name\":\"api-1\",\"container_name\":\"api\"}}");
        assertEquals("api", openshift.getResource().getService());
        assertEquals("worker-2", openshift.getResource().getHost());
        assertEquals(17, openshift.getSeverityNumber());

        JsonLogFields mapped = JsonLogFields.preset("auto").with(Map.of("time", "ts", "message", "text|msg",
                "service", "app.name"));
        LogRecord pino = decode(mapped, "{\"ts\":1765105200123,\"level\":50,\"msg\":\"boom\",\"app\":{\"name\":"
                + "\"cart\"}}");
        assertEquals(Instant.ofEpochMilli(1765105200123L), pino.getTime());
        assertEquals("boom", pino.getBody());
        assertEquals("cart", pino.getResource().getService());
        assertEquals(17, pino.getSeverityNumber(), "pino's 50 is error");
        assertNull(pino.getTraceId());
    }

    @Test
    void eventsWithoutTimeOrNotJsonAreRefusedNamingTheFormat() {
        DecodeException noTime = assertThrows(DecodeException.class, () -> decode(JsonLogFields.preset("auto"),
                "{\"message\":\"x\"}"));
        assertEquals(ErrorKinds.MALFORMED_JSON, noTime.errorKind());
        assertTrue(noTime.getMessage().startsWith("json: no time stamp"), noTime.getMessage());
        DecodeException plain = assertThrows(DecodeException.class, () -> decode(JsonLogFields.preset("auto"),
                "Dec  7 11:00:00 web01 sshd[42]: Accepted publickey"));
        assertTrue(plain.getMessage().startsWith("json: not JSON"), plain.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JsonLogFields.preset("auto").with(Map.of("colour", "c")));
        assertThrows(IllegalArgumentException.class, () -> JsonLogFields.preset("splunk"));
    }
}
