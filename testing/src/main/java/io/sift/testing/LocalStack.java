package io.sift.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kafka broker and an Elasticsearch server of one test's own, for injecting outages: started with
 * {@code deploy/local/stack.sh} into a directory of the test's choice, each service can be stopped and started again on
 * the same port with the same data, so the clients of a running job reconnect to it. Stopped by {@link #close()}, or
 * by a JVM shutdown hook if the test never gets there.
 *
 * <p>Unlike {@link LocalServices}' stack, which every test of the JVM shares, nothing else uses this one: stopping its
 * services disturbs no other test. Its ports lie below the kernel's ephemeral range (see
 * {@link Ports#freeRestartablePortWith(int)}).
 */
public final class LocalStack implements AutoCloseable {

    private static final String SCRIPT = "deploy/local/stack.sh";
    /** Generous: the first start on a fresh clone runs Maven to fetch the binaries (~200 MB). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    /** The two services, named as {@code stack.sh --only} names them. */
    public enum Service {
        KAFKA("kafka"), ELASTICSEARCH("elasticsearch");

        final String scriptName;

        Service(String scriptName) {
            this.scriptName = scriptName;
        }
    }

    private final Path script;
    private final Path directory;
    private final int kafkaPort;
    private final int elasticsearchPort;
    private final Thread stopOnExit;
    private boolean closed;

    private LocalStack(Path script, Path directory, int kafkaPort, int elasticsearchPort) {
        this.script = script;
        this.directory = directory;
        this.kafkaPort = kafkaPort;
        this.elasticsearchPort = elasticsearchPort;
        this.stopOnExit = new Thread(this::stop, "sift-local-stack-stop");
    }

    /**
     * Starts Kafka and Elasticsearch (both at once) with data and logs in {@code directory}; services left running
     * there by a killed test JVM are stopped first.
     */
    public static LocalStack start(Path directory) {
        Path script = Commands.findScript(SCRIPT);
        Path dir = directory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        run(List.of("bash", script.toString(), "down", "--dir", dir.toString()), STOP_TIMEOUT);
        LocalStack stack = new LocalStack(script, dir, Ports.freeRestartablePortWith(1),
                Ports.freeRestartablePortWith(100));
        Runtime.getRuntime().addShutdownHook(stack.stopOnExit);
        try {
            long startNanos = System.nanoTime();
            stack.stack("up", null, START_TIMEOUT);
            System.err.printf("LocalStack: Kafka at %s and Elasticsearch at %s, ready after %d ms (data and logs in %s)%n",
                    stack.kafkaBootstrap(), stack.elasticsearchUrl(), (System.nanoTime() - startNanos) / 1_000_000,
                    dir);
        } catch (RuntimeException e) {
            // a half-started stack must not outlive the test
            stack.close();
            throw e;
        }
        return stack;
    }

    /** Kafka's bootstrap servers, {@code 127.0.0.1:<port>}; the same across restarts. */
    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Elasticsearch's base URL, {@code http://127.0.0.1:<port>}; the same across restarts. */
    public String elasticsearchUrl() {
        return "http://127.0.0.1:" + elasticsearchPort;
    }

    /** The stack's directory: {@code kafka/} and {@code elasticsearch/} with their data and logs. */
    public Path directory() {
        return directory;
    }

    /** Stops one service (TERM, then KILL after 30 s), keeping its data; returns how long that took. */
    public Duration stop(Service service) {
        return stack("down", service, STOP_TIMEOUT);
    }

    /** Starts a stopped service again on its port and data and waits until it serves; returns how long that took. */
    public Duration start(Service service) {
        return stack("up", service, START_TIMEOUT);
    }

    /** Stops both services. */
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
            stack("down", null, STOP_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println("LocalStack: stopping the services failed: " + e.getMessage());
        }
    }

    private Duration stack(String command, Service only, Duration timeout) {
        List<String> line = new ArrayList<>(List.of("bash", script.toString(), command, "--dir", directory.toString(),
                "--kafka-port", Integer.toString(kafkaPort), "--es-port", Integer.toString(elasticsearchPort)));
        if (only != null) {
            line.addAll(List.of("--only", only.scriptName));
        }
        long startNanos = System.nanoTime();
        run(line, timeout);
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String run(List<String> command, Duration timeout) {
        return Commands.run(command, timeout);
    }
}
