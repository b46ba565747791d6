package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sift.schema.Anomaly;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

class AnomalyDocumentEmitterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AnomalyDocumentEmitter emitter = new AnomalyDocumentEmitter();

    @Test
    void indexIdAndVersionComeFromTheAnomaly() {
        IndexRequestEntry entry = emitter.toRequest(TestData.anomaly("an-1", 4));
        assertEquals("sift-anomalies-2026.11", entry.index());
        assertEquals("an-1", entry.id());
        assertEquals(4, entry.externalVersion());

        Anomaly late = TestData.anomaly("an-2", 1);
        late.setOnset(Instant.parse("2026-12-31T23:59:59.999Z"));
        late.setTime(Instant.parse("2027-01-01T00:05:00Z"));
        assertEquals("sift-anomalies-2026.12", emitter.toRequest(late).index(), "month of the onset");
    }

    @Test
    void exactDocument() {
        String json = emitter.toRequest(TestData.anomaly("an-1", 4)).sourceAsString();
        assertEquals(
                "{\"@timestamp\":\"2026-11-24T10:19:30.250Z\","
                        + "\"ecs\":{\"version\":\"" + JsonDocument.ECS_VERSION + "\"},"
                        + "\"event\":{\"kind\":\"alert\",\"module\":\"sift\",\"dataset\":\"sift.anomalies\","
                        + "\"start\":\"2026-11-24T10:15:30.250Z\",\"end\":\"2026-11-24T10:30:30.250Z\",\"duration\":900000000000},"
                        + "\"service\":{\"name\":\"checkout\",\"environment\":\"prod\",\"node\":{\"name\":\"checkout-5d9f-abc\"}},"
                        + "\"host\":{\"name\":\"node-7\"},"
                        + "\"labels\":{\"az\":\"eu-1a\",\"route\":\"/checkout\",\"status.class\":\"5xx\"},"
                        + "\"sift\":{\"id\":\"an-1\",\"version\":4,\"signal\":\"METRIC\",\"detector\":\"robust-baseline\","
                        + "\"series_key\":\"http.server.request.duration.p95|checkout|route=/checkout\","
                        + "\"metric\":\"http.server.request.duration.p95\",\"observed\":812.5,\"expected\":120.0,"
                        + "\"lower_bound\":80.0,\"upper_bound\":190.25,\"deviation\":9.75,\"direction\":\"UP\","
                        + "\"score\":96.0,\"samples\":12}}",
                json);
    }

    @Test
    void labelOrderDoesNotChangeTheBytes() {
        Anomaly a = TestData.anomaly("an-1", 4);
        Anomaly b = TestData.anomaly("an-1", 4);
        Map<String, String> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(a.getLabels());
        b.setLabels(new HashMap<>(reversed));
        assertArrayEquals(emitter.toRequest(a).source(), emitter.toRequest(b).source());
    }

    @Test
    void optionalResourceFieldsAndNonFiniteNumbersAreLeftOut() throws Exception {
        Anomaly a = TestData.anomaly("an-3", 1);
        a.getResource().setHost(null);
        a.getResource().setInstance(null);
        a.getResource().setEnvironment(null);
        a.setLabels(Map.of());
        a.setEnd(null);
        a.setUpperBound(Double.POSITIVE_INFINITY);
        a.setDeviation(Double.NaN);
        byte[] source = emitter.toRequest(a).source();
        JsonNode doc = JSON.readTree(source); // still valid JSON
        assertTrue(doc.at("/host").isMissingNode());
        assertTrue(doc.at("/service/node").isMissingNode());
        assertTrue(doc.at("/service/environment").isMissingNode());
        assertTrue(doc.at("/labels").isMissingNode());
        assertTrue(doc.at("/event/end").isMissingNode());
        assertTrue(doc.at("/sift/upper_bound").isMissingNode());
        assertTrue(doc.at("/sift/deviation").isMissingNode());
        assertEquals(80.0, doc.at("/sift/lower_bound").asDouble());
        assertFalse(new String(source, StandardCharsets.UTF_8).contains("NaN"));
    }
}
