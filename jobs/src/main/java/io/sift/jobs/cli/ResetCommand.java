package io.sift.jobs.cli;

import io.sift.jobs.RunReset;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Deletes what a run left behind (Elasticsearch documents, output topics, the consumer group) before a rerun. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Reset a run before running again with other settings: delete the Elasticsearch indices and data"
                + " streams the job writes (sift-incidents-*, sift-anomalies-*, sift-changes-*, sift-slo-*,"
                + " sift-service-health-*, sift-problems-*, sift-incident-metrics-*; templates stay), the output"
                + " topics (incidents, problems, dead letters) and the job's consumer group, all as the settings name"
                + " them. Stop the job first. Without --yes it only lists what it would delete.",
                "Ids and versions are deterministic: without a reset, Elasticsearch keeps the first run's version of"
                        + " a document wherever the rerun's is not higher."})
final class ResetCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", description = "Override one setting, e.g. -Dsift.kafka.bootstrap-servers=127.0.0.1:19092",
            mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--inputs", description = "Also delete the input topics (metrics, logs, changes, topology, ITSM"
            + " feedback).")
    boolean inputs;

    @Option(names = "--yes", description = "Delete (without it: list what would be deleted, and delete nothing).")
    boolean yes;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Configuration conf = SiftSettings.load(config, overrides);
        String bootstrap = conf.get(SiftOptions.KAFKA_BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("set " + SiftOptions.KAFKA_BOOTSTRAP.key() + " (and "
                    + SiftOptions.ELASTICSEARCH_URL.key() + " to reset Elasticsearch too)");
        }
        RunReset reset = new RunReset(conf, inputs);
        RunReset.Plan plan = yes ? reset.execute() : reset.plan();
        String verb = yes ? "deleted" : "would delete";
        if (plan.isEmpty()) {
            out.println("sift reset: nothing to delete");
            return 0;
        }
        plan.dataStreams().forEach(d -> out.println(verb + " Elasticsearch data stream " + d));
        plan.indices().forEach(i -> out.println(verb + " Elasticsearch index " + i));
        plan.topics().forEach(t -> out.println(verb + " Kafka topic " + t));
        if (plan.groupExists()) {
            out.println(verb + " Kafka consumer group " + plan.consumerGroup());
        }
        if (!yes) {
            out.println("sift reset: nothing deleted; add --yes to delete the above");
        }
        return 0;
    }
}
