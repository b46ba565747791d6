package io.sift.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sift.gateway.prompb.Remote;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteDecoderTest {

    /** Prometheus' stale marker: a NaN with this bit pattern. */
    private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);

    private static Remote.TimeSeries series(Map<String, String> labels, double... values) {
        Remote.TimeSeries.Builder series = Remote.TimeSeries.newBuilder();
        labels.forEach((name, value) -> series.addLabels(Remote.Label.newBuilder().setName(name).setValue(value)));
        long t = 1_780_000_000_000L;
        for (double value : values) {
            series.addSamples(Remote.Sample.newBuilder().setValue(value).setTimestamp(t += 1000));
        }
        return series.build();
    }

    @Test
    void samplesBecomeMetricPointsWithTheirEntityAndDimensions() throws Exception {
        RemoteWriteDecoder decoder = new RemoteWriteDecoder(new EntityMapper(), 1 << 20);
        Remote.WriteRequest request = Remote.WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("__name__", "http_requests_total", "job", "api",
                        "instance", "10.0.0.5:8080", "code", "500"), 10, 12, STALE))
                .addTimeseries(series(Map.of("__name__", "queue_depth", "service", "billing"), 3.5))
                .addTimeseries(series(Map.of("__name__", "latency_seconds", "service", "billing"), 0.2))
                .addMetadata(Remote.MetricMetadata.newBuilder().setMetricFamilyName("latency_seconds")
                        .setType(Remote.MetricMetadata.MetricType.SUMMARY).setUnit("seconds"))
                .build();
        List<MetricPoint> points = new ArrayList<>();
        RemoteWriteDecoder.Decoded decoded = decoder.decode(Snappy.compress(request.toByteArray()), points::add);
        assertEquals(4, decoded.samples());
        assertEquals(1, decoded.skippedNonFinite(), "the stale marker is skipped, not refused");
        MetricPoint first = points.get(0);
        assertEquals("http_requests_total", first.getName());
        assertEquals(10.0, first.getValue());
        assertEquals(Instant.ofEpochMilli(1_780_000_001_000L), first.getTime());
        assertEquals("api", first.getResource().getService());
        assertEquals("10.0.0.5", first.getResource().getHost());
        assertEquals(Map.of("code", "500"), first.getLabels());
        assertEquals(MetricKind.COUNTER, first.getKind(), "_total: a counter");
        assertEquals(MetricKind.GAUGE, points.get(2).getKind());
        assertNull(points.get(2).getUnit());
        assertEquals(MetricKind.HISTOGRAM_SUMMARY, points.get(3).getKind(), "from the metadata");
        assertEquals("seconds", points.get(3).getUnit());
    }

    @Test
    void badBodiesAreRefusedWithTheirKind() throws Exception {
        RemoteWriteDecoder decoder = new RemoteWriteDecoder(new EntityMapper(), 1 << 20);
        assertEquals("MALFORMED_SNAPPY", assertThrows(BadPayloadException.class, () -> decoder.decode(
                "not snappy".getBytes(StandardCharsets.UTF_8), p -> { })).errorKind());
        assertEquals("MALFORMED_PROTOBUF", assertThrows(BadPayloadException.class, () -> decoder.decode(
                Snappy.compress(new byte[] {(byte) 0x0a, (byte) 0xff, 0x01}), p -> { })).errorKind());
        byte[] noName = Snappy.compress(Remote.WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("job", "x"), 1)).build().toByteArray());
        assertEquals("INVALID_VALUE", assertThrows(BadPayloadException.class,
                () -> decoder.decode(noName, p -> { })).errorKind());
        RemoteWriteDecoder small = new RemoteWriteDecoder(new EntityMapper(), 16);
        byte[] big = Snappy.compress(Remote.WriteRequest.newBuilder()
                .addTimeseries(series(Map.of("__name__", "a_long_enough_name"), 1, 2, 3)).build().toByteArray());
        BadPayloadException tooLarge = assertThrows(BadPayloadException.class, () -> small.decode(big, p -> { }));
        assertEquals(413, tooLarge.status());
    }
}
