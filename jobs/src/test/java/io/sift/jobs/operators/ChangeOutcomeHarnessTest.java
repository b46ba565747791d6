package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.change.ChangeNaming;
import io.sift.core.change.ChangeOutcome;
import io.sift.core.change.ChangeOutcomeConfig;
import io.sift.core.change.ChangeOutcomeState;
import io.sift.core.change.ChangeOutcomes;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.Criticality;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.ItemType;
import io.sift.schema.Priority;
import io.sift.schema.RootCauseHint;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import io.sift.testing.FixedInstants;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** {@link ChangeOutcomeFunction} under Flink's harness: outcomes out, and keyed state and timers down to zero. */
class ChangeOutcomeHarnessTest {

    private static final Instant T0 = FixedInstants.T0;
    private static final long MINUTE = 60_000;

    private static ChangeEvent change(String id, String item, long minute) {
        return change(id, item, minute, "prod");
    }

    private static ChangeEvent change(String id, String item, long minute, String environment) {
        return ChangeEvent.newBuilder().setId(id).setTime(T0.plusMillis(minute * MINUTE)).setType(ChangeType.DEPLOY)
                .setConfigurationItem(item).setEnvironment(environment).setSummary("deploy " + item).build();
    }

    /** The stage as the job builds it with the default look-back (30 min), gap (10 min) and grace (1 h). */
    private static ChangeOutcomeFunction function() {
        return new ChangeOutcomeFunction(new ChangeOutcomes(new ChangeOutcomeConfig("prod", Duration.ofMinutes(30),
                Duration.ofMinutes(10), Duration.ofHours(1))));
    }

