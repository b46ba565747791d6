package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Alert;
import io.sift.schema.AlertStatus;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.testing.FixedInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's alert storm: a rule fires after its 'for', is re-sent each group interval, and resolves once. */
class AlertStormTest {

    private static MetricPoint errorRatio(int second, double value) {
        return new MetricPoint(FixedInstants.T0.plusSeconds(second), "http.server.error.ratio", value, "1",
                MetricKind.GAUGE, new Resource("inventory", "prod-node-02", "inventory-7d9f-x1", "prod"), Map.of());
    }

    @Test
    void aBreachLongerThanItsForFiresIsResentAndResolvesUnderOneFingerprint() throws Exception {
        List<MetricPoint> points = new ArrayList<>();
        for (int s = 0; s < 20 * 60; s += 10) {
            boolean breach = s >= 5 * 60 && s < 12 * 60;      // 7 min above the threshold
            boolean blip = s == 15 * 60;                     // one sample above: shorter than 'for'
            points.add(errorRatio(s, breach ? 0.2 : blip ? 0.3 : 0.001));
        }
        AlertStorm.Storm storm = AlertStorm.of(points);
        List<Alert> alerts = storm.alerts();
        assertEquals(1, storm.distinctAlerts(), "one firing, the blip shorter than 'for' none: " + alerts);
        assertTrue(alerts.size() >= 6, "re-sent every group interval while firing: " + alerts.size());
        assertEquals(1, alerts.stream().map(Alert::getFingerprint).distinct().count());
        Alert first = alerts.get(0);
        assertEquals(AlertStatus.FIRING, first.getStatus());
        assertEquals("alertmanager", first.getSource());
        assertEquals("HighErrorRate", first.getName());
        assertEquals("inventory", first.getResource().getService());
        Instant breachBegan = FixedInstants.T0.plusSeconds(5 * 60);
        assertEquals(breachBegan.plusSeconds(60), first.getStartsAt(), "fires once the breach lasted its 'for'");
        Alert last = alerts.get(alerts.size() - 1);
        assertEquals(AlertStatus.RESOLVED, last.getStatus(), "the resolve is sent once, last");
        assertEquals(1, alerts.stream().filter(a -> a.getStatus() == AlertStatus.RESOLVED).count());
    }
}
