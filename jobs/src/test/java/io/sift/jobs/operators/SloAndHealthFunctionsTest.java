package io.sift.jobs.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.detect.SloRule;
import io.sift.core.health.HealthModel;
import io.sift.core.health.KpiSummary;
import io.sift.schema.Anomaly;
import io.sift.schema.Direction;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SignalType;
import io.sift.schema.SloState;
import io.sift.schema.SloStatus;
import io.sift.testing.FixedInstants;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** The SLO budget and service health operators: output per minute/window, and no state or timer left after TTL. */
class SloAndHealthFunctionsTest {

    private static final long T0 = FixedInstants.T0.toEpochMilli();
    private static final SloRule SLO = SloRule.parse("checkout:http.server.error.ratio:99.9/1d");

    private static MetricPoint point(long millis, double value) {
        return MetricPoint.newBuilder().setTime(Instant.ofEpochMilli(millis)).setName("http.server.error.ratio")
                .setValue(value).setUnit("1").setKind(MetricKind.GAUGE)
                .setResource(Resource.newBuilder().setService("checkout").setEnvironment("prod").build())
                .setLabels(Map.of()).build();
    }

    @Test
    void aStatusPerMinuteWithSamplesAndNothingLeftOnceSilentForTheWindow() throws Exception {
        try (var h = new KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, MetricPoint>, SloStatus>(
                new KeyedProcessOperator<>(new SloBudgetFunction(List.of(SLO))), t -> t.f0, Types.STRING)) {
            h.open();
            String key = SloBudgetFunction.key("prod", SLO);
            for (int s = 0; s < 10 * 60; s += 30) {
                long t = T0 + s * 1000L;
                h.processElement(Tuple2.of(key, point(t, s >= 300 ? 1.0 : 0.0)), t);
                h.processWatermark(t - 1);
            }
            h.processWatermark(T0 + 10 * 60_000L);
            List<SloStatus> out = h.extractOutputValues();
            assertEquals(10, out.size(), "one status per minute");
            assertEquals(5.0, out.get(9).getConsumedMinutes(), 1e-9, "five minutes at 100 % errors");
            assertEquals(1.44 - 5.0, out.get(9).getRemainingMinutes(), 1e-9, "99.9 % over a day: 1.44 minutes");
            assertEquals(SloState.EXHAUSTED, out.get(9).getStatus());
            assertEquals(SloState.OK, out.get(4).getStatus());
            assertEquals(out.get(3).getId(), SloBudgetFunction.toRecord("prod", SLO,
                    new io.sift.core.detect.ErrorBudget(SLO.windowMinutes).status(SLO, out.get(3).getTime()
                            .toEpochMilli() / 60_000L)).getId(), "id = environment, SLO, minute");
            assertTrue(h.numKeyedStateEntries() > 0);
            h.processWatermark(T0 + 10 * 60_000L + 24 * 3_600_000L + 1);
            assertEquals(0, h.numKeyedStateEntries(), "forgotten after a silent window");
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(10, h.extractOutputValues().size(), "nothing more without samples");
        }
    }

