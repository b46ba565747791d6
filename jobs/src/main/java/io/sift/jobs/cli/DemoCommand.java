package io.sift.jobs.cli;

import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IncidentDocumentEmitter;
import io.sift.jobs.ScenarioKafka;
import io.sift.jobs.SiftJob;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import io.sift.jobs.SiftSource;
import io.sift.jobs.SiftWiring;
import io.sift.jobs.operators.DeadLetterTag;
import io.sift.jobs.operators.MetricDetectorFunction;
import io.sift.scenario.EstateItem;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Generates an estate with injected faults, runs the job in a local MiniCluster and prints the incidents, with
 * the ground truth beside them. With the local stack: through real Kafka into Elasticsearch and the incident
 * topic. With {@code --embedded}: no servers at all.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate telemetry with injected faults, run Sift on it, and print the incidents.")
final class DemoCommand implements Callable<Integer> {

    /** Services that get a demo availability SLO when the generated estate has them. */
    private static final java.util.Set<String> DEMO_SLO_SERVICES =
            java.util.Set.of("frontend", "api-gateway", "checkout", "payments", "mobile-bff");


    @Option(names = "--embedded", description = "No servers: generator → MiniCluster → console and a JSONL file.")
    boolean embedded;

    @Option(names = "--kafka", description = "Kafka bootstrap servers (the launcher starts the local stack and sets it).",
            defaultValue = "${env:SIFT_KAFKA_BOOTSTRAP:-127.0.0.1:19092}")
    String kafka;

    @Option(names = "--elasticsearch", description = "Elasticsearch URL (the launcher sets it).",
            defaultValue = "${env:SIFT_ELASTICSEARCH_URL:-http://127.0.0.1:19200}")
    String elasticsearch;

    @Option(names = "--seed", description = "Scenario seed (same seed, same scenario).", defaultValue = "7")
    long seed;

    @Option(names = "--faults", description = "Faults to inject.", defaultValue = "3")
    int faults;

    @Option(names = "--services", description = "Services in the generated estate.", defaultValue = "24")
    int services;

    @Option(names = "--hours", description = "Event-time length of the scenario.", defaultValue = "3")
    int hours;

    @Option(names = "--format", description = "How the telemetry travels: avro (Sift's records) or otlp (OTLP protobuf"
            + " export requests, as the OpenTelemetry Collector's kafka exporter writes them, decoded by the job's"
            + " OTLP decoders).", defaultValue = "avro")
    String format;

    @Option(names = "--alert-storm", description = "Also feed the alert storm the estate's Prometheus and Alertmanager"
            + " would raise (threshold rules on the same telemetry, re-sent every group interval), read by the"
            + " gateway's Alertmanager parser: the job folds the alerts into the incidents of its own anomalies.")
    boolean alertStorm;

