package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.validate.ErrorKinds;
import io.sift.schema.DeadLetter;
import io.sift.schema.SiftSchemas;
import io.sift.testing.LocalServices;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topics written by producers with every compression codec Kafka has ({@code compression.type=producer} lets each
 * producer choose) are read by the job in every launch mode: {@code ./sift run} on the launcher's class path, and the
 * shaded job jar on what a Flink cluster provides. Each codec's batch holds a record that is not Sift Avro, so its dead
 * letter (with the original bytes) proves the batch was decompressed and read. And a job that cannot read its input
 * (a codec missing from the class path) ends {@code ./sift run} with the cause and exit 1 instead of restarting forever.
 */
class CompressedInputITCase {

    private static final List<String> CODECS = List.of("lz4", "snappy", "zstd", "gzip");

    @TempDir
    Path dir;

    @BeforeAll
    static void kafka() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyCodecIsReadBySiftRunAndByTheShadedJobJar() throws Exception {
        for (String mode : List.of("run", "shaded")) {
            String name = ScenarioRuns.uniqueName("codecs-" + mode);
            Map<String, String> settings = inputWithEveryCodec(name, CODECS);
            Launcher.Started job = mode.equals("run")
                    ? Launcher.sift(dir.resolve(mode + ".log"), Map.of(), Launcher.concat(new String[] {"run"},
                            Launcher.settings(settings)))
                    : Launcher.java(shadedJarOnACluster(), SiftJobMain.class.getName(), dir.resolve(mode + ".log"),
                            Launcher.settings(withoutRestarts(settings)));
            int exit = job.await(Duration.ofMinutes(2));
            assertEquals(0, exit, mode + ": " + job.tail(40));
            assertEquals(new TreeSet<>(CODECS), deadLetteredCodecs(settings), mode + ": one dead letter per codec's batch");
            if (mode.equals("run")) {
                assertTrue(job.output().contains("dead letters of this run: 4 (" + ErrorKinds.NOT_SINGLE_OBJECT_AVRO
                        + " 4)"), "./sift run reports the dead letters by kind:\n" + job.tail(20));
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anInputTheJobCannotReadEndsTheRunWithItsCause() throws Exception {
        String name = ScenarioRuns.uniqueName("codec-missing");
        Map<String, String> settings = inputWithEveryCodec(name, List.of("lz4"));
        settings.put(RunOptions.RESTART_ATTEMPTS.key(), "1");
        List<String> withoutLz4 = new ArrayList<>(List.of(Launcher.jobsJar().toString()));
        withoutLz4.addAll(Launcher.classPath("launcher-classpath.txt").stream().filter(e -> !e.contains("lz4")).toList());

        Launcher.Started run = Launcher.java(withoutLz4, "io.sift.jobs.cli.SiftCli", dir.resolve("missing.log"),
                Launcher.concat(new String[] {"run"}, Launcher.settings(settings)));
        int exit = run.await(Duration.ofMinutes(2));

        String output = run.output();
        assertEquals(1, exit, output);
        assertTrue(output.contains("sift run: the job failed and is not restarted again"), output);
        assertTrue(output.contains("NoClassDefFoundError") && output.contains("lz4"), output);
        assertTrue(output.contains("missing from the class path"), output);
    }

    /** The shaded job jar and Flink's own jars, nothing else: the class path of a job on a cluster. */
    private static List<String> shadedJarOnACluster() throws Exception {
        try (ZipFile jar = new ZipFile(Launcher.shadedJar().toFile())) {
            for (String codec : List.of("net/jpountz/lz4/LZ4Factory.class", "org/xerial/snappy/Snappy.class",
                    "com/github/luben/zstd/Zstd.class")) {
                assertTrue(jar.getEntry(codec) != null, "the shaded jar holds " + codec);
            }
        }
        List<String> classPath = new ArrayList<>(List.of(Launcher.shadedJar().toString()));
        List<String> cluster = Launcher.classPath("cluster-classpath.txt");
        assertFalse(cluster.stream().anyMatch(e -> e.contains("kafka") || e.contains("/io/sift/")), cluster.toString());
        classPath.addAll(cluster);
        // What the shade plugin leaves out because Flink's lib has it (jobs/pom.xml: artifactSet excludes).
        classPath.addAll(Launcher.classPath("launcher-classpath.txt").stream()
                .filter(e -> e.contains("/org/slf4j/") || e.contains("/flink-shaded-") || e.contains("/log4j/")
                        || e.contains("/jsr305/"))
                .toList());
        return classPath;
    }

    /** SiftJobMain takes the cluster's restart strategy: here none, so that a failure ends the test at once. */
    private static Map<String, String> withoutRestarts(Map<String, String> settings) {
        Map<String, String> copy = new HashMap<>(settings);
        copy.put("restart-strategy.type", "none");
        return copy;
    }

    /**
     * Fresh input topics {@code <name>.metrics} etc. (empty but the metrics), and on the metrics topic one batch per
     * codec, each from its own producer, holding the record {@code not Sift Avro: <codec>}; returns the job's settings
     * (bounded, its own group, incident and dead-letter topics).
     */
    private Map<String, String> inputWithEveryCodec(String name, List<String> codecs) throws Exception {
        String kafka = LocalServices.kafkaBootstrap();
        Map<String, String> settings = ScenarioRuns.kafkaSettings(name, kafka, true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), name);
        settings.put(SiftOptions.TOPIC_INCIDENTS.key(), name + ".incidents");
        settings.put(SiftOptions.TOPIC_DEAD_LETTERS.key(), name + ".deadletter");
        settings.put(ItsmOptions.TOPIC_PROBLEMS.key(), name + ".problems");
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "1 s");
        settings.put(RunOptions.STATE_DIR.key(), dir.resolve("state").toString());
        Configuration conf = SiftSettings.load(null, settings);
        try (ScenarioKafka topics = new ScenarioKafka(kafka)) {
            topics.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS),
                    conf.get(ItsmOptions.TOPIC_PROBLEMS)), 1);
        }
        for (String codec : codecs) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                producer.send(new ProducerRecord<>(conf.get(SiftOptions.TOPIC_METRICS), payload(codec))).get();
            }
        }
        return settings;
    }

    private static byte[] payload(String codec) {
        return ("not Sift Avro: " + codec).getBytes(StandardCharsets.UTF_8);
    }

    /** The codecs named by the payloads of the dead letters on the run's dead-letter topic. */
    private static Set<String> deadLetteredCodecs(Map<String, String> settings) {
        String topic = settings.get(SiftOptions.TOPIC_DEAD_LETTERS.key());
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(SiftOptions.KAFKA_BOOTSTRAP.key()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        var decoder = SiftSchemas.decoderFor(DeadLetter.class);
        Set<String> codecs = new TreeSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        DeadLetter deadLetter = decoder.decode(ByteBuffer.wrap(record.value()));
                        String original = StandardCharsets.UTF_8.decode(deadLetter.getPayload()).toString();
                        codecs.add(original.substring(original.indexOf(':') + 2));
                    } catch (java.io.IOException e) {
                        throw new AssertionError("an undecodable dead letter on " + topic, e);
                    }
                }
            }
        }
        return codecs;
    }
}
