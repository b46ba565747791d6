package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.ElasticsearchTemplates;
import io.sift.testing.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every command Sift prints for a person to paste (the demo's Elasticsearch queries) and the README's, run as printed
 * with {@code bash -c} against a real Elasticsearch holding an incident and an anomaly: each answers without an error.
 */
class PasteCommandsITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String README_ELASTICSEARCH = "http://127.0.0.1:19200";

    private static String elasticsearch;

    @BeforeAll
    static void elasticsearchWithAnIncidentAndAnAnomaly() throws Exception {
        elasticsearch = LocalServices.elasticsearchUrl();
        ElasticsearchTemplates.install(elasticsearch);
        String run = "paste-" + UUID.randomUUID().toString().substring(0, 8);
        // Indices the templates match, so that the sift-incidents and sift-anomalies aliases span them.
        index("sift-incidents-" + run + "-2025.01", "{\"sift\":{\"id\":\"inc-" + run + "\",\"version\":1},"
                + "\"event\":{\"start\":\"2025-01-01T00:00:00Z\"},\"@timestamp\":\"2025-01-01T00:00:00Z\"}");
        index("sift-anomalies-" + run + "-2025.01", "{\"sift\":{\"id\":\"an-" + run + "\",\"version\":1},"
                + "\"event\":{\"start\":\"2025-01-01T00:00:00Z\"},\"@timestamp\":\"2025-01-01T00:00:00Z\"}");
    }

    @Test
    void theDemosCommandsAnswerWithoutAnError() throws Exception {
        List<String> commands = DemoCommand.pasteCommands(elasticsearch);
        assertFalse(commands.isEmpty());
        for (String command : commands) {
            assertAnswers(command);
        }
    }

    @Test
    void theReadmesElasticsearchCommandsAnswerWithoutAnError() throws Exception {
        List<String> commands = new ArrayList<>();
        for (String line : Files.readAllLines(readme())) {
            int at = line.indexOf("curl ");
            if (at >= 0 && line.contains(README_ELASTICSEARCH)) {
                String command = line.substring(at, line.indexOf('\'', line.indexOf('\'', at) + 1) + 1);
                commands.add(command.replace(README_ELASTICSEARCH, elasticsearch));
            }
        }
        assertFalse(commands.isEmpty(), "the README names Elasticsearch queries");
        for (String command : commands) {
            assertAnswers(command);
        }
    }

    /** Runs a pasted command; it must exit 0 and print a JSON answer that is no error and finds the test's document. */
    private static void assertAnswers(String command) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", command)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // curl's progress meter
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command);
        assertEquals(0, process.exitValue(), command + "\n" + output);
        JsonNode answer = JSON.readTree(output);
        assertFalse(answer.has("error"), command + "\n" + output);
        long found = answer.has("count") ? answer.get("count").asLong() : answer.at("/hits/total/value").asLong();
        assertTrue(found > 0, command + "\n" + output);
    }

    private static void index(String index, String document) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(elasticsearch + "/" + index + "/_doc?refresh=true"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(document)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
    }

    private static Path readme() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("sift"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("no README.md above " + System.getProperty("user.dir"));
    }
}
