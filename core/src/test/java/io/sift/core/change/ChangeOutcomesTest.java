package io.sift.core.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.change.ChangeOutcome.Outcome;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import io.sift.schema.RootCauseHint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ChangeOutcomesTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final long MINUTE = 60_000;

    /** Look-back 30 min, settle (gap) 10 min, grace 60 min: decided 40 min after the change, dropped 100 min after. */
    private final ChangeOutcomes outcomes = new ChangeOutcomes(
            new ChangeOutcomeConfig("prod", Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofMinutes(60)));
    private final FakeTimers timers = new FakeTimers();
    private final ChangeOutcomes.ItemAttributes topology =
            item -> item.equals("orders-db") ? Map.of("team", "data-platform", "tier", "1") : Map.of();

    static ChangeEvent change(String id, String item, long minute) {
        return ChangeEvent.newBuilder().setId(id).setTime(T0.plusMillis(minute * MINUTE)).setType(ChangeType.DEPLOY)
                .setConfigurationItem(item).setEnvironment("prod").setSummary("deploy " + item).build();
    }

    /** A version of an incident on {@code item} whose anomaly there began at {@code onsetMinute}, hinting the changes. */
    static Incident incident(String id, String item, long onsetMinute, long versionMinute, int rank,
            List<String> changes) {
        Instant onset = T0.plusMillis(onsetMinute * MINUTE);
        List<RootCauseHint> hints = new java.util.ArrayList<>();
        if (rank > 1) {
            hints.add(RootCauseHint.newBuilder().setItem("checkout").setRank(1).setScore(0.6).setReasons(List.of())
                    .build());
        }
        hints.add(RootCauseHint.newBuilder().setItem(item).setRank(rank).setScore(0.4).setReasons(List.of())
                .setChanges(changes).build());
        return Incident.newBuilder().setId(id).setVersion(1).setStatus(IncidentStatus.OPEN)
                .setChange(IncidentChange.OPENED).setEnvironment("prod").setTitle(item).setPriority(Priority.P2)
                .setPeakScore(90).setOpenedAt(onset.minusSeconds(120)).setUpdatedAt(T0.plusMillis(versionMinute * MINUTE))
                .setLastSeen(T0.plusMillis(versionMinute * MINUTE)).setServices(List.of("checkout", item))
                .setAnomalyCount(2).setAnomalyUpdates(2)
                .setAnomalies(List.of(
                        AnomalyRef.newBuilder().setId(id + "-c").setService("checkout").setMetric("latency")
                                .setOnset(onset.minusSeconds(120)).setScore(80).setDirection(Direction.UP).build(),
                        AnomalyRef.newBuilder().setId(id + "-i").setService(item).setMetric("latency").setOnset(onset)
                                .setScore(95).setDirection(Direction.UP).build()))
                .setRootCauses(hints).build();
    }

    /** Feeds the incident version's namings of the state's change (the caller keys them by change id). */
    private ChangeOutcome name(ChangeOutcomeState state, String changeId, Incident incident) {
        ChangeOutcome last = null;
        for (ChangeNaming naming : ChangeNaming.of(incident, "prod")) {
            if (!naming.changeId.equals(changeId)) {
                continue;
            }
            ChangeOutcome out = outcomes.onNaming(state, naming, topology, timers);
            last = out == null ? last : out;
        }
        return last;
    }

    /** Fires the timers due by {@code minute}, as Flink would; returns what they emitted. */
    private List<ChangeOutcome> advance(ChangeOutcomeState state, long minute) {
        List<ChangeOutcome> out = new java.util.ArrayList<>();
        long time = T0.toEpochMilli() + minute * MINUTE;
        while (!timers.due.isEmpty() && timers.due.first() <= time) {
            long due = timers.due.pollFirst();
            ChangeOutcome emitted = outcomes.onTimer(state, due, topology, timers);
            if (emitted != null) {
                out.add(emitted);
            }
            if (outcomes.finished(state, due)) {
                timers.dropped = true;
                break;
            }
        }
        return out;
    }

    @Test
    void aChangeNoHintNamesIsPendingThenCleanAfterItsLookBackAndGapThenDropped() {
        ChangeOutcomeState state = new ChangeOutcomeState();
        ChangeOutcome pending = outcomes.onChange(state, change("chg-1", "orders-db", 0), topology, timers);
        assertEquals(Outcome.PENDING, pending.outcome);
        assertEquals(1, pending.version);
        assertNull(pending.failed(), "a pending change is not counted in the failure rate yet");
        assertEquals("data-platform", pending.team, "the team from the topology item");
        assertEquals(List.of(), pending.incidentIds);
        assertNull(pending.minutesToIncident);

        assertEquals(List.of(), advance(state, 39), "not before look-back plus gap");
        List<ChangeOutcome> clean = advance(state, 40);
        assertEquals(1, clean.size());
        assertEquals(Outcome.CLEAN, clean.get(0).outcome);
        assertEquals(2, clean.get(0).version);
        assertEquals(0, clean.get(0).failed());
        assertEquals(T0.toEpochMilli() + 40 * MINUTE, clean.get(0).updatedAt);
        assertFalse(timers.dropped);

        assertEquals(List.of(), advance(state, 99));
        assertFalse(timers.dropped, "kept for the grace");
        advance(state, 100);
        assertTrue(timers.dropped, "dropped the grace after the decision");
        assertEquals(List.of(), List.copyOf(timers.due), "no timer left");
    }

    @Test
    void aHintNamingTheChangeImplicatesItAtOnceAndMoreIncidentsAddToIt() {
        ChangeOutcomeState state = new ChangeOutcomeState();
        outcomes.onChange(state, change("chg-1", "orders-db", 0), topology, timers);
        ChangeOutcome implicated = name(state, "chg-1", incident("inc-a", "orders-db", 7, 9, 2, List.of("chg-1")));
        assertEquals(Outcome.IMPLICATED, implicated.outcome);
        assertEquals(2, implicated.version);
        assertEquals(1, implicated.failed());
        assertEquals(List.of("inc-a"), implicated.incidentIds);
        assertEquals(1, implicated.incidentCount);
        assertEquals(7.0, implicated.minutesToIncident, "from the change to the onset on the changed item");
        assertEquals(2, implicated.bestRank);
        assertEquals(T0.toEpochMilli() + 9 * MINUTE, implicated.updatedAt);

        assertNull(name(state, "chg-1", incident("inc-a", "orders-db", 7, 11, 2, List.of("chg-1"))),
                "a later version of the same incident that says nothing new gives no version");
        ChangeOutcome higher = name(state, "chg-1", incident("inc-a", "orders-db", 7, 12, 1, List.of("chg-1")));
        assertEquals(3, higher.version, "a better rank is news");
        assertEquals(1, higher.bestRank);
        ChangeOutcome second = name(state, "chg-1", incident("inc-b", "orders-db", 3, 14, 1, List.of("chg-1", "chg-9")));
        assertEquals(List.of("inc-a", "inc-b"), second.incidentIds, "in the order they first named it");
        assertEquals(2, second.incidentCount);
        assertEquals(3.0, second.minutesToIncident, "the earliest impact");

        assertEquals(List.of(), advance(state, 40), "implicated stays implicated when the look-back passes");
        advance(state, 100);
        assertTrue(timers.dropped);
    }

    @Test
    void aNamingAfterTheChangeWasFoundCleanWithinTheGraceImplicatesIt() {
        ChangeOutcomeState state = new ChangeOutcomeState();
        outcomes.onChange(state, change("chg-1", "orders-db", 0), topology, timers);
        assertEquals(Outcome.CLEAN, advance(state, 45).get(0).outcome);
        ChangeOutcome late = name(state, "chg-1", incident("inc-late", "orders-db", 29, 50, 1, List.of("chg-1")));
        assertEquals(Outcome.IMPLICATED, late.outcome);
        assertEquals(3, late.version, "a higher version replaces the clean document");
        advance(state, 100);
        assertTrue(timers.dropped, "still dropped the grace after the decision");
    }

    @Test
    void namingsThatArriveBeforeTheChangeAreKeptAndApplied() {
        ChangeOutcomeState state = new ChangeOutcomeState();
        assertNull(name(state, "chg-1", incident("inc-a", "orders-db", 5, 6, 1, List.of("chg-1"))),
                "without the change there is no document to write");
        ChangeOutcome first = outcomes.onChange(state, change("chg-1", "orders-db", 0), topology, timers);
        assertEquals(Outcome.IMPLICATED, first.outcome);
        assertEquals(1, first.version);
        assertEquals(List.of("inc-a"), first.incidentIds);
        assertEquals(List.of(T0.toEpochMilli() + 40 * MINUTE), List.copyOf(timers.due),
                "the orphan timer is replaced by the decision timer");
        assertNull(outcomes.onChange(state, change("chg-1", "orders-db", 0), topology, timers), "a repeat");
    }

    @Test
    void namingsOfAChangeThatNeverComesAreGivenUpAfterTheGrace() {
        ChangeOutcomeState state = new ChangeOutcomeState();
        name(state, "chg-unknown", incident("inc-a", "orders-db", 5, 6, 1, List.of("chg-unknown")));
        assertEquals(1, state.incidentCount);
        assertEquals(List.of(), advance(state, 65));
        assertFalse(timers.dropped);
        advance(state, 66);
        assertTrue(timers.dropped);
    }

    @Test
    void mergedAndSuppressedVersionsNameNothing() {
        Incident merged = incident("inc-a", "orders-db", 5, 6, 1, List.of("chg-1"));
        merged.setStatus(IncidentStatus.MERGED);
        assertEquals(List.of(), ChangeNaming.of(merged, "prod"));
        Incident suppressed = incident("inc-a", "orders-db", 5, 6, 1, List.of("chg-1"));
        suppressed.setSuppressedBy("chg-1");
        assertEquals(List.of(), ChangeNaming.of(suppressed, "prod"), "impact inside a planned window was expected");
        List<ChangeNaming> namings = ChangeNaming.of(incident("inc-a", "orders-db", 5, 6, 2, List.of("chg-1", "chg-2")),
                "prod");
        assertEquals(2, namings.size());
        assertEquals(T0.toEpochMilli() + 5 * MINUTE, namings.get(0).impactAt);
        assertEquals(2, namings.get(0).rank);
    }

    @Test
    void changesAreKeyedByEnvironmentAndIdAndANamingByItsIncidentsEnvironment() {
        ChangeEvent prod = change("4f2a9c1", "orders-db", 0);
        ChangeEvent staging = change("4f2a9c1", "orders-db", 0);
        staging.setEnvironment("staging");
        ChangeEvent unscoped = change("4f2a9c1", "orders-db", 0);
        unscoped.setEnvironment(null);
        ChangeEvent blank = change("4f2a9c1", "orders-db", 0);
        blank.setEnvironment("  ");
        assertNotEquals(outcomes.keyOf(prod), outcomes.keyOf(staging), "the same id in two environments");
        assertEquals(outcomes.keyOf(prod), outcomes.keyOf(unscoped), "no environment: the default one, as the correlator");
        assertEquals(outcomes.keyOf(prod), outcomes.keyOf(blank));
        assertEquals(ChangeOutcome.documentId("prod", "4f2a9c1"), outcomes.keyOf(prod));
        assertNotEquals(ChangeOutcome.documentId("a", "bc"), ChangeOutcome.documentId("ab", "c"), "no ambiguous pairs");

        Incident inStaging = incident("inc-s", "orders-db", 5, 6, 1, List.of("4f2a9c1"));
        inStaging.setEnvironment("staging");
        ChangeNaming stagingNaming = ChangeNaming.of(inStaging, "prod").get(0);
        assertEquals("staging", stagingNaming.environment);
        assertEquals(outcomes.keyOf(staging), outcomes.keyOf(stagingNaming), "names staging's change, not prod's");
        Incident unnamed = incident("inc-u", "orders-db", 5, 6, 1, List.of("4f2a9c1"));
        unnamed.setEnvironment("");
        assertEquals(outcomes.keyOf(prod), outcomes.keyOf(ChangeNaming.of(unnamed, "prod").get(0)));

        ChangeOutcome stagingOutcome = outcomes.onChange(new ChangeOutcomeState(), staging, topology, timers);
        assertEquals("staging", stagingOutcome.environment);
        assertEquals(outcomes.keyOf(staging), stagingOutcome.documentId());
        assertEquals("prod", outcomes.onChange(new ChangeOutcomeState(), unscoped, topology, timers).environment);
    }

    @Test
    void theChangesOwnTeamWinsOverTheTopologysAndAnImpactBeforeTheChangeCountsAsZero() {
        ChangeEvent own = change("chg-1", "orders-db", 0);
        own.setAttributes(Map.of("owner", "dba-oncall"));
        assertEquals("dba-oncall", ChangeOutcomes.teamOf(own, topology));
        assertNull(ChangeOutcomes.teamOf(change("chg-2", "cart", 0), topology));

        ChangeOutcomeState state = new ChangeOutcomeState();
        outcomes.onChange(state, change("chg-3", "orders-db", 10), topology, timers);
        ChangeOutcome early = name(state, "chg-3", incident("inc-a", "orders-db", 9, 11, 1, List.of("chg-3")));
        assertEquals(0.0, early.minutesToIncident, "an onset while the change was still taking effect");
    }

    @Test
    void settingsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChangeOutcomeConfig("prod", Duration.ZERO, Duration.ofMinutes(10), Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("sift.correlate.change-lookback"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ChangeOutcomeConfig("prod", Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofHours(-1)));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ChangeOutcomeConfig(" ", Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("sift.environment.default"), e.getMessage());
    }

    /** Event-time timers as a sorted set, as Flink keeps one per time and key. */
    static final class FakeTimers implements ChangeOutcomes.Timers {
        final TreeSet<Long> due = new TreeSet<>();
        boolean dropped;

        @Override
        public void schedule(long time) {
            due.add(time);
        }

        @Override
        public void cancel(long time) {
            due.remove(time);
        }
    }
}
