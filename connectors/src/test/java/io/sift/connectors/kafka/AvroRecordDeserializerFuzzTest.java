package io.sift.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.avro.util.RandomData;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random and mutated bytes never crash the Kafka deserializers and never disappear: each record decodes, or becomes
 * a dead letter that carries the original bytes, the topic, partition and offset, and a known error kind.
 */
class AvroRecordDeserializerFuzzTest {

    private static final Set<String> ERROR_KINDS =
            Set.of("EMPTY_RECORD", "NOT_SINGLE_OBJECT_AVRO", "UNKNOWN_SCHEMA", "MALFORMED_AVRO", "INVALID_UTF8");
    private static final int VALID_RECORDS = 200;
    private static final int MUTATIONS_PER_RECORD = 25;

    @ParameterizedTest
    @ValueSource(classes = {MetricPoint.class, LogRecord.class, ChangeEvent.class, TopologyUpdate.class})
    void randomAndMutatedBytesDecodeOrBecomeDeadLettersWithTheirBytes(Class<? extends SpecificRecordBase> type)
            throws Exception {
        Schema schema = (Schema) type.getMethod("getClassSchema").invoke(null);
        AvroRecordDeserializer<? extends SpecificRecordBase> deserializer = new AvroRecordDeserializer<>(type);
        BinaryMessageEncoder<Object> encoder = new BinaryMessageEncoder<>(GenericData.get(), schema);
        Random random = new Random(schema.getFullName().hashCode());

        List<byte[]> inputs = new ArrayList<>();
        int valid = 0;
        for (Object record : new RandomData(schema, VALID_RECORDS, random.nextLong())) {
            byte[] encoded = encoder.encode(record).array();
            inputs.add(encoded);
            valid++;
            for (int m = 0; m < MUTATIONS_PER_RECORD; m++) {
                inputs.add(mutate(encoded, random));
            }
        }
        for (int i = 0; i < 500; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            inputs.add(noise);
        }
        inputs.add(new byte[0]);
        inputs.add(null);

        int decoded = 0;
        int deadLettered = 0;
        long offset = 0;
        for (byte[] value : inputs) {
            ConsumerRecord<byte[], byte[]> kafkaRecord = new ConsumerRecord<>("fuzz-topic", 3, offset++, null, value);
            Either<DeadLetter, ? extends SpecificRecordBase> result = deserializer.decode(kafkaRecord);
            assertNotNull(result);
            if (result.isRight()) {
                decoded++;
                assertEquals(type, result.right().getClass());
            } else {
                deadLettered++;
                DeadLetter deadLetter = result.left();
                assertTrue(ERROR_KINDS.contains(deadLetter.getErrorKind()), deadLetter.getErrorKind());
                assertEquals("fuzz-topic", deadLetter.getSourceTopic());
                assertEquals(3, deadLetter.getSourcePartition());
                assertEquals(kafkaRecord.offset(), deadLetter.getSourceOffset());
                if (value != null) {
                    assertArrayEquals(value, toArray(deadLetter.getPayload()), "the original bytes are kept");
                }
            }
        }
        assertEquals(inputs.size(), decoded + deadLettered, "every input accounted for");
        assertTrue(decoded >= valid, "every valid record decodes (" + decoded + " decoded, " + valid + " valid)");
        assertTrue(deadLettered >= 500, "noise is dead-lettered: " + deadLettered);
    }

    /** Bit flips, truncation, appended garbage, or a corrupted header/fingerprint. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = Arrays.copyOf(original, original.length);
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> {
                bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
                for (int i = original.length; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt();
                }
            }
            case 3 -> bytes[2 + random.nextInt(8)] = (byte) random.nextInt(); // fingerprint
            default -> bytes[random.nextInt(2)] = (byte) random.nextInt(); // header marker
        }
        return bytes;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
