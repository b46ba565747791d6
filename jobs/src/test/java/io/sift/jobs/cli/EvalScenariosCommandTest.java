package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.detect.BaselineConfig;
import io.sift.eval.scenarios.PipelineSettings;
import io.sift.jobs.SiftSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sift eval scenarios}: the table, the JSON, and the job's settings in the plain-Java pipeline. */
class EvalScenariosCommandTest {

    @Test
    void printsTheTableAndWritesTheJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("scenarios.json");
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = SiftCli.commandLine().execute("eval", "scenarios", "--seed", "5", "--runs", "1", "--json",
                    json.toString());
        } finally {
            System.setOut(console);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, out);
        assertTrue(out.contains("FAULT TYPE") && out.contains("NETWORK_PARTITION") && out.contains("ALL "), out);
        var figures = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals(5, figures.at("/overall/faults").asInt());
        assertTrue(figures.at("/overall/compression").asDouble() > 1, figures.toString());
    }

    @Test
    void refusesZeroRuns() {
        assertEquals(2, SiftCli.commandLine().execute("eval", "scenarios", "--runs", "0"));
    }

    @Test
    void theEvaluationModulesDefaultsAreTheJobsDefaults() throws Exception {
        PipelineSettings job = EvalScenariosCommand.settings(SiftSettings.load(null, Map.of()));
        PipelineSettings mirror = PipelineSettings.defaults();
        assertSame(job.baseline(), mirror.baseline(), "default detector");
        assertEquals(job.baselineByMetric().keySet(), mirror.baselineByMetric().keySet());
        for (String metric : job.baselineByMetric().keySet()) {
            assertSame(job.baselineOf(metric), mirror.baselineOf(metric), metric);
        }
        CorrelationConfig a = job.correlation();
        CorrelationConfig b = mirror.correlation();
        assertEquals(String.join(",", describe(a)), String.join(",", describe(b)));
        assertEquals(job.logErrorMetric(), mirror.logErrorMetric());
        assertEquals(job.logWindowMillis(), mirror.logWindowMillis());
        assertEquals(job.outOfOrdernessMillis(), mirror.outOfOrdernessMillis());
        assertEquals(job.silenceMillis(), mirror.silenceMillis());
    }

    private static String[] describe(CorrelationConfig c) {
        return new String[] {c.defaultEnvironment, "" + c.gapMillis, "" + c.linkGapMillis, "" + c.onsetToleranceMillis,
                "" + c.mergeWindowMillis, "" + c.maxHops, "" + c.quietMillis, "" + c.reopenMillis,
                "" + c.changeLookbackMillis, "" + c.maxAnomalyRefs, "" + c.maxHints, "" + c.flapCount,
                "" + c.flapWindowMillis, "" + c.flapQuietMillis};
    }

    private static void assertSame(BaselineConfig a, BaselineConfig b, String what) {
        assertEquals(a.warmUpSamples, b.warmUpSamples, what);
        assertEquals(a.alpha, b.alpha, what);
        assertEquals(a.threshold, b.threshold, what);
        assertEquals(a.minConsecutive, b.minConsecutive, what);
        assertEquals(a.quietSamples, b.quietSamples, what);
        assertEquals(a.minAbsoluteDeviation, b.minAbsoluteDeviation, what);
        assertEquals(a.minRelativeDeviation, b.minRelativeDeviation, what);
        assertEquals(a.direction, b.direction, what);
        assertEquals(a.rescoreStep, b.rescoreStep, what);
    }
}
