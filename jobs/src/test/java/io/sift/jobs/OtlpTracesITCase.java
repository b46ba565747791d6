package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.sift.schema.AnomalyRef;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.testing.FixedInstants;
import io.sift.testing.LocalServices;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No CMDB, no metrics: two services instrumented with the OpenTelemetry Java SDK (frontend calls backend over HTTP,
 * naming it only by its Kubernetes address) export their spans every 10 s with the SDK's own OTLP marshaler to the
 * real Kafka, each service its own messages, as the Collector's kafka exporter writes them. Backend turns slow and
 * failing for ten minutes. The bounded job derives both services' traffic series, detects the fault on them, and
 * ranks backend first because the dependency its spans showed (frontend → backend) makes frontend's anomalies
 * depend on it; a message that is not OTLP is dead-lettered once with its format named.
 */
class OtlpTracesITCase {

    private static final Duration RUN = Duration.ofMinutes(60);
    private static final Duration FAULT_AT = Duration.ofMinutes(40);
    private static final Duration FAULT_FOR = Duration.ofMinutes(10);
    private static final long EXPORT_EVERY_MILLIS = 10_000;
    private static final long REQUEST_EVERY_MILLIS = 2_000;

    @BeforeAll
    static void kafka() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void spansOfTwoServicesBecomeTrafficSeriesAndADependencyThatRanksTheFaultyOne() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "traces-" + run;
        String spansTopic = environment + ".otlp_spans";
        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "traces-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        settings.put(TraceOptions.TOPICS.key(), spansTopic);
        Configuration conf = SiftSettings.load(null, settings);

