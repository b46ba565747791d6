package io.sift.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.jobs.SiftJobMain;
import io.sift.jobs.SiftSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Uploads the shaded job jar to a Flink session cluster through its REST API and runs it. The settings (file and
 * {@code -D}) are checked here and sent as {@code -Dkey=value} program arguments, so the cluster needs no copy of the
 * file. Prints the job id on standard output; with {@code --wait}, then also waits for the job to end.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Run the Sift job on a Flink cluster (./sift cluster up starts one): uploads the job jar "
                + "through the REST API and prints the job id.",
                "Settings as for 'sift run'; the cluster gets them as program arguments."})
final class SubmitCommand implements Callable<Integer> {

    /** The cluster's REST API when neither --rest nor this variable says otherwise: cluster.sh's default port. */
    static final String REST_ENV = "SIFT_FLINK_REST_URL";
    static final String DEFAULT_REST = "http://127.0.0.1:18081";
    static final String ENTRY_CLASS = SiftJobMain.class.getName();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rest", paramLabel = "URL",
            description = "Flink REST API (default: $" + REST_ENV + ", else " + DEFAULT_REST + ").")
    String rest;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "Shaded job jar (default: sift-jobs-<version>-job.jar beside the sift jar, i.e. jobs/target).")
    Path jar;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", paramLabel = "key=value", description = "Override one setting, e.g. -Dsift.kafka.bounded=true",
            mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Start from this savepoint (or retained checkpoint), as printed by 'sift savepoint'.")
    String fromSavepoint;

    @Option(names = "--allow-non-restored-state",
            description = "With --from-savepoint: start even if some saved state belongs to no operator of this job.")
    boolean allowNonRestoredState;

    @Option(names = "--wait", description = "Wait until the job ends; exit 0 only if it FINISHED (bounded runs).")
    boolean await;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT30M",
            description = "With --wait: give up after this long (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        try {
            return submit();
        } catch (IllegalStateException | IOException e) {
            return failed(spec, e);
        }
    }

    /** A cluster-side failure: its message (which says what went wrong there), no stack trace; exit 1. */
    static int failed(CommandLine.Model.CommandSpec spec, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("sift " + spec.name() + ": " + e.getMessage());
        err.flush();
        return 1;
    }

    private int submit() throws IOException, InterruptedException {
        // Checked here, where a typo can still be fixed, rather than in the JobManager's log.
        Map<String, String> settings = new TreeMap<>(SiftSettings.load(config, overrides).toMap());
        List<String> programArgs = new ArrayList<>();
        settings.forEach((key, value) -> programArgs.add("-D" + key + "=" + value));

        Path jobJar = jar != null ? jar : defaultJobJar();
        if (!Files.isRegularFile(jobJar)) {
            throw new IllegalArgumentException("no job jar at " + jobJar
                    + ": build it with 'mvn -pl jobs -am package -DskipTests' or pass --jar");
        }
        PrintWriter err = spec.commandLine().getErr();
        FlinkRest flink = new FlinkRest(restUrl(rest));
        String jarId = flink.uploadJar(jobJar);
        String jobId;
        try {
            jobId = flink.runJar(jarId, ENTRY_CLASS, programArgs, fromSavepoint, allowNonRestoredState);
        } finally {
            // the running job keeps its own copy; the upload is only needed for the run request
            flink.deleteJarQuietly(jarId);
        }
        err.printf("submitted job %s to %s%s (web UI: %s/#/job/running/%s/overview)%n", jobId, flink.base,
                fromSavepoint == null ? "" : " from savepoint " + fromSavepoint, flink.base, jobId);
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(jobId);
        out.flush();
        if (!await) {
            return 0;
        }
        String state = flink.awaitTerminalState(jobId, timeout);
        err.printf("job %s ended %s%n", jobId, state);
        err.flush();
        return "FINISHED".equals(state) ? 0 : 1;
    }

    static URI restUrl(String option) {
        String value = option != null ? option : System.getenv().getOrDefault(REST_ENV, DEFAULT_REST);
        try {
            URI uri = new URI(value.strip().replaceAll("/+$", ""));
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("the Flink REST URL must look like http://host:port, not '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the Flink REST URL must look like http://host:port, not '" + value + "'");
        }
    }

    /** The shaded jar Maven builds next to the jar (or classes directory) this class was loaded from. */
    static Path defaultJobJar() {
        Path self;
        try {
            self = Path.of(SubmitCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("jobs", "target", "sift-jobs-job.jar");
        }
        String name = self.getFileName().toString();
        if (Files.isRegularFile(self) && name.endsWith(".jar")) {
            return self.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-job.jar");
        }
        Path target = self.getParent(); // .../target/classes -> .../target
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("sift-jobs-.*-job\\.jar")).findFirst()
                    .orElse(target.resolve("sift-jobs-job.jar"));
        } catch (IOException | RuntimeException e) {
            return target.resolve("sift-jobs-job.jar");
        }
    }

    /** The few calls of Flink's REST API that submission and savepoints need, over {@code java.net.http}. */
    static final class FlinkRest {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED", "SUSPENDED");

        final URI base;
        private final HttpClient http;

        FlinkRest(URI base) {
            this.base = base;
            this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }

        /** Uploads a jar (multipart, as the web UI does); returns the id the cluster gave it. */
        String uploadJar(Path jar) throws IOException, InterruptedException {
            String boundary = "sift-" + UUID.randomUUID();
            String fileName = jar.getFileName().toString();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                    + fileName + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(uri("/jars/upload"))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build();
            JsonNode body = send(request, "POST /jars/upload");
            String stored = body.path("filename").asText("");
            if (!"success".equals(body.path("status").asText()) || stored.isEmpty()) {
                throw new IllegalStateException("the cluster did not accept the jar upload: " + body);
            }
            return Path.of(stored).getFileName().toString();
        }

        /** Runs an uploaded jar's entry class in the JobManager; returns the job id. */
        String runJar(String jarId, String entryClass, List<String> programArgs, String savepointPath,
                boolean allowNonRestoredState) throws IOException, InterruptedException {
            ObjectNode body = JSON.createObjectNode();
            body.put("entryClass", entryClass);
            body.putArray("programArgsList").addAll(programArgs.stream().map(JSON.getNodeFactory()::textNode).toList());
            if (savepointPath != null) {
                body.put("savepointPath", savepointPath);
                body.put("allowNonRestoredState", allowNonRestoredState);
            }
            JsonNode answer = send(post("/jars/" + jarId + "/run", body, Duration.ofMinutes(5)),
                    "POST /jars/" + jarId + "/run");
            String jobId = answer.path("jobid").asText("");
            if (jobId.isEmpty()) {
                throw new IllegalStateException("the cluster ran the jar but named no job: " + answer);
            }
            return jobId;
        }

        void deleteJarQuietly(String jarId) {
            try {
                http.send(HttpRequest.newBuilder(uri("/jars/" + jarId)).timeout(Duration.ofSeconds(30)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // an upload left behind costs disk only; the submission itself succeeded or failed already
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The job's state as the JobManager reports it (RUNNING, FINISHED, FAILED, ...). */
        String jobState(String jobId) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri("/jobs/" + jobId)).timeout(Duration.ofSeconds(30)).GET().build(),
                    "GET /jobs/" + jobId).path("state").asText("UNKNOWN");
        }

        String awaitTerminalState(String jobId, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                String state = jobState(jobId);
                if (TERMINAL.contains(state)) {
                    return state;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + jobId + " is still " + state + " after " + timeout);
                }
                Thread.sleep(500);
            }
        }

        /**
         * Triggers a savepoint ({@code stop}: stop-with-savepoint, the job then FINISHES) and waits for its path.
         * {@code targetDirectory} null means the cluster's {@code execution.checkpointing.savepoint-dir}.
         */
        String savepoint(String jobId, String targetDirectory, boolean stop, boolean drain, Duration timeout)
                throws IOException, InterruptedException {
            ObjectNode body = JSON.createObjectNode();
            String path;
            if (stop) {
                path = "/jobs/" + jobId + "/stop";
                if (targetDirectory != null) {
                    body.put("targetDirectory", targetDirectory);
                }
                body.put("drain", drain);
            } else {
                path = "/jobs/" + jobId + "/savepoints";
                if (targetDirectory != null) {
                    body.put("target-directory", targetDirectory);
                }
                body.put("cancel-job", false);
            }
            String triggerId = send(post(path, body, Duration.ofSeconds(30)), "POST " + path).path("request-id").asText("");
            if (triggerId.isEmpty()) {
                throw new IllegalStateException("the cluster accepted the savepoint request but gave no request id");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            String statusPath = "/jobs/" + jobId + "/savepoints/" + triggerId;
            while (true) {
                JsonNode status = send(HttpRequest.newBuilder(uri(statusPath)).timeout(Duration.ofSeconds(30)).GET().build(),
                        "GET " + statusPath);
                if ("COMPLETED".equals(status.at("/status/id").asText())) {
                    JsonNode operation = status.path("operation");
                    if (operation.hasNonNull("location")) {
                        return operation.get("location").asText();
                    }
                    throw new IllegalStateException("the savepoint of job " + jobId + " failed: "
                            + firstLines(operation.at("/failure-cause/stack-trace").asText(operation.toString()), 3));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the savepoint of job " + jobId + " did not complete within " + timeout);
                }
                Thread.sleep(300);
            }
        }

        private HttpRequest post(String path, JsonNode body, Duration timeout) throws IOException {
            return HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        }

        private URI uri(String path) {
            return URI.create(base + path);
        }

        /** Sends a request; a refused connection or an error status becomes a message that says what to do. */
        private JsonNode send(HttpRequest request, String what) throws IOException, InterruptedException {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new IllegalStateException("no Flink cluster answers at " + base + ": start one with "
                        + "'./sift cluster up', or pass --rest URL (or set " + REST_ENV + ")");
            }
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : parse(response.body());
            if (response.statusCode() / 100 != 2) {
                String errors = body.has("errors") ? String.join("\n", JSON.convertValue(body.get("errors"), String[].class))
                        : response.body();
                throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + causes(errors));
            }
            return body;
        }

        private static JsonNode parse(String text) {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                return JSON.getNodeFactory().textNode(text);
            }
        }

        /** The first line of a Java stack trace and its "Caused by" lines: where the reason usually is. */
        static String causes(String trace) {
            List<String> lines = trace.lines().toList();
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (i == 0 || line.startsWith("Caused by:")) {
                    kept.add(line);
                }
            }
            return String.join("\n  ", kept.stream().distinct().limit(8).toList());
        }

        private static String firstLines(String text, int lines) {
            return String.join("\n", text.lines().limit(lines).toList());
        }
    }
}
