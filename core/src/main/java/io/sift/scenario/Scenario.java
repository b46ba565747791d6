package io.sift.scenario;

import io.sift.schema.ChangeEvent;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.ItemType;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A generated scenario: the estate and its topology, deploys, the injected faults (ground truth), and lazily
 * generated, time-ordered metrics and logs. Every stream call starts a fresh pass with identical output.
 *
 * <p>Records share {@link Resource} instances and label maps between records of a series; treat them as read-only.
 */
public final class Scenario {

    private final ScenarioGenerator cfg;
    private final Estate estate;
    private final List<TopologyUpdate> topology;
    private final List<ChangeEvent> changes;
    private final List<InjectedFault> faults;
    private final List<NoiseAnomaly> noise;
    private final MetricModel metrics;
    private final LogModel logs;
    private final List<SeriesInfo> series;

    Scenario(ScenarioGenerator cfg, Estate estate) {
        this.cfg = cfg;
        this.estate = estate;
        Baselines base = new Baselines(estate, cfg.seed());
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (ServiceInstance i : estate.instances()) {
            resources.put(i.instance(), new Resource(i.service(), i.host(), i.instance(), cfg.environment()));
        }
        FaultPlanner.Result planned = new FaultPlanner(cfg, estate, base).plan();
        ChangePlanner.Result changed = ChangePlanner.plan(cfg, estate, planned.plans(), planned.badDeploys());
        this.changes = List.copyOf(changed.changes());
        this.faults = planned.plans().stream().map(p -> p.truth).toList();
        this.metrics = new MetricModel(cfg, estate, base, resources, planned.plans(), changed.deployTimesByItem());
        this.logs = new LogModel(cfg, estate, base, resources, planned.plans(), changed.deploys());
        this.series = Arrays.stream(metrics.series).map(s -> s.info).toList();
        this.noise = metrics.glitches.stream().map(g -> g.truth).toList();
        this.topology = buildTopology();
    }

    private List<TopologyUpdate> buildTopology() {
        List<TopologyUpdate> out = new ArrayList<>();
        Instant t = cfg.start();
        for (EstateItem it : estate.items()) {
            out.add(new TopologyUpdate(t, TopologyOperation.UPSERT, new ConfigurationItem(it.id(), it.type(), null,
                    it.criticality(), cfg.environment(), new HashMap<>(it.attributes())), null));
        }
        for (EstateEdge e : estate.edges()) {
            out.add(new TopologyUpdate(t, TopologyOperation.UPSERT, null, new TopologyEdge(e.from(), e.to(),
                    e.type())));
        }
        return Collections.unmodifiableList(out);
    }

    public long seed() {
        return cfg.seed();
    }

    public String environment() {
        return cfg.environment();
    }

    public Instant start() {
        return cfg.start();
    }

    /** First instant after the scenario (exclusive end of every stream). */
    public Instant end() {
        return cfg.start().plus(cfg.duration());
    }

    public Duration duration() {
        return cfg.duration();
    }

    public Duration sampleInterval() {
        return cfg.sampleInterval();
    }

    /** The settings this scenario was generated with. */
    public ScenarioGenerator settings() {
        return cfg;
    }

    public Estate estate() {
        return estate;
    }

    /** UPSERTs of every item, then of every edge, all at the scenario start. */
    public List<TopologyUpdate> topology() {
        return topology;
    }

    /** Deploys, in time order. */
    public List<ChangeEvent> changes() {
        return changes;
    }

    /** Ground truth, in start order. */
    public List<InjectedFault> faults() {
        return faults;
    }

    /** Background noise anomalies (glitches that belong to no fault), in start order; empty unless asked for. */
    public List<NoiseAnomaly> noise() {
        return noise;
    }

    /** The fault whose effects may be active at {@code t}, if any. */
    public Optional<InjectedFault> faultAt(Instant t) {
        return faults.stream().filter(f -> f.covers(t)).findFirst();
    }

