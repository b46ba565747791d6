package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SloState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error-budget arithmetic against the SRE workbook's figures, windows, late samples, and agreement with the alert. */
class ErrorBudgetTest {

    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final long M0 = ErrorBudget.minuteOf(T0);
    private static final String ERRORS = "http.server.error.ratio";

    private static long at(long minute, int second) {
        return T0 + minute * 60_000L + second * 1000L;
    }

    @Test
    void parsesNameAndWindowAndStaysCompatibleWithTheOldSyntax() {
        SloRule plain = SloRule.parse("checkout:" + ERRORS + ":99.9");
        assertEquals(28L * 24 * 60, plain.windowMinutes, "28 days by default");
        assertEquals("checkout:" + ERRORS + ":99.9%", plain.name);
        SloRule named = SloRule.parse("checkout-availability = checkout:" + ERRORS + ":99.5/7d");
        assertEquals("checkout-availability", named.name);
        assertEquals("checkout", named.service);
        assertEquals(ERRORS, named.metric);
        assertEquals(0.995, named.objective, 1e-12);
        assertEquals(7L * 24 * 60, named.windowMinutes);
        assertEquals("7d", named.windowText());
        assertEquals(12 * 60, SloRule.parse("a:b:99/12h").windowMinutes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SloRule.parse("a:b:99/2w"));
        assertTrue(e.getMessage().contains("28d"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SloRule.parse("=a:b:99"));
        assertThrows(IllegalArgumentException.class, () -> SloRule.parse("a:b:99/10m"), "shorter than an hour");
    }

    @Test
    void workbookBudgetsAndAnHourAtBurn14Point4SpendsTwoPercentOfThirtyDays() {
        // SRE workbook: 99.9 % over 30 days allows 43.2 minutes; over 28 days 40.32.
        assertEquals(43.2, SloRule.parse("a:b:99.9/30d").budgetMinutes(), 1e-9);
        assertEquals(40.32, SloRule.parse("a:b:99.9").budgetMinutes(), 1e-9);
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99.9/30d");
        ErrorBudget budget = new ErrorBudget(slo.windowMinutes);
        for (int m = 0; m < 60; m++) {
            for (int s = 0; s < 60; s += 15) {
                assertTrue(budget.add(at(m, s), 0.0144));
            }
        }
        ErrorBudget.Status status = budget.status(slo, M0 + 59);
        assertEquals(0.02 * 43.2, status.consumedMinutes(), 1e-9, "2 % of the budget in the hour");
        assertEquals(0.98, status.remainingFraction(), 1e-9);
        assertEquals(14.4, status.burnRate1h(), 1e-9);
        assertEquals(14.4, status.burnRate5m(), 1e-9);
        assertEquals(SloState.FAST_BURN, status.state());
        assertEquals("page", status.firing().condition().severity());
        assertEquals(60, status.observedMinutes());
        assertEquals(4, status.minuteSamples());
    }

    @Test
    void fullOutageMinutesSpendOneMinuteEachAndTheBudgetRunsOut() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99.9");
        ErrorBudget budget = new ErrorBudget(slo.windowMinutes);
        for (int m = 0; m < 180; m++) {
            budget.add(at(m, 30), m >= 60 && m < 72 ? 1.0 : 0.0);
        }
        ErrorBudget.Status after = budget.status(slo, M0 + 179);
        assertEquals(12.0, after.consumedMinutes(), 1e-9, "12 minutes at 100 % errors");
        assertEquals(40.32 - 12.0, after.remainingMinutes(), 1e-9);
        assertEquals(SloState.OK, budget.status(slo, M0 + 59).state());
        assertEquals(0.0, budget.status(slo, M0 + 59).consumedMinutes(), 1e-12, "as of a minute: later samples do not count");
        assertEquals(SloState.FAST_BURN, budget.status(slo, M0 + 71).state());
        for (int m = 180; m < 220; m++) {
            budget.add(at(m, 30), 1.0);
        }
        ErrorBudget.Status spent = budget.status(slo, M0 + 219);
        assertEquals(52.0, spent.consumedMinutes(), 1e-9);
        assertTrue(spent.remainingFraction() < 0);
        assertEquals(SloState.EXHAUSTED, spent.state());
    }

