package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.connectors.elasticsearch.IncidentDocumentEmitter;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import io.sift.testing.LocalServices;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The notebooks under notebooks/ run headless (nbclient) against the real Elasticsearch filled by a scenario run of
 * the job; a failing cell fails the build. Needs Debian's python3-nbclient, -ipykernel, -pandas, -matplotlib and
 * -requests (.ci/run installs them); SIFT_NOTEBOOK_PYTHON picks the interpreter.
 */
class NotebooksITCase {

    private static final List<String> FIGURES = List.of("incident-timeline.png", "incident-sizes.png",
            "root-causes.png", "noise-reduction.png", "detector-scores.png", "time-to-detect-resolve.png",
            "incidents-per-service.png", "noise-per-incident.png");

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void notebooksRenderSiftsIncidentsAndAnomalies() throws Exception {
        String python = pythonWithNotebookPackages();
        String elasticsearch = LocalServices.elasticsearchUrl();
        ElasticsearchTemplates.install(elasticsearch);
        fillElasticsearch(elasticsearch);

        Path out = Path.of("target", "notebooks").toAbsolutePath();
        Process run = new ProcessBuilder(python, Path.of("..", "notebooks", "run.py").toString(),
                "--elasticsearch", elasticsearch, "--out", out.toString())
                .redirectErrorStream(true)
                .redirectOutput(out.resolveSibling("notebooks.log").toFile())
                .start();
        assertTrue(run.waitFor(4, TimeUnit.MINUTES), "notebooks did not finish within 4 minutes");
        String log = Files.readString(out.resolveSibling("notebooks.log"));
        assertEquals(0, run.exitValue(), "a notebook failed:\n" + log);
        for (String figure : FIGURES) {
            Path png = out.resolve(figure);
            assertTrue(Files.isRegularFile(png) && Files.size(png) > 5_000, figure + " was not drawn:\n" + log);
        }
    }

    /** One scenario with two faults through the job into Elasticsearch (no Kafka needed for this). */
    private static void fillElasticsearch(String elasticsearch) throws Exception {
        Scenario scenario = ScenarioGenerator.builder()
                .seed(5)
                .environment("notebooks-it")
                .start(FixedInstants.T0)
                .duration(Duration.ofHours(3))
                .fault(FaultSpec.of(FaultType.BAD_DEPLOY).at(Duration.ofMinutes(80)).lasting(Duration.ofMinutes(8)))
                .fault(FaultSpec.of(FaultType.RESOURCE_SATURATION).at(Duration.ofMinutes(130)).lasting(Duration.ofMinutes(9)))
                .build()
                .generate();
        Configuration conf = SiftSettings.load(null, Map.of("parallelism.default", "2",
                SiftOptions.DEFAULT_ENVIRONMENT.key(), "notebooks-it"));
        StreamExecutionEnvironment env = SiftWiring.environment(conf);
        String handler = "notebooks-it";
        SiftJob.Outputs outputs = new SiftJob.Outputs(
                List.of(ElasticsearchSink.<Anomaly>builder().setHosts(elasticsearch)
                        .setEmitter(new AnomalyDocumentEmitter())
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler)).build()),
                List.of(ElasticsearchSink.<Incident>builder().setHosts(elasticsearch)
                        .setEmitter(new IncidentDocumentEmitter())
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler)).build(),
                        ElasticsearchSink.<Incident>builder().setHosts(elasticsearch)
                        .setEmitter(new io.sift.connectors.elasticsearch.IncidentMetricsDocumentEmitter())
                        .setRejectedDocumentHandler(new CollectingRejectedDocumentHandler(handler)).build()),
                List.of());
        SiftJob.Inputs inputs = new SiftJob.Inputs(
                SiftSource.of(scenario.metrics().toList(), MetricPoint.class),
                SiftSource.of(scenario.logs().toList(), LogRecord.class),
                SiftSource.of(scenario.changes(), ChangeEvent.class),
                SiftSource.of(scenario.topology(), TopologyUpdate.class));
        SiftJob.build(env, inputs, outputs, new SiftSettings(conf));
        env.execute("notebooks-it");
        assertTrue(CollectingRejectedDocumentHandler.collected(handler).isEmpty(), "Elasticsearch rejected documents");
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(elasticsearch + "/sift-*/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String pythonWithNotebookPackages() throws Exception {
        String configured = System.getenv("SIFT_NOTEBOOK_PYTHON");
        String python = configured != null && !configured.isBlank() ? configured
                : new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
        Process check = new ProcessBuilder(python, "-c", "import nbclient, ipykernel, pandas, matplotlib, requests")
                .redirectErrorStream(true).start();
        String answer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0, python
                + " lacks the notebook packages: apt-get install python3-nbclient python3-ipykernel python3-pandas"
                + " python3-matplotlib python3-requests (as .ci/run does), or set SIFT_NOTEBOOK_PYTHON\n" + answer);
        return python;
    }
}