    private static KeyedBroadcastOperatorTestHarness<String, Either<ChangeEvent, ChangeNaming>, TopologyUpdate,
            ChangeOutcome> harness(ChangeOutcomeFunction function) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, function.keys(), Types.STRING,
                CorrelateFunction.TOPOLOGY);
    }

    private static TopologyUpdate item(String id, Map<String, String> attributes) {
        return TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                .setItem(ConfigurationItem.newBuilder().setId(id).setType(ItemType.DATABASE)
                        .setCriticality(Criticality.HIGH).setAttributes(attributes).build()).build();
    }

    /** A version of an incident whose top hint blames {@code item} and names {@code changes}. */
    private static Incident incident(String id, String item, long onsetMinute, long versionMinute, List<String> changes) {
        return incident(id, "prod", item, onsetMinute, versionMinute, changes);
    }

    private static Incident incident(String id, String environment, String item, long onsetMinute, long versionMinute,
            List<String> changes) {
        Instant onset = T0.plusMillis(onsetMinute * MINUTE);
        return Incident.newBuilder().setId(id).setVersion(1).setStatus(IncidentStatus.OPEN)
                .setChange(IncidentChange.OPENED).setEnvironment(environment).setTitle(item).setPriority(Priority.P2)
                .setPeakScore(90).setOpenedAt(onset).setUpdatedAt(T0.plusMillis(versionMinute * MINUTE))
                .setLastSeen(T0.plusMillis(versionMinute * MINUTE)).setServices(List.of(item)).setAnomalyCount(1)
                .setAnomalyUpdates(1)
                .setAnomalies(List.of(AnomalyRef.newBuilder().setId(id + "-a").setService(item).setMetric("latency")
                        .setOnset(onset).setScore(95).setDirection(Direction.UP).build()))
                .setRootCauses(List.of(RootCauseHint.newBuilder().setItem(item).setRank(1).setScore(1)
                        .setReasons(List.of()).setChanges(changes).build()))
                .build();
    }

    private static void namings(KeyedBroadcastOperatorTestHarness<String, Either<ChangeEvent, ChangeNaming>,
            TopologyUpdate, ChangeOutcome> harness, Incident incident) throws Exception {
        List<Either<ChangeEvent, ChangeNaming>> out = new ArrayList<>();
        ChangeOutcomeFunction.namings("prod").flatMap(incident, new Collector<>() {
            @Override
            public void collect(Either<ChangeEvent, ChangeNaming> record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        for (Either<ChangeEvent, ChangeNaming> naming : out) {
            harness.processElement(naming, incident.getUpdatedAt().toEpochMilli());
        }
    }

    private static void watermark(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness, long minute)
            throws Exception {
        harness.processWatermark(T0.toEpochMilli() + minute * MINUTE);
        harness.processBroadcastWatermark(T0.toEpochMilli() + minute * MINUTE);
    }

    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
        var backend = ((org.apache.flink.streaming.api.operators.AbstractStreamOperator<?>) harness.getOperator())
                .getKeyedStateBackend();
        return ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @Test
    void theRecordsCrossingTheNetworkAreFlinkPojosNotKryo() {
        assertInstanceOf(PojoTypeInfo.class, ChangeOutcomeFunction.OUTPUT_TYPE);
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(ChangeNaming.class));
        assertInstanceOf(PojoTypeInfo.class, TypeInformation.of(ChangeOutcomeState.class));
    }

    @Test
    void aNamedChangeIsImplicatedAnUnnamedOneCleanAndStateAndTimersDropToZero() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Either<ChangeEvent, ChangeNaming>, TopologyUpdate,
                ChangeOutcome> harness = harness(function())) {
            harness.processBroadcastElement(item("orders-db", Map.of("team", "data-platform")), T0.toEpochMilli());
            harness.processElement(ChangeOutcomeFunction.input(change("chg-bad", "orders-db", 0)), T0.toEpochMilli());
            harness.processElement(ChangeOutcomeFunction.input(change("chg-ok", "cart", 1)),
                    T0.toEpochMilli() + MINUTE);
            watermark(harness, 5);
            namings(harness, incident("inc-1", "orders-db", 6, 8, List.of("chg-bad")));
            // A naming of a change this operator never saw (from before an upgrade added it).
            namings(harness, incident("inc-2", "auth", 7, 9, List.of("chg-before-upgrade")));
            watermark(harness, 10);

            List<ChangeOutcome> out = harness.extractOutputValues();
            assertEquals(3, out.size(), () -> "two pending, one implicated: " + out);
            assertEquals(ChangeOutcome.Outcome.PENDING, out.get(0).outcome);
            assertEquals("data-platform", out.get(0).team, "the team of the changed item in the topology");
            ChangeOutcome implicated = out.get(2);
            assertEquals("chg-bad", implicated.change.getId());
            assertEquals(ChangeOutcome.Outcome.IMPLICATED, implicated.outcome);
            assertEquals(List.of("inc-1"), implicated.incidentIds);
            assertEquals(6.0, implicated.minutesToIncident);
            assertEquals(2, implicated.version);
            assertEquals(3, keyedStateEntries(harness), "two changes and the orphan naming");

            watermark(harness, 41);
            List<ChangeOutcome> decided = harness.extractOutputValues();
            assertEquals(4, decided.size(), () -> "the unnamed change found clean: " + decided);
            assertEquals("chg-ok", decided.get(3).change.getId());
            assertEquals(ChangeOutcome.Outcome.CLEAN, decided.get(3).outcome);
            assertEquals(0, decided.get(3).failed());
            assertTrue(harness.numEventTimeTimers() > 0, "kept for the grace");

            watermark(harness, 102);
            assertEquals(4, harness.extractOutputValues().size(), "nothing more once decided");
            assertEquals(0, keyedStateEntries(harness), "state dropped the grace after the decision");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }

    /**
     * Two environments use the same change id (a commit deployed to staging and to prod, or CHG numbers of separate
     * ITSM instances): each change has its own outcome, versions and document id, and an incident names only the
     * change of its own environment. A change naming no environment is the default environment's.
     */
    @Test
    void theSameChangeIdInTwoEnvironmentsHasTwoOutcomesAndAnIncidentNamesOnlyItsOwnEnvironments() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Either<ChangeEvent, ChangeNaming>, TopologyUpdate,
                ChangeOutcome> harness = harness(function())) {
            harness.processElement(ChangeOutcomeFunction.input(change("4f2a9c1", "orders-db", 0, "prod")),
                    T0.toEpochMilli());
            harness.processElement(ChangeOutcomeFunction.input(change("4f2a9c1", "orders-db", 0, "staging")),
                    T0.toEpochMilli());
            harness.processElement(ChangeOutcomeFunction.input(change("chg-unscoped", "cart", 1, " ")),
                    T0.toEpochMilli() + MINUTE);
            watermark(harness, 5);
            namings(harness, incident("inc-prod", "prod", "orders-db", 6, 8, List.of("4f2a9c1")));
            // An incident naming no environment is the default one's (the correlator always names it; old versions).
            namings(harness, incident("inc-blank", "", "cart", 7, 9, List.of("chg-unscoped")));
            watermark(harness, 41);

            List<ChangeOutcome> out = harness.extractOutputValues();
            assertEquals(6, out.size(), () -> "three pending, two implicated, staging's clean: " + out);
            Map<String, List<ChangeOutcome>> byDocument = new java.util.TreeMap<>();
            for (ChangeOutcome version : out) {
                byDocument.computeIfAbsent(version.documentId(), k -> new ArrayList<>()).add(version);
            }
            assertEquals(3, byDocument.size(), () -> "one document per environment and change id: " + out);

            List<ChangeOutcome> prod = byDocument.get(ChangeOutcome.documentId("prod", "4f2a9c1"));
            List<ChangeOutcome> staging = byDocument.get(ChangeOutcome.documentId("staging", "4f2a9c1"));
            List<ChangeOutcome> unscoped = byDocument.get(ChangeOutcome.documentId("prod", "chg-unscoped"));
            assertEquals(List.of(ChangeOutcome.Outcome.PENDING, ChangeOutcome.Outcome.IMPLICATED),
                    prod.stream().map(o -> o.outcome).toList(), prod::toString);
            assertEquals(List.of(1L, 2L), prod.stream().map(o -> o.version).toList());
            assertEquals(List.of("inc-prod"), prod.get(1).incidentIds);
            assertEquals(List.of(ChangeOutcome.Outcome.PENDING, ChangeOutcome.Outcome.CLEAN),
                    staging.stream().map(o -> o.outcome).toList(), () -> "prod's incident does not name it: " + staging);
            assertEquals(List.of(1L, 2L), staging.stream().map(o -> o.version).toList(),
                    "its own versions, not continuing prod's");
            assertTrue(staging.stream().allMatch(o -> o.environment.equals("staging")), staging::toString);
            assertEquals(List.of(ChangeOutcome.Outcome.PENDING, ChangeOutcome.Outcome.IMPLICATED),
                    unscoped.stream().map(o -> o.outcome).toList(), () -> "the default environment's: " + unscoped);
            assertEquals("prod", unscoped.get(0).environment);
            assertEquals(3, keyedStateEntries(harness), "three changes, kept for the grace");

            watermark(harness, 102);
            assertEquals(6, harness.extractOutputValues().size(), "nothing more once decided");
            assertEquals(0, keyedStateEntries(harness), "state dropped the grace after the decision");
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }
}
