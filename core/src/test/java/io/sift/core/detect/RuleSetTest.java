package io.sift.core.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Static thresholds (grammar, episodes) and SLO burn-rate rules (workbook arithmetic, windows, determinism). */
class RuleSetTest {

    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");
    private static final String ERRORS = "http.server.error.ratio";

    private static MetricPoint point(String metric, String service, long second, double value,
            Map<String, String> labels) {
        return MetricPoint.newBuilder().setTime(T0.plusSeconds(second)).setName(metric).setValue(value)
                .setUnit("1").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService(service).build()).setLabels(labels).build();
    }

    private static MetricPoint point(String metric, long second, double value) {
        return point(metric, "checkout", second, value, Map.of());
    }

    // ---- grammar ----

    @Test
    void parsesOperatorsValuesDurationsAndMatchers() {
        List<ThresholdRule> rules = ThresholdRule.parseAll(
                "http.server.error.ratio > 0.05 for 2m; db.client.connections.usage >= 0.9 ;"
                        + " queue.free{service=orders, region=eu} < 10 for 30s; disk.free<=1e3");
        assertEquals(4, rules.size());
        ThresholdRule first = rules.get(0);
        assertEquals(ERRORS, first.metric);
        assertEquals(">", first.operator);
        assertEquals(0.05, first.threshold);
        assertEquals(120_000, first.forMillis);
        assertEquals(Direction.UP, first.direction());
        assertEquals(0, rules.get(1).forMillis);
        assertEquals(">=", rules.get(1).operator);
        ThresholdRule third = rules.get(2);
        assertEquals("orders", third.service);
        assertEquals(Map.of("region", "eu"), third.labels);
        assertEquals(30_000, third.forMillis);
        assertEquals(Direction.DOWN, third.direction());
        assertEquals(1000.0, rules.get(3).threshold);
        assertEquals("<=", rules.get(3).operator);
        assertTrue(ThresholdRule.parseAll("  ").isEmpty());
        assertEquals(1500, ThresholdRule.parseDuration("1.5s"));
        assertEquals(3_600_000, ThresholdRule.parseDuration("1h"));
    }

    @Test
    void malformedRulesAreRefusedWithWhatToWrite() {
        for (String bad : List.of("cpu >> 5", "cpu > lots", "cpu > 5 for 2 minutes", "cpu 5", "> 5",
                "cpu{service} > 1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ThresholdRule.parseAll("ok > 1; " + bad), bad);
            assertTrue(e.getMessage().startsWith("threshold rule 2 '"), e.getMessage());
            assertTrue(e.getMessage().contains("e.g."), e.getMessage());
        }
        for (String bad : List.of("checkout:errors", "checkout:errors:abc", "checkout:errors:100", ":errors:99")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SloRule.parseAll(bad), bad);
            assertTrue(e.getMessage().contains("SLO '"), e.getMessage());
        }
    }

    @Test
    void matchersNarrowTheRuleToServiceAndLabels() {
        ThresholdRule rule = ThresholdRule.parse("pool.usage{service=orders,pool=main} > 0.9");
        assertTrue(rule.matches(point("pool.usage", "orders", 0, 1, Map.of("pool", "main", "x", "y"))));
        assertFalse(rule.matches(point("pool.usage", "payments", 0, 1, Map.of("pool", "main"))));
        assertFalse(rule.matches(point("pool.usage", "orders", 0, 1, Map.of("pool", "aux"))));
        assertFalse(rule.matches(point("pool.size", "orders", 0, 1, Map.of("pool", "main"))));
    }

    @Test
    void scoreIsFiftyAtTheThresholdAndHundredAtTwiceIt() {
        ThresholdRule up = ThresholdRule.parse("x > 0.05");
        assertEquals(50.0, up.score(0.05), 1e-9);
        assertEquals(75.0, up.score(0.075), 1e-9);
        assertEquals(100.0, up.score(0.10), 1e-9);
        assertEquals(100.0, up.score(5.0), 1e-9);
        ThresholdRule down = ThresholdRule.parse("x < 10");
        assertEquals(75.0, down.score(5), 1e-9);
        assertEquals(100.0, ThresholdRule.parse("x > 0").score(0.001), 1e-9);
    }

    // ---- threshold episodes ----

    private static List<Anomaly> run(RuleSet rules, RuleState state, String metric, double[] values, long step) {
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rules.onSample(state, metric + "|service=checkout", point(metric, step * i, values[i]), out::add);
        }
        return out;
    }

    @Test
    void theForDurationDelaysTheOnsetAndRecoveryEndsTheEpisode() {
        RuleSet rules = RuleSet.parse(ERRORS + " > 0.05 for 2m", "");
        RuleState state = new RuleState();
        // samples every 30 s: breach from sample 2; a 60-s blip at 10-11 is too short to open anything.
        double[] values = {0.01, 0.01, 0.06, 0.06, 0.06, 0.06, 0.07, 0.09, 0.01, 0.01, 0.3, 0.3, 0.01};
        List<Anomaly> out = run(rules, state, ERRORS, values, 30);
        assertEquals(3, out.size(), out.toString());
        Anomaly first = out.get(0);
        assertEquals(ThresholdRule.DETECTOR, first.getDetector());
        assertEquals(1, first.getVersion());
        assertEquals(T0.plusSeconds(60), first.getOnset(), "onset at the first breaching sample");
        assertEquals(T0.plusSeconds(180), first.getTime(), "opened once breached for 2 min");
        assertEquals(Direction.UP, first.getDirection());
        assertEquals(0.05, first.getExpected());
        assertEquals(70.0, first.getScore(), 1e-9, "0.07 is 40 % past 0.05");
        assertEquals(2, out.get(1).getVersion());
        assertEquals(90.0, out.get(1).getScore(), 1e-9, "rescored at 0.09");
        Anomaly end = out.get(2);
        assertEquals(first.getId(), end.getId());
        assertEquals(3, end.getVersion());
        assertEquals(T0.plusSeconds(240), end.getEnd(), "the first sample back within the threshold ends it");
        assertFalse(state.hasOpenEpisode());
        assertEquals(ERRORS + " > 0.05 for 120000ms", first.getLabels().get("threshold.rule"));
    }

    @Test
    void aDropRuleFiresDownwardsImmediatelyWithoutForAndSilenceEndsIt() {
        RuleSet rules = RuleSet.parse("pool.free <= 2", "");
        RuleState state = new RuleState();
        List<Anomaly> out = run(rules, state, "pool.free", new double[] {5, 4, 2, 1.9}, 10);
        assertEquals(1, out.size(), out.toString());
        assertEquals(Direction.DOWN, out.get(0).getDirection());
        assertEquals(T0.plusSeconds(20), out.get(0).getOnset());
        assertTrue(state.hasOpenEpisode());
        List<Anomaly> ends = new ArrayList<>();
        rules.onSilence(state, ends::add);
        assertEquals(1, ends.size());
        assertEquals(T0.plusSeconds(30), ends.get(0).getEnd());
        assertFalse(state.hasOpenEpisode());
    }

    // ---- SLO burn rates ----

    @Test
    void burnRateArithmeticFollowsTheWorkbook() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99.9");
        assertEquals(0.999, slo.objective, 1e-12);
        assertEquals("checkout:" + ERRORS + ":99.9%", slo.name);
        assertEquals(0.001, slo.budget(), 1e-12);
        assertEquals(20.0, slo.burnRate(0.02), 1e-9, "2 % errors against 99.9 % burn 20x");
        assertEquals(14.4, slo.burnRate(0.0144), 1e-9);
        // 14.4 for an hour spends 2 % of a 30-day budget, 6 for 6 h 5 %, 1 for 3 days 10 %.
        assertEquals(0.02, SloRule.budgetConsumed(14.4, 60), 1e-12);
        assertEquals(0.05, SloRule.budgetConsumed(6, 360), 1e-12);
        assertEquals(0.10, SloRule.budgetConsumed(1, 3 * 24 * 60), 1e-12);
        assertEquals(0.995, SloRule.parse("a:b:0.995").objective, 1e-12);
        assertEquals(0.995, SloRule.parse("a:b:99.5%").objective, 1e-12);
    }

    @Test
    void twoPercentErrorsForAnHourAgainst999PagesWithBurnTwenty() {
        RuleSet rules = RuleSet.parse("", "checkout:" + ERRORS + ":99.9");
        RuleState state = new RuleState();
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < 360; i++) { // a clean hour, 10-s samples
            rules.onSample(state, "k", point(ERRORS, 10L * i, 0.0), out::add);
        }
        assertTrue(out.isEmpty());
        for (int i = 360; i < 720; i++) { // an hour at 2 % errors
            rules.onSample(state, "k", point(ERRORS, 10L * i, 0.02), out::add);
        }
        // The ticket (burn >= 1 over 3 d and 6 h) opens within minutes, then the episode is raised to a page.
        assertEquals("ticket", out.get(0).getLabels().get("slo.severity"));
        Anomaly page = out.stream().filter(a -> "page".equals(a.getLabels().get("slo.severity"))).findFirst()
                .orElseThrow(() -> new AssertionError("no page: " + out));
        assertEquals(SloRule.DETECTOR, page.getDetector());
        assertEquals(out.get(0).getId(), page.getId(), "one episode, rising versions");
        assertTrue(page.getScore() >= 90.0, page.toString());
        assertEquals("99.9%", page.getLabels().get("slo.objective"));
        assertNotNull(page.getLabels().get("slo.budget.consumed"));
        Anomaly last = out.get(out.size() - 1);
        assertEquals(null, last.getEnd());
        BurnWindows w = state.slos.values().iterator().next().windows;
        assertEquals(0.02, w.ratio(60), 1e-12, "the last hour is all at 2 %");
        assertEquals(0.02, w.ratio(5), 1e-12);
        assertEquals(20.0, rules.slos.get(0).burnRate(w.ratio(60)), 1e-9, "burn 20 over 1 h");
        assertEquals(0.01, w.ratio(360), 1e-12, "two hours of data, half at 2 %");
        assertEquals(90.0 + 10.0 * (20.0 / 14.4 - 1.0), SloRule.score(SloRule.CONDITIONS.get(0), 20, 20), 1e-9);
        // Recovery: the pages stop within half an hour, the ticket once the 6-h burn is below 1 (after ~5.7 h).
        for (int i = 720; i < 720 + 6 * 360; i++) {
            rules.onSample(state, "k", point(ERRORS, 10L * i, 0.0), out::add);
        }
        Anomaly end = out.get(out.size() - 1);
        assertNotNull(end.getEnd(), end.toString());
        assertTrue(end.getEnd().isAfter(T0.plusSeconds(7200 + 5 * 3600)), end.toString());
        assertEquals(page.getId(), end.getId());
        assertFalse(state.hasOpenEpisode());
    }

    @Test
    void theFastPageNeedsBothWindowsAndAShortSpikeDoesNotPage() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99.9");
        RuleSet rules = new RuleSet(List.of(), List.of(slo));
        RuleState state = new RuleState();
        List<Anomaly> out = new ArrayList<>();
        for (int i = 0; i < 360; i++) {
            rules.onSample(state, "k", point(ERRORS, 10L * i, 0.0), out::add);
        }
        // 3 minutes at 10 %: 5-min burn 60, but the 1-h burn is 0.1 * 18/360 / 0.001 = 5 < 14.4 and
        // the 6-h/30-min pair is 5 (data: 1 h) and 10 (30 min): no page.
        for (int i = 360; i < 378; i++) {
            rules.onSample(state, "k", point(ERRORS, 10L * i, 0.1), out::add);
        }
        BurnWindows w = state.slos.get(slo.name).windows;
        assertEquals(5.0, slo.burnRate(w.ratio(60)), 1e-9);
        assertTrue(slo.burnRate(w.ratio(5)) > 14.4);
        assertTrue(out.stream().noneMatch(a -> "page".equals(a.getLabels().get("slo.severity"))), out.toString());
    }

    @Test
    void aSlowBurnRaisesATicketScoredAroundSixty() {
        SloRule slo = SloRule.parse("checkout:" + ERRORS + ":99");
        RuleSet rules = new RuleSet(List.of(), List.of(slo));
        RuleState state = new RuleState();
        List<Anomaly> out = new ArrayList<>();
        for (int m = 0; m < 8 * 60; m++) { // 8 h at burn 2 (2 % against 99 %), one sample a minute
            rules.onSample(state, "k", point(ERRORS, 60L * m, 0.02), out::add);
        }
        assertFalse(out.isEmpty());
        Anomaly ticket = out.get(0);
        assertEquals("ticket", ticket.getLabels().get("slo.severity"));
        assertEquals("3d/6h", ticket.getLabels().get("slo.windows"));
        assertTrue(ticket.getScore() >= 60 && ticket.getScore() < 70, ticket.toString());
        assertEquals("99%", ticket.getLabels().get("slo.objective"));
    }

    @Test
    void theSameInputGivesTheSameAnomaliesAndStateSurvivesSerialisation() {
        RuleSet rules = RuleSet.parse(ERRORS + " > 0.05 for 1m", "checkout:" + ERRORS + ":99.9");
        double[] values = new double[1200];
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (i > 500 && i < 800 ? 0.08 : 0.0005) * (1 + 0.1 * random.nextGaussian());
        }
        List<Anomaly> a = run(rules, new RuleState(), ERRORS, values, 10);
        List<Anomaly> b = run(rules, new RuleState(), ERRORS, values, 10);
        assertEquals(a.toString(), b.toString());
        assertTrue(a.stream().anyMatch(x -> x.getDetector().equals(SloRule.DETECTOR)));
        assertTrue(a.stream().anyMatch(x -> x.getDetector().equals(ThresholdRule.DETECTOR)));
        // Half, then a serial round trip, then the rest: the same output.
        RuleState s = new RuleState();
        List<Anomaly> c = run(rules, s, ERRORS, java.util.Arrays.copyOfRange(values, 0, 600), 10);
        RuleState restored = RuleState.fromBytes(s.toBytes());
        for (int i = 600; i < values.length; i++) {
            rules.onSample(restored, ERRORS + "|service=checkout", point(ERRORS, 10L * i, values[i]), c::add);
        }
        assertEquals(a.toString(), c.toString());
        assertTrue(s.toBytes().length < 16_000, "bounded state: " + s.toBytes().length + " bytes");
    }

    @Test
    void olderSamplesAreIgnoredAndUnwatchedSeriesAreNotTouched() {
        RuleSet rules = RuleSet.parse("x > 1", "");
        assertFalse(rules.watches(point("y", 0, 5)));
        assertTrue(rules.watches(point("x", 0, 5)));
        assertTrue(RuleSet.NONE.isEmpty());
        RuleState state = new RuleState();
        List<Anomaly> out = new ArrayList<>();
        rules.onSample(state, "k", point("x", 10, 5), out::add);
        rules.onSample(state, "k", point("x", 5, 0), out::add);
        assertEquals(1, out.size());
        assertNull(out.get(0).getEnd());
    }

    // ---- form 2 (RuleStateCodec) ----

    /** Error ratios every 10 s for three and a half days (full burn-rate rings), an outage at the end. */
    private static double[] longSeries() {
        java.util.Random random = new java.util.Random(5);
        double[] values = new double[3 * 8640 + 4320];
        for (int i = 0; i < values.length; i++) {
            boolean outage = i >= values.length - 400 && i < values.length - 100;
            values[i] = (outage ? 0.2 : 0.0004) * (1 + 0.1 * random.nextGaussian());
        }
        return values;
    }

    @Test
    void theAvroFormContinuesExactlyAndIsSmallerThanTheJavaSerialForm() {
        RuleSet rules = RuleSet.parse(ERRORS + " > 0.05 for 1m", "checkout:" + ERRORS + ":99.9");
        double[] values = longSeries();
        int split = values.length - 200;
        List<Anomaly> straight = run(rules, new RuleState(), ERRORS, values, 10);
        RuleState s = new RuleState();
        List<Anomaly> resumed = run(rules, s, ERRORS, java.util.Arrays.copyOfRange(values, 0, split), 10);
        assertTrue(s.hasOpenEpisode(), "an episode is open at the split");
        byte[] form2 = RuleStateCodec.current().encode(s);
        RuleState restored = RuleStateCodec.current().decode(form2);
        for (int i = split; i < values.length; i++) {
            rules.onSample(restored, ERRORS + "|service=checkout", point(ERRORS, 10L * i, values[i]), resumed::add);
        }
        assertEquals(straight.toString(), resumed.toString());
        byte[] form1 = s.toBytes();
        System.out.printf("rule state of one SLO + threshold series (full windows, open episodes): form 1 %d bytes,"
                + " form 2 %d bytes%n", form1.length, form2.length);
        assertTrue(form2.length < form1.length * 0.7, form2.length + " vs " + form1.length);
        // A series with one threshold rule and no episode.
        RuleState t = new RuleState();
        run(RuleSet.parse(ERRORS + " > 0.05", ""), t, ERRORS, new double[] {0.01, 0.02}, 10);
        System.out.printf("threshold only, no episode: form 1 %d bytes, form 2 %d bytes%n", t.toBytes().length,
                RuleStateCodec.current().encode(t).length);
        // Empty windows and episodes round-trip too.
        RuleState empty = RuleStateCodec.current().decode(RuleStateCodec.current().encode(new RuleState()));
        assertTrue(empty.isEmpty());
        assertEquals(Long.MIN_VALUE, empty.lastSeen);
    }

    @Test
    void burnWindowsKeepEveryRatioThroughTheirForm() throws Exception {
        BurnWindows w = new BurnWindows();
        java.util.Random random = new java.util.Random(9);
        long t = T0.toEpochMilli();
        for (int i = 0; i < 5000; i++) {
            // Irregular gaps (up to 2 h) leave stale buckets in the rings.
            t += random.nextInt(10) == 0 ? random.nextInt(7_200_000) : 10_000;
            w.add(t, random.nextDouble());
            if (i % 500 == 0 || i == 4999) {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                org.apache.avro.io.BinaryEncoder out = org.apache.avro.io.EncoderFactory.get()
                        .directBinaryEncoder(bytes, null);
                w.writeTo(out);
                out.flush();
                BurnWindows back = BurnWindows.readFrom(
                        org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
                for (int minutes : new int[] {1, 5, 30, 60, 360, 361, 720, 1440, 4320}) {
                    assertEquals(w.ratio(minutes), back.ratio(minutes), "sample " + i + ", " + minutes + " min");
                }
                // And it keeps counting the same way.
                long next = t + 30_000;
                w.add(next, 0.5);
                back.add(next, 0.5);
                assertEquals(w.ratio(5), back.ratio(5));
                assertEquals(w.ratio(4320), back.ratio(4320));
                t = next;
            }
        }
    }

    // ---- a changed configuration meets restored state ----

    private static final String KEY = ERRORS + "|service=checkout";

    @Test
    void aChangedThresholdEndsTheOldRulesOpenEpisodeAndStartsAfresh() {
        RuleSet before = RuleSet.parse(ERRORS + " > 0.05 for 1m", "");
        RuleState state = new RuleState();
        List<Anomaly> out = run(before, state, ERRORS, new double[] {0.08, 0.08, 0.08, 0.08, 0.08, 0.08, 0.08}, 10);
        assertEquals(1, out.size());
        assertNull(out.get(0).getEnd());
        RuleSet after = RuleSet.parse(ERRORS + " > 0.07", "");
        assertFalse(after.isCurrent(state));
        List<Anomaly> next = new ArrayList<>();
        after.onSample(state, KEY, point(ERRORS, 70, 0.08), next::add);
        assertEquals(2, next.size(), next.toString());
        assertEquals(out.get(0).getId(), next.get(0).getId());
        assertEquals(T0.plusSeconds(70), next.get(0).getEnd(), "the old rule's episode ends at the first sample");
        assertEquals(out.get(0).getVersion() + 1, next.get(0).getVersion());
        assertNotEquals(out.get(0).getId(), next.get(1).getId(), "the new rule's own episode");
        assertNull(next.get(1).getEnd());
        assertEquals(T0.plusSeconds(70), next.get(1).getOnset(), "its breach starts afresh");
        assertEquals(java.util.Set.of(after.thresholds.get(0).text), state.thresholds.keySet());
        assertTrue(after.isCurrent(state));
    }

    @Test
    void aChangedObjectiveKeepsTheBurnRateWindowsAndEndsTheOldEpisode() {
        double[] values = new double[900];
        for (int i = 0; i < values.length; i++) {
            values[i] = i >= 400 && i < 700 ? 0.02 : 0.0005;
        }
        RuleSet strict = RuleSet.parse("", "checkout:" + ERRORS + ":99.9");
        RuleSet loose = RuleSet.parse("", "checkout:" + ERRORS + ":99.5");
        RuleState state = new RuleState();
        List<Anomaly> out = run(strict, state, ERRORS, java.util.Arrays.copyOfRange(values, 0, 600), 10);
        assertTrue(state.hasOpenEpisode(), out.toString());
        // The same input under the new objective from the start: what its windows say at each sample.
        RuleState allAlong = new RuleState();
        List<Anomaly> looseAllAlong = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            loose.onSample(allAlong, KEY, point(ERRORS, 10L * i, values[i]), looseAllAlong::add);
        }
        assertTrue(allAlong.hasOpenEpisode(), "2 % errors burn a 99.5 % budget at 4x for long enough (6h/30m no,"
                + " 3d/6h yes)");
        List<Anomaly> next = new ArrayList<>();
        loose.onSample(state, KEY, point(ERRORS, 6000, values[600]), next::add);
        loose.onSample(allAlong, KEY, point(ERRORS, 6000, values[600]), a -> {});
        String oldId = state.slos.isEmpty() ? null : out.get(out.size() - 1).getId();
        assertEquals(java.util.Set.of(loose.slos.get(0).name), state.slos.keySet());
        assertEquals(oldId, next.get(0).getId());
        assertEquals(T0.plusSeconds(6000), next.get(0).getEnd(), "the 99.9 % episode ends at the first sample");
        // The windows came along: the new objective fires at once, as it would had it been configured all along.
        assertEquals(2, next.size(), next.toString());
        assertEquals(SloRule.DETECTOR, next.get(1).getDetector());
        assertEquals("99.5%", next.get(1).getLabels().get("slo.objective"));
        for (SloRule.Condition c : SloRule.CONDITIONS) {
            assertEquals(allAlong.slos.get(loose.slos.get(0).name).windows.ratio(c.longMinutes()),
                    state.slos.get(loose.slos.get(0).name).windows.ratio(c.longMinutes()), c.windows());
        }
    }

    @Test
    void aRemovedRuleEndsItsEpisodeAtTheLastSampleWhenRetired() {
        RuleState state = new RuleState();
        List<Anomaly> out = run(RuleSet.parse(ERRORS + " > 0.05", ""), state, ERRORS, new double[] {0.08, 0.08}, 10);
        assertEquals(1, out.size());
        List<Anomaly> ends = new ArrayList<>();
        RuleSet.NONE.retire(state, ends::add);
        assertEquals(1, ends.size());
        assertEquals(T0.plusSeconds(10), ends.get(0).getEnd(), "at the last sample the rules saw");
        assertTrue(state.isEmpty());
        assertTrue(RuleSet.NONE.isCurrent(state));
    }
}
