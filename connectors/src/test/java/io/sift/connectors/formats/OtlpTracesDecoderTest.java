package io.sift.connectors.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.CallTarget;
import io.sift.schema.TraceSpan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** OTLP traces as the OpenTelemetry SDK's own marshaler writes them, decoded into spans with their calls. */
class OtlpTracesDecoderTest {

    private static final Instant START = OtlpMetricsDecoderTest.START;

    private static SdkTracerProvider provider(String service, InMemorySpanExporter exporter) {
        return SdkTracerProvider.builder()
                .setResource(io.opentelemetry.sdk.resources.Resource.empty().merge(
                        io.opentelemetry.sdk.resources.Resource.create(Attributes.builder()
                                .put("service.name", service).put("deployment.environment.name", "prod").build())))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    }

    private static Span start(Tracer tracer, String name, SpanKind kind, Context parent, long offsetMillis,
            Attributes attributes) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).setAllAttributes(attributes)
                .setStartTimestamp(START.toEpochMilli() + offsetMillis, TimeUnit.MILLISECONDS).startSpan();
    }

    private static void end(Span span, long offsetMillis) {
        span.end(START.toEpochMilli() + offsetMillis, TimeUnit.MILLISECONDS);
    }

    /** Two services' spans of one trace, as one batch (a Collector gateway batches what it receives). */
    static List<SpanData> twoServices() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider frontend = provider("frontend", exporter);
                SdkTracerProvider backend = provider("backend", exporter)) {
            Tracer front = frontend.get("io.sift.test");
            Tracer back = backend.get("io.sift.test");
            Span request = start(front, "GET /checkout", SpanKind.SERVER, Context.root(), 0, Attributes.empty());
            Context inRequest = Context.root().with(request);
            // An HTTP client span naming only the Kubernetes address of the service it calls.
            Span call = start(front, "POST", SpanKind.CLIENT, inRequest, 5,
                    Attributes.builder().put("server.address", "backend.shop.svc.cluster.local").build());
            Span served = start(back, "POST /orders", SpanKind.SERVER, Context.root().with(call), 7,
                    Attributes.empty());
            Span query = start(back, "SELECT orders", SpanKind.CLIENT, Context.root().with(served), 8,
                    Attributes.builder().put("db.system", "postgresql").put("db.namespace", "orders").build());
            end(query, 20);
            Span publish = start(back, "orders.events publish", SpanKind.PRODUCER, Context.root().with(served), 21,
                    Attributes.builder().put("messaging.system", "kafka")
                            .put("messaging.destination.name", "orders.events").build());
            end(publish, 22);
            served.setStatus(StatusCode.ERROR);
            end(served, 30);
            end(call, 31);
            Span payment = start(front, "charge", SpanKind.CLIENT, inRequest, 32,
                    Attributes.builder().put("peer.service", "payments").put("server.address", "10.0.0.7").build());
            end(payment, 40);
            end(request, 45);
            // Read before the providers shut down: shutting down empties the in-memory exporter.
            return List.copyOf(exporter.getFinishedSpanItems());
        }
    }

    static byte[] write(List<SpanData> spans, boolean json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
        if (json) {
            marshaler.writeJsonTo(out);
        } else {
            marshaler.writeBinaryTo(out);
        }
        return out.toByteArray();
    }

    @Test
    void kindsTimesErrorsAndCallsOfTwoServicesInBothEncodings() throws Exception {
        List<SpanData> spans = twoServices();
        assertEquals(6, spans.size());
        for (InputFormat format : List.of(InputFormat.OTLP_PROTO, InputFormat.OTLP_JSON)) {
            List<TraceSpan> decoded = new ArrayList<>();
            new OtlpTracesDecoder(format).decode(write(spans, format == InputFormat.OTLP_JSON), decoded);
            Map<String, TraceSpan> byName = new TreeMap<>();
            decoded.forEach(s -> byName.put(s.getName().toString(), s));
            assertEquals(6, byName.size(), format + ": " + decoded);

            TraceSpan request = byName.get("GET /checkout");
            assertEquals(io.sift.schema.SpanKind.SERVER, request.getKind());
            assertEquals(START, request.getTime());
            assertEquals(45.0, request.getDurationMillis(), 1e-9);
            assertEquals("frontend", request.getResource().getService());
            assertEquals("prod", request.getResource().getEnvironment());
            assertTrue(request.getCalls().isEmpty(), "a server span calls nothing itself");

            TraceSpan served = byName.get("POST /orders");
            assertTrue(served.getError(), "ERROR status");
            assertEquals(23.0, served.getDurationMillis(), 1e-9);
            assertEquals("backend", served.getResource().getService());

            assertEquals(Map.of("backend", CallTarget.SERVICE), calls(byName.get("POST")),
                    format + ": the child server span's service replaces the address read as a service");
            assertEquals(Map.of("payments", CallTarget.SERVICE), calls(byName.get("charge")), "peer.service wins");
            assertEquals(Map.of("postgresql:orders", CallTarget.DATABASE), calls(byName.get("SELECT orders")));
            assertEquals(Map.of("orders.events", CallTarget.QUEUE), calls(byName.get("orders.events publish")));
        }
    }

    @Test
    void aClientSpanAloneNamesItsCalleeFromItsAddress() throws Exception {
        List<SpanData> spans = twoServices().stream().filter(s -> s.getName().equals("POST")).toList();
        List<TraceSpan> decoded = new ArrayList<>();
        new OtlpTracesDecoder(InputFormat.OTLP_PROTO).decode(write(spans, false), decoded);
        assertEquals(Map.of("backend", CallTarget.SERVICE), calls(decoded.get(0)),
                "without the server span, the Kubernetes service name of server.address");
        assertEquals("orders", OtlpTracesDecoder.serviceOfAddress("orders.shop.svc"));
        assertEquals("api.example.com", OtlpTracesDecoder.serviceOfAddress("api.example.com"));
        assertNull(OtlpTracesDecoder.serviceOfAddress("192.168.1.20"));
        assertNull(OtlpTracesDecoder.serviceOfAddress("fe80::1"));
    }

    @Test
    void foreignBytesAreMalformedOtlpNamingTheFormat() {
        DecodeException binary = assertThrows(DecodeException.class, () -> new OtlpTracesDecoder(InputFormat.OTLP_PROTO)
                .decode("up{job=\"node\"} 1".getBytes(StandardCharsets.UTF_8), new ArrayList<>()));
        assertEquals(ErrorKinds.MALFORMED_OTLP, binary.errorKind());
        assertTrue(binary.getMessage().startsWith("otlp-proto: "), binary.getMessage());
        DecodeException json = assertThrows(DecodeException.class, () -> new OtlpTracesDecoder(InputFormat.OTLP_JSON)
                .decode("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), new ArrayList<>()));
        assertEquals(ErrorKinds.MALFORMED_OTLP, json.errorKind());
        assertTrue(json.getMessage().startsWith("otlp-json: "), json.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OtlpTracesDecoder(InputFormat.AVRO));
    }

    private static Map<String, CallTarget> calls(TraceSpan span) {
        Map<String, CallTarget> calls = new TreeMap<>();
        span.getCalls().forEach(c -> calls.put(c.getTo().toString(), c.getType()));
        return calls;
    }
}
