package io.sift.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts Sift as a person does, in a process of its own: {@code ./sift} of this checkout with the build as it is
 * ({@code SIFT_NO_BUILD=1}: tests run after {@code package}), or {@code java} on a class path of the build's files
 * (the launcher's, or the shaded job jar's). The process's output goes to a file, read by {@link Started#output()}.
 */
final class Launcher {

    static final String VERSION = "0.1.0-SNAPSHOT";

    private Launcher() {}

    /** The checkout: the nearest directory up from the working directory that has {@code ./sift}. */
    static Path root() {
        for (Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("sift")) && Files.isRegularFile(dir.resolve("jobs/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ./sift above " + System.getProperty("user.dir"));
    }

    static Path target() {
        return root().resolve("jobs/target");
    }

    /** The jar of the sift command line and the job. */
    static Path jobsJar() {
        return target().resolve("sift-jobs-" + VERSION + ".jar");
    }

    /** The shaded jar submitted to a Flink cluster. */
    static Path shadedJar() {
        return target().resolve("sift-jobs-" + VERSION + "-job.jar");
    }

    /** The entries of a class-path file the build writes in jobs/target (launcher-classpath.txt, ...). */
    static List<String> classPath(String file) {
        try {
            return Arrays.stream(Files.readString(target().resolve(file)).strip().split(":"))
                    .filter(e -> !e.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + file + ": build with mvn -pl jobs -am package", e);
        }
    }

    /** {@code ./sift args...} of this checkout, without building. */
    static Started sift(Path log, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root().resolve("sift").toString()));
        command.addAll(List.of(args));
        return start(command, log, env);
    }

    /** A launcher script elsewhere (e.g. a copy beside a doctored build), without building. */
    static Started script(Path script, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        return start(command, log, Map.of());
    }

    /** {@code java -cp classPath mainClass args...} with the launcher's JVM options. */
    static Started java(List<String> classPath, String mainClass, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-opens", "java.base/java.util=ALL-UNNAMED", "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "-cp", String.join(":", classPath), mainClass));
        command.addAll(List.of(args));
        return start(command, log, Map.of());
    }

    /** {@code -Dkey=value} arguments of settings. */
    static String[] settings(Map<String, String> settings) {
        return settings.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "-D" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    static String[] concat(String[] first, String... more) {
        return Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
    }

    private static Started start(List<String> command, Path log, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("SIFT_NO_BUILD", "1");
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        try {
            // the class path is long and says little in a failure message
            String shown = String.join(" ", command).replaceAll("-cp \\S+", "-cp <class path>");
            return new Started(builder.start(), log, shown);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A started process. */
    record Started(Process process, Path log, String command) {

        /** Waits for the exit code; kills the process (and fails) when it runs longer than {@code timeout}. */
        int await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Path threads = threadDump();
                kill();
                throw new AssertionError("still running after " + timeout + " (threads: " + threads + "): " + command
                        + "\n" + tail(40));
            }
            return process.exitValue();
        }

        /** The process's threads, written beside its log (to see where a hung run waits). */
        Path threadDump() throws InterruptedException {
            Path file = log.resolveSibling(log.getFileName() + ".threads");
            try {
                new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                        .redirectOutput(file.toFile()).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                return null;
            }
            return file;
        }

        /** SIGKILL, as a crash or the OOM killer: no shutdown hook runs. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }

        String tail(int lines) {
            List<String> all = output().lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }
}
