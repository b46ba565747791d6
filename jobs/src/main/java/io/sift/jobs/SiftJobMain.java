package io.sift.jobs;

import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry class of the job jar on a Flink cluster: {@code [--config FILE] [-Dkey=value ...]}. It only reads the
 * configuration, builds the job from Kafka inputs and Kafka / Elasticsearch outputs, and runs it.
 */
public final class SiftJobMain {

    private SiftJobMain() {}

    public static void main(String[] args) throws Exception {
        Path file = null;
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].startsWith("-D") && args[i].contains("=")) {
                String kv = args[i].substring(2);
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else {
                throw new IllegalArgumentException("usage: SiftJobMain [--config FILE] [-Dsift.key=value ...]; got '"
                        + args[i] + "'");
            }
        }
        Configuration conf = SiftSettings.load(file, overrides);
        run(conf);
    }

    /** Builds and runs the Kafka job; returns when a bounded run finishes, with its accumulators (dead letters per kind). */
    public static org.apache.flink.api.common.JobExecutionResult run(Configuration conf) throws Exception {
        return build(conf).execute(JOB_NAME);
    }

    /** The job's name in Flink. */
    public static final String JOB_NAME = "sift";

    /**
     * Installs the Elasticsearch templates (when {@code sift.elasticsearch.url} is set) and builds the Kafka job into a
     * new environment, not yet started.
     */
    public static StreamExecutionEnvironment build(Configuration conf) throws Exception {
        String url = conf.get(SiftOptions.ELASTICSEARCH_URL);
        if (url != null && !url.isBlank()) {
            // Same hosts, credentials and CA as the sinks: a secured cluster must not need a second configuration.
            ElasticsearchTemplates.install(SiftWiring.elasticsearch(conf, url)
                    .setEmitter(new io.sift.connectors.elasticsearch.IncidentDocumentEmitter()).build().getConnection());
        }
        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        SiftJob.build(env, SiftWiring.kafkaInputs(conf), SiftWiring.outputs(conf), new SiftSettings(conf));
        return env;
    }
}
