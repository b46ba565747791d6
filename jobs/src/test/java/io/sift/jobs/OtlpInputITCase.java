package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.formats.InputFormat;
import io.sift.connectors.formats.OtlpMetricsDecoder;
import io.sift.connectors.formats.OtlpSettings;
import io.sift.core.validate.ErrorKinds;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.testing.LocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No producer written for Sift: the single-fault estate's services are instrumented with the OpenTelemetry Java SDK,
 * whose own OTLP marshalers write their metrics (otlp-proto, on a second metrics topic beside the empty Avro one) and
 * logs (otlp-json, as the logs topic's format) to the real Kafka, one export request per service and collection, as the
 * Collector's kafka exporter does. The bounded job turns the fault into its incident, naming the faulty item; a message
 * of each topic that is not OTLP is dead-lettered once with its format named, and nothing else is.
 */
class OtlpInputITCase {

    @BeforeAll
    static void kafka() {
        LocalServices.kafkaBootstrap();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void anSdkInstrumentedEstateOnOtlpTopicsBecomesItsIncidentAndForeignBytesAreDeadLetteredWithTheFormat()
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String environment = "otlp-" + run;
        Scenario scenario = ScenarioRuns.oneFault(environment, 11);
        InjectedFault fault = scenario.faults().get(0);
        String otlpMetrics = environment + ".otlp_metrics";

        Map<String, String> settings = ScenarioRuns.kafkaSettings(environment, LocalServices.kafkaBootstrap(), true);
        settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "otlp-" + run);
        settings.put(SiftOptions.CHECKPOINT_INTERVAL.key(), "2 s");
        settings.put(InputOptions.METRICS_MORE_TOPICS.key(), otlpMetrics + ":otlp-proto");
        settings.put(SiftOptions.TOPIC_LOGS.key(), environment + ".otlp_logs");
        settings.put(InputOptions.LOGS_FORMAT.key(), "otlp-json");
        Configuration conf = SiftSettings.load(null, settings);
        String logsTopic = conf.get(SiftOptions.TOPIC_LOGS);

        long decodedPoints = 0;
        long messages = 0;
        try (ScenarioKafka kafka = new ScenarioKafka(LocalServices.kafkaBootstrap());
                KafkaProducer<byte[], byte[]> producer = TopicRecords.bytesProducer();
                OtlpTelemetry telemetry = new OtlpTelemetry(false, true)) {
            kafka.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), otlpMetrics, logsTopic,
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)), 2);
            kafka.sendScenario(conf, scenario, List.of(), List.of()); // topology and changes, in Avro
            OtlpMetricsDecoder check = new OtlpMetricsDecoder(InputFormat.OTLP_PROTO, OtlpSettings.defaults());
            List<MetricPoint> decoded = new ArrayList<>();
            long[] counts = new long[2];

            // Metrics and logs in event time order; every sample interval each service is collected (its values
            // then) and its lines of the interval are exported, so no partition runs ahead of another by more.
            Iterator<MetricPoint> points = scenario.metricIterator();
            Iterator<LogRecord> lines = scenario.logIterator();
            LogRecord line = lines.hasNext() ? lines.next() : null;
            Instant step = null;
            while (points.hasNext()) {
                MetricPoint point = points.next();
                if (step != null && !point.getTime().equals(step)) {
                    while (line != null && line.getTime().isBefore(point.getTime())) {
                        telemetry.log(line);
                        line = lines.hasNext() ? lines.next() : null;
                    }
                    telemetry.collectMetrics(step, (service, bytes) -> {
                        producer.send(new ProducerRecord<>(otlpMetrics, key(service), bytes));
                        try {
                            check.decode(bytes, decoded);
                        } catch (Exception e) {
                            throw new AssertionError("the SDK's own bytes must decode", e);
                        }
                        counts[0] += decoded.size();
                        decoded.clear();
                        counts[1]++;
                    });
                    telemetry.flushLogs((service, bytes) -> producer.send(new ProducerRecord<>(logsTopic,
                            key(service), bytes)));
                }
                step = point.getTime();
                telemetry.record(point);
            }
            telemetry.collectMetrics(step, (service, bytes) -> {
                producer.send(new ProducerRecord<>(otlpMetrics, key(service), bytes));
                counts[1]++;
            });
            while (line != null) {
                telemetry.log(line);
                line = lines.hasNext() ? lines.next() : null;
            }
            telemetry.flushLogs((service, bytes) -> producer.send(new ProducerRecord<>(logsTopic, key(service),
                    bytes)));
            decodedPoints = counts[0];
            messages = counts[1];

            producer.send(new ProducerRecord<>(otlpMetrics, key("x"),
                    "up{job=\"node\"} 1".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(logsTopic, key("x"),
                    "{\"resourceLogs\": [".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        assertTrue(decodedPoints >= scenario.metricPointCount() - scenario.series().size(),
                "the SDK reported every sample (" + decodedPoints + " of " + scenario.metricPointCount() + ")");
        System.out.printf("OtlpInputITCase: %d OTLP metric messages, %d points%n", messages, decodedPoints);

        long started = System.nanoTime();
        SiftJobMain.run(conf);
        System.out.printf("OtlpInputITCase: bounded job finished in %.1f s%n", (System.nanoTime() - started) / 1e9);

        Map<String, Incident> incidents = ScenarioKafka.latestIncidents(LocalServices.kafkaBootstrap(),
                conf.get(SiftOptions.TOPIC_INCIDENTS), Instant.EPOCH);
        assertEquals(1, incidents.size(), () -> "exactly one incident for one fault: " + incidents.values());
        Incident incident = incidents.values().iterator().next();
        assertTrue(incident.getServices().contains(fault.rootCauseItem()),
                () -> "the incident names the faulty item " + fault.rootCauseItem() + ": " + incident);
        assertEquals(fault.rootCauseItem(), incident.getRootCauses().get(0).getItem(),
                () -> "top root-cause hint: " + incident.getRootCauses());

        List<DeadLetter> deadLetters = TopicRecords.readAll(conf.get(SiftOptions.TOPIC_DEAD_LETTERS), DeadLetter.class);
        Map<String, Long> byKind = new TreeMap<>();
        deadLetters.forEach(dl -> byKind.merge(dl.getErrorKind(), 1L, Long::sum));
        assertEquals(Map.of(ErrorKinds.MALFORMED_OTLP, 2L), byKind, () -> "dead letters: " + deadLetters);
        for (DeadLetter dl : deadLetters) {
            String expected = dl.getSourceTopic().equals(otlpMetrics) ? "otlp-proto: " : "otlp-json: ";
            assertTrue(dl.getMessage().startsWith(expected), dl.getSourceTopic() + ": " + dl.getMessage());
        }
    }

    private static byte[] key(String service) {
        return service.getBytes(StandardCharsets.UTF_8);
    }


}
