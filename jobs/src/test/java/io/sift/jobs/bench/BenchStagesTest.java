package io.sift.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each bench stage runs on a tiny input for a fraction of a second and reports positive figures, so the bench code
 * cannot rot unnoticed. The figures themselves mean nothing here: benchmarks are not tests.
 */
class BenchStagesTest {

    private static final BenchSettings TINY = new BenchSettings(0.3, 0.1, 300, 300, 1, "http://127.0.0.1:1", 100, 50);

    @Test
    void detectorStageMeasuresSiftAndItsBaseline() throws Exception {
        assertRan(BenchSuite.run(DetectorBench.STAGE, TINY), 2);
    }

    @Test
    void minerStageMeasuresWarmColdStormAndBaseline() throws Exception {
        StageReport report = BenchSuite.run(MinerBench.STAGE, TINY);
        assertRan(report, 4);
        assertTrue(report.measurements().stream().anyMatch(m -> m.name().contains("template storm")),
                "the template storm is measured");
    }

    @Test
    void correlatorStageMeasuresSiftAndItsBaseline() throws Exception {
        StageReport report = BenchSuite.run(CorrelatorBench.STAGE, TINY);
        assertRan(report, 2);
        assertTrue(report.figures().stream().anyMatch(f -> f.name().startsWith("configuration items")
                && f.value() == 300), "the topology has the items asked for");
    }

    @Test
    void decodeStageMeasuresOtlpAgainstAvroTheJsonFormatsAndSpans() throws Exception {
        StageReport report = BenchSuite.run(DecodeBench.STAGE, TINY);
        assertRan(report, 6);
        assertEquals(Measurement.Role.BASELINE, report.measurements().get(1).role());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void detectionJobStageRunsTheJobAndThePassthroughInAMiniCluster() throws Exception {
        StageReport report = BenchSuite.run(JobBench.DETECTION_JOB, TINY);
        assertRan(report, 2);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void wholeJobStageAlsoRunsPacedForLatency() throws Exception {
        StageReport report = BenchSuite.run(JobBench.JOB, TINY);
        assertRan(report, 3);
        assertEquals(Measurement.Role.VARIANT, report.measurements().get(2).role());
    }

    @Test
    void elasticsearchStageIsSkippedWhenNothingAnswers() throws Exception {
        StageReport report = BenchSuite.run(ElasticsearchBulkBench.STAGE, TINY);
        assertNotNull(report.skippedReason());
        assertTrue(report.measurements().isEmpty());
    }

    @Test
    void unknownStagesAreRefusedWithTheKnownOnes() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> BenchSuite.select(List.of("detector", "nonsense")));
        assertTrue(refused.getMessage().contains("correlator"), refused.getMessage());
        assertEquals(List.of("detector", "job"), BenchSuite.select(List.of("job", "detector")));
    }

    @Test
    void jsonHoldsEveryRunAndFigure(@TempDir Path folder) throws Exception {
        StageReport report = new StageReport("example", "an example")
                .add(new Measurement("subject", Measurement.Role.SUBJECT, 100, 1_000_000_000L, 500_000_000L))
                .add(new Measurement("baseline", Measurement.Role.BASELINE, 400, 1_000_000_000L, 1_000_000_000L))
                .figure("heap per thing", 64, "bytes");
        Path file = folder.resolve("bench.json");
        BenchOutput.writeJson(file, List.of(report, StageReport.skipped("elasticsearch", "ES", "unreachable")), TINY,
                "1 1 1", "1 1 1");
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        JsonNode subject = root.at("/stages/0/runs/0");
        assertEquals(100.0, subject.get("recordsPerSecond").asDouble(), 1e-9);
        assertEquals(200.0, subject.get("recordsPerCoreSecond").asDouble(), 1e-9);
        assertEquals(0.5, subject.get("coresUsed").asDouble(), 1e-9);
        assertEquals(0.25, subject.get("ratioToBaseline").asDouble(), 1e-9);
        assertEquals(0.5, subject.get("ratioToBaselinePerCore").asDouble(), 1e-9);
        assertEquals(64, root.at("/stages/0/figures/0/value").asDouble(), 1e-9);
        assertEquals("unreachable", root.at("/stages/1/skipped").asText());
    }

    private static void assertRan(StageReport report, int runs) {
        assertNull(report.skippedReason());
        assertEquals(runs, report.measurements().size(), report.measurements().toString());
        assertNotNull(report.baseline());
        for (Measurement m : report.measurements()) {
            assertTrue(m.records() > 0, m + " processed nothing");
            assertTrue(m.recordsPerSecond() > 0 && m.recordsPerCoreSecond() > 0 && m.coresUsed() > 0, m.toString());
            assertFalse(Double.isNaN(report.ratioToBaselinePerCore(m)), m.toString());
        }
        for (StageReport.Figure figure : report.figures()) {
            assertFalse(Double.isNaN(figure.value()) || Double.isInfinite(figure.value()), figure.toString());
        }
        assertNotNull(report.loadAverageBefore());
    }
}
