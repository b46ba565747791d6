package io.sift.core.itsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sift.schema.AnomalyRef;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import io.sift.schema.ResolutionSource;
import io.sift.schema.RootCauseHint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private static Incident.Builder incident() {
        return Incident.newBuilder().setId("inc-1").setVersion(5).setStatus(IncidentStatus.RESOLVED)
                .setChange(IncidentChange.RESOLVED).setEnvironment("prod").setTitle("t").setPriority(Priority.P2)
                .setPeakScore(90).setOpenedAt(T0.plusSeconds(30)).setUpdatedAt(T0.plusSeconds(1800))
                .setLastSeen(T0.plusSeconds(600)).setResolvedAt(T0.plusSeconds(1800))
                .setServices(List.of("orders", "orders-db")).setAnomalyCount(4).setAnomalyUpdates(40)
                .setAnomalies(List.of(
                        AnomalyRef.newBuilder().setId("a").setService("orders").setMetric("m")
                                .setOnset(T0.plusSeconds(30)).setScore(90).setDirection(Direction.UP).build(),
                        // folded in later, but started earlier: the trouble began here
                        AnomalyRef.newBuilder().setId("b").setService("orders-db").setMetric("m")
                                .setOnset(T0).setScore(80).setDirection(Direction.UP).build()))
                .setRootCauses(List.of(
                        RootCauseHint.newBuilder().setItem("orders").setRank(2).setScore(0.3).setReasons(List.of()).build(),
                        RootCauseHint.newBuilder().setItem("orders-db").setRank(1).setScore(0.7).setReasons(List.of()).build()))
                .setDetectedAt(T0.plusSeconds(90)).setAcknowledgedAt(T0.plusSeconds(390))
                .setResolvedBy(ResolutionSource.HUMAN);
    }

    @Test
    void timesRunFromTheEarliestOnsetToDetectionAndFromDetectionToTheHumanActions() {
        IncidentMetrics m = IncidentMetrics.of(incident().build());
        assertEquals(T0, m.earliestOnset());
        assertEquals(90_000L, m.timeToDetectMillis());
        assertEquals(300_000L, m.timeToAcknowledgeMillis());
        assertEquals(1_710_000L, m.timeToResolveMillis());
        assertEquals("orders-db", m.rootCauseItem());
        assertEquals("HUMAN", m.resolvedBy());
        assertEquals(40, m.anomalyUpdates());
    }

    @Test
    void missingTimesStayMissingRatherThanZero() {
        IncidentMetrics m = IncidentMetrics.of(incident().setStatus(IncidentStatus.OPEN).setResolvedAt(null)
                .setAcknowledgedAt(null).setResolvedBy(null).setDetectedAt(null).build());
        assertNull(m.timeToDetectMillis());
        assertNull(m.timeToAcknowledgeMillis());
        assertNull(m.timeToResolveMillis());
    }
}
