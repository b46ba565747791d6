package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command-line contract: exit codes and what scripts read from the output. */
class SiftCliTest {

    @Test
    void refusedSettingsExitWithTwoAndSayWhatToChange() {
        StringWriter err = new StringWriter();
        CommandLine cli = SiftCli.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("demo", "--embedded", "--hours", "1", "--faults", "3");

        assertEquals(2, exit);
        assertTrue(err.toString().contains("raise --hours or lower --faults"), err.toString());
    }

    @Test
    void optionsListEverySettingAsPlainText() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = SiftCli.commandLine().execute("options");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit);
        for (var option : io.sift.jobs.OptionsCatalog.all()) {
            assertTrue(out.contains(option.key()), option.key());
        }
        // Placeholders in descriptions reach the terminal as written, not HTML-escaped.
        assertTrue(out.contains("group-by=<attribute>"), out);
        assertTrue(!out.contains("&lt;"), out);
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandLine cli = SiftCli.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));

        assertEquals(2, cli.execute("demo", "--no-such-option"));
    }

    @Test
    void embeddedDemoFindsTheInjectedFaultAndWritesItsIncidents(@TempDir Path out) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = SiftCli.commandLine().execute("demo", "--embedded", "--hours", "2", "--faults", "1", "--seed", "11",
                    "--out", out.toString());
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit, printed);
        assertTrue(printed.contains("root-cause hint rank 1"), printed);
        assertTrue(Files.readAllLines(out.resolve("incidents.jsonl")).stream()
                .anyMatch(line -> line.contains("\"id\":\"inc-")), "incidents.jsonl names no incident");
    }
}
