package io.sift.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.validate.ErrorKinds;
import io.sift.core.validate.InputValidator;
import io.sift.schema.DeadLetter;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.testing.Bytes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Each screen of the Kafka source refuses its kind of bad record with the original bytes and position. */
class SourceScreenTest {

    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1));
    private static final long LATENESS = 30_000;

    private final SourceScreen screen = new SourceScreen(4096, new InputValidator(Duration.ofDays(1).toMillis()),
            LATENESS, 100);
    private final AvroRecordDeserializer<MetricPoint> metrics = new AvroRecordDeserializer<>(MetricPoint.class, screen);
    private final AvroRecordDeserializer<LogRecord> logs = new AvroRecordDeserializer<>(LogRecord.class, screen);
    private final BinaryMessageEncoder<MetricPoint> metricEncoder = AvroRecordSerializer.encoderFor(MetricPoint.class);
    private final BinaryMessageEncoder<LogRecord> logEncoder = AvroRecordSerializer.encoderFor(LogRecord.class);
    private long offset;

    @Test
    void validRecordsInOrderPass() {
        for (int i = 0; i < 10; i++) {
            assertTrue(metrics.decode(kafka(0, metric("cpu", T0.plusSeconds(i), i))).isRight());
        }
    }

    @Test
    void recordsLargerThanTheLimitAreRefusedUndecoded() {
        byte[] big = bytes(log(T0, "x".repeat(5000), 17));
        DeadLetter dl = refused(logs.decode(kafka(1, big)), ErrorKinds.TOO_LARGE, big);
        assertEquals("decode", dl.getStage());
        assertTrue(dl.getMessage().contains("larger than the 4096 bytes"), dl.getMessage());
    }

    @Test
    void invalidUtf8IsRefusedButAnEncodedReplacementCharacterIsNot() {
        byte[] good = bytes(log(T0, "caf\u00e9 ready", 9));
        byte[] bad = good.clone();
        int at = Bytes.indexOf(bad, new byte[] {(byte) 0xC3, (byte) 0xA9});
        bad[at + 1] = '(';
        refused(logs.decode(kafka(0, bad)), ErrorKinds.INVALID_UTF8, bad);
        assertTrue(logs.decode(kafka(0, bytes(log(T0, "odd \uFFFD in the text", 9)))).isRight());
    }

    @Test
    void validationFailuresCarryTheirKind() {
        refused(metrics.decode(kafka(0, bytes(metric("cpu", T0, Double.NaN)))), ErrorKinds.INVALID_VALUE, null);
        refused(metrics.decode(kafka(0, bytes(metric("cpu", T0, Double.POSITIVE_INFINITY)))), ErrorKinds.INVALID_VALUE,
                null);
        refused(metrics.decode(kafka(0, bytes(metric("", T0, 1)))), ErrorKinds.MISSING_FIELD, null);
        refused(metrics.decode(kafka(0, bytes(metric("cpu", Instant.now().plus(Duration.ofDays(3)), 1)))),
                ErrorKinds.TIMESTAMP_IN_FUTURE, null);
        refused(metrics.decode(kafka(0, bytes(metric("cpu", Instant.ofEpochSecond(1_700_000), 1)))),
                ErrorKinds.TIMESTAMP_TOO_OLD, null);
    }

    @Test
    void itsmFeedbackIsValidatedAtTheSourceButNotJudgedByEventTimeOrder() {
        // As the job reads the feedback topic: size, UTF-8 and validation, no lateness (feedback applies even late).
        SourceScreen unordered = new SourceScreen(4096, new InputValidator(Duration.ofDays(1).toMillis()), -1, 0);
        AvroRecordDeserializer<ItsmUpdate> feedback = new AvroRecordDeserializer<>(ItsmUpdate.class, unordered);
        BinaryMessageEncoder<ItsmUpdate> encoder = AvroRecordSerializer.encoderFor(ItsmUpdate.class);
        ItsmUpdate ack = ItsmUpdate.newBuilder().setIncidentId("inc-1").setAction(ItsmAction.ACKNOWLEDGED)
                .setTime(T0.plusSeconds(60)).setAssignee("dba-oncall").build();
        assertTrue(feedback.decode(kafka(0, AvroRecordSerializer.encode(encoder, ack))).isRight());
        ItsmUpdate earlier = ItsmUpdate.newBuilder(ack).setTime(T0.minus(Duration.ofHours(2))).build();
        assertTrue(feedback.decode(kafka(0, AvroRecordSerializer.encode(encoder, earlier))).isRight(),
                "an older acknowledgement is not late");
        byte[] noId = AvroRecordSerializer.encode(encoder, ItsmUpdate.newBuilder(ack).setIncidentId(" ").build());
        refused(feedback.decode(kafka(0, noId)), ErrorKinds.MISSING_FIELD, noId);
        byte[] unknown = AvroRecordSerializer.encode(encoder,
                ItsmUpdate.newBuilder(ack).setAction(ItsmAction.UNKNOWN).build());
        refused(feedback.decode(kafka(0, unknown)), ErrorKinds.UNKNOWN_ACTION, unknown);
    }

    @Test
    void recordsLaterThanTheAllowedLatenessBehindTheirPartitionAreLate() {
        assertTrue(metrics.decode(kafka(0, metric("cpu", T0.plusSeconds(100), 1))).isRight());
        // Within the lateness: in order for the watermark.
        assertTrue(metrics.decode(kafka(0, metric("cpu", T0.plusSeconds(71), 1))).isRight());
        // Another partition has its own event time.
        assertTrue(metrics.decode(kafka(1, metric("cpu", T0, 1))).isRight());
        byte[] late = bytes(metric("cpu", T0.plusSeconds(69), 1));
        DeadLetter dl = refused(metrics.decode(kafka(0, late)), ErrorKinds.LATE, late);
        assertTrue(dl.getMessage().contains("31000 ms behind"), dl.getMessage());
    }

    @Test
    void byteIdenticalRepeatsAreDuplicatesAndOtherValuesAtTheSameTimeAreNot() {
        byte[] point = bytes(metric("cpu", T0, 1));
        assertTrue(metrics.decode(kafka(0, point)).isRight());
        refused(metrics.decode(kafka(0, point.clone())), ErrorKinds.DUPLICATE, point);
        assertTrue(metrics.decode(kafka(0, metric("cpu", T0, 2))).isRight());
        assertTrue(metrics.decode(kafka(0, metric("mem", T0, 1))).isRight());
    }

    @Test
    void theDuplicateMemoryIsBoundedByCountAndByTheLateness() {
        PartitionMemory memory = new PartitionMemory(100);
        for (int i = 0; i < 1000; i++) {
            memory.accept(i, 1_000_000 + i, 1_000_000);
        }
        assertEquals(100, memory.remembered(), "capacity");
        PartitionMemory byTime = new PartitionMemory(1000);
        for (int i = 0; i < 1000; i++) {
            byTime.accept(i, i * 1000L, 10_000);
        }
        assertEquals(11, byTime.remembered(), "only records within the lateness of the newest");
    }

    private DeadLetter refused(Either<DeadLetter, ?> result, String kind, byte[] original) {
        assertTrue(result.isLeft(), () -> "expected " + kind + " for " + result.right());
        DeadLetter dl = result.left();
        assertEquals(kind, dl.getErrorKind(), dl.getMessage());
        assertEquals("topic", dl.getSourceTopic());
        assertEquals(offset - 1, dl.getSourceOffset());
        if (original != null) {
            assertArrayEquals(original, Bytes.of(dl.getPayload()));
        }
        assertTrue(dl.getTime().isAfter(Instant.now().minusSeconds(60)));
        return dl;
    }

    private ConsumerRecord<byte[], byte[]> kafka(int partition, MetricPoint point) {
        return kafka(partition, bytes(point));
    }

    private ConsumerRecord<byte[], byte[]> kafka(int partition, byte[] value) {
        return new ConsumerRecord<>("topic", partition, offset++, "key".getBytes(StandardCharsets.UTF_8), value);
    }

    private byte[] bytes(MetricPoint point) {
        return AvroRecordSerializer.encode(metricEncoder, point);
    }

    private byte[] bytes(LogRecord log) {
        return AvroRecordSerializer.encode(logEncoder, log);
    }

    private static MetricPoint metric(String name, Instant time, double value) {
        return MetricPoint.newBuilder().setName(name).setTime(time).setValue(value)
                .setResource(Resource.newBuilder().setService("checkout").build()).setLabels(Map.of()).build();
    }

    private static LogRecord log(Instant time, String body, int severity) {
        return LogRecord.newBuilder().setTime(time).setBody(body).setSeverityNumber(severity)
                .setResource(Resource.newBuilder().setService("checkout").build()).build();
    }
}
