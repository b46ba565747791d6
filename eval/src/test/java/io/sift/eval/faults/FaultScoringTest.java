package io.sift.eval.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import io.sift.schema.RootCauseHint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultScoringTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static Incident version(String id, long version, Instant detected, Instant updated, String... hints) {
        List<RootCauseHint> causes = new ArrayList<>();
        for (int i = 0; i < hints.length; i++) {
            causes.add(RootCauseHint.newBuilder().setItem(hints[i]).setRank(i + 1).setScore(1.0 / hints.length)
                    .setReasons(List.of()).build());
        }
        return Incident.newBuilder().setId(id).setVersion(version).setStatus(IncidentStatus.OPEN)
                .setChange(version == 1 ? IncidentChange.OPENED : IncidentChange.UPDATED).setEnvironment("env")
                .setTitle(id).setPriority(Priority.P3).setPeakScore(50).setOpenedAt(detected).setUpdatedAt(updated)
                .setLastSeen(updated).setAnomalyCount(1).setDetectedAt(detected).setRootCauses(causes).build();
    }

    private static Incident reopened(String id, long version, Instant detected, Instant updated, String... hints) {
        Incident v = version(id, version, detected, updated, hints);
        v.setChange(IncidentChange.REOPENED);
        return v;
    }

    private static Fault fault(String id, int startMinute, String service) {
        return new Fault(id, "env", at(startMinute), Duration.ofMinutes(5), "cpu", "pod", service,
                Set.of(service, service + "-pod"));
    }

    @Test
    void scoresRecallRanksTimeToDetectAndNoise() {
        List<Fault> faults = List.of(fault("f1", 60, "a"), fault("f2", 120, "b"), fault("f3", 180, "c"), fault("f4", 450, "e"),
                fault("late", 597, "d"));
        List<ScoredSpan> spans = List.of(new ScoredSpan("env", at(0), at(600)));
        List<Incident> versions = List.of(
                // f1: found after 2 min; first version names b, the version at +10 min names the pod of a second.
                version("i1", 1, at(62), at(62), "b"),
                version("i1", 2, at(62), at(65), "b", "a-pod"),
                version("i1", 3, at(62), at(90), "a"),
                // f2: only an incident opened 16 min after the start: not found.
                version("i2", 1, at(136), at(136), "b"),
                // f3: found 30 s before the start, root named first.
                version("i3", 1, at(180).minusSeconds(30), at(180), "c"),
                // noise: far from every fault; and one outside the scored span is not counted.
                version("i4", 1, at(300), at(300), "x"),
                // i4 reopens under its id 2 min into f4: that reopening is f4's detection.
                reopened("i4", 2, at(300), at(452), "x", "e"),
                version("i5", 1, at(700), at(700), "x"));

        FaultScoring.Score score = FaultScoring.score("test", faults, spans, versions);

        assertEquals(1, score.faultsWithoutData(), "the fault ending after the data is left out");
        assertEquals(4, score.faults().size());
        FaultScoring.FaultResult f1 = score.faults().get(0);
        assertTrue(f1.found());
        assertEquals(2, f1.rank(), "read as it stood 10 min after the start, the pod is the second hint");
        assertEquals(Duration.ofMinutes(2), f1.timeToDetect());
        assertFalse(score.faults().get(1).found());
        assertEquals(1, score.faults().get(2).rank());
        assertEquals(Duration.ofSeconds(-30), score.faults().get(2).timeToDetect());

        FaultScoring.FaultResult f4 = score.faults().get(3);
        assertEquals("i4", f4.incidentId());
        assertEquals(2, f4.rank());
        assertEquals(Duration.ofMinutes(2), f4.timeToDetect());

        assertEquals(3.0 / 4, score.overall().recall(), 1e-9);
        assertEquals(1.0 / 4, score.overall().as1(), 1e-9);
        assertEquals(3.0 / 4, score.overall().as3(), 1e-9);
        // i2 is detected at 136, after f2's window (120-1 .. 125+10): noise, as is i4.
        assertEquals(6, score.incidents(), "five openings and one reopening are six episodes");
        assertEquals(List.of("i2", "i4"), score.noise().stream().map(FaultScoring.NoiseIncident::id).toList());
        // 600 min scored minus the windows of f1, f2, f3, f4 (16 min each) and the late fault clipped (597-1 .. 600).
        assertEquals((600 - 16 * 4 - 4) / 60.0, score.quietHours(), 1e-9);
    }
}
