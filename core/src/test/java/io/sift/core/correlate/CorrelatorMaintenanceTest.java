package io.sift.core.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.maintenance.MaintenanceWindows;
import io.sift.core.maintenance.Suppression;
import io.sift.core.topology.Topology;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Maintenance windows and silences: suppressed incidents, window starts and ends on the incident stream. */
class CorrelatorMaintenanceTest {

    // Tuesday 2026-12-08 09:00 UTC.
    private static final Instant T0 = Instant.parse("2026-12-08T09:00:00Z");
    private static final long MIN = 60_000;

    private final Topology topology = new Topology();
    private final CorrelationState state = new CorrelationState();

    private static Correlator correlator(String windows) {
        return new Correlator(CorrelationConfig.builder().maintenance(MaintenanceWindows.parse(windows)).build());
    }

    private static long minute(long m) {
        return T0.toEpochMilli() + m * MIN;
    }

    private static Anomaly anomaly(String item, String host, long onsetMinute, Long endMinute) {
        return Anomaly.newBuilder().setId("anom-" + item + "-" + host).setVersion(endMinute == null ? 1 : 2)
                .setSignal(SignalType.METRIC).setDetector("robust-baseline").setSeriesKey("latency|" + item + "|" + host)
                .setMetric("latency").setResource(Resource.newBuilder().setService(item).setHost(host).build())
                .setLabels(Map.of("team", "payments"))
                .setOnset(T0.plusSeconds(60 * onsetMinute))
                .setTime(T0.plusSeconds(60 * (endMinute == null ? onsetMinute : endMinute)))
                .setEnd(endMinute == null ? null : T0.plusSeconds(60 * endMinute)).setObserved(400).setExpected(40)
                .setLowerBound(20).setUpperBound(60).setDeviation(12).setDirection(Direction.UP).setScore(95)
                .setSamples(3).build();
    }

