package io.sift.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.sift.connectors.formats.InputFormat;
import io.sift.connectors.formats.OtlpMetricsDecoder;
import io.sift.connectors.formats.OtlpSettings;
import io.sift.core.validate.ErrorKinds;
import io.sift.core.validate.InputValidator;
import io.sift.schema.DeadLetter;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One source, topics of several formats: OTLP batches become many records, screened one by one; Avro as before. */
class FormatRecordDeserializerTest {

    private static final String OTLP = "otlp_metrics";
    private static final String AVRO = "sift.metrics";

    private final FormatRecordDeserializer<MetricPoint> deserializer = new FormatRecordDeserializer<>(
            MetricPoint.class, new SourceScreen(256 * 1024, new InputValidator(86_400_000L), 30_000, 1000),
            Map.of(OTLP, new OtlpMetricsDecoder(InputFormat.OTLP_PROTO, OtlpSettings.defaults())), 3 * 1024 * 1024);

    private long offset;

    private List<Either<DeadLetter, MetricPoint>> read(String topic, byte[] value) {
        List<Either<DeadLetter, MetricPoint>> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>(topic, 0, offset++, null, value), new Collector<>() {
            @Override
            public void collect(Either<DeadLetter, MetricPoint> record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        return out;
    }

    /** A batch of gauges from the SDK at a time. */
    private static byte[] batch(Instant at, double... values) throws Exception {
        TestClock clock = TestClock.create(at);
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider provider = SdkMeterProvider.builder().setClock(clock).registerMetricReader(reader)
                .setResource(io.opentelemetry.sdk.resources.Resource.create(Attributes.builder()
                        .put("service.name", "cart").build()))
                .build();
        provider.get("t").gaugeBuilder("queue.depth").buildWithCallback(g -> {
            for (int i = 0; i < values.length; i++) {
                g.record(values[i], Attributes.builder().put("queue", "q" + i).build());
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricsRequestMarshaler.create(reader.collectAllMetrics()).writeBinaryTo(out);
        provider.close();
        return out.toByteArray();
    }

    /** Two SDK batches in one message (concatenated protobuf messages merge): the second 30 days ahead. */
    private static byte[] batchWithOneFromTheFuture() throws Exception {
        byte[] now = batch(Instant.now().minusSeconds(5), 3, 5);
        byte[] future = batch(Instant.now().plus(java.time.Duration.ofDays(30)), 7);
        byte[] both = java.util.Arrays.copyOf(now, now.length + future.length);
        System.arraycopy(future, 0, both, now.length, future.length);
        return both;
    }

    @Test
    void aBatchGivesItsRecordsAndDeadLettersOnlyTheBadOneAndARetriedBatchIsARepeat() throws Exception {
        byte[] batch = batchWithOneFromTheFuture();
        List<Either<DeadLetter, MetricPoint>> first = read(OTLP, batch);
        assertEquals(3, first.size());
        assertEquals(2, first.stream().filter(Either::isRight).count());
        DeadLetter future = first.stream().filter(Either::isLeft).findFirst().orElseThrow().left();
        assertEquals(ErrorKinds.TIMESTAMP_IN_FUTURE, future.getErrorKind());
        assertTrue(future.getMessage().contains("3 of 3 of the otlp-proto message"), future.getMessage());
        assertEquals(OTLP, future.getSourceTopic());

        List<Either<DeadLetter, MetricPoint>> retried = read(OTLP, batch);
        assertEquals(List.of(ErrorKinds.DUPLICATE, ErrorKinds.DUPLICATE, ErrorKinds.TIMESTAMP_IN_FUTURE),
                retried.stream().map(e -> e.left().getErrorKind()).sorted().toList(),
                "a byte-identical retry of the batch repeats every record");
    }

    @Test
    void aMessageNotOfItsTopicsFormatIsOneDeadLetterNamingTheFormat() {
        List<Either<DeadLetter, MetricPoint>> out = read(OTLP, "up{job=\"x\"} 1".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, out.size());
        assertEquals(ErrorKinds.MALFORMED_OTLP, out.get(0).left().getErrorKind());
        assertTrue(out.get(0).left().getMessage().startsWith("otlp-proto: "), out.get(0).left().getMessage());

        List<Either<DeadLetter, MetricPoint>> empty = read(OTLP, new byte[0]);
        assertEquals(ErrorKinds.EMPTY_RECORD, empty.get(0).left().getErrorKind(), "an empty batch is not lost silently");
        assertEquals(ErrorKinds.EMPTY_RECORD, read(OTLP, null).get(0).left().getErrorKind());
    }

    @Test
    void avroTopicsAreReadAsBefore() throws Exception {
        MetricPoint point = MetricPoint.newBuilder().setTime(Instant.now()).setName("cpu").setValue(0.5)
                .setResource(Resource.newBuilder().setService("cart").build()).build();
        byte[] avro = AvroRecordSerializer.encode(AvroRecordSerializer.encoderFor(MetricPoint.class), point);
        List<Either<DeadLetter, MetricPoint>> out = read(AVRO, avro);
        assertEquals(List.of(point), out.stream().map(Either::right).toList());
        assertEquals(ErrorKinds.NOT_SINGLE_OBJECT_AVRO, read(AVRO, "x".repeat(20).getBytes()).get(0).left()
                .getErrorKind());
    }
}
