package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.logs.MinerConfig;
import io.sift.core.logs.TemplateMinerState;
import io.sift.core.logs.TemplateRateState;
import io.sift.core.logs.TemplateRates;
import io.sift.core.detect.SeriesKeys;
import io.sift.schema.Anomaly;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SignalType;
import io.sift.testing.FixedInstants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** The log template operator under Flink's keyed test harness: what it reports, when, and what its state survives. */
class LogTemplateFunctionTest {

    private static final Instant T0 = FixedInstants.T0;
    private static final long MINUTE = 60_000;
    private static final int INFO = 9;
    private static final int WARN = 13;
    private static final int ERROR = 17;

    private static LogRecord line(long second, int severity, String body) {
        return LogRecord.newBuilder().setTime(T0.plusSeconds(second)).setSeverityNumber(severity)
                .setSeverityText(severity >= ERROR ? "ERROR" : severity >= WARN ? "WARN" : "INFO").setBody(body)
                .setResource(Resource.newBuilder().setService("checkout").setEnvironment("prod").setHost("h1").build())
                .setAttributes(Map.of()).build();
    }

    /** 10 minutes of warm-up, 3 lines within 2 minutes, 2 examples. */
    private static LogTemplateFunction function() {
        return new LogTemplateFunction(MinerConfig.defaults(), 10 * MINUTE, 2 * MINUTE, 3, 2, "prod");
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> harness() throws Exception {
        return opened(function());
    }

    /** The function as the job runs it: in its operator, which caches services' states between lines. */
    static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> opened(LogTemplateFunction function)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>(
                new LogTemplateOperator(function, 256), log -> LogErrorRate.key(log, "prod"), Types.STRING);
        harness.open();
        return harness;
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> harness,
            LogRecord log) throws Exception {
        harness.processElement(log, log.getTime().toEpochMilli());
        harness.processWatermark(log.getTime().toEpochMilli() - 1);
    }

    /** Twelve minutes of routine lines, including a known warning. */
    private static void warmUp(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> harness)
            throws Exception {
        for (int s = 0; s < 12 * 60; s += 10) {
            feed(harness, line(s, INFO, "Order " + (1000 + s) + " placed by user u" + s + ": 3 items"));
            if (s % 120 == 0) {
                feed(harness, line(s + 1, WARN, "Slow request: GET /api/v1/cart/" + s + " took " + (1200 + s) + " ms"));
            }
        }
    }

    @Test
    void aNewRecurringErrorTemplateAfterWarmUpBecomesOneLogAnomalyWithExamples() throws Exception {
        try (var harness = harness()) {
            warmUp(harness);
            int second = 12 * 60;
            for (int i = 0; i < 4; i++) {
                feed(harness, line(second + 20 * i, ERROR, "Unhandled exception in POST /api/v1/checkout/" + (70 + i)
                        + ": java.lang.NullPointerException: Cannot invoke \"Cart.getId()\" because \"cart\" is null"));
            }
            feed(harness, line(second + 400, INFO, "Order 77 placed by user u9: 3 items"));
            harness.processWatermark(T0.toEpochMilli() + (second + 400) * 1000L);

            List<Anomaly> out = harness.extractOutputValues();
            assertEquals(1, out.size(), "one anomaly for the new template: " + out);
            Anomaly anomaly = out.get(0);
            assertEquals(SignalType.LOG, anomaly.getSignal());
            assertEquals(LogTemplateFunction.DETECTOR, anomaly.getDetector());
            assertEquals("checkout", anomaly.getResource().getService());
            assertEquals("Unhandled exception in POST <*>: java.lang.NullPointerException: Cannot invoke "
                    + "\"Cart.getId()\" because \"cart\" is null", anomaly.getLabels().get("template"));
            assertNotNull(anomaly.getLabels().get("template.id"));
            assertTrue(anomaly.getLabels().get("example.1")
                    .startsWith("Unhandled exception in POST /api/v1/checkout/70"));
            assertNotNull(anomaly.getLabels().get("example.2"));
            assertFalse(anomaly.getLabels().containsKey("example.3"), "at most maxExamples examples");
            assertEquals(4.0, anomaly.getObserved());
            assertEquals(T0.plusSeconds(second), anomaly.getOnset());
            assertEquals(T0.plusSeconds(second + 60), anomaly.getEnd());
            assertTrue(anomaly.getScore() >= 75, "an error scores at least 75: " + anomaly.getScore());
            assertEquals(0, harness.numEventTimeTimers(), "no timer left");
        }
    }