    private static Alert alert(String service, AlertStatus status, long startMinute, long timeMinute) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint("fp-" + service).setStatus(status)
                .setSeverity(AlertSeverity.CRITICAL).setName("HighLatency")
                .setResource(Resource.newBuilder().setService(service).build())
                .setStartsAt(T0.plusSeconds(60 * startMinute))
                .setEndsAt(status == AlertStatus.RESOLVED ? T0.plusSeconds(60 * timeMinute) : null)
                .setTime(T0.plusSeconds(60 * timeMinute)).setLabels(Map.of("alertname", "HighLatency"))
                .setAnnotations(Map.of()).build();
    }

    private static List<Incident> advanceTo(Correlator correlator, CorrelationState state, Topology topology,
            long until) {
        // As the Flink function does: advance at each deadline up to the watermark, then at the watermark.
        List<Incident> out = new ArrayList<>();
        for (long next = correlator.nextDeadline(state); next <= until; next = correlator.nextDeadline(state)) {
            out.addAll(correlator.advance(state, next, topology));
        }
        out.addAll(correlator.advance(state, until, topology));
        return out;
    }

    @Test
    void anIncidentInsideAWindowIsSuppressedAndReleasedAtItsEndWhileStillOpen() {
        Correlator correlator = correlator("db-upgrade: service=orders-db, host=~\"db-.*\" @ "
                + "2026-12-08T08:30Z/2026-12-08T10:00Z");
        Incident opened = correlator.onAnomaly(state, anomaly("orders-db", "db-1", 5, null), topology).get(0);
        assertEquals(IncidentChange.OPENED, opened.getChange());
        assertEquals(IncidentStatus.OPEN, opened.getStatus());
        assertEquals("db-upgrade", opened.getSuppressedBy());
        assertFalse(Suppression.notifies(opened), "a suppressed incident is not sent to the ITSM tool");

        assertEquals(minute(60), correlator.nextDeadline(state), "the window's end is a deadline");
        List<Incident> released = advanceTo(correlator, state, topology, minute(61));
        assertEquals(1, released.size());
        Incident release = released.get(0);
        assertEquals(IncidentChange.RELEASED, release.getChange());
        assertNull(release.getSuppressedBy());
        assertEquals(opened.getVersion() + 1, release.getVersion());
        assertEquals(Instant.ofEpochMilli(minute(60)), release.getUpdatedAt(), "released at the window's end");
        assertTrue(Suppression.notifies(release), "the released version opens the ticket");
    }

    @Test
    void aWindowStartingOverAnOpenIncidentSuppressesItAndAResolutionInsideItPasses() {
        Correlator correlator = correlator("patch: team=payments @ 2026-12-08T09:10Z/2026-12-08T12:00Z");
        Incident opened = correlator.onAnomaly(state, anomaly("orders", "app-1", 0, null), topology).get(0);
        assertNull(opened.getSuppressedBy());
        assertTrue(Suppression.notifies(opened));

        List<Incident> atStart = advanceTo(correlator, state, topology, minute(10));
        assertEquals(1, atStart.size());
        assertEquals(IncidentChange.SUPPRESSED, atStart.get(0).getChange());
        assertEquals("patch", atStart.get(0).getSuppressedBy());
        assertEquals(Instant.ofEpochMilli(minute(10)), atStart.get(0).getUpdatedAt());
        assertFalse(Suppression.notifies(atStart.get(0)));

        correlator.onAnomaly(state, anomaly("orders", "app-1", 0, 20L), topology);
        List<Incident> later = advanceTo(correlator, state, topology, minute(60));
        Incident resolved = later.stream().filter(i -> i.getStatus() == IncidentStatus.RESOLVED).findFirst()
                .orElseThrow();
        assertEquals("patch", resolved.getSuppressedBy());
        assertTrue(Suppression.notifies(resolved), "a resolution passes, so an open ticket settles");
        assertTrue(later.stream().noneMatch(i -> i.getChange() == IncidentChange.RELEASED),
                "a resolved incident is not released");
    }

    @Test
    void aSignalTheWindowDoesNotCoverEndsTheSuppression() {
        Correlator correlator = correlator("db-1: service=orders-db, host=db-1 @ 2026-12-08T08:00Z/2026-12-08T12:00Z");
        Incident opened = correlator.onAnomaly(state, anomaly("orders-db", "db-1", 0, null), topology).get(0);
        assertEquals("db-1", opened.getSuppressedBy());
        // The same service on another host joins the incident; the window does not cover it.
        List<Incident> joined = correlator.onAnomaly(state, anomaly("orders-db", "db-2", 1, null), topology);
        assertEquals(1, joined.size());
        assertEquals(opened.getId(), joined.get(0).getId());
        assertEquals(IncidentChange.UPDATED, joined.get(0).getChange());
        assertNull(joined.get(0).getSuppressedBy(), "suppressed only while the window covers every signal it holds");
        assertTrue(Suppression.notifies(joined.get(0)));
    }

    @Test
    void aWeeklyWindowInATimeZoneSuppressesOnlyOnItsDays() {
        // Saturday 2026-12-12 02:00-04:00 in Berlin (UTC+1) is 01:00-03:00 UTC.
        Correlator correlator = correlator("weekend: service=orders-db @ sat,sun 02:00-04:00 Europe/Berlin");
        long saturday = Instant.parse("2026-12-12T01:30:00Z").toEpochMilli();
        long minutes = (saturday - T0.toEpochMilli()) / MIN;
        Incident weekend = correlator.onAnomaly(state, anomaly("orders-db", "db-1", minutes, null), topology).get(0);
        assertEquals("weekend", weekend.getSuppressedBy());
        List<Incident> released = advanceTo(correlator, state, topology, minutes * MIN + T0.toEpochMilli() + 120 * MIN);
        assertEquals(IncidentChange.RELEASED, released.get(0).getChange());
        assertEquals(Instant.parse("2026-12-12T03:00:00Z"), released.get(0).getUpdatedAt());

        CorrelationState weekday = new CorrelationState();
        Incident tuesday = correlator.onAnomaly(weekday, anomaly("orders-db", "db-1", 0, null), topology).get(0);
        assertNull(tuesday.getSuppressedBy());
    }

    @Test
    void aChangeWithAPlannedWindowSuppressesItsItemsAndIsForgottenAfterIt() {
        Correlator correlator = correlator("");
        ChangeEvent change = ChangeEvent.newBuilder().setId("CHG0042").setTime(T0).setType(ChangeType.INFRASTRUCTURE)
                .setConfigurationItem("orders-db").setAffectedItems(List.of("orders")).setSummary("db upgrade")
                .setChangeRequest("CHG0042").setPlannedStart(T0.plusSeconds(600)).setPlannedEnd(T0.plusSeconds(3600))
                .build();
        correlator.onChange(state, change);
        Incident before = correlator.onAnomaly(state, anomaly("orders", "app-1", 5, null), topology).get(0);
        assertNull(before.getSuppressedBy(), "before the planned start");
        List<Incident> atStart = advanceTo(correlator, state, topology, minute(10));
        assertEquals(IncidentChange.SUPPRESSED, atStart.get(0).getChange());
        assertEquals("CHG0042", atStart.get(0).getSuppressedBy());

        List<Incident> fromAlert = correlator.onAlert(state, alert("orders-db", AlertStatus.FIRING, 20, 20), topology)
                .incidents();
        assertEquals("CHG0042", fromAlert.get(fromAlert.size() - 1).getSuppressedBy(),
                "the alert is on an affected item: still suppressed");

        List<Incident> atEnd = advanceTo(correlator, state, topology, minute(61));
        assertEquals(IncidentChange.RELEASED, atEnd.get(0).getChange());
        assertEquals(Instant.ofEpochMilli(minute(60)), atEnd.get(0).getUpdatedAt());
        assertTrue(state.plannedWindows.isEmpty(), "an ended planned window is forgotten");

        correlator.onAnomaly(state, anomaly("orders", "app-1", 5, 70L), topology);
        correlator.onAlert(state, alert("orders-db", AlertStatus.RESOLVED, 20, 70), topology);
        advanceTo(correlator, state, topology, minute(24 * 60));
        assertTrue(state.isEmpty(), "the state drops to nothing once all is resolved and forgotten");
    }

    @Test
    void anIncidentWhoseSignalsEndedInsideTheWindowIsNotReleasedButResolvesSuppressed() {
        Correlator correlator = correlator("short: service=orders-db @ 2026-12-08T08:00Z/2026-12-08T09:20Z");
        Incident opened = correlator.onAnomaly(state, anomaly("orders-db", "db-1", 0, null), topology).get(0);
        assertEquals("short", opened.getSuppressedBy());
        correlator.onAnomaly(state, anomaly("orders-db", "db-1", 0, 15L), topology);
        // The window ends at minute 20, the quiet period at minute 25: no ticket that would resolve itself.
        List<Incident> after = advanceTo(correlator, state, topology, minute(30));
        assertEquals(List.of(IncidentChange.RESOLVED), after.stream().map(Incident::getChange).toList());
        assertEquals("short", after.get(0).getSuppressedBy());
        assertTrue(Suppression.notifies(after.get(0)));
    }

    @Test
    void withoutWindowsNothingIsSuppressed() {
        Correlator correlator = correlator("");
        Incident opened = correlator.onAnomaly(state, anomaly("orders-db", "db-1", 0, null), topology).get(0);
        assertNull(opened.getSuppressedBy());
        assertEquals(Long.MAX_VALUE, correlator.nextDeadline(state));
    }
}
