package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** prometheus-kafka-adapter JSON, Telegraf JSON and InfluxDB line protocol, as those tools write them. */
class ForeignMetricFormatsTest {

    private static List<MetricPoint> decode(RecordDecoder<MetricPoint> decoder, String text) throws DecodeException {
        List<MetricPoint> out = new ArrayList<>();
        decoder.decode(text.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    @Test
    void prometheusKafkaAdapterSamplesWithTheValueAsAString() throws Exception {
        List<MetricPoint> points = decode(new PrometheusJsonDecoder(), "{\"timestamp\":\"2026-12-07T11:00:00Z\","
                + "\"value\":\"9876543210\",\"name\":\"http_requests_total\",\"labels\":{\"__name__\":"
                + "\"http_requests_total\",\"job\":\"checkout\",\"instance\":\"10.0.0.7:8080\",\"code\":\"500\"}}");
        assertEquals(1, points.size());
        MetricPoint p = points.get(0);
        assertEquals(Instant.parse("2026-12-07T11:00:00Z"), p.getTime());
        assertEquals(9876543210.0, p.getValue());
        assertEquals(MetricKind.COUNTER, p.getKind(), "_total: cumulative, rated by the detector");
        assertEquals("checkout", p.getResource().getService());
        assertEquals("10.0.0.7:8080", p.getResource().getInstance());
        assertEquals(Map.of("code", "500"), p.getLabels());

        MetricPoint up = decode(new PrometheusJsonDecoder(), "{\"timestamp\":\"2026-12-07T11:00:00.5+01:00\","
                + "\"value\":\"+Inf\",\"name\":\"up\",\"labels\":{\"job\":\"node\"}}").get(0);
        assertEquals(MetricKind.GAUGE, up.getKind());
        assertEquals(Double.POSITIVE_INFINITY, up.getValue(), "validation refuses it, with the reason");
        assertEquals(Instant.parse("2026-12-07T10:00:00.5Z"), up.getTime());

        DecodeException e = assertThrows(DecodeException.class, () -> decode(new PrometheusJsonDecoder(),
                "{\"name\":\"up\",\"value\":\"1\"}"));
        assertEquals(ErrorKinds.MALFORMED_JSON, e.errorKind());
        assertTrue(e.getMessage().startsWith("prometheus-json: "), e.getMessage());
        assertThrows(DecodeException.class, () -> decode(new PrometheusJsonDecoder(),
                "{\"timestamp\":\"2026-12-07T11:00:00Z\",\"value\":\"abc\",\"name\":\"up\"}"));
        assertThrows(DecodeException.class, () -> decode(new PrometheusJsonDecoder(), "up 1"));
    }

    @Test
    void telegrafJsonOneMetricPerMessageFieldsBecomePointsOfTheHost() throws Exception {
        Map<String, MetricPoint> points = decode(new TelegrafJsonDecoder(), "{\"fields\":{\"usage_idle\":90.1,"
                + "\"usage_user\":5,\"label\":\"x\",\"up\":true},\"name\":\"cpu\",\"tags\":{\"cpu\":\"cpu-total\","
                + "\"host\":\"web01\"},\"timestamp\":1458229140}").stream()
                .collect(Collectors.toMap(MetricPoint::getName, p -> p));
        assertEquals(List.of("cpu.up", "cpu.usage_idle", "cpu.usage_user"), points.keySet().stream().sorted().toList(),
                "string fields are not samples");
        MetricPoint idle = points.get("cpu.usage_idle");
        assertEquals(90.1, idle.getValue());
        assertEquals(Instant.ofEpochSecond(1458229140), idle.getTime());
        assertEquals("web01", idle.getResource().getService(), "a host metric describes its host");
        assertEquals("web01", idle.getResource().getHost());
        assertEquals(Map.of("cpu", "cpu-total"), idle.getLabels());
        assertEquals(1.0, points.get("cpu.up").getValue());

        MetricPoint millis = decode(new TelegrafJsonDecoder(), "{\"fields\":{\"v\":1},\"name\":\"m\",\"tags\":{"
                + "\"service\":\"cart\"},\"timestamp\":1458229140123}").get(0);
        assertEquals(Instant.ofEpochMilli(1458229140123L), millis.getTime(), "milliseconds told by magnitude");
        assertEquals("cart", millis.getResource().getService());

        DecodeException e = assertThrows(DecodeException.class, () -> decode(new TelegrafJsonDecoder(),
                "{\"fields\":{\"v\":1},\"name\":\"m\"}"));
        assertTrue(e.getMessage().startsWith("telegraf-json: "), e.getMessage());
    }

    @Test
    void influxLineProtocolWithEscapesTypesAndSeveralLines() throws Exception {
        List<MetricPoint> points = decode(new InfluxLineDecoder(),
                "disk,host=db\\ 1,path=/var\\,log used_percent=71.5,inodes_free=12345i,ro=f,mode=\"rw, x=1\" "
                        + "1458229140000000000\n"
                        + "# a comment\n"
                        + "mem,host=db\\ 1 available=2048u 1458229150000000000\n");
        Map<String, MetricPoint> byName = points.stream().collect(Collectors.toMap(MetricPoint::getName, p -> p));
        assertEquals(List.of("disk.inodes_free", "disk.ro", "disk.used_percent", "mem.available"),
                byName.keySet().stream().sorted().toList());
        MetricPoint used = byName.get("disk.used_percent");
        assertEquals(71.5, used.getValue());
        assertEquals("db 1", used.getResource().getService());
        assertEquals(Map.of("path", "/var,log"), used.getLabels());
        assertEquals(Instant.ofEpochSecond(1458229140), used.getTime());
        assertEquals(12345.0, byName.get("disk.inodes_free").getValue());
        assertEquals(0.0, byName.get("disk.ro").getValue());
        assertEquals(Instant.ofEpochSecond(1458229150), byName.get("mem.available").getTime());

        for (String bad : List.of("cpu usage=1", "cpu usage=abc 1458229140000000000", "cpu 1458229140000000000",
                "cpu,host usage=1 1458229140000000000")) {
            DecodeException e = assertThrows(DecodeException.class, () -> decode(new InfluxLineDecoder(), bad), bad);
            assertEquals(ErrorKinds.MALFORMED_LINE_PROTOCOL, e.errorKind());
            assertTrue(e.getMessage().startsWith("influx-line: "), e.getMessage());
        }
        DecodeException second = assertThrows(DecodeException.class, () -> decode(new InfluxLineDecoder(),
                "cpu,host=a usage=1 1458229140000000000\ncpu,host=a usage= 1458229140000000000"));
        assertTrue(second.getMessage().startsWith("influx-line: line 2: "), second.getMessage());
    }
}