    @Test
    void strayLinesInfoLinesVariantsAndTemplatesSeenDuringWarmUpAreNotReported() throws Exception {
        try (var harness = harness()) {
            feed(harness, line(0, ERROR, "Connection to db-1 lost, reconnecting"));
            warmUp(harness);
            int second = 12 * 60;
            feed(harness, line(second, ERROR, "Connection to db-2 lost, reconnecting")); // learned in warm-up
            feed(harness, line(second + 1, WARN, "Disk usage at 91% on /var/data")); // new, but a single line
            for (int i = 0; i < 5; i++) {
                feed(harness, line(second + 2 + i, INFO, "Cache warmed with " + i + " entries")); // new, but INFO
                // new, but the known slow-request warning with another method: a new value, not a new event
                feed(harness, line(second + 10 + i, WARN, "Slow request: POST /api/v1/cart/" + i + " took 1300 ms"));
            }
            harness.processWatermark(T0.toEpochMilli() + (second + 600) * 1000L);
            assertEquals(List.of(), harness.extractOutputValues());
            assertEquals(0, harness.numEventTimeTimers());
        }
    }

    private static String payment(int id) {
        return "Payment " + id + " timed out at the provider after 3000 ms";
    }

    @Test
    void learnedTemplatesSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            warmUp(harness);
            for (int i = 0; i < 3; i++) {
                feed(harness, line(12 * 60 + i, ERROR, payment(100 + i)));
            }
            harness.processWatermark(T0.toEpochMilli() + 20 * MINUTE);
            assertEquals(1, harness.extractOutputValues().size());
            snapshot = harness.snapshot(1, T0.toEpochMilli() + 20 * MINUTE);
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly>(
                new LogTemplateOperator(function(), 256), log -> LogErrorRate.key(log, "prod"), Types.STRING)) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            // Past the warm-up even of a service seen for the first time now, so only restored state can keep
            // the known template quiet; a really new one is still reported (the control).
            for (int i = 0; i < 3; i++) {
                feed(restored, line(35 * 60 + i, ERROR, payment(200 + i)));
                feed(restored, line(35 * 60 + 10 + i, ERROR, "Refund " + (300 + i) + " rejected by the ledger"));
            }
            restored.processWatermark(T0.toEpochMilli() + 60 * MINUTE);
            List<Anomaly> out = restored.extractOutputValues();
            assertEquals(1, out.size(), "only the template unknown before the restore: " + out);
            assertEquals("Refund <*> rejected by the ledger", out.get(0).getLabels().get("template"));
        }
    }

    @Test
    void theMinerStateIsAFlinkPojoWithoutKryoFields() {
        TypeInformation<TemplateMinerState> type = TypeInformation.of(TemplateMinerState.class);
        PojoTypeInfo<TemplateMinerState> pojo = assertInstanceOf(PojoTypeInfo.class, type);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertFalse(pojo.getPojoFieldAt(i).getTypeInformation() instanceof GenericTypeInfo,
                    pojo.getPojoFieldAt(i).getField().getName() + " would fall back to Kryo: "
                            + pojo.getPojoFieldAt(i).getTypeInformation());
        }
    }

    // ---- per-template window counts (side output) ----

    /** As {@link #function()}, counting lines per template in 1-minute windows, zeros for 3 quiet windows. */
    private static KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> countingHarness(boolean counts)
            throws Exception {
        return opened(new LogTemplateFunction(MinerConfig.defaults(), 10 * MINUTE, 2 * MINUTE, 3, 2, "prod",
                counts ? new TemplateRates(MINUTE, 3, 3) : null));
    }

    private static List<MetricPoint> counts(KeyedOneInputStreamOperatorTestHarness<String, LogRecord, Anomaly> h) {
        List<MetricPoint> points = new ArrayList<>();
        var side = h.getSideOutput(LogTemplateFunction.TEMPLATE_COUNTS);
        if (side != null) {
            for (StreamRecord<MetricPoint> record : side) {
                points.add(record.getValue());
            }
        }
        return points;
    }

    /** Minute m, second s → seconds since T0. */
    private static long at(int minute, int second) {
        return minute * 60L + second;
    }

    /** Orders every 10 s in minutes 0-4, payment timeouts 3 in minute 1 and 1 in minute 2, then nothing. */
    private static List<LogRecord> countInput() {
        List<LogRecord> lines = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
            for (int s = 0; s < 60; s += 10) {
                lines.add(line(at(m, s), INFO, "Order " + (1000 + m * 60 + s) + " placed by user u" + s + ": 3 items"));
                if (m == 1 && s < 30 || m == 2 && s == 0) {
                    lines.add(line(at(m, s + 1), ERROR, payment(100 + m * 60 + s)));
                }
            }
        }
        return lines;
    }

    @Test
    void templateCountsPerWindowWithZerosForAQuietTemplateThatStopAfterItIsGone() throws Exception {
        try (var harness = countingHarness(true); var plain = countingHarness(false)) {
            for (LogRecord log : countInput()) {
                feed(harness, log);
                feed(plain, log);
            }
            harness.processWatermark(T0.toEpochMilli() + 30 * MINUTE);
            plain.processWatermark(T0.toEpochMilli() + 30 * MINUTE);

            List<MetricPoint> points = counts(harness);
            String orders = "Order <*> placed by user <*>: <*> items";
            String payments = "Payment <*> timed out at the provider after <*> ms";
            // The first order line made a template that the second generalised (its id changed): the old id keeps
            // its line and then stops, without zeros (its lines went on under the new id: no drop).
            assertEquals(List.of(1.0), values(points, "Order <*> placed by user u0: <*> items"));
            // Orders: 6 lines in each of minutes 0-4 (5 under this id in minute 0), 3 zeros (minutes 5-7), then nothing.
            assertEquals(List.of(5.0, 6.0, 6.0, 6.0, 6.0, 0.0, 0.0, 0.0), values(points, orders),
                    () -> points.stream().map(p -> p.getLabels().get("template") + "=" + p.getValue()).toList()
                            .toString());
            // Payments: 3 in minute 1, 1 in minute 2, zeros for minutes 3-5, then nothing.
            assertEquals(List.of(3.0, 1.0, 0.0, 0.0, 0.0), values(points, payments));
            MetricPoint first = points.stream().filter(p -> payments.equals(p.getLabels().get("template"))).findFirst()
                    .orElseThrow();
            assertEquals(TemplateRates.METRIC, first.getName());
            assertEquals("checkout", first.getResource().getService());
            assertEquals(T0.plusSeconds(120).minusMillis(1), first.getTime(), "stamped at the window's last ms");
            assertNotNull(first.getLabels().get("template.id"));
            assertEquals(payment(180), first.getLabels().get("example.3"), "the window's last line");
            assertEquals(payment(160), first.getLabels().get("example.1"));
            // One series per template: the text and examples do not split it.
            MetricPoint zero = points.stream().filter(p -> payments.equals(p.getLabels().get("template"))
                    && p.getValue() == 0).findFirst().orElseThrow();
            assertFalse(zero.getLabels().containsKey("example.1"));
            assertEquals(TemplateRates.seriesKey(first, "prod"), TemplateRates.seriesKey(zero, "prod"));
            assertFalse(TemplateRates.seriesKey(first, "prod").contains("example"));
            assertEquals(SeriesKeys.of(first.getName(), first.getResource(),
                    Map.of("template.id", first.getLabels().get("template.id")), "prod"),
                    TemplateRates.seriesKey(first, "prod"));

            assertEquals(0, harness.numEventTimeTimers(), "no timer left once every template went quiet");
            // A snapshot writes the cached states back, so keyed state is what the lines made.
            plain.snapshot(1, T0.toEpochMilli());
            harness.snapshot(1, T0.toEpochMilli());
            assertEquals(plain.numKeyedStateEntries(), harness.numKeyedStateEntries(),
                    "the counting state is gone once every template went quiet (only the miner's remains)");
        }
    }

    private static List<Double> values(List<MetricPoint> points, String template) {
        List<Double> values = new ArrayList<>();
        for (MetricPoint p : points) {
            if (template.equals(p.getLabels().get("template"))) {
                values.add(p.getValue());
            }
        }
        return values;
    }

    @Test
    void templateCountsDoNotDependOnHowWatermarksInterleaveWithTheLines() throws Exception {
        List<LogRecord> input = countInput();
        List<MetricPoint> eager;
        List<MetricPoint> lazy;
        List<MetricPoint> bursty;
        try (var harness = countingHarness(true)) {
            for (LogRecord log : input) { // the watermark right behind every line
                feed(harness, log);
            }
            harness.processWatermark(Long.MAX_VALUE);
            eager = counts(harness);
        }
        try (var harness = countingHarness(true)) {
            for (LogRecord log : input) { // no watermark until the end
                harness.processElement(log, log.getTime().toEpochMilli());
            }
            harness.processWatermark(Long.MAX_VALUE);
            lazy = counts(harness);
        }
        try (var harness = countingHarness(true)) {
            for (int i = 0; i < input.size(); i++) { // the watermark 90 s behind, every 7th line
                LogRecord log = input.get(i);
                harness.processElement(log, log.getTime().toEpochMilli());
                if (i % 7 == 0) {
                    harness.processWatermark(log.getTime().toEpochMilli() - 90_000);
                }
            }
            harness.processWatermark(T0.toEpochMilli() + 6 * MINUTE);
            harness.processWatermark(Long.MAX_VALUE);
            bursty = counts(harness);
        }
        assertFalse(eager.isEmpty());
        assertEquals(eager, lazy);
        assertEquals(eager, bursty);
    }

    @Test
    void theCountStateIsAFlinkPojoWithoutKryoFields() {
        TypeInformation<TemplateRateState> type = TypeInformation.of(TemplateRateState.class);
        PojoTypeInfo<TemplateRateState> pojo = assertInstanceOf(PojoTypeInfo.class, type);
        for (int i = 0; i < pojo.getArity(); i++) {
            assertFalse(pojo.getPojoFieldAt(i).getTypeInformation() instanceof GenericTypeInfo,
                    pojo.getPojoFieldAt(i).getField().getName() + " would fall back to Kryo: "
                            + pojo.getPojoFieldAt(i).getTypeInformation());
        }
    }
}
