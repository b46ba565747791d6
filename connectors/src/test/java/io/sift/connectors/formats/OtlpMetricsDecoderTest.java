package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.DefaultAggregationSelector;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** OTLP metrics as the OpenTelemetry SDK's own marshalers write them (binary and JSON), decoded into MetricPoints. */
class OtlpMetricsDecoderTest {

    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    static io.opentelemetry.sdk.resources.Resource resource() {
        return io.opentelemetry.sdk.resources.Resource.empty().merge(io.opentelemetry.sdk.resources.Resource.create(
                Attributes.builder()
                        .put("service.name", "checkout")
                        .put("service.namespace", "shop")
                        .put("deployment.environment.name", "staging")
                        .put("host.name", "node-7")
                        .put("k8s.pod.name", "checkout-5d8f-x2")
                        .put("process.pid", 4711L)
                        .build()));
    }

    static byte[] binary(Collection<MetricData> metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsRequestMarshaler.create(metrics).writeBinaryTo(out);
        return out.toByteArray();
    }

    static byte[] json(Collection<MetricData> metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsRequestMarshaler.create(metrics).writeJsonTo(out);
        return out.toByteArray();
    }

    private static List<MetricPoint> decode(InputFormat format, byte[] bytes) throws DecodeException {
        List<MetricPoint> out = new ArrayList<>();
        new OtlpMetricsDecoder(format, OtlpSettings.defaults()).decode(bytes, out);
        return out;
    }

    private static Map<String, MetricPoint> byName(List<MetricPoint> points) {
        return points.stream().collect(Collectors.toMap(MetricPoint::getName, p -> p));
    }

    @Test
    void cumulativeGaugesCountersAndUpDownCountersFromTheSdkKeepResourceLabelsAndTime() throws Exception {
        TestClock clock = TestClock.create(START);
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock).setResource(resource())
                .registerMetricReader(reader).build();
        Meter meter = provider.get("io.sift.test");
        LongCounter requests = meter.counterBuilder("http.server.requests").setUnit("{request}").build();
        LongUpDownCounter active = meter.upDownCounterBuilder("http.server.active_requests").build();
        meter.gaugeBuilder("process.cpu.utilization").setUnit("1").buildWithCallback(g -> g.record(0.42,
                Attributes.builder().put("cpu.mode", "user").build()));
        requests.add(120, Attributes.builder().put("http.route", "/pay").build());
        active.add(7);
        clock.advance(Duration.ofSeconds(10));

