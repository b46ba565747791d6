package io.sift.core.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.AnomalyRef;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import io.sift.schema.Problem;
import io.sift.schema.RootCauseHint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long HOUR = 3_600_000;

    private final ProblemDetector detector = new ProblemDetector(new ProblemConfig(3, Duration.ofDays(1)));

    /** An incident blaming {@code item} for {@code metric} going up, opened at hour {@code h}, in {@code status}. */
    static Incident incident(String id, String item, String metric, double hour, IncidentStatus status) {
        Instant opened = T0.plusMillis((long) (hour * HOUR));
        return Incident.newBuilder().setId(id).setVersion(3).setStatus(status)
                .setChange(status == IncidentStatus.OPEN ? IncidentChange.OPENED : IncidentChange.RESOLVED)
                .setEnvironment("prod").setTitle(item).setPriority(Priority.P2).setPeakScore(90).setOpenedAt(opened)
                .setUpdatedAt(opened.plusSeconds(1200)).setLastSeen(opened.plusSeconds(600))
                .setResolvedAt(status == IncidentStatus.OPEN ? null : opened.plusSeconds(1200))
                .setServices(List.of("checkout", item)).setAnomalyCount(2).setAnomalyUpdates(9)
                .setAnomalies(List.of(
                        AnomalyRef.newBuilder().setId(id + "-a").setService(item).setMetric(metric).setOnset(opened)
                                .setScore(95).setDirection(Direction.UP).build(),
                        AnomalyRef.newBuilder().setId(id + "-b").setService("checkout")
                                .setMetric("http.server.request.duration.p95").setOnset(opened.plusSeconds(20))
                                .setScore(99).setDirection(Direction.UP).build()))
                .setRootCauses(List.of(RootCauseHint.newBuilder().setItem(item).setRank(1).setScore(0.7)
                        .setReasons(List.of()).build()))
                .build();
    }

    private Problem feed(ProblemState state, Incident incident) {
        return detector.onIncident(state, incident, RootCauseFingerprint.of(incident));
    }

    @Test
    void theFingerprintIsItemAndMetricFamilyAndDirectionNotTheExactMetric() {
        RootCauseFingerprint latency = RootCauseFingerprint.of(
                incident("i1", "orders-db", "db.client.operation.duration.p95", 0, IncidentStatus.RESOLVED));
        RootCauseFingerprint connections = RootCauseFingerprint.of(
                incident("i2", "orders-db", "db.client.connections.usage", 5, IncidentStatus.RESOLVED));
        assertEquals("orders-db", latency.item());
        assertEquals("db.client up", latency.signature(), "the item's strongest anomaly, not checkout's stronger one");
        assertEquals(latency.key(), connections.key());
        assertNotEquals(latency.key(), RootCauseFingerprint.of(
                incident("i3", "cart-db", "db.client.connections.usage", 5, IncidentStatus.RESOLVED)).key());
    }

    @Test
    void threeSettledIncidentsWithinTheWindowFormOneProblemAndLaterOnesJoinIt() {
        ProblemState state = new ProblemState();
        String metric = "db.client.operation.duration.p95";
        assertNull(feed(state, incident("i1", "orders-db", metric, 0, IncidentStatus.OPEN)), "open: not yet counted");
        assertNull(feed(state, incident("i1", "orders-db", metric, 0, IncidentStatus.RESOLVED)));
        assertNull(feed(state, incident("i1", "orders-db", metric, 0, IncidentStatus.RESOLVED)), "same incident");
        assertNull(feed(state, incident("i2", "orders-db", metric, 5, IncidentStatus.RESOLVED)));
        Problem problem = feed(state, incident("i3", "orders-db", metric, 10, IncidentStatus.RESOLVED));
        assertEquals(List.of("i1", "i2", "i3"), problem.getIncidentIds());
        assertEquals(3, problem.getOccurrences());
        assertEquals(1, problem.getVersion());
        assertEquals(T0, problem.getFirstSeen());
        assertEquals(T0.plusMillis(10 * HOUR), problem.getLastSeen());
        assertEquals("orders-db", problem.getRootCauseItem());
        assertNull(problem.getKnownError());

        Problem fourth = feed(state, incident("i4", "orders-db", metric, 30, IncidentStatus.CLOSED));
        assertEquals(problem.getId(), fourth.getId(), "the id stays");
        assertEquals(2, fourth.getVersion());
        assertEquals(List.of("i1", "i2", "i3", "i4"), fourth.getIncidentIds(), "a formed problem keeps its history");

        long expiry = detector.expiry(state);
        assertTrue(!detector.expired(state, expiry - 1) && detector.expired(state, expiry));
    }

    @Test
    void incidentsFartherApartThanTheWindowDoNotAddUp() {
        ProblemState state = new ProblemState();
        String metric = "system.cpu.utilization";
        assertNull(feed(state, incident("i1", "node-1", metric, 0, IncidentStatus.RESOLVED)));
        assertNull(feed(state, incident("i2", "node-1", metric, 20, IncidentStatus.RESOLVED)));
        assertNull(feed(state, incident("i3", "node-1", metric, 30, IncidentStatus.RESOLVED)), "i1 fell out");
        Problem problem = feed(state, incident("i4", "node-1", metric, 40, IncidentStatus.RESOLVED));
        assertEquals(List.of("i2", "i3", "i4"), problem.getIncidentIds());
    }

    @Test
    void aLateVersionOfAnIncidentThatSlidOutOfTheWindowDoesNotCountAgain() {
        ProblemState state = new ProblemState();
        String metric = "system.cpu.utilization";
        Incident first = incident("i1", "node-1", metric, 0, IncidentStatus.RESOLVED);
        assertNull(feed(state, first));
        assertNull(feed(state, incident("i2", "node-1", metric, 20, IncidentStatus.RESOLVED)));
        assertNull(feed(state, incident("i3", "node-1", metric, 30, IncidentStatus.RESOLVED)), "i1 fell out");
        // i1's ticket is closed later: the same incident, not a third occurrence within the window.
        Incident closedLater = Incident.newBuilder(first).setVersion(4).setStatus(IncidentStatus.CLOSED)
                .setChange(IncidentChange.CLOSED).setUpdatedAt(T0.plusMillis(31 * HOUR)).build();
        assertNull(feed(state, closedLater));
        assertEquals(2, state.occurrences.size());
    }

    @Test
    void settingsAreCheckedWithAHint() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ProblemConfig(1, Duration.ofDays(7)))
                .getMessage().contains("min-incidents"));
        assertThrows(IllegalArgumentException.class, () -> new ProblemConfig(3, Duration.ZERO));
    }
}