    @Test
    void samplesOlderThanTheMinuteRingAreRefusedAndNewerOnesAreNotCountedEarly() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99");
        ErrorBudget budget = new ErrorBudget(slo.windowMinutes);
        budget.add(at(1000, 0), 0.5);
        assertFalse(budget.add(at(1000 - ErrorBudget.MINUTES - ErrorBudget.SLACK, 0), 1.0));
        assertTrue(budget.add(at(1000 - ErrorBudget.MINUTES, 0), 1.0));
        assertTrue(budget.add(at(1010, 0), 1.0), "ahead of the minute reported");
        assertEquals(1.5, budget.status(slo, M0 + 1000).consumedMinutes(), 1e-9);
        assertEquals(2.5, budget.status(slo, M0 + 1010).consumedMinutes(), 1e-9);
        assertTrue(budget.hasSamples(M0 + 1010));
        assertFalse(budget.hasSamples(M0 + 1005));
    }

    @Test
    void daysOfSamplesAreAccountedInWholeHoursAndASteadyBurnAboveOneIsASlowBurn() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99.9");
        ErrorBudget budget = new ErrorBudget(slo.windowMinutes);
        int minutes = 2 * 24 * 60;
        for (int m = 0; m < minutes; m++) {
            budget.add(at(m, 10), 0.0012);
            budget.add(at(m, 40), 0.0012);
        }
        ErrorBudget.Status status = budget.status(slo, M0 + minutes - 1);
        assertEquals(0.0012 * minutes, status.consumedMinutes(), 1e-6, "every minute counted once");
        assertEquals(minutes, status.observedMinutes());
        assertEquals(1.2, status.burnRate3d(), 1e-9);
        assertEquals(1.2, status.burnRate6h(), 1e-9);
        assertEquals(SloState.SLOW_BURN, status.state());
        // The 28-day window forgets what is older: 29 days later only the new samples count.
        long later = minutes + 29L * 24 * 60;
        budget.add(at(later, 0), 0.5);
        assertEquals(0.5, budget.status(slo, M0 + later).consumedMinutes(), 1e-9);
    }

    @Test
    void theStatusAndTheBurnRateAnomalyAgreeOnOneSeries() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99.9");
        RuleSet rules = new RuleSet(List.of(), List.of(slo));
        RuleState state = new RuleState();
        ErrorBudget budget = new ErrorBudget(slo.windowMinutes);
        List<Anomaly> out = new ArrayList<>();
        int alerting = 0;
        for (int m = 0; m < 300; m++) {
            double ratio = m >= 100 && m < 140 ? 0.03 : m >= 200 && m < 230 ? 0.008 : 0.0002;
            // One sample a minute, at its last second: the alert's windows then end where the status's do.
            MetricPoint p = MetricPoint.newBuilder().setTime(Instant.ofEpochMilli(at(m, 59))).setName(ERRORS)
                    .setValue(ratio).setUnit("1").setKind(MetricKind.GAUGE)
                    .setResource(Resource.newBuilder().setService("checkout").build()).setLabels(Map.of()).build();
            rules.onSample(state, "k", p, out::add);
            budget.add(at(m, 59), ratio);
            boolean anomalyOpen = state.slos.get(slo.name).episode != null;
            ErrorBudget.Status status = budget.status(slo, M0 + m);
            boolean statusFiring = status.firing() != null;
            assertEquals(anomalyOpen, statusFiring, "minute " + m + ": " + status);
            if (statusFiring) {
                alerting++;
                assertTrue(status.state() == SloState.FAST_BURN || status.state() == SloState.SLOW_BURN
                        || status.state() == SloState.EXHAUSTED);
                assertEquals(state.slos.get(slo.name).episode.getLabels().get("slo.windows").isEmpty(), false);
            } else {
                assertNull(status.firing());
            }
        }
        assertTrue(alerting > 30, "the burst alerts: " + alerting);
    }
}
