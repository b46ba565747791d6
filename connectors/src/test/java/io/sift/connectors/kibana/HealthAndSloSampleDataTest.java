package io.sift.connectors.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.HealthStatus;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SloState;
import io.sift.schema.SloStatus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The story the service-health and SLO dashboards are checked against holds: the scores and budgets come from
 * Sift's HealthModel and ErrorBudget, so a change there that changes the story shows here first.
 */
class HealthAndSloSampleDataTest {

    private static final HealthAndSloSampleData DATA = new HealthAndSloSampleData();

    @Test
    void paymentsIsCriticalAndItsCallersDegradedLessPerHop() {
        Map<String, ServiceHealth> at1015 = healthAt(255);
        assertEquals(HealthStatus.CRITICAL, at1015.get("payments").getStatus());
        assertEquals(HealthStatus.DEGRADED, at1015.get("checkout").getStatus());
        assertEquals("payments", at1015.get("checkout").getWorstDependency());
        assertEquals(HealthStatus.DEGRADED, at1015.get("frontend").getStatus());
        assertEquals("checkout", at1015.get("frontend").getWorstDependency());
        assertTrue(at1015.get("payments").getHealth() < at1015.get("checkout").getHealth()
                && at1015.get("checkout").getHealth() < at1015.get("frontend").getHealth(), at1015.toString());
        assertEquals(100.0, at1015.get("search").getHealth(), 1e-9);
        assertEquals(100.0, at1015.get("frontend").getOwnHealth(), 1e-9, "frontend's own KPIs are fine");

        Map<String, ServiceHealth> at0910 = healthAt(190);
        assertEquals(HealthStatus.HEALTHY, at0910.get("payments").getStatus());
        assertTrue(at0910.get("cache").getHealth() < 80 && at0910.get("cart").getHealth() < 80, at0910.toString());
        assertEquals(DATA.health.size(), HealthAndSloSampleData.DEPENDENCIES.size()
                * (HealthAndSloSampleData.END - HealthAndSloSampleData.HEALTH_FROM));
        assertEquals(DATA.health.size(), DATA.health.stream().map(ServiceHealth::getId).distinct().count());
    }

    @Test
    void everySloEndsInItsOwnStatusAndTheStatusesCoverAllFive() {
        Map<String, SloState> last = new TreeMap<>();
        Set<SloState> seen = EnumSet.noneOf(SloState.class);
        for (SloStatus s : DATA.slo) {
            last.put(s.getSlo(), s.getStatus());
            seen.add(s.getStatus());
        }
        assertEquals(Map.of("payments-availability", SloState.FAST_BURN,
                "checkout-availability", SloState.SLOW_BURN,
                "search-availability", SloState.OK,
                "inventory-availability", SloState.EXHAUSTED,
                "cart-availability", SloState.WARNING), last);
        assertEquals(EnumSet.of(SloState.OK, SloState.WARNING, SloState.FAST_BURN, SloState.SLOW_BURN,
                SloState.EXHAUSTED), seen);
        Set<String> ids = new HashSet<>();
        DATA.slo.forEach(s -> assertTrue(ids.add(s.getId()), "duplicate id " + s.getId()));
    }

    private static Map<String, ServiceHealth> healthAt(int minute) {
        Instant start = SampleData.T0.plus(Duration.ofMinutes(minute));
        List<ServiceHealth> window = DATA.health.stream().filter(h -> h.getWindowStart().equals(start)).toList();
        return window.stream().collect(Collectors.toMap(ServiceHealth::getService, h -> h));
    }
}