        int messages = 0;
        int spans = 0;
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap());
                KafkaProducer<byte[], byte[]> producer = TopicRecords.bytesProducer();
                Estate estate = new Estate()) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            // One partition: with two, both services' keys land in one and the other holds only the foreign message,
            // so event time would not move until the bounded input ends (and everything is correlated at its end).
            kafka.recreateTopics(List.of(spansTopic), 1);
            long start = FixedInstants.T0.toEpochMilli();
            long faultFrom = start + FAULT_AT.toMillis();
            long faultTo = faultFrom + FAULT_FOR.toMillis();
            for (long slot = start; slot < start + RUN.toMillis(); slot += EXPORT_EVERY_MILLIS) {
                for (long t = slot; t < slot + EXPORT_EVERY_MILLIS; t += REQUEST_EVERY_MILLIS) {
                    estate.request(t, t >= faultFrom && t < faultTo);
                }
                for (Map.Entry<String, List<SpanData>> batch : estate.drain().entrySet()) {
                    producer.send(new ProducerRecord<>(spansTopic, key(batch.getKey()), otlpProto(batch.getValue())));
                    messages++;
                    spans += batch.getValue().size();
                }
            }
            producer.send(new ProducerRecord<>(spansTopic, key("x"),
                    "up{job=\"node\"} 1".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        System.out.printf("OtlpTracesITCase: %d OTLP trace messages, %d spans%n", messages, spans);

        long started = System.nanoTime();
        SiftJobMain.run(conf);
        System.out.printf("OtlpTracesITCase: bounded job finished in %.1f s%n", (System.nanoTime() - started) / 1e9);

        List<Incident> versions = TopicRecords.readAll(conf.get(SiftOptions.TOPIC_INCIDENTS), Incident.class);
        Set<String> metrics = new TreeSet<>();
        for (Incident version : versions) {
            for (AnomalyRef anomaly : version.getAnomalies()) {
                metrics.add(anomaly.getService() + " " + anomaly.getMetric());
            }
        }
        List<DeadLetter> deadLetters = TopicRecords.readAll(conf.get(SiftOptions.TOPIC_DEAD_LETTERS), DeadLetter.class);
        assertFalse(versions.isEmpty(), () -> "the fault becomes an incident; dead letters: " + deadLetters);
        assertTrue(metrics.contains("backend service.latency.p95"), () -> "anomalies: " + metrics);
        assertTrue(metrics.stream().allMatch(m -> m.contains(" service.")), () -> "only traffic series: " + metrics);
        // The bounded run's final watermark expires every edge, so versions emitted at the very end know no topology:
        // a version while the fault is on must rank with it.
        List<String> ranked = versions.stream()
                .filter(v -> v.getServices().containsAll(List.of("backend", "frontend")) && !v.getRootCauses().isEmpty())
                .map(v -> v.getVersion() + " " + v.getChange() + ": " + v.getRootCauses().get(0)).toList();
        assertTrue(ranked.stream().anyMatch(v -> v.contains("\"item\": \"backend\", \"rank\": 1")
                        && v.contains("1 anomalous item depends on it")),
                () -> "backend ranked first as the traced edge frontend -> backend places frontend's anomalies on it: "
                        + String.join("\n", ranked));
        assertTrue(ranked.stream().noneMatch(v -> v.contains("\"item\": \"frontend\", \"rank\": 1")),
                () -> "never frontend first: " + String.join("\n", ranked));

        List<DeadLetter> ofTraces = deadLetters.stream().filter(dl -> spansTopic.equals(dl.getSourceTopic())).toList();
        assertEquals(1, ofTraces.size(), () -> "dead letters: " + deadLetters);
        assertEquals(ErrorKinds.MALFORMED_OTLP, ofTraces.get(0).getErrorKind());
        assertTrue(ofTraces.get(0).getMessage().startsWith("otlp-proto: "), ofTraces.get(0).getMessage());
    }

    /** frontend (SERVER span, CLIENT span to backend's address) → backend (SERVER span), each its own SDK. */
    private static final class Estate implements AutoCloseable {
        private final Random random = new Random(7);
        private final InMemorySpanExporter frontendSpans = InMemorySpanExporter.create();
        private final InMemorySpanExporter backendSpans = InMemorySpanExporter.create();
        private final SdkTracerProvider frontend = provider("frontend", frontendSpans);
        private final SdkTracerProvider backend = provider("backend", backendSpans);
        private final Tracer front = frontend.get("shop.frontend");
        private final Tracer back = backend.get("shop.backend");

        private static SdkTracerProvider provider(String service, InMemorySpanExporter exporter) {
            return SdkTracerProvider.builder()
                    .setResource(io.opentelemetry.sdk.resources.Resource.empty().merge(
                            io.opentelemetry.sdk.resources.Resource.create(Attributes.builder()
                                    .put("service.name", service).put("k8s.namespace.name", "shop").build())))
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        }

        void request(long t, boolean faulty) {
            double backendMillis = (faulty ? 8 : 1) * (20 + 10 * random.nextDouble());
            boolean failed = faulty && random.nextDouble() < 0.4;
            Span request = front.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).setNoParent()
                    .setStartTimestamp(t, TimeUnit.MILLISECONDS).startSpan();
            Span call = front.spanBuilder("POST").setSpanKind(SpanKind.CLIENT)
                    .setParent(Context.root().with(request))
                    .setAttribute("server.address", "backend.shop.svc.cluster.local")
                    .setAttribute("http.request.method", "POST")
                    .setStartTimestamp(t + 2, TimeUnit.MILLISECONDS).startSpan();
            Span served = back.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER)
                    .setParent(Context.root().with(call))
                    .setStartTimestamp(t + 3, TimeUnit.MILLISECONDS).startSpan();
            long servedEnd = t + 3 + Math.round(backendMillis);
            if (failed) {
                served.setStatus(StatusCode.ERROR);
                call.setStatus(StatusCode.ERROR);
                request.setStatus(StatusCode.ERROR);
            }
            served.end(servedEnd, TimeUnit.MILLISECONDS);
            call.end(servedEnd + 1, TimeUnit.MILLISECONDS);
            request.end(servedEnd + 3 + random.nextInt(5), TimeUnit.MILLISECONDS);
        }

        /** Each service's finished spans since the last drain, by start time. */
        Map<String, List<SpanData>> drain() {
            Map<String, List<SpanData>> batches = new java.util.LinkedHashMap<>();
            batches.put("frontend", sorted(frontendSpans));
            batches.put("backend", sorted(backendSpans));
            return batches;
        }

        private static List<SpanData> sorted(InMemorySpanExporter exporter) {
            List<SpanData> spans = new ArrayList<>(exporter.getFinishedSpanItems());
            exporter.reset();
            spans.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
            return spans;
        }

        @Override
        public void close() {
            frontend.close();
            backend.close();
        }
    }

    private static byte[] otlpProto(List<SpanData> spans) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans).writeBinaryTo(out);
        return out.toByteArray();
    }

    private static byte[] key(String service) {
        return service.getBytes(StandardCharsets.UTF_8);
    }


}
