package io.sift.connectors.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.change.ChangeOutcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The change outcomes the dashboard "Changes and their incidents" is tested on come out of Sift's own stage, and
 * say what the sample incidents' hints imply: changes a hint names are implicated, suspects no hint names are clean.
 */
class ChangeOutcomeSampleDataTest {

    @Test
    void hintedChangesAreImplicatedAndTheOthersClean() {
        Map<String, ChangeOutcome> latest = new LinkedHashMap<>();
        for (ChangeOutcome outcome : new SampleData().changeOutcomes) {
            ChangeOutcome before = latest.put(outcome.change.getId(), outcome);
            assertTrue(before == null || before.version < outcome.version, "versions rise: " + outcome);
        }
        assertEquals(ChangeOutcome.Outcome.IMPLICATED, latest.get("chg-42").outcome);
        assertEquals(List.of("inc-orders-db"), latest.get("chg-42").incidentIds);
        assertEquals(2.0, latest.get("chg-42").minutesToIncident, "deploy at 58 min, orders-db anomaly at 60");
        assertEquals("data-platform", latest.get("chg-42").team);
        assertEquals(2, latest.get("chg-78").bestRank, "the checkout hint ranked second");
        assertEquals(ChangeOutcome.Outcome.CLEAN, latest.get("chg-12").outcome,
                "a suspect of an incident that no hint named is clean");
        assertEquals(ChangeOutcome.Outcome.CLEAN, latest.get("chg-90").outcome);
        assertEquals(5, latest.size());
    }
}
