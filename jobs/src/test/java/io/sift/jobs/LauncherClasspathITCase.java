package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sift} runs this checkout's own build: the class path the build writes for it names Sift's modules in this
 * checkout's target folders (never the copies in ~/.m2 that any other checkout overwrites), holds kafka-clients'
 * compression codecs, and the launcher refuses a class path naming Sift jars of another build.
 */
class LauncherClasspathITCase {

    @TempDir
    Path dir;

    /** A jar of Sift's own: in Maven's repository layout (io/sift/...) or named sift-*.jar. */
    static boolean isSift(String entry) {
        return entry.contains("/io/sift/") || Path.of(entry).getFileName().toString().startsWith("sift-");
    }

    @Test
    void theLauncherClassPathNamesOnlyThisCheckoutsSiftJarsAndTheCompressionCodecs() {
        String root = Launcher.root() + "/";
        List<String> entries = Launcher.classPath("launcher-classpath.txt");
        List<String> sift = entries.stream().filter(LauncherClasspathITCase::isSift).distinct().toList();
        assertEquals(5, sift.size(), "schemas, core, eval, connectors, gateway: " + sift);
        for (String jar : sift) {
            assertTrue(jar.startsWith(root), jar + " is not this checkout's build (" + root + ")");
            assertTrue(Files.isRegularFile(Path.of(jar)), jar);
        }
        for (String codec : List.of("/lz4-java-", "/snappy-java-", "/zstd-jni-")) {
            assertTrue(entries.stream().anyMatch(e -> e.contains(codec)), codec + " on " + entries);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theLauncherRefusesAClassPathNamingSiftJarsOfAnotherBuild() throws Exception {
        // This checkout's launcher and jar, with the class path a build without -am writes: Sift's modules from ~/.m2.
        Path checkout = dir.resolve("checkout");
        Path target = Files.createDirectories(checkout.resolve("jobs/target"));
        Files.copy(Launcher.root().resolve("sift"), checkout.resolve("sift"));
        Files.createSymbolicLink(target.resolve(Launcher.jobsJar().getFileName()), Launcher.jobsJar());
        String m2 = System.getProperty("user.home") + "/.m2/repository/io/sift/sift-core/" + Launcher.VERSION
                + "/sift-core-" + Launcher.VERSION + ".jar";
        String classPath = String.join(":", Launcher.classPath("launcher-classpath.txt"))
                .replace(Launcher.root() + "/core/target/sift-core-" + Launcher.VERSION + ".jar", m2);
        assertTrue(classPath.contains(m2));
        Files.writeString(target.resolve("launcher-classpath.txt"), classPath);
        Files.createFile(target.resolve(".launcher-built"));

        Launcher.Started options = Launcher.script(checkout.resolve("sift"), dir.resolve("options.log"), "options");
        int exit = options.await(Duration.ofMinutes(1));

        String output = options.output();
        assertEquals(2, exit, output);
        assertTrue(output.contains("names Sift jars that are not this checkout's build") && output.contains(m2),
                output);
        assertFalse(output.contains("sift.checkpoint.interval"), "it did not run: " + output);
    }
}
