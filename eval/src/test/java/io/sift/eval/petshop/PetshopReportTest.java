package io.sift.eval.petshop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's arithmetic: per scenario and kind, and the unweighted mean over scenarios. */
class PetshopReportTest {

    private static PetshopReport.IssueOutcome outcome(String scenario, String kind, int rank) {
        return new PetshopReport.IssueOutcome(scenario, "train/issue", kind, "cause", List.of(), rank, List.of());
    }

    @Test
    void eachScenarioWeighsTheSameInTheMean() {
        PetshopReport report = new PetshopReport(List.of(
                outcome("big", "latency", 1), outcome("big", "latency", 1), outcome("big", "latency", 1),
                outcome("big", "availability", 3),
                outcome("small", "latency", 0), outcome("small", "availability", 2)));
        assertEquals(0.75, report.scenario("big").top1(), 1e-9);
        assertEquals(1.0, report.scenario("big").top3(), 1e-9);
        assertEquals(0.0, report.scenario("small").top1(), 1e-9);
        assertEquals(0.5, report.scenario("small").top3(), 1e-9);
        // (0.75 + 0) / 2 and (1 + 0.5) / 2, not the pooled 3/6 and 5/6.
        assertEquals(0.375, report.averageOverScenarios().top1(), 1e-9);
        assertEquals(0.75, report.averageOverScenarios().top3(), 1e-9);
        assertEquals(0.5, report.kindAveragedOverScenarios("latency").top1(), 1e-9);
        assertEquals(0.0, report.scenarioAndKind("big", "availability").top1(), 1e-9);
        assertEquals(1.0, report.scenarioAndKind("big", "availability").top3(), 1e-9);
    }
}
