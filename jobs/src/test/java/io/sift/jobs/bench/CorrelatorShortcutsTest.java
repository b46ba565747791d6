package io.sift.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import io.sift.core.correlate.CorrelationState;
import io.sift.core.correlate.Correlator;
import io.sift.jobs.SiftSettings;
import io.sift.schema.Anomaly;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The correlator's shortcuts (each item's hop-limited neighbourhood kept in the topology between updates, the hint
 * from an anomaly to the incident holding it) must not change a single incident version: the bench's storm on its
 * 10k-item estate, folded once with them and once from scratch for every anomaly version (a fresh correlator, so no
 * hints, and the topology's kept neighbourhoods dropped by re-applying an update), gives the same versions.
 */
class CorrelatorShortcutsTest {

    private static final Instant START = Instant.parse("2025-03-04T08:00:00Z");
    private static final int VERSIONS = 20_000;

    @Test
    void theStormGivesTheSameIncidentVersionsWithAndWithoutShortcuts() {
        CorrelationConfig config = SiftSettings.defaults().correlation.toBuilder().defaultEnvironment("bench").build();
        SyntheticEstate shared = SyntheticEstate.build(10_000, 42, "bench", START);
        SyntheticEstate scratch = SyntheticEstate.build(10_000, 42, "bench", START);
        List<Anomaly> storm = AnomalyStorm.generate(shared, VERSIONS, AnomalyStorm.Shape.defaults(), 42, START);
        TopologyUpdate again = scratch.updates.get(0);

        Correlator correlator = new Correlator(config);
        CorrelationState withShortcuts = new CorrelationState();
        CorrelationState fromScratch = new CorrelationState();
        List<Incident> expected = new ArrayList<>();
        List<Incident> actual = new ArrayList<>();
        for (int i = 0; i < storm.size(); i++) {
            Anomaly anomaly = storm.get(i);
            long time = anomaly.getTime().toEpochMilli();
            boolean instantEnds = i + 1 == storm.size() || storm.get(i + 1).getTime().toEpochMilli() > time;

            actual.addAll(correlator.onAnomaly(withShortcuts, anomaly, shared.topology));
            scratch.topology.apply(again);
            expected.addAll(new Correlator(config).onAnomaly(fromScratch, anomaly, scratch.topology));
            if (instantEnds) {
                actual.addAll(correlator.advance(withShortcuts, time, shared.topology));
                scratch.topology.apply(again);
                expected.addAll(new Correlator(config).advance(fromScratch, time, scratch.topology));
            }
            assertEquals(expected.size(), actual.size(), "incident versions after anomaly version " + i);
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "incident version " + i);
        }
        // The storm exercises what the shortcuts touch: updates of known anomalies, merges and ranked incidents.
        assertTrue(expected.size() > VERSIONS / 2, "incident versions: " + expected.size());
        assertTrue(expected.stream().anyMatch(v -> v.getChange() == IncidentChange.MERGED), "a merge");
        assertTrue(expected.stream().anyMatch(v -> v.getRootCauses().size() >= 3), "incidents with three hints");
    }
}
