package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's test command is one command that works on a fresh machine: {@code ./sift test} runs deploy/ci/test.sh,
 * which installs what the tests need (among them the Python modules the notebooks and their runner import) and runs
 * every test; {@code .ci/run} calls exactly that command.
 */
class TestCommandTest {

    private static final String COMMAND = "./sift test";
    /** Python's own modules, and the notebooks' helper module: nothing to install. */
    private static final Set<String> NOT_PACKAGES = Set.of("argparse", "os", "pathlib", "shutil", "sys", "json",
            "datetime", "re", "math", "collections", "time", "typing", "itertools", "functools", "urllib", "io",
            "textwrap", "warnings", "subprocess", "sift_es");

    private static final Path ROOT = Launcher.root();

    @Test
    void theReadmeGivesTheTestCommandAndCiCallsExactlyIt() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Matcher block = Pattern.compile("Run the tests.*?```bash\\n([^\\n]*)\\n```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README: a 'Run the tests' paragraph with one command");
        assertEquals(COMMAND, block.group(1).replaceAll("\\s+#.*", "").strip());
        List<String> ci = Files.readAllLines(ROOT.resolve(".ci/run"));
        assertTrue(ci.stream().anyMatch(line -> line.strip().equals(COMMAND)), ".ci/run calls " + COMMAND + ": " + ci);
        String sift = Files.readString(ROOT.resolve("sift"));
        assertTrue(sift.contains("exec \"$ROOT/deploy/ci/test.sh\" \"$@\""), "./sift test runs deploy/ci/test.sh");
        String test = Files.readString(ROOT.resolve("deploy/ci/test.sh"));
        assertTrue(test.contains("exec mvn -B verify \"$@\""), "deploy/ci/test.sh runs every test");
    }

    @Test
    void theTestCommandInstallsEveryPythonModuleTheNotebooksImport() throws IOException {
        String test = Files.readString(ROOT.resolve("deploy/ci/test.sh"));
        Matcher listed = Pattern.compile("PYTHON_MODULES=\\(([^)]*)\\)").matcher(test);
        assertTrue(listed.find(), "deploy/ci/test.sh lists PYTHON_MODULES");
        Set<String> installed = new TreeSet<>(List.of(listed.group(1).strip().split("\\s+")));

        Set<String> imported = new TreeSet<>();
        Pattern imports = Pattern.compile("(?m)(?:^|\")\\s*(?:import|from)\\s+([A-Za-z_][A-Za-z0-9_]*)");
        try (var files = Files.list(ROOT.resolve("notebooks"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".py") || f.toString().endsWith(".ipynb")).toList()) {
                Matcher m = imports.matcher(Files.readString(file));
                while (m.find()) {
                    imported.add(m.group(1));
                }
            }
        }
        imported.removeAll(NOT_PACKAGES);
        assertTrue(imported.contains("pandas") && imported.contains("nbclient"), "imports found: " + imported);
        // The notebooks run on a Python kernel, which nbclient starts but does not import.
        imported.add("ipykernel");
        assertTrue(installed.containsAll(imported), "deploy/ci/test.sh installs " + installed + ", the notebooks import "
                + imported);
    }
}
