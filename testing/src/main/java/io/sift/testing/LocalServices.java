package io.sift.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Kafka broker and a real Elasticsearch server for tests, started at most once per test JVM with
 * {@code deploy/local/stack.sh} into {@code <working dir>/target/it-stack} on free ports, and stopped by a JVM shutdown
 * hook ({@code stack.sh down}).
 *
 * <p>Each service starts lazily on the first call of its accessor; {@link #startAll()} starts both at once (Kafka takes
 * about 3 s, Elasticsearch about 10 s). A failed start fails every later call with the script's output.
 *
 * <p>Set {@code SIFT_TEST_KAFKA_BOOTSTRAP} (host:port) and/or {@code SIFT_TEST_ELASTICSEARCH_URL} (http://host:port) to
 * use services that already run; nothing is started for a service given that way.
 *
 * <p>One test JVM per module at a time: two JVMs with the same working directory would share the stack directory.
 */
public final class LocalServices {

    /** Environment variable naming a running Kafka broker (host:port) to use instead of starting one. */
    public static final String KAFKA_ENV = "SIFT_TEST_KAFKA_BOOTSTRAP";
    /** Environment variable naming a running Elasticsearch (http://host:port) to use instead of starting one. */
    public static final String ELASTICSEARCH_ENV = "SIFT_TEST_ELASTICSEARCH_URL";

    private static final String SCRIPT = "deploy/local/stack.sh";
    /** Generous: the first start on a fresh clone runs Maven to fetch the binaries (~200 MB). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private static final Object LOCK = new Object();
    private static final ExecutorService LAUNCHER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sift-local-services");
        t.setDaemon(true);
        return t;
    });

    // guarded by LOCK
    private static CompletableFuture<String> kafka;
    private static CompletableFuture<String> elasticsearch;
    private static Path script;
    private static Path stackDir;

    private LocalServices() {
    }

    /** Kafka's bootstrap servers, {@code 127.0.0.1:<port>}; starts the broker on first use. */
    public static String kafkaBootstrap() {
        return await(kafkaFuture(), "Kafka");
    }

    /** Elasticsearch's base URL, {@code http://127.0.0.1:<port>}; starts the server on first use. */
    public static String elasticsearchUrl() {
        return await(elasticsearchFuture(), "Elasticsearch");
    }

    /** Starts Kafka and Elasticsearch concurrently (if not yet started) and waits for both. */
    public static void startAll() {
        CompletableFuture<String> k = kafkaFuture();
        CompletableFuture<String> e = elasticsearchFuture();
        await(k, "Kafka");
        await(e, "Elasticsearch");
    }

    /** The directory holding the started services' data and logs, if this JVM started any. */
    public static Optional<Path> stackDirectory() {
        synchronized (LOCK) {
            return Optional.ofNullable(stackDir);
        }
    }

    private static CompletableFuture<String> kafkaFuture() {
        synchronized (LOCK) {
            if (kafka == null) {
                kafka = fromEnv(KAFKA_ENV).orElseGet(() -> launch("kafka", "SIFT_KAFKA_BOOTSTRAP",
                        List.of("--kafka-port", Integer.toString(Ports.freePortWith(1)))));
            }
            return kafka;
        }
    }

    private static CompletableFuture<String> elasticsearchFuture() {
        synchronized (LOCK) {
            if (elasticsearch == null) {
                elasticsearch = fromEnv(ELASTICSEARCH_ENV).orElseGet(() -> launch("elasticsearch",
                        "SIFT_ELASTICSEARCH_URL", List.of("--es-port", Integer.toString(Ports.freePortWith(100)))));
            }
            return elasticsearch;
        }
    }

    private static Optional<CompletableFuture<String>> fromEnv(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank()
                ? Optional.empty()
                : Optional.of(CompletableFuture.completedFuture(value.strip()));
    }

    /** Called with LOCK held. */
    private static CompletableFuture<String> launch(String service, String key, List<String> portArgs) {
        try {
            prepare();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "up", "--only", service,
                "--dir", stackDir.toString()));
        command.addAll(portArgs);
        return CompletableFuture.supplyAsync(() -> {
            long startNanos = System.nanoTime();
            String output = run(command, START_TIMEOUT);
            String value = output.lines()
                    .filter(line -> line.startsWith(key + "="))
                    .map(line -> line.substring(key.length() + 1).strip())
                    .reduce((first, second) -> second)
                    .orElseThrow(() -> new IllegalStateException(
                            "no " + key + "= line from: " + String.join(" ", command) + "\n" + output));
            System.err.printf("LocalServices: %s at %s, ready after %d ms (data and logs in %s)%n", service, value,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), stackDir);
            return value;
        }, LAUNCHER);
    }

    /** Once per JVM, with LOCK held: locate the script, stop leftovers of an earlier killed run, install the hook. */
    private static void prepare() {
        if (script != null) {
            return;
        }
        Path stack;
        try {
            stack = Commands.findScript(SCRIPT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; or set " + KAFKA_ENV + " and " + ELASTICSEARCH_ENV
                    + " to running services", e);
        }
        Path cwd = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        Path dir = cwd.resolve("target").resolve("it-stack");
        if (Files.isDirectory(dir)) {
            // a JVM killed before its shutdown hook ran may have left services running there
            run(List.of("bash", stack.toString(), "down", "--dir", dir.toString()), STOP_TIMEOUT);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(LocalServices::stopAll, "sift-local-services-stop"));
        script = stack;
        stackDir = dir;
    }

    private static void stopAll() {
        List<CompletableFuture<String>> starts = new ArrayList<>();
        Path stack;
        Path dir;
        synchronized (LOCK) {
            stack = script;
            dir = stackDir;
            if (kafka != null) {
                starts.add(kafka);
            }
            if (elasticsearch != null) {
                starts.add(elasticsearch);
            }
        }
        if (stack == null) {
            return;
        }
        // let starts in flight finish, so that their pid files exist and down finds every process
        for (CompletableFuture<String> start : starts) {
            try {
                start.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // down below stops whatever did start
            }
        }
        try {
            run(List.of("bash", stack.toString(), "down", "--dir", dir.toString()), STOP_TIMEOUT);
        } catch (RuntimeException e) {
            System.err.println("LocalServices: stopping the services failed: " + e.getMessage());
        }
    }

    private static String run(List<String> command, Duration timeout) {
        return Commands.run(command, timeout, LAUNCHER);
    }

    private static String await(CompletableFuture<String> future, String service) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + service, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("starting " + service + " for tests failed: " + cause.getMessage(), cause);
        }
    }
}
