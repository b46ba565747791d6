package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.Correlator;
import io.sift.core.maintenance.MaintenanceWindows;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.Resource;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** Maintenance windows in the correlate operator: suppression across a restore, release on a timer, nothing left. */
class MaintenanceHarnessTest {

    private static final Instant T0 = FixedInstants.T0;
    private static final long MIN = 60_000;

    private static long minutes(long m) {
        return T0.toEpochMilli() + m * MIN;
    }

    private static Alert alert(String service, AlertStatus status, long startMinute, long timeMinute) {
        return Alert.newBuilder().setSource("alertmanager").setFingerprint("fp-" + service).setStatus(status)
                .setSeverity(AlertSeverity.CRITICAL).setName("MySQLDown")
                .setResource(Resource.newBuilder().setService(service).setEnvironment("prod").build())
                .setStartsAt(T0.plusSeconds(60 * startMinute))
                .setEndsAt(status == AlertStatus.RESOLVED ? T0.plusSeconds(60 * timeMinute) : null)
                .setTime(T0.plusSeconds(60 * timeMinute)).setLabels(Map.of("alertname", "MySQLDown")).build();
    }

    private static KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>,
            Either<Anomaly, Alert>>, TopologyUpdate, Incident> harness(CorrelationConfig config) throws Exception {
        var harness = new KeyedBroadcastOperatorTestHarness<String, Either<Either<ChangeEvent, ItsmUpdate>,
                Either<Anomaly, Alert>>, TopologyUpdate, Incident>(new CoBroadcastWithKeyedOperator<>(
                        new CorrelateFunction(new Correlator(config), Duration.ZERO),
                        List.of(CorrelateFunction.TOPOLOGY)), e -> "prod", Types.STRING, 1, 1, 0);
        harness.setup();
        return harness;
    }

    private static void watermark(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness, long time) throws Exception {
        harness.processWatermark(time);
        harness.processBroadcastWatermark(time);
    }

    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
        var backend = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator())
                .getKeyedStateBackend();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void aSilencedAlertIsSuppressedSurvivesARestoreIsReleasedAtTheWindowEndAndNothingIsLeft() throws Exception {
        CorrelationConfig config = CorrelationConfig.builder().maintenance(MaintenanceWindows.parse(
                "mysql-upgrade: alertname=MySQLDown, service=~\"orders-.*\" @ 2026-11-02T08:30Z/2026-11-02T09:30Z"))
                .build();
        OperatorSubtaskState snapshot;
        Incident opened;
        try (var harness = harness(config)) {
            harness.open();
            Alert firing = alert("orders-db", AlertStatus.FIRING, 1, 1);
            harness.processElement(CorrelateFunction.input(firing), firing.getTime().toEpochMilli());
            watermark(harness, minutes(5));
            opened = harness.extractOutputValues().get(0);
            assertEquals(IncidentChange.OPENED, opened.getChange());
            assertEquals("mysql-upgrade", opened.getSuppressedBy());
            snapshot = harness.snapshot(1, minutes(5));
        }
        try (var restored = harness(config)) {
            restored.initializeState(snapshot);
            restored.open();
            watermark(restored, minutes(31));
            List<Incident> out = restored.extractOutputValues();
            assertEquals(1, out.size(), out.toString());
            assertEquals(IncidentChange.RELEASED, out.get(0).getChange());
            assertEquals(opened.getId(), out.get(0).getId());
            assertEquals(opened.getVersion() + 1, out.get(0).getVersion());
            assertNull(out.get(0).getSuppressedBy());
            assertEquals(Instant.ofEpochMilli(minutes(30)), out.get(0).getUpdatedAt(), "on the window's end timer");

            Alert resolved = alert("orders-db", AlertStatus.RESOLVED, 1, 40);
            restored.processElement(CorrelateFunction.input(resolved), resolved.getTime().toEpochMilli());
            watermark(restored, minutes(60));
            Incident last = restored.extractOutputValues().get(restored.extractOutputValues().size() - 1);
            assertEquals(IncidentStatus.RESOLVED, last.getStatus());

            watermark(restored, minutes(3 * 60));
            assertEquals(0, keyedStateEntries(restored), "nothing kept after the cool-down");
            assertEquals(0, restored.numEventTimeTimers(), "no timer left");
        }
    }

    @Test
    void aChangesPlannedWindowSuppressesAlertsOnItsItemsAndIsForgottenAfterItEnds() throws Exception {
        try (var harness = harness(CorrelationConfig.defaults())) {
            harness.open();
            ChangeEvent change = ChangeEvent.newBuilder().setId("chg-7").setTime(T0).setType(ChangeType.INFRASTRUCTURE)
                    .setConfigurationItem("orders-db").setAffectedItems(List.of("orders")).setSummary("failover")
                    .setChangeRequest("CHG0000007").setPlannedStart(T0.plusSeconds(600))
                    .setPlannedEnd(T0.plusSeconds(1200)).setEnvironment("prod").build();
            harness.processElement(CorrelateFunction.input(change), change.getTime().toEpochMilli());
            Alert firing = alert("orders", AlertStatus.FIRING, 12, 12);
            harness.processElement(CorrelateFunction.input(firing), firing.getTime().toEpochMilli());
            watermark(harness, minutes(13));
            Incident opened = harness.extractOutputValues().get(0);
            assertEquals("chg-7", opened.getSuppressedBy());

            watermark(harness, minutes(21));
            Incident released = harness.extractOutputValues().get(harness.extractOutputValues().size() - 1);
            assertEquals(IncidentChange.RELEASED, released.getChange());
            assertEquals(Instant.ofEpochMilli(minutes(20)), released.getUpdatedAt());

            Alert resolved = alert("orders", AlertStatus.RESOLVED, 12, 25);
            harness.processElement(CorrelateFunction.input(resolved), resolved.getTime().toEpochMilli());
            watermark(harness, minutes(3 * 60));
            Incident resolvedVersion = harness.extractOutputValues().stream()
                    .filter(i -> i.getStatus() == IncidentStatus.RESOLVED).findFirst().orElseThrow();
            assertTrue(ProblemFunction.counts(resolvedVersion), "released before it settled: a normal incident");
            assertTrue(!ProblemFunction.counts(Incident.newBuilder(resolvedVersion).setSuppressedBy("chg-7").build()),
                    "one that settles suppressed was expected: no problem candidate");
            assertEquals(0, keyedStateEntries(harness), "nothing kept after the cool-down");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }
}