    /** Every metric series, one point each per sample interval. */
    public List<SeriesInfo> series() {
        return series;
    }

    /** Exact number of metric points over the scenario. */
    public long metricPointCount() {
        return metrics.pointCount();
    }

    /** Metric points in time order, generated lazily. */
    public Stream<MetricPoint> metrics() {
        return stream(metricIterator());
    }

    public Iterator<MetricPoint> metricIterator() {
        return metrics.iterator();
    }

    /** Log records in time order, generated lazily. */
    public Stream<LogRecord> logs() {
        return stream(logIterator());
    }

    public Iterator<LogRecord> logIterator() {
        return logs.iterator();
    }

    /**
     * Metrics, logs and changes merged by event time, lazily (on equal times: changes, then metrics, then logs).
     */
    public Stream<SpecificRecord> allRecordsInTimeOrder() {
        return allRecordsInTimeOrder(false);
    }

    /** As {@link #allRecordsInTimeOrder()}, optionally preceded by the topology updates. */
    public Stream<SpecificRecord> allRecordsInTimeOrder(boolean withTopology) {
        Iterator<SpecificRecord> merged = new Merge(List.of(changes.iterator(), metricIterator(), logIterator()));
        if (!withTopology) {
            return stream(merged);
        }
        return Stream.concat(topology.stream(), stream(merged));
    }

    /** Event time of a scenario record. */
    public static Instant timeOf(SpecificRecord r) {
        if (r instanceof MetricPoint m) {
            return m.getTime();
        }
        if (r instanceof LogRecord l) {
            return l.getTime();
        }
        if (r instanceof ChangeEvent c) {
            return c.getTime();
        }
        if (r instanceof TopologyUpdate u) {
            return u.getTime();
        }
        throw new IllegalArgumentException("not a scenario record: " + r.getClass().getName());
    }

    public ScenarioSummary summary() {
        double hours = cfg.duration().toMillis() / 3_600_000.0;
        double faultLines = logs.expectedFaultLines();
        long pointsPerHour = Math.round(metrics.pointCount() / hours);
        long linesPerHour = Math.round((logs.expectedBackgroundLines() + faultLines) / hours);
        return new ScenarioSummary(cfg.seed(), cfg.environment(), cfg.start(), cfg.duration(), cfg.sampleInterval(),
                estate.count(ItemType.SERVICE), estate.count(ItemType.HOST),
                estate.items().size() - estate.count(ItemType.SERVICE) - estate.count(ItemType.HOST),
                estate.edges().size(), estate.instances().size(), series.size(), pointsPerHour, linesPerHour,
                changes.size(), faults);
    }

    @Override
    public String toString() {
        return summary().toString();
    }

    private static <T> Stream<T> stream(Iterator<T> it) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** k-way merge by event time; ties go to the earlier source. */
    private static final class Merge implements Iterator<SpecificRecord> {
        private final List<Iterator<? extends SpecificRecord>> sources;
        private final SpecificRecord[] heads;
        private final long[] times;

        Merge(List<Iterator<? extends SpecificRecord>> sources) {
            this.sources = sources;
            this.heads = new SpecificRecord[sources.size()];
            this.times = new long[sources.size()];
            for (int i = 0; i < heads.length; i++) {
                advance(i);
            }
        }

        private void advance(int i) {
            Iterator<? extends SpecificRecord> it = sources.get(i);
            if (it.hasNext()) {
                heads[i] = it.next();
                times[i] = timeOf(heads[i]).toEpochMilli();
            } else {
                heads[i] = null;
            }
        }

        @Override
        public boolean hasNext() {
            for (SpecificRecord h : heads) {
                if (h != null) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public SpecificRecord next() {
            int best = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (best < 0 || times[i] < times[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                throw new NoSuchElementException();
            }
            SpecificRecord r = heads[best];
            advance(best);
            return r;
        }
    }
}