        for (InputFormat format : List.of(InputFormat.OTLP_PROTO, InputFormat.OTLP_JSON)) {
            Collection<MetricData> metrics = reader.collectAllMetrics();
            byte[] bytes = format == InputFormat.OTLP_PROTO ? binary(metrics) : json(metrics);
            Map<String, MetricPoint> points = byName(decode(format, bytes));
            assertEquals(3, points.size(), points.toString());

            MetricPoint counter = points.get("http.server.requests");
            assertEquals(MetricKind.COUNTER, counter.getKind(), "monotonic cumulative sum: the detector rates it");
            assertEquals(120.0, counter.getValue());
            assertEquals("{request}", counter.getUnit());
            assertEquals(START.plusSeconds(10), counter.getTime());
            assertEquals("/pay", counter.getLabels().get("http.route"));
            assertEquals("shop", counter.getLabels().get("service.namespace"), "a kept resource attribute");
            assertTrue(!counter.getLabels().containsKey("process.pid"), "a process id would split series at restart");
            assertEquals("checkout", counter.getResource().getService());
            assertEquals("staging", counter.getResource().getEnvironment());
            assertEquals("node-7", counter.getResource().getHost());
            assertEquals("checkout-5d8f-x2", counter.getResource().getInstance(), "k8s.pod.name without instance id");

            MetricPoint upDown = points.get("http.server.active_requests");
            assertEquals(MetricKind.GAUGE, upDown.getKind(), "an up-down counter is a level");
            assertEquals(7.0, upDown.getValue());

            MetricPoint gauge = points.get("process.cpu.utilization");
            assertEquals(MetricKind.GAUGE, gauge.getKind());
            assertEquals(0.42, gauge.getValue(), 1e-12);
            assertEquals("user", gauge.getLabels().get("cpu.mode"));
        }
        provider.close();
    }

    @Test
    void deltaSumsAreRatesAndDeltaHistogramsGiveCountRateMeanAndQuantiles() throws Exception {
        TestClock clock = TestClock.create(START);
        InMemoryMetricReader reader = InMemoryMetricReader.createDelta();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock).setResource(resource())
                .registerMetricReader(reader).build();
        Meter meter = provider.get("io.sift.test");
        LongCounter bytes = meter.counterBuilder("net.io").setUnit("By").build();
        DoubleHistogram latency = meter.histogramBuilder("http.server.request.duration").setUnit("ms")
                .setExplicitBucketBoundariesAdvice(List.of(10.0, 20.0, 50.0, 100.0, 200.0, 500.0)).build();
        reader.collectAllMetrics(); // opens the first interval
        bytes.add(6000);
        for (int i = 1; i <= 100; i++) {
            latency.record(i * 2.0); // 2 .. 200 ms, uniform
        }
        clock.advance(Duration.ofSeconds(60));

        Map<String, MetricPoint> points = byName(decode(InputFormat.OTLP_PROTO, binary(reader.collectAllMetrics())));
        MetricPoint rate = points.get("net.io");
        assertEquals(MetricKind.GAUGE, rate.getKind());
        assertEquals(100.0, rate.getValue(), 1e-9, "6000 bytes in 60 s");
        assertEquals("By/s", rate.getUnit());

        assertEquals(100.0 / 60, points.get("http.server.request.duration.count").getValue(), 1e-9);
        assertEquals(101.0, points.get("http.server.request.duration.mean").getValue(), 1e-9);
        MetricPoint p50 = points.get("http.server.request.duration.p50");
        MetricPoint p99 = points.get("http.server.request.duration.p99");
        assertEquals(MetricKind.HISTOGRAM_SUMMARY, p50.getKind());
        assertEquals("ms", p50.getUnit());
        assertEquals(100.0, p50.getValue(), 5.0, "the median of 2..200 ms");
        assertEquals(198.0, p99.getValue(), 5.0, "p99 of 2..200 ms");
        assertTrue(points.containsKey("http.server.request.duration.p95"));
        provider.close();
    }

    @Test
    void cumulativeHistogramsGiveCountAndSumAsCountersForTheDetectorsRate() throws Exception {
        TestClock clock = TestClock.create(START);
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock).setResource(resource())
                .registerMetricReader(reader).build();
        DoubleHistogram latency = provider.get("t").histogramBuilder("rpc.duration").setUnit("s").build();
        latency.record(0.5);
        latency.record(1.5);
        clock.advance(Duration.ofSeconds(10));
        Map<String, MetricPoint> points = byName(decode(InputFormat.OTLP_PROTO, binary(reader.collectAllMetrics())));
        assertEquals(MetricKind.COUNTER, points.get("rpc.duration.count").getKind());
        assertEquals(2.0, points.get("rpc.duration.count").getValue());
        assertEquals(MetricKind.COUNTER, points.get("rpc.duration.sum").getKind());
        assertEquals(2.0, points.get("rpc.duration.sum").getValue(), 1e-12);
        assertNull(points.get("rpc.duration.p99"), "interval quantiles need delta temporality");
        provider.close();
    }

    @Test
    void deltaExponentialHistogramsGiveQuantilesWithinTheirBucketResolution() throws Exception {
        TestClock clock = TestClock.create(START);
        InMemoryMetricReader reader = InMemoryMetricReader.builder()
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
                .setDefaultAggregationSelector(DefaultAggregationSelector.getDefault()
                        .with(InstrumentType.HISTOGRAM, Aggregation.base2ExponentialBucketHistogram()))
                .build();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock).setResource(resource())
                .registerMetricReader(reader).build();
        DoubleHistogram latency = provider.get("t").histogramBuilder("db.duration").setUnit("ms").build();
        reader.collectAllMetrics();
        for (int i = 1; i <= 1000; i++) {
            latency.record(i); // 1 .. 1000 ms
        }
        clock.advance(Duration.ofSeconds(10));
        Map<String, MetricPoint> points = byName(decode(InputFormat.OTLP_JSON, json(reader.collectAllMetrics())));
        assertEquals(100.0, points.get("db.duration.count").getValue(), 1e-9, "1000 in 10 s");
        assertEquals(500.5, points.get("db.duration.mean").getValue(), 1e-9);
        assertEquals(500.0, points.get("db.duration.p50").getValue(), 500 * 0.05, "within the bucket width");
        assertEquals(990.0, points.get("db.duration.p99").getValue(), 990 * 0.05);
        provider.close();
    }

    @Test
    void bytesThatAreNotAnOtlpRequestAreRefusedNamingTheFormat() throws Exception {
        TestClock clock = TestClock.create(START);
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock).registerMetricReader(reader).build();
        provider.get("t").counterBuilder("c").build().add(1);
        byte[] valid = binary(reader.collectAllMetrics());
        provider.close();

        for (byte[] bad : List.of(java.util.Arrays.copyOf(valid, valid.length - 5),
                "cpu=0.93 service=checkout".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, 0x01, 0x02, (byte) 0x80})) {
            DecodeException e = assertThrows(DecodeException.class, () -> decode(InputFormat.OTLP_PROTO, bad));
            assertEquals(ErrorKinds.MALFORMED_OTLP, e.errorKind());
            assertTrue(e.getMessage().startsWith("otlp-proto: "), e.getMessage());
        }
        DecodeException json = assertThrows(DecodeException.class,
                () -> decode(InputFormat.OTLP_JSON, "{\"resourceMetrics\": [ {".getBytes(StandardCharsets.UTF_8)));
        assertTrue(json.getMessage().startsWith("otlp-json: "), json.getMessage());
        DecodeException notUtf8 = assertThrows(DecodeException.class,
                () -> decode(InputFormat.OTLP_JSON, new byte[] {'{', (byte) 0xC3, '(', '}'}));
        assertEquals(ErrorKinds.MALFORMED_OTLP, notUtf8.errorKind());
    }

    @Test
    void quantileSuffixes() {
        assertEquals("p50", OtlpSettings.suffix(0.5));
        assertEquals("p99.9", OtlpSettings.suffix(0.999));
        assertEquals("p95", OtlpSettings.suffix(0.95));
        assertEquals("max", OtlpSettings.suffix(1.0));
    }
}
