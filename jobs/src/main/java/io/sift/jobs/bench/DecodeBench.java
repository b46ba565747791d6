package io.sift.jobs.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.sift.connectors.formats.OtlpTracesDecoder;
import io.sift.schema.TraceSpan;
import io.sift.connectors.formats.InputFormat;
import io.sift.connectors.formats.JsonLogDecoder;
import io.sift.connectors.formats.JsonLogFields;
import io.sift.connectors.formats.OtlpMetricsDecoder;
import io.sift.connectors.formats.OtlpSettings;
import io.sift.connectors.formats.PrometheusJsonDecoder;
import io.sift.connectors.formats.RecordDecoder;
import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.connectors.kafka.FormatRecordDeserializer;
import io.sift.connectors.kafka.SourceScreen;
import io.sift.core.validate.InputValidator;
import io.sift.schema.DeadLetter;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decoding in the Kafka source alone (plain Java, one thread): the same metric samples as OTLP export requests
 * (otlp-proto and otlp-json, {@value #POINTS_PER_REQUEST} points per request as a Collector batch holds them), as
 * prometheus-kafka-adapter JSON (one per message) and, the baseline, as Sift's Avro single-object records, each through
 * the source's deserializer with its validation; JSON log lines (ECS events, as Filebeat writes them); and OTLP
 * trace requests (server and client spans). Records/s are decoded points (log lines, spans) per second.
 */
public final class DecodeBench {

    public static final String STAGE = "decode";

    static final int POINTS_PER_REQUEST = 500;
    private static final int SERVICES = 10;
    private static final int REQUESTS = 20;

    private DecodeBench() {}

    public static StageReport run(BenchSettings settings) throws Exception {
        Input input = new Input();
        // Validation as in the job; lateness and repeats off, as the replay passes the same bytes again and again.
        SourceScreen screen = new SourceScreen(256 * 1024, new InputValidator(86_400_000L), -1, 0);
        List<Throughput.Workload> workloads = List.of(
                new Decoding<>("otlp-proto metrics (points)", Measurement.Role.SUBJECT, MetricPoint.class, screen,
                        new OtlpMetricsDecoder(InputFormat.OTLP_PROTO, OtlpSettings.defaults()), input.otlpProto),
                new Decoding<>("Sift Avro metrics (baseline)", Measurement.Role.BASELINE, MetricPoint.class, screen,
                        null, input.avro),
                new Decoding<>("otlp-json metrics (points)", Measurement.Role.VARIANT, MetricPoint.class, screen,
                        new OtlpMetricsDecoder(InputFormat.OTLP_JSON, OtlpSettings.defaults()), input.otlpJson),
                new Decoding<>("prometheus-json metrics (samples)", Measurement.Role.VARIANT, MetricPoint.class,
                        screen, new PrometheusJsonDecoder(), input.prometheus),
                new Decoding<>("json log lines (ECS)", Measurement.Role.VARIANT, LogRecord.class, screen,
                        new JsonLogDecoder(JsonLogFields.preset("auto")), input.ecsLogs),
                new Decoding<>("otlp-proto traces (spans)", Measurement.Role.VARIANT, TraceSpan.class, screen,
                        new OtlpTracesDecoder(InputFormat.OTLP_PROTO), input.otlpSpans));
        StageReport report = new StageReport(STAGE, "Decoding in the Kafka source alone (plain Java, one thread):"
                + " foreign formats against Sift's Avro, with validation");
        for (Measurement m : Throughput.alternate(settings.warmUpSeconds(), settings.seconds(), settings.rounds(),
                workloads)) {
            report.add(m);
        }
        report.figure("otlp-proto bytes per point", (double) input.otlpProtoBytes / input.points, "bytes")
                .figure("Avro bytes per point", (double) input.avroBytes / input.points, "bytes")
                .note(String.format(Locale.ROOT, "%d points: %d services, 4 attributes a point, 6 resource attributes;"
                        + " half gauges, half cumulative sums; %d points per OTLP request", input.points, SERVICES,
                        POINTS_PER_REQUEST));
        return report;
    }

    /** The same samples in every format. */
    static final class Input {
        final List<byte[]> otlpProto = new ArrayList<>();
        final List<byte[]> otlpJson = new ArrayList<>();
        final List<byte[]> avro = new ArrayList<>();
        final List<byte[]> prometheus = new ArrayList<>();
        final List<byte[]> ecsLogs = new ArrayList<>();
        final List<byte[]> otlpSpans = new ArrayList<>();
        int points;
        long otlpProtoBytes;
        long avroBytes;

        Input() throws Exception {
            Random random = new Random(7);
            long now = System.currentTimeMillis() - 60_000;
            BinaryMessageEncoder<MetricPoint> encoder = AvroRecordSerializer.encoderFor(MetricPoint.class);
            List<MetricPoint> decoded = new ArrayList<>();
            OtlpMetricsDecoder reader = new OtlpMetricsDecoder(InputFormat.OTLP_PROTO, OtlpSettings.defaults());
            for (int r = 0; r < REQUESTS; r++) {
                String service = "service-" + (r % SERVICES);
                ScopeMetrics.Builder scope = ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime").build());
                long nanos = (now + r * 10_000L) * 1_000_000L;
                for (int i = 0; i < POINTS_PER_REQUEST; i++) {
                    NumberDataPoint point = NumberDataPoint.newBuilder()
                            .setTimeUnixNano(nanos).setStartTimeUnixNano(nanos - 3_600_000_000_000L)
                            .setAsDouble(random.nextDouble() * 1000)
                            .addAttributes(kv("http.route", "/api/v1/resource/" + (i % 25)))
                            .addAttributes(kv("http.request.method", i % 2 == 0 ? "GET" : "POST"))
                            .addAttributes(kv("http.response.status_code", Integer.toString(200 + i % 3)))
                            .addAttributes(kv("server.address", "10.0.0." + (i % 7)))
                            .build();
                    Metric.Builder metric = Metric.newBuilder().setName("http.server.metric." + (i / 25)).setUnit("ms");
                    if (i % 2 == 0) {
                        metric.setGauge(Gauge.newBuilder().addDataPoints(point));
                    } else {
                        metric.setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(
                                AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(point));
                    }
                    scope.addMetrics(metric);
                }
                ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                        .addResourceMetrics(ResourceMetrics.newBuilder()
                                .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                                        .addAttributes(kv("service.name", service))
                                        .addAttributes(kv("service.instance.id", service + "-7d9f-" + r))
                                        .addAttributes(kv("host.name", "node-" + (r % 3)))
                                        .addAttributes(kv("deployment.environment.name", "prod"))
                                        .addAttributes(kv("telemetry.sdk.language", "java"))
                                        .addAttributes(kv("process.pid", Integer.toString(4000 + r))))
                                .addScopeMetrics(scope))
                        .build();
                byte[] bytes = request.toByteArray();
                otlpProto.add(bytes);
                otlpProtoBytes += bytes.length;
                otlpJson.add(com.google.protobuf.util.JsonFormat.printer().print(request)
                        .getBytes(StandardCharsets.UTF_8));
                decoded.clear();
                reader.decode(bytes, decoded);
                for (MetricPoint p : decoded) {
                    byte[] a = AvroRecordSerializer.encode(encoder, p);
                    avro.add(a);
                    avroBytes += a.length;
                    prometheus.add(prometheusJson(p).getBytes(StandardCharsets.UTF_8));
                    points++;
                }
            }
            for (int r = 0; r < REQUESTS; r++) {
                otlpSpans.add(spans("service-" + (r % SERVICES), now + r * 10_000L, random).toByteArray());
            }
            for (int i = 0; i < 2_000; i++) {
                ecsLogs.add(("{\"@timestamp\":\"" + Instant.ofEpochMilli(now + i) + "\",\"message\":\"GET /api/v1/"
                        + "resource/" + (i % 25) + " answered 200 in " + random.nextInt(900) + " ms\",\"log\":{"
                        + "\"level\":\"info\",\"logger\":\"http\"},\"service\":{\"name\":\"service-" + (i % SERVICES)
                        + "\"},\"host\":{\"name\":\"node-" + (i % 3) + "\"},\"kubernetes\":{\"pod\":{\"name\":\"pod-"
                        + (i % 30) + "\"},\"namespace\":\"shop\"},\"ecs\":{\"version\":\"8.11.0\"}}")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }

        /**
         * Spans as an instrumented HTTP service exports them: per request a SERVER span and a CLIENT span to another
         * service (server.address) or a database (db.system), {@value #POINTS_PER_REQUEST} spans per request.
         */
        private static ExportTraceServiceRequest spans(String service, long startMillis, Random random) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").build());
            for (int i = 0; i < POINTS_PER_REQUEST / 2; i++) {
                long start = (startMillis + i * 20L) * 1_000_000L;
                ByteString trace = ByteString.copyFrom(longBytes(random.nextLong(), random.nextLong()));
                ByteString server = ByteString.copyFrom(longBytes(random.nextLong()));
                scope.addSpans(Span.newBuilder().setTraceId(trace).setSpanId(server).setName("GET /api/v1/resource")
                        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start)
                        .setEndTimeUnixNano(start + 1_000_000L * (5 + random.nextInt(200)))
                        .addAttributes(kv("http.route", "/api/v1/resource/" + (i % 25)))
                        .addAttributes(kv("http.request.method", "GET"))
                        .addAttributes(kv("http.response.status_code", "200"))
                        .setStatus(Status.newBuilder().setCode(i % 50 == 0 ? Status.StatusCode.STATUS_CODE_ERROR
                                : Status.StatusCode.STATUS_CODE_UNSET)));
                Span.Builder client = Span.newBuilder().setTraceId(trace)
                        .setSpanId(ByteString.copyFrom(longBytes(random.nextLong()))).setParentSpanId(server)
                        .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(start + 1_000_000L)
                        .setEndTimeUnixNano(start + 1_000_000L * (2 + random.nextInt(100)));
                if (i % 2 == 0) {
                    client.setName("SELECT orders").addAttributes(kv("db.system", "postgresql"))
                            .addAttributes(kv("db.namespace", "orders")).addAttributes(kv("server.address", "pg-0"));
                } else {
                    client.setName("POST").addAttributes(kv("http.request.method", "POST"))
                            .addAttributes(kv("server.address", "service-" + (i % SERVICES) + ".shop.svc"));
                }
                scope.addSpans(client);
            }
            return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(kv("service.name", service))
                            .addAttributes(kv("deployment.environment.name", "prod")))
                    .addScopeSpans(scope)).build();
        }

        private static byte[] longBytes(long... values) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(8 * values.length);
            for (long value : values) {
                buffer.putLong(value);
            }
            return buffer.array();
        }

        private static KeyValue kv(String key, String value) {
            return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
        }

        private static String prometheusJson(MetricPoint p) {
            StringBuilder sb = new StringBuilder("{\"timestamp\":\"").append(p.getTime()).append("\",\"value\":\"")
                    .append(p.getValue()).append("\",\"name\":\"").append(p.getName().replace('.', '_'))
                    .append("\",\"labels\":{\"job\":\"").append(p.getResource().getService())
                    .append("\",\"instance\":\"").append(p.getResource().getInstance()).append('"');
            for (Map.Entry<String, String> label : p.getLabels().entrySet()) {
                sb.append(",\"").append(label.getKey().replace('.', '_')).append("\":\"").append(label.getValue())
                        .append('"');
            }
            return sb.append("}}").toString();
        }
    }

    /** One format's messages through the source's deserializer, counting the records decoded. */
    static final class Decoding<T extends SpecificRecordBase> implements Throughput.Workload,
            Collector<Either<DeadLetter, T>> {
        private final String name;
        private final Measurement.Role role;
        private final FormatRecordDeserializer<T> deserializer;
        private final List<ConsumerRecord<byte[], byte[]>> messages = new ArrayList<>();
        private long decoded;
        private long refused;

        Decoding(String name, Measurement.Role role, Class<T> recordClass, SourceScreen screen,
                RecordDecoder<T> decoder, List<byte[]> values) {
            this.name = name;
            this.role = role;
            String topic = decoder == null ? "avro" : decoder.format().toString();
            this.deserializer = new FormatRecordDeserializer<>(recordClass, screen,
                    decoder == null ? Map.of() : Map.of(topic, decoder), 3 * 1024 * 1024);
            long offset = 0;
            for (byte[] value : values) {
                messages.add(new ConsumerRecord<>(topic, 0, offset++, null, value));
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Measurement.Role role() {
            return role;
        }

        @Override
        public long pass() {
            long before = decoded;
            for (ConsumerRecord<byte[], byte[]> message : messages) {
                deserializer.deserialize(message, this);
            }
            if (refused > 0) {
                throw new IllegalStateException(name + ": " + refused + " records refused; the bench input is valid");
            }
            return decoded - before;
        }

        @Override
        public void collect(Either<DeadLetter, T> record) {
            if (record.isRight()) {
                decoded++;
            } else {
                refused++;
            }
        }

        @Override
        public void close() {}
    }
}
