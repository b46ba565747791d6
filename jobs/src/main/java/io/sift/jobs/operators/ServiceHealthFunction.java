package io.sift.jobs.operators;

import io.sift.core.health.HealthModel;
import io.sift.core.health.Kpi;
import io.sift.core.health.KpiSeverities;
import io.sift.core.health.KpiSummary;
import io.sift.core.topology.Topology;
import io.sift.core.util.StableIds;
import io.sift.schema.Anomaly;
import io.sift.schema.ServiceHealth;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Health of every service of one environment (the key) per window: the services' KPI summaries of a window are held
 * until event time passes the window's end, so every anomaly up to then is in; then each service's own health comes
 * from the severities of its KPIs (the anomalies hurting them, {@link KpiSeverities}) and is propagated through the
 * topology (broadcast state) by {@link HealthModel}. Anomalies are forgotten once ended (or, still open, not updated
 * for the stale time); an environment with nothing pending and no anomaly holds no state and no timer.
 */
public final class ServiceHealthFunction
        extends KeyedBroadcastProcessFunction<String, Either<KpiSummary, Anomaly>, TopologyUpdate, ServiceHealth> {

    private static final long serialVersionUID = 1L;

    public static final String UID = "service-health";
    public static final String NAME = "Service health per window";

    public static final TypeInformation<Either<KpiSummary, Anomaly>> INPUT_TYPE = new EitherTypeInfo<>(
            KpiSummaryTypeInfo.INSTANCE, new AvroTypeInfo<>(Anomaly.class));

    private final HealthModel model;
    private final String window;
    private final long windowMillis;
    private final long staleMillis;

    private transient ValueState<KpiSeverities> severities;
    /**
     * KPI summaries of windows not yet due, in arrival order: appended without reading (on RocksDB a list append is a
     * merge, where a list per window had to be read and rewritten for every service's summary).
     */
    private transient ListState<KpiSummary> pending;
    /**
     * The earliest window end in {@link #pending}: most timers are an anomaly's expiry, and need not read the list
     * (on RocksDB, deserialise every pending summary) when no window is due. Null: unknown, read.
     */
    private transient ValueState<Long> pendingFrom;
    /** Pending windows as builds before the list kept them: read once after a restore, then empty. */
    private transient MapState<Long, List<KpiSummary>> pendingByWindow;
    private transient Topology topology;

    /**
     * @param window label of the window size (1m), part of the ids
     * @param staleMillis an open anomaly not updated for this long stops counting (its end was lost)
     */
    public ServiceHealthFunction(HealthModel model, String window, long windowMillis, long staleMillis) {
        this.model = model;
        this.window = window;
        this.windowMillis = windowMillis;
        this.staleMillis = staleMillis;
    }

    /** The environment of an input (the key). */
    public static String environment(Either<KpiSummary, Anomaly> input, String defaultEnvironment) {
        if (input.isLeft()) {
            return input.left().environment;
        }
        String env = input.right().getResource() == null ? null : input.right().getResource().getEnvironment();
        return env == null || env.isBlank() ? defaultEnvironment : env;
    }

    @Override
    public void open(OpenContext openContext) {
        severities = getRuntimeContext().getState(
                new ValueStateDescriptor<>("severities", TypeInformation.of(KpiSeverities.class)));
        pending = getRuntimeContext().getListState(new ListStateDescriptor<>("pending-summaries",
                KpiSummarySerializer.INSTANCE));
        pendingFrom = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-from", Types.LONG));
        pendingByWindow = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-windows", Types.LONG,
                new ListTypeInfo<>(TypeInformation.of(KpiSummary.class))));
    }

    @Override
    public void processElement(Either<KpiSummary, Anomaly> input, ReadOnlyContext ctx,
            Collector<ServiceHealth> out) throws Exception {
        if (input.isRight()) {
            KpiSeverities s = severities.value();
            if (s == null) {
                s = new KpiSeverities();
            }
            Anomaly a = input.right();
            if (s.onAnomaly(a)) {
                severities.update(s);
                // Forget it even when no window follows: once ended, or once stale while open.
                long forget = a.getEnd() != null ? a.getEnd().toEpochMilli() + windowMillis
                        : a.getTime().toEpochMilli() + staleMillis;
                ctx.timerService().registerEventTimeTimer(Math.max(forget + 1,
                        ctx.timerService().currentWatermark() + 1));
            }
            return;
        }
        KpiSummary summary = input.left();
        pending.add(summary);
        Long from = pendingFrom.value();
        if (from == null || summary.windowEnd < from) {
            pendingFrom.update(summary.windowEnd);
        }
        long due = Math.max(summary.windowEnd - 1, ctx.timerService().currentWatermark() + 1);
        ctx.timerService().registerEventTimeTimer(due);
    }

    @Override
    public void processBroadcastElement(TopologyUpdate update, Context ctx, Collector<ServiceHealth> out)
            throws Exception {
        Topology current = topology(ctx.getBroadcastState(TopologyBroadcast.DESCRIPTOR));
        TopologyBroadcast.store(ctx.getBroadcastState(TopologyBroadcast.DESCRIPTOR), update);
        current.apply(update);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ServiceHealth> out) throws Exception {
        Topology topo = topology(ctx.getBroadcastState(TopologyBroadcast.DESCRIPTOR));
        // Summaries by window end, arrival order kept; the windows not yet due go back to the list. Every window the
        // watermark has passed is due now, not only this timer's: a watermark that passes many windows at once (a
        // replay, a catch-up) then reads the list once instead of once per window.
        long dueBy = Math.max(timestamp, ctx.timerService().currentWatermark());
        TreeMap<Long, List<KpiSummary>> due = new TreeMap<>();
        Long from = pendingFrom.value();
        if (from == null || from - 1 <= dueBy) {
            List<KpiSummary> notDue = new ArrayList<>();
            for (Map.Entry<Long, List<KpiSummary>> legacy : pendingByWindow.entries()) {
                legacy.getValue().forEach(k -> (legacy.getKey() - 1 <= dueBy ? due.computeIfAbsent(
                        legacy.getKey(), e -> new ArrayList<>()) : notDue).add(k));
            }
            pendingByWindow.clear();
            Iterable<KpiSummary> waiting = pending.get();
            if (waiting != null) {
                for (KpiSummary k : waiting) {
                    if (k.windowEnd - 1 <= dueBy) {
                        due.computeIfAbsent(k.windowEnd, e -> new ArrayList<>()).add(k);
                    } else {
                        notDue.add(k);
                    }
                }
            }
            pending.update(notDue);
            if (notDue.isEmpty()) {
                pendingFrom.clear();
            } else {
                pendingFrom.update(notDue.stream().mapToLong(k -> k.windowEnd).min().getAsLong());
            }
        }
        KpiSeverities s = severities.value();
        if (s == null) {
            s = new KpiSeverities();
        }
        for (Map.Entry<Long, List<KpiSummary>> window : due.entrySet()) {
            long end = window.getKey();
            Map<String, KpiSummary> byService = new TreeMap<>();
            for (KpiSummary k : window.getValue()) {
                byService.merge(k.service, k, KpiSummary::merge);
            }
            long start = end - windowMillis;
            Map<String, Map<Kpi, Double>> severity = new HashMap<>();
            Map<String, Double> own = new HashMap<>();
            for (String service : byService.keySet()) {
                Map<Kpi, Double> sv = s.severities(service, start, end);
                severity.put(service, sv);
                own.put(service, model.ownHealth(sv));
            }
            Map<String, HealthModel.Result> health = model.propagate(own, topo::dependenciesOf);
            for (Map.Entry<String, KpiSummary> e : byService.entrySet()) {
                out.collect(toRecord(ctx.getCurrentKey(), e.getValue(), start, end, own.get(e.getKey()),
                        health.get(e.getKey()), severity.get(e.getKey()), topo));
            }
        }
        // Anomalies that ended before any window still pending or to come no longer count.
        s.expire(timestamp - windowMillis, timestamp - staleMillis);
        if (s.isEmpty()) {
            severities.clear();
        } else {
            severities.update(s);
        }
    }

    private ServiceHealth toRecord(String environment, KpiSummary k, long start, long end, double own,
            HealthModel.Result result, Map<Kpi, Double> severity, Topology topo) {
        return ServiceHealth.newBuilder()
                .setId(StableIds.of("health", environment, k.service, window, Long.toString(start)))
                .setEnvironment(environment)
                .setService(k.service)
                .setWindow(window)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setHealth(result.health())
                .setOwnHealth(own)
                .setStatus(HealthModel.status(result.health()))
                .setWorstDependency(result.worstDependency())
                .setWorstDependencyHealth(result.worstDependencyHealth())
                .setDependencies(new ArrayList<>(new TreeSet<>(topo.dependenciesOf(k.service))))
                .setAvailability(k.availability())
                .setErrorRatio(k.errorRatio())
                .setLatencyP50(k.latencyP50())
                .setLatencyP95(k.latencyP95())
                .setLatencyP99(k.latencyP99())
                .setErrorCount(k.errorCount())
                .setThroughput(k.throughput())
                .setSaturation(k.saturationValue())
                .setAvailabilitySeverity(severity.getOrDefault(Kpi.AVAILABILITY, 0.0))
                .setLatencySeverity(severity.getOrDefault(Kpi.LATENCY, 0.0))
                .setErrorSeverity(severity.getOrDefault(Kpi.ERRORS, 0.0))
                .setThroughputSeverity(severity.getOrDefault(Kpi.THROUGHPUT, 0.0))
                .setSaturationSeverity(severity.getOrDefault(Kpi.SATURATION, 0.0))
                .setSamples(k.samples)
                .build();
    }

    private Topology topology(ReadOnlyBroadcastState<String, TopologyUpdate> state) throws Exception {
        if (topology == null) {
            topology = TopologyBroadcast.rebuild(state);
        }
        return topology;
    }
}
