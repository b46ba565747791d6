package io.sift.eval.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.itsm.IncidentMetrics;
import io.sift.core.problem.ProblemConfig;
import io.sift.core.problem.ProblemDetector;
import io.sift.core.problem.ProblemState;
import io.sift.core.problem.RootCauseFingerprint;
import io.sift.eval.scenarios.PipelineSettings;
import io.sift.eval.scenarios.ScenarioPipeline;
import io.sift.scenario.FaultSpec;
import io.sift.scenario.FaultType;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Problem management on the plain-Java mirror of the job: one fault injected three times on the same item gives
 * three incidents, one problem linking them, and times to detect that agree with the ground truth.
 */
class RecurringFaultProblemTest {

    /** The scenario the job's ProblemsITCase runs too. */
    static Scenario recurringSaturation(String environment) {
        return ScenarioGenerator.builder().seed(5).environment(environment).services(20)
                .start(java.time.Instant.parse("2026-11-02T06:00:00Z"))
                .duration(Duration.ofMinutes(215))
                .recurringFault(FaultSpec.of(FaultType.RESOURCE_SATURATION).on("orders-db")
                        .at(Duration.ofMinutes(65)).lasting(Duration.ofMinutes(6)), 3, Duration.ofMinutes(50))
                .build().generate();
    }

    @Test
    void threeRecurrencesOnOneItemFormOneProblemLinkingThreeIncidents() {
        Scenario scenario = recurringSaturation("prod");
        ScenarioPipeline.Output out = new ScenarioPipeline(PipelineSettings.defaults()).run(scenario);

        Map<String, Incident> latest = new LinkedHashMap<>();
        ProblemDetector detector = new ProblemDetector(ProblemConfig.defaults());
        Map<String, ProblemState> states = new HashMap<>();
        Map<String, Problem> problems = new LinkedHashMap<>();
        for (Incident incident : out.incidentVersions()) {
            latest.put(incident.getId(), incident);
            RootCauseFingerprint fingerprint = RootCauseFingerprint.of(incident);
            if (fingerprint != null && incident.getStatus() != IncidentStatus.MERGED) {
                Problem p = detector.onIncident(states.computeIfAbsent(fingerprint.key(), k -> new ProblemState()),
                        incident, fingerprint);
                if (p != null) {
                    problems.put(p.getId(), p);
                }
            }
        }
        latest.values().removeIf(i -> i.getStatus() == IncidentStatus.MERGED);
        StringBuilder seen = new StringBuilder();
        latest.values().forEach(i -> seen.append('\n').append(i.getId()).append(' ').append(i.getOpenedAt())
                .append(' ').append(i.getTitle()).append(" ttd=").append(IncidentMetrics.of(i).timeToDetectMillis()));
        assertEquals(3, latest.size(), () -> "three incidents: " + seen);
        assertEquals(1, problems.size(), () -> "one problem: " + problems.values() + seen);
        Problem problem = problems.values().iterator().next();
        assertEquals(new ArrayList<>(latest.keySet()), problem.getIncidentIds());
        assertEquals("orders-db", problem.getRootCauseItem());

        List<InjectedFault> faults = scenario.faults();
        int k = 0;
        for (Incident incident : latest.values()) {
            InjectedFault fault = faults.get(k++);
            IncidentMetrics metrics = IncidentMetrics.of(incident);
            long truth = incident.getDetectedAt().toEpochMilli() - fault.start().toEpochMilli();
            System.out.printf("%s %s: time to detect %d s (ground truth %d s), %d anomalies, %d anomaly versions%n",
                    fault.id(), incident.getId(), metrics.timeToDetectMillis() / 1000, truth / 1000,
                    metrics.anomalyCount(), metrics.anomalyUpdates());
            // The earliest onset is the first anomalous sample: at most a couple of sample intervals after the start.
            assertTrue(Math.abs(metrics.timeToDetectMillis() - truth) <= 30_000,
                    () -> "time to detect " + metrics.timeToDetectMillis() + " ms vs ground truth " + truth + " ms");
        }
    }
}
