package io.sift.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The floors of `./sift bench --check`: parsed strictly, and a stage's subject judged by its per-core ratio. */
class BenchFloorsTest {

    private static StageReport report(String stage, long subjectRecords, long baselineRecords) {
        long second = 1_000_000_000L;
        return new StageReport(stage, "test")
                .add(new Measurement("subject", Measurement.Role.SUBJECT, subjectRecords, second, second))
                .add(new Measurement("baseline", Measurement.Role.BASELINE, baselineRecords, second, second));
    }

    @Test
    void aStageBelowItsFloorFailsAndOneAtOrAboveItPasses() {
        BenchFloors floors = BenchFloors.parse("detection-job = 0.5\njob = 0.4\n", "test");
        assertEquals(java.util.List.of("detection-job", "job"), floors.stages(), "in suite order");
        BenchFloors.Verdict below = floors.judge(report("detection-job", 49, 100));
        assertFalse(below.passed());
        assertEquals(0.49, below.ratio(), 1e-9);
        assertTrue(below.note().contains("below its floor"), below.note());
        assertTrue(floors.judge(report("job", 40, 100)).passed());
        assertTrue(floors.judge(report("miner", 1, 100)).passed(), "a stage without a floor is not judged");
        assertFalse(floors.judge(StageReport.skipped("job", "test", "failed: boom")).passed(),
                "a stage with a floor that gave no figures fails");
    }

    @Test
    void theShippedFloorsNameOnlyStagesAndAreBelowOne() {
        BenchFloors shipped = BenchFloors.shipped();
        assertTrue(shipped.stages().containsAll(java.util.List.of("detection-job", "job", "detection-job-rocksdb",
                "job-rocksdb")), "the job stages on both backends are guarded: " + shipped.stages());
        for (String stage : shipped.stages()) {
            BenchFloors.Verdict atBaseline = shipped.judge(report(stage, 100, 100));
            assertTrue(atBaseline.passed() && atBaseline.floor() < 1, stage + " floor " + atBaseline.floor());
        }
    }

    @Test
    void badFloorsAreRefusedWithWhatToDo() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> BenchFloors.parse("jobb = 0.4", "f"));
        assertTrue(unknown.getMessage().contains("not a bench stage"), unknown.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> BenchFloors.parse("job = fast", "f"));
        assertTrue(bad.getMessage().contains("positive ratio"), bad.getMessage());
    }
}
