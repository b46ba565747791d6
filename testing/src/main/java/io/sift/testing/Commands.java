package io.sift.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs the deploy scripts the test fixtures start servers with. */
final class Commands {

    private Commands() {}

    /**
     * The script at {@code relative} (e.g. {@code deploy/local/stack.sh}) in the working directory or its nearest parent
     * that has it: tests run in a module's directory, the scripts live at the repository root.
     */
    static Path findScript(String relative) {
        Path cwd = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("cannot find " + relative + " in " + cwd + " or any parent directory");
    }

    /** Runs a command and returns its output (stdout and stderr); throws with the output when it fails or hangs. */
    static String run(List<String> command, Duration timeout) {
        return run(command, timeout, ForkJoinPool.commonPool());
    }

    /** As {@link #run(List, Duration)}, reading the output on {@code reader}. */
    static String run(List<String> command, Duration timeout, Executor reader) {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // the servers run on the JDK of the tests unless JAVA_HOME says otherwise
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        }, reader);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n" + output.getNow("(no output yet)"));
            }
            String text = output.get(30, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", command), e);
        }
    }
}
