package io.sift.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink standalone session cluster for tests (a JobManager and TaskManager processes), started with
 * {@code deploy/cluster/cluster.sh} on a free REST port into a directory of the test's choice and stopped by
 * {@link #close()}, or by a JVM shutdown hook if the test never gets there.
 */
public final class LocalCluster implements AutoCloseable {

    private static final String SCRIPT = "deploy/cluster/cluster.sh";
    private static final String REST_KEY = "SIFT_FLINK_REST_URL=";
    /** Generous: the first start on a fresh clone runs Maven to gather the Flink jars. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Path script;
    private final Path directory;
    private final String restUrl;
    private final Thread stopOnExit;
    private boolean closed;

    private LocalCluster(Path script, Path directory, String restUrl) {
        this.script = script;
        this.directory = directory;
        this.restUrl = restUrl;
        this.stopOnExit = new Thread(this::stop, "sift-local-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts a cluster of {@code taskManagers} TaskManagers with {@code slots} slots each, data and logs in
     * {@code directory} (a cluster left running there by a killed test JVM is stopped first).
     */
    public static LocalCluster start(Path directory, int taskManagers, int slots) {
        Path script = Commands.findScript(SCRIPT);
        Path dir = directory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        run(List.of("bash", script.toString(), "down", "--dir", dir.toString()), STOP_TIMEOUT);
        long startNanos = System.nanoTime();
        List<String> up = List.of("bash", script.toString(), "up", "--dir", dir.toString(),
                "--rest-port", Integer.toString(Ports.freePortWith(1)),
                "--taskmanagers", Integer.toString(taskManagers), "--slots", Integer.toString(slots));
        String output;
        try {
            output = run(up, START_TIMEOUT);
        } catch (RuntimeException e) {
            // a half-started cluster must not outlive the test
            run(List.of("bash", script.toString(), "down", "--dir", dir.toString()), STOP_TIMEOUT);
            throw e;
        }
        String url = output.lines().filter(line -> line.startsWith(REST_KEY))
                .map(line -> line.substring(REST_KEY.length()).strip()).reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("no " + REST_KEY + " line from " + up + ":\n" + output));
        System.err.printf("LocalCluster: Flink at %s, ready after %d ms (logs in %s/log)%n", url,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), dir);
        return new LocalCluster(script, dir, url);
    }

    /** The REST API and web UI, {@code http://127.0.0.1:<port>}. */
    public String restUrl() {
        return restUrl;
    }

    /** The cluster's directory: {@code conf/}, {@code log/}, {@code checkpoints/}, {@code savepoints/}. */
    public Path directory() {
        return directory;
    }

    /** The cluster's default savepoint directory. */
    public Path savepointDirectory() {
        return directory.resolve("savepoints");
    }

    /** Stops the TaskManagers and the JobManager. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs stop(), which is idempotent
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(List.of("bash", script.toString(), "down", "--dir", directory.toString()), STOP_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println("LocalCluster: stopping the cluster failed: " + e.getMessage());
        }
    }

    private static String run(List<String> command, Duration timeout) {
        return Commands.run(command, timeout);
    }
}