    @Option(names = "--out", description = "Folder for incidents.jsonl.", defaultValue = ".sift/demo")
    Path out;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        ScenarioGenerator generator;
        try {
            generator = ScenarioGenerator.builder()
                    .seed(seed)
                    .services(services)
                    .start(end.minus(Duration.ofHours(hours)))
                    .duration(Duration.ofHours(hours))
                    .randomFaults(faults)
                    .build();
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException(refused.getMessage() + " (demo: raise --hours or lower --faults)", refused);
        }
        boolean otlp = switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "avro" -> false;
            case "otlp", "otlp-proto" -> true;
            default -> throw new IllegalArgumentException("--format " + format + ": avro or otlp");
        };
        Scenario scenario = generator.generate();
        List<MetricPoint> metrics = scenario.metrics().toList();
        List<LogRecord> logs = scenario.logs().toList();
        List<OtlpExport.Message> otlpMetrics = otlp ? OtlpExport.metrics(metrics, scenario.start()) : List.of();
        List<OtlpExport.Message> otlpLogs = otlp ? OtlpExport.logs(logs) : List.of();
        say("Scenario (seed %d): %d items, %d metric points, %d log lines, %d changes over %d h of event time",
                seed, scenario.estate().items().size(), metrics.size(), logs.size(), scenario.changes().size(), hours);
        if (otlp) {
            say("As OTLP: %d metrics and %d logs export requests (protobuf)", otlpMetrics.size(), otlpLogs.size());
        }
        say("Injected faults (ground truth):");
        for (InjectedFault fault : scenario.faults()) {
            say("  %-20s on %-18s %s → %s", fault.type(), fault.rootCauseItem(), fault.start(), fault.end());
        }

        AlertStorm.Storm storm = alertStorm ? AlertStorm.of(metrics) : new AlertStorm.Storm(0, 0, List.of());
        if (alertStorm) {
            say("Alert storm: %d Alertmanager webhook notifications carrying %d alerts (%d distinct firings)",
                    storm.notifications(), storm.alerts().size(), storm.distinctAlerts());
        }

        Map<String, String> settings = new HashMap<>();
        settings.put("parallelism.default", "2");
        // A demo is a finite run: a failure must end it with its cause, not restart forever.
        settings.put("restart-strategy.type", "fixed-delay");
        settings.put("restart-strategy.fixed-delay.attempts", "2");
        settings.put("restart-strategy.fixed-delay.delay", "2 s");
        // Availability SLOs on the customer-facing services, so the demo fills the SLO index and dashboard too.
        String slos = scenario.estate().items().stream().map(EstateItem::id)
                .filter(id -> DEMO_SLO_SERVICES.contains(id)).sorted()
                .map(id -> id + "-availability=" + id + ":http.server.error.ratio:99.5/28d")
                .collect(java.util.stream.Collectors.joining(";"));
        settings.put(SiftOptions.SLO_OBJECTIVES.key(), slos);
        SiftJob.Inputs inputs;
        SiftJob.Outputs outputs;
        if (embedded) {
            say("Running embedded: no Kafka, no Elasticsearch.");
            if (otlp) {
                // What the Kafka source does with each message of an otlp-proto topic.
                metrics = decoded(otlpMetrics, new io.sift.connectors.formats.OtlpMetricsDecoder(
                        io.sift.connectors.formats.InputFormat.OTLP_PROTO,
                        io.sift.connectors.formats.OtlpSettings.defaults()));
                logs = decoded(otlpLogs, new io.sift.connectors.formats.OtlpLogsDecoder(
                        io.sift.connectors.formats.InputFormat.OTLP_PROTO,
                        io.sift.connectors.formats.OtlpSettings.defaults()));
                say("  decoded back: %d metric points, %d log lines", metrics.size(), logs.size());
            }
            inputs = new SiftJob.Inputs(SiftSource.of(metrics, MetricPoint.class), SiftSource.of(logs, LogRecord.class),
                    SiftSource.of(scenario.changes(), ChangeEvent.class),
                    SiftSource.of(scenario.topology(), TopologyUpdate.class),
                    SiftSource.empty(io.sift.schema.ItsmUpdate.class),
                    storm.alerts().isEmpty() ? SiftSource.empty(io.sift.schema.Alert.class)
                            : SiftSource.of(storm.alerts(), io.sift.schema.Alert.class));
            outputs = SiftJob.Outputs.none();
        } else {
            // Fresh topics per run (as the integration test does): reruns never read an earlier run's records.
            String prefix = "sift.demo." + System.currentTimeMillis() + ".";
            settings.putAll(ScenarioKafka.topicSettings(prefix));
            settings.put(io.sift.jobs.AlertOptions.TOPIC_ALERTS.key(), prefix + "alerts");
            settings.put(SiftOptions.KAFKA_BOOTSTRAP.key(), kafka);
            settings.put(SiftOptions.ELASTICSEARCH_URL.key(), elasticsearch);
            settings.put(SiftOptions.KAFKA_BOUNDED.key(), "true");
            settings.put(SiftOptions.KAFKA_GROUP_ID.key(), "sift-demo-" + System.currentTimeMillis());
            if (otlp) {
                settings.put(io.sift.jobs.InputOptions.METRICS_FORMAT.key(), "otlp-proto");
                settings.put(io.sift.jobs.InputOptions.LOGS_FORMAT.key(), "otlp-proto");
            }
            Configuration conf = SiftSettings.load(null, settings);
            say("Writing the scenario to Kafka at %s ...", kafka);
            try (ScenarioKafka producer = new ScenarioKafka(kafka)) {
                producer.recreateTopics(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                        conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                        conf.get(SiftOptions.TOPIC_INCIDENTS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS),
                        conf.get(io.sift.jobs.AlertOptions.TOPIC_ALERTS)), 2);
                if (!storm.alerts().isEmpty()) {
                    producer.send(conf.get(io.sift.jobs.AlertOptions.TOPIC_ALERTS), storm.alerts(),
                            io.sift.schema.Alert.class, a -> a.getSource() + "/" + a.getFingerprint());
                }
                if (otlp) {
                    producer.sendScenario(conf, scenario, List.of(), List.of()); // topology and changes
                    otlpMetrics.forEach(m -> producer.sendEncoded(conf.get(SiftOptions.TOPIC_METRICS), m.key(),
                            m.value()));
                    otlpLogs.forEach(m -> producer.sendEncoded(conf.get(SiftOptions.TOPIC_LOGS), m.key(), m.value()));
                    producer.flush();
                } else {
                    producer.sendScenario(conf, scenario, metrics, logs);
                }
                say("  %d records written", producer.sent());
            }
            ElasticsearchTemplates.install(elasticsearch);
            inputs = SiftWiring.kafkaInputs(conf);
            outputs = SiftWiring.outputs(conf);
        }

        Configuration conf = SiftSettings.load(null, settings);
        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        SiftJob.Streams streams = SiftJob.build(env, inputs, outputs, new SiftSettings(conf));
        say("Running the Sift job in a local Flink MiniCluster (parallelism 2, checkpoints every %s) ...",
                conf.get(SiftOptions.CHECKPOINT_INTERVAL));
        Map<String, Incident> latest = new LinkedHashMap<>();
        long versions = 0;
        org.apache.flink.api.common.JobExecutionResult result;
        if (embedded) {
            CloseableIterator<Incident> incidents = streams.incidents().collectAsync();
            JobClient job = env.executeAsync("sift-demo");
            long lastReport = System.nanoTime();
            while (incidents.hasNext()) {
                Incident incident = incidents.next();
                versions++;
                latest.merge(incident.getId(), incident, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    say("  … %d incident versions so far (%d incidents)", versions, latest.size());
                    lastReport = System.nanoTime();
                }
            }
            result = job.getJobExecutionResult().get();
        } else {
            // The job runs to the end of the topics; the incidents are then read back as an ITSM consumer would.
            JobClient job = env.executeAsync("sift-demo");
            java.util.concurrent.CompletableFuture<org.apache.flink.api.common.JobExecutionResult> finished =
                    job.getJobExecutionResult();
            while (true) {
                try {
                    result = finished.get(3, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    // Accumulators are only final at the end, so progress is the job's status and the time.
                    say("  … job %s, %.0f s since start", job.getJobStatus().get(),
                            (System.nanoTime() - started) / 1e9);
                }
            }
            say("Job finished; reading the incident topic %s ...", conf.get(SiftOptions.TOPIC_INCIDENTS));
            latest.putAll(ScenarioKafka.latestIncidents(kafka, conf.get(SiftOptions.TOPIC_INCIDENTS), scenario.start()));
            versions = latest.values().stream().mapToLong(Incident::getVersion).sum();
        }
        Long anomalyCount = result.getAccumulatorResult(MetricDetectorFunction.ACCUMULATOR);
        Long deadLetterCount = result.getAccumulatorResult(DeadLetterTag.COUNTER);

        List<Incident> finals = latest.values().stream().filter(i -> i.getStatus() != IncidentStatus.MERGED)
                .sorted(java.util.Comparator.comparing(Incident::getOpenedAt)).toList();
        say("");
        say("Done in %.1f s: %d anomaly versions → %d incident versions → %d incidents; %d dead letters.",
                (System.nanoTime() - started) / 1e9, anomalyCount == null ? 0 : anomalyCount, versions, finals.size(),
                deadLetterCount == null ? 0 : deadLetterCount);
        say("");
        System.out.print(IncidentTable.render(finals));
        say("");
        int found = IncidentTable.printGroundTruth(scenario.faults(), finals, System.out);
        if (alertStorm) {
            long withAlerts = finals.stream().filter(i -> i.getAlertCount() > 0).count();
            long alertsOnly = finals.stream().filter(i -> i.getAlertCount() > 0 && i.getAnomalyCount() == 0).count();
            say("Alert storm folded: %d alerts in %d incidents (%d of them with no anomaly of Sift's own); %d"
                    + " notifications in.", finals.stream().mapToInt(Incident::getAlertCount).sum(), withAlerts,
                    alertsOnly, storm.notifications());
            for (InjectedFault fault : scenario.faults()) {
                finals.stream().filter(i -> i.getServices().contains(fault.rootCauseItem())
                                && !i.getOpenedAt().isAfter(fault.end()) && !i.getLastSeen().isBefore(fault.start()))
                        .findFirst().ifPresent(i -> say("  %-20s → %s: %d anomalies and %d alerts", fault.type(),
                                i.getId(), i.getAnomalyCount(), i.getAlertCount()));
            }
        }

        Path jsonl = writeJsonl(finals);
        say("");
        say("Incidents as JSON lines: %s", jsonl.toAbsolutePath());
        if (!embedded) {
            List<String> commands = pasteCommands(elasticsearch);
            for (int i = 0; i < commands.size(); i++) {
                say("%s%s", i == 0 ? "In Elasticsearch:  " : "                   ", commands.get(i));
            }
            say("Incident topic:    %s on Kafka %s (key = incident id, one record per version)",
                    conf.get(SiftOptions.TOPIC_INCIDENTS), kafka);
        }
        if (found == 0) {
            System.err.println("No incident names an injected faulty item: detection or correlation is broken.");
            return 1;
        }
        return 0;
    }

    /**
     * The Elasticsearch queries the demo prints for a person to paste: its incidents by the time they opened
     * ({@code event.start}), and how many anomalies it indexed. PasteCommandsITCase runs them as printed.
     */
    static List<String> pasteCommands(String elasticsearch) {
        return List.of("curl -s '" + elasticsearch + "/sift-incidents/_search?pretty&sort=event.start:asc'",
                "curl -s '" + elasticsearch + "/sift-anomalies/_count?pretty'");
    }

    private Path writeJsonl(List<Incident> finals) throws IOException {
        Files.createDirectories(out);
        Path file = out.resolve("incidents.jsonl");
        List<String> lines = new ArrayList<>();
        for (Incident incident : finals) {
            lines.add(new String(IncidentDocumentEmitter.toJson(incident), java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.write(file, lines);
        return file;
    }

    private static <T> List<T> decoded(List<OtlpExport.Message> messages,
            io.sift.connectors.formats.RecordDecoder<T> decoder) throws io.sift.connectors.formats.DecodeException {
        List<T> out = new java.util.ArrayList<>();
        for (OtlpExport.Message message : messages) {
            decoder.decode(message.value(), out);
        }
        return out;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(java.util.Locale.ROOT, format, args));
        System.out.flush();
    }
}
