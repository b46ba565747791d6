package io.sift.jobs;

import io.sift.connectors.kafka.AvroRecordDeserializer;
import io.sift.connectors.kafka.SourceScreen;
import io.sift.schema.DeadLetter;
import java.io.Serializable;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * One input of the job: decoded records on the right, undecodable ones as dead letters on the left. The job
 * passes the watermark strategy, so Kafka sources get per-partition watermarks.
 */
@FunctionalInterface
public interface SiftSource<T extends SpecificRecordBase> extends Serializable {

    DataStream<Either<DeadLetter, T>> create(StreamExecutionEnvironment env,
            WatermarkStrategy<Either<DeadLetter, T>> watermarks, String name, String uid);

    /** A Kafka topic of Avro single-object encoded records. */
    static <T extends SpecificRecordBase> SiftSource<T> kafka(String bootstrap, String topic, String groupId,
            Class<T> recordClass, boolean bounded) {
        return kafka(bootstrap, topic, groupId, recordClass, bounded, java.util.Map.of());
    }

    /** A Kafka topic read with extra client properties (security: {@link KafkaSecurityOptions}). */
    static <T extends SpecificRecordBase> SiftSource<T> kafka(String bootstrap, String topic, String groupId,
            Class<T> recordClass, boolean bounded, java.util.Map<String, String> clientProperties) {
        return kafka(bootstrap, topic, groupId, recordClass, bounded, clientProperties, SourceScreen.none());
    }

    /** A Kafka topic whose records are screened (size, UTF-8, validity, lateness, duplicates) as they are read. */
    static <T extends SpecificRecordBase> SiftSource<T> kafka(String bootstrap, String topic, String groupId,
            Class<T> recordClass, boolean bounded, java.util.Map<String, String> clientProperties,
            SourceScreen screen) {
        return kafka(bootstrap, topic, groupId, recordClass, bounded, clientProperties, screen, false);
    }

    /**
     * A screened Kafka topic that may not exist yet (e.g. ITSM feedback before the ITSM integration is set up):
     * subscribed by name pattern, so a missing topic reads as empty instead of failing the job, and partition
     * discovery picks it up once it is created.
     */
    static <T extends SpecificRecordBase> SiftSource<T> optionalKafka(String bootstrap, String topic, String groupId,
            Class<T> recordClass, boolean bounded, java.util.Map<String, String> clientProperties,
            SourceScreen screen) {
        return kafka(bootstrap, topic, groupId, recordClass, bounded, clientProperties, screen, true);
    }

    private static <T extends SpecificRecordBase> SiftSource<T> kafka(String bootstrap, String topic, String groupId,
            Class<T> recordClass, boolean bounded, java.util.Map<String, String> clientProperties,
            SourceScreen screen, boolean optional) {
        return kafka(bootstrap, List.of(topic), groupId, new AvroRecordDeserializer<>(recordClass, screen), bounded,
                clientProperties, optional);
    }

    /**
     * Kafka topics read by one source, each decoded in its own format by the deserializer (e.g. Sift Avro and the
     * OpenTelemetry Collector's OTLP: {@link io.sift.connectors.kafka.FormatRecordDeserializer}).
     */
    static <T extends SpecificRecordBase> SiftSource<T> kafka(String bootstrap, List<String> topics, String groupId,
            KafkaRecordDeserializationSchema<Either<DeadLetter, T>> deserializer, boolean bounded,
            java.util.Map<String, String> clientProperties) {
        return kafka(bootstrap, topics, groupId, deserializer, bounded, clientProperties, false);
    }

    /** A topic that may not exist yet (see the Avro form above), decoded by the deserializer. */
    static <T extends SpecificRecordBase> SiftSource<T> optionalKafka(String bootstrap, String topic, String groupId,
            KafkaRecordDeserializationSchema<Either<DeadLetter, T>> deserializer, boolean bounded,
            java.util.Map<String, String> clientProperties) {
        return kafka(bootstrap, List.of(topic), groupId, deserializer, bounded, clientProperties, true);
    }

    private static <T extends SpecificRecordBase> SiftSource<T> kafka(String bootstrap, List<String> topics,
            String groupId, KafkaRecordDeserializationSchema<Either<DeadLetter, T>> deserializer, boolean bounded,
            java.util.Map<String, String> clientProperties, boolean optional) {
        java.util.Map<String, String> properties = java.util.Map.copyOf(clientProperties);
        List<String> topicList = List.copyOf(topics);
        return (env, watermarks, name, uid) -> {
            var builder = KafkaSource.<Either<DeadLetter, T>>builder()
                    .setBootstrapServers(bootstrap);
            if (optional) {
                builder.setTopicPattern(java.util.regex.Pattern.compile(topicList.stream()
                        .map(java.util.regex.Pattern::quote).collect(java.util.stream.Collectors.joining("|"))));
            } else {
                builder.setTopics(topicList);
            }
            builder
                    .setGroupId(groupId)
                    .setStartingOffsets(OffsetsInitializer.committedOffsets(
                            org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST))
                    .setDeserializer(deserializer)
                    .setProperty("partition.discovery.interval.ms", bounded ? "-1" : "60000");
            properties.forEach(builder::setProperty);
            if (bounded) {
                builder.setBounded(OffsetsInitializer.latest());
            }
            return env.fromSource(new BoundedKafkaRestore<>(builder.build()), watermarks, name).uid(uid);
        };
    }

    /** An input with no records (e.g. no ITSM feedback in the embedded demo). */
    static <T extends SpecificRecordBase> SiftSource<T> empty(Class<T> recordClass) {
        return ofDecoded(List.of(), recordClass);
    }

    /** Records held in memory (embedded demo, tests). */
    static <T extends SpecificRecordBase> SiftSource<T> of(List<T> records, Class<T> recordClass) {
        List<Either<DeadLetter, T>> wrapped = records.stream().map(r -> Either.<DeadLetter, T>Right(r)).toList();
        return ofDecoded(wrapped, recordClass);
    }

    /** Decoded records and dead letters held in memory (tests of the dead-letter path). */
    static <T extends SpecificRecordBase> SiftSource<T> ofDecoded(List<Either<DeadLetter, T>> records,
            Class<T> recordClass) {
        EitherTypeInfo<DeadLetter, T> type = new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class),
                new AvroTypeInfo<>(recordClass));
        if (records.isEmpty()) {
            // Flink's in-memory sources refuse an empty collection: one sequence number, filtered out, finishes at
            // once like an empty input (and, finished, no longer holds back event time).
            return (env, watermarks, name, uid) -> env.fromSequence(0, 0).name(name).uid(uid)
                    .filter(n -> false).name(name + ": empty").uid(uid + "-empty")
                    .map(n -> (Either<DeadLetter, T>) null, type).name(name + ": typed").uid(uid + "-typed")
                    .assignTimestampsAndWatermarks(watermarks).name(name + ": watermarks").uid(uid + "-watermarks");
        }
        return (env, watermarks, name, uid) -> env
                .fromData(records, type)
                .name(name).uid(uid)
                .assignTimestampsAndWatermarks(watermarks).name(name + ": watermarks").uid(uid + "-watermarks");
    }
}