    @Test
    void healthPerWindowFromAnomaliesAndTopologyAndNothingLeftAfterwards() throws Exception {
        try (var h = healthHarness()) {
            h.open();
            h.processBroadcastElement(io.sift.schema.TopologyUpdate.newBuilder().setTime(Instant.ofEpochMilli(T0))
                    .setOperation(io.sift.schema.TopologyOperation.UPSERT).setItem(null)
                    .setEdge(io.sift.schema.TopologyEdge.newBuilder().setFrom("checkout").setTo("payments")
                            .setType(io.sift.schema.EdgeType.CALLS).build()).build(), T0);
            Anomaly down = Anomaly.newBuilder().setId("a").setVersion(1).setSignal(SignalType.METRIC)
                    .setDetector("robust-baseline").setSeriesKey("k").setMetric("http.server.error.ratio")
                    .setResource(Resource.newBuilder().setService("payments").setEnvironment("prod").build())
                    .setLabels(Map.of()).setOnset(Instant.ofEpochMilli(T0 + 10_000))
                    .setTime(Instant.ofEpochMilli(T0 + 10_000)).setEnd(Instant.ofEpochMilli(T0 + 70_000))
                    .setObserved(1).setExpected(0).setLowerBound(0).setUpperBound(0.01).setDeviation(9)
                    .setDirection(Direction.UP).setScore(80).setSamples(4).build();
            h.processElement(Either.Right(down), T0 + 10_000);
            for (String service : List.of("checkout", "payments")) {
                h.processElement(Either.Left(summary(service)), T0 + 59_999);
            }
            h.processBroadcastWatermark(Long.MAX_VALUE); // the topology side holds event time back otherwise
            h.processWatermark(T0 + 60_000);
            List<ServiceHealth> out = h.extractOutputValues();
            assertEquals(2, out.size(), out.toString());
            ServiceHealth checkout = out.get(0);
            ServiceHealth payments = out.get(1);
            assertEquals("payments", payments.getService());
            assertEquals(20.0, payments.getHealth(), 1e-9, "100 x (1 - 1.0 x 0.8)");
            assertEquals(100.0, checkout.getOwnHealth(), 1e-9);
            assertEquals(60.0, checkout.getHealth(), 1e-9, "100 - 0.5 x (100 - 20)");
            assertEquals("payments", checkout.getWorstDependency());
            assertEquals(List.of("payments"), checkout.getDependencies());
            h.processWatermark(T0 + 10 * 60_000);
            // (this harness does not count timers; every timer of the function clears or re-checks state)
            assertEquals(0, ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) h.getOperator()
                    .getKeyedStateBackend()).numKeyValueStateEntries(), "ended anomaly forgotten, no window pending");
        }
    }

    /**
     * Builds before the append-only list kept pending summaries in a map by window end: a savepoint of theirs restores a
     * window in that map, which is reported with the summaries that come after the restore, and then forgotten.
     */
    @Test
    void aWindowPendingInTheFormerMapStateIsStillReported() throws Exception {
        try (var h = healthHarness()) {
            h.open();
            h.getOperator().setCurrentKey("prod");
            org.apache.flink.api.common.state.MapState<Long, List<KpiSummary>> former = h.getOperator()
                    .getKeyedStateBackend().getPartitionedState(
                            org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                            org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                            new org.apache.flink.api.common.state.MapStateDescriptor<>("pending-windows", Types.LONG,
                                    new org.apache.flink.api.java.typeutils.ListTypeInfo<>(
                                            org.apache.flink.api.common.typeinfo.TypeInformation.of(
                                                    KpiSummary.class))));
            former.put(T0 + 60_000, new java.util.ArrayList<>(List.of(summary("payments"))));
            h.processElement(Either.Left(summary("checkout")), T0 + 59_999);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            h.processWatermark(T0 + 60_000);
            assertEquals(List.of("checkout", "payments"), h.extractOutputValues().stream()
                    .map(ServiceHealth::getService).toList(), "the restored window's service and the new one");
            h.processWatermark(T0 + 10 * 60_000);
            assertEquals(0, ((org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) h.getOperator()
                    .getKeyedStateBackend()).numKeyValueStateEntries(), "nothing pending in either form");
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, Either<KpiSummary, Anomaly>, io.sift.schema.TopologyUpdate,
            ServiceHealth> healthHarness() throws Exception {
        ServiceHealthFunction f = new ServiceHealthFunction(HealthModel.defaults(), "1m", 60_000, 3_600_000);
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(f, List.of(TopologyBroadcast.DESCRIPTOR)),
                e -> ServiceHealthFunction.environment(e, "prod"), Types.STRING, 1, 1, 0);
    }

    /** A summary of one sample at 50 % errors in the first minute. */
    private static KpiSummary summary(String service) {
        KpiSummary k = new KpiSummary();
        k.add(MetricPoint.newBuilder(point(T0 + 5_000, 0.5)).setResource(Resource.newBuilder()
                .setService(service).setEnvironment("prod").build()).build(), "prod");
        k.windowStart = T0;
        k.windowEnd = T0 + 60_000;
        return k;
    }
}
