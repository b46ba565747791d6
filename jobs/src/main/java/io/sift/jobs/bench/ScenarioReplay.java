package io.sift.jobs.bench;

import io.sift.core.logs.LogMetrics;
import io.sift.jobs.SiftSource;
import io.sift.jobs.operators.LogTemplateFunction;
import io.sift.scenario.Scenario;
import io.sift.schema.Anomaly;
import io.sift.schema.AnomalyRef;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.SignalType;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;

/**
 * One lap of a generated scenario's metrics and logs held in memory and replayed, lap after lap, by Flink sources
 * for as long as a bench job runs; each lap moves on in event time by the lap's length. Sources are partitioned by
 * service (as Kafka partitions keyed by service would be) and keep event-time order within a partition.
 *
 * <p>Partitions are kept within a minute of event time of each other (Flink's watermark alignment), as the
 * partitions of a live stream are; without it one partition could run hours of event time ahead and everything
 * event-time driven would wait for the slowest. Optionally the replay is paced at a fixed event-time speed.
 *
 * <p>Sources and sinks find their replay through a static registry by id: the bench's MiniCluster runs in this JVM,
 * and the records (hundreds of megabytes) must not travel inside the job graph. The replay counts what the sources
 * emitted and the sinks received, and keeps an ingest clock per partition (when the first record of each 10 s of
 * event time left it) from which the sinks compute event-to-output latency in processing time.
 */
final class ScenarioReplay implements AutoCloseable {

    private static final Map<String, ScenarioReplay> REGISTRY = new ConcurrentHashMap<>();
    /** Event-time granularity of the ingest clock (and of pacing). */
    static final long CLOCK_BUCKET_MILLIS = 10_000;
    /** How far in event time a partition may run ahead of the slowest one. */
    static final Duration MAX_DRIFT = Duration.ofMinutes(1);

    /** The two replayed inputs. */
    enum Kind { METRICS, LOGS }

    final String id;
    final Scenario scenario;
    final long lapMillis;
    final int parallelism;
    /** Event-time seconds per wall-clock second the sources keep to, or 0 for as fast as they can. */
    final double pace;
    private final AtomicLong paceStartNanos = new AtomicLong();
    private final Map<Kind, Lap> laps = new ConcurrentHashMap<>();
    private final Map<Kind, LongAdder> emitted = new ConcurrentHashMap<>();
    private final Map<Kind, LongAccumulator> latestEventTime = new ConcurrentHashMap<>();
    /** Per input and partition: clock bucket of event time → when its first record left the source. */
    private final Map<String, ConcurrentSkipListMap<Long, Long>> ingestClock = new ConcurrentHashMap<>();
    final LongAdder anomalies = new LongAdder();
    final LongAdder incidentVersions = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder passedThrough = new LongAdder();
    private final List<Long> anomalyLatencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> incidentLatencies = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean measuring;
    /** Closed, the sources stop at their next clock bucket (a job held while another is measured). */
    private final Object gate = new Object();
    private volatile boolean open = true;
    /** Processing-time spans (nanos, start and end) during which the gate was closed; latencies leave them out. */
    private final List<long[]> pauses = new ArrayList<>();

    /** One lap of an input in event-time order, with each record's service and event time. */
    private record Lap(SpecificRecordBase[] records, long[] times, String[] services) {}

    ScenarioReplay(Scenario scenario, boolean withMetrics, boolean withLogs, int parallelism, double pace) {
        this.id = "replay-" + System.nanoTime();
        this.scenario = scenario;
        this.lapMillis = scenario.duration().toMillis();
        this.parallelism = parallelism;
        this.pace = pace;
        if (withMetrics) {
            laps.put(Kind.METRICS, lap(scenario.metrics().toList(), MetricPoint::getTime,
                    p -> p.getResource().getService()));
        }
        if (withLogs) {
            laps.put(Kind.LOGS, lap(scenario.logs().toList(), LogRecord::getTime, l -> l.getResource().getService()));
        }
        for (Kind kind : Kind.values()) {
            emitted.put(kind, new LongAdder());
            latestEventTime.put(kind, new LongAccumulator(Math::max, Long.MIN_VALUE));
            for (int partition = 0; partition < parallelism; partition++) {
                ingestClock.put(clockKey(kind, partition), new ConcurrentSkipListMap<>());
            }
        }
        REGISTRY.put(id, this);
    }

    private static <T extends SpecificRecordBase> Lap lap(List<T> records,
            Function<T, Instant> time, Function<T, String> service) {
        long[] times = new long[records.size()];
        String[] services = new String[records.size()];
        for (int i = 0; i < records.size(); i++) {
            times[i] = time.apply(records.get(i)).toEpochMilli();
            services[i] = service.apply(records.get(i));
        }
        return new Lap(records.toArray(SpecificRecordBase[]::new), times, services);
    }

    static ScenarioReplay get(String id) {
        ScenarioReplay replay = REGISTRY.get(id);
        if (replay == null) {
            throw new IllegalStateException("no replay " + id + ": bench jobs run in the bench's own JVM only");
        }
        return replay;
    }

    @Override
    public void close() {
        REGISTRY.remove(id);
    }

    boolean has(Kind kind) {
        return laps.containsKey(kind);
    }

    long emitted(Kind kind) {
        return emitted.get(kind).sum();
    }

    long emitted() {
        return emitted(Kind.METRICS) + emitted(Kind.LOGS);
    }

    /** Latest event time a source of this kind has emitted, or Long.MIN_VALUE. */
    long latestEventTime(Kind kind) {
        return latestEventTime.get(kind).get();
    }

    /** Sinks record latencies only while measuring (not during start-up and warm-up). */
    void measuring(boolean on) {
        measuring = on;
    }

    /**
     * Opens or closes the gate: closed, every source of this replay waits at its next 10 s of event time (within a
     * millisecond at bench speeds) without using CPU, so that another job in this JVM can be measured alone.
     */
    void open(boolean on) {
        synchronized (gate) {
            if (on == open) {
                return;
            }
            long now = System.nanoTime();
            if (on) {
                pauses.get(pauses.size() - 1)[1] = now;
            } else {
                pauses.add(new long[] {now, Long.MAX_VALUE});
            }
            open = on;
            gate.notifyAll();
        }
    }

    void awaitGate() throws InterruptedException {
        if (open) {
            return;
        }
        synchronized (gate) {
            while (!open) {
                gate.wait();
            }
        }
    }

    /** Nanos of [from, to] during which the gate was closed. */
    long pausedBetween(long from, long to) {
        long paused = 0;
        synchronized (gate) {
            for (long[] pause : pauses) {
                long start = Math.max(from, pause[0]);
                long end = Math.min(to, pause[1]);
                paused += Math.max(0, end - start);
            }
        }
        return paused;
    }

    List<Long> anomalyLatencies() {
        synchronized (anomalyLatencies) {
            return new ArrayList<>(anomalyLatencies);
        }
    }

    List<Long> incidentLatencies() {
        synchronized (incidentLatencies) {
            return new ArrayList<>(incidentLatencies);
        }
    }

    private static String clockKey(Kind kind, int partition) {
        return kind + "/" + partition;
    }

    /** The source partition (subtask) that replays a service's records. */
    private int partitionOf(String service) {
        return Math.floorMod(service.hashCode(), parallelism);
    }

    /**
     * An unbounded-in-practice replay source of one input (runs until the job is cancelled), one service partition
     * per subtask, its watermarks aligned with the other replayed input's.
     */
    <T extends SpecificRecordBase> SiftSource<T> source(Kind kind, Class<T> recordClass,
            SerializableSupplier<T> factory) {
        String replayId = id;
        int sourceParallelism = parallelism;
        return (env, watermarks, name, uid) -> {
            ReplayGenerator<T> generator = new ReplayGenerator<>(replayId, kind, factory);
            EitherTypeInfo<DeadLetter, T> type = new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class),
                    new AvroTypeInfo<>(recordClass));
            DataGeneratorSource<Either<DeadLetter, T>> source =
                    new DataGeneratorSource<>(generator, Long.MAX_VALUE, type);
            return env.fromSource(source, watermarks.withWatermarkAlignment("sift-bench-replay", MAX_DRIFT,
                    Duration.ofMillis(50)), name).uid(uid).setParallelism(sourceParallelism);
        };
    }

    /** With pacing on, blocks until the wall clock reaches the moment event time {@code time} is due. */
    private void awaitPace(long time) throws InterruptedException {
        if (pace <= 0) {
            return;
        }
        long start = paceStartNanos.get();
        if (start == 0) {
            paceStartNanos.compareAndSet(0, System.nanoTime());
            start = paceStartNanos.get();
        }
        long due = start + (long) ((time - scenario.start().toEpochMilli()) * 1e6 / pace);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Emits the lap of one partition over and over, each lap shifted on by the lap's length in event time. */
    static final class ReplayGenerator<T extends SpecificRecordBase>
            implements GeneratorFunction<Long, Either<DeadLetter, T>> {
        private static final long serialVersionUID = 1L;

        private final String replayId;
        private final Kind kind;
        private final SerializableSupplier<T> factory;
        private transient ScenarioReplay replay;
        private transient SpecificRecordBase[] records;
        private transient long[] times;
        private transient int timeField;
        private transient int fields;
        private transient int cursor;
        private transient long shift;
        private transient long lastBucket;
        private transient LongAdder counter;
        private transient ConcurrentSkipListMap<Long, Long> clock;

        ReplayGenerator(String replayId, Kind kind, SerializableSupplier<T> factory) {
            this.replayId = replayId;
            this.kind = kind;
            this.factory = factory;
        }

        @Override
        public void open(SourceReaderContext context) {
            replay = ScenarioReplay.get(replayId);
            Lap lap = replay.laps.get(kind);
            int subtask = context.getIndexOfSubtask();
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < lap.records.length; i++) {
                if (replay.partitionOf(lap.services[i]) == subtask) {
                    mine.add(i);
                }
            }
            if (mine.isEmpty()) {
                throw new IllegalStateException("no " + kind + " records for source subtask " + subtask + " of "
                        + replay.parallelism + ": lower the parallelism");
            }
            records = new SpecificRecordBase[mine.size()];
            times = new long[mine.size()];
            for (int i = 0; i < mine.size(); i++) {
                records[i] = lap.records[mine.get(i)];
                times[i] = lap.times[mine.get(i)];
            }
            timeField = records[0].getSchema().getField("time").pos();
            fields = records[0].getSchema().getFields().size();
            lastBucket = Long.MIN_VALUE;
            counter = replay.emitted.get(kind);
            clock = replay.ingestClock.get(clockKey(kind, subtask));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Either<DeadLetter, T> map(Long index) throws InterruptedException {
            SpecificRecordBase original = records[cursor];
            long time = times[cursor] + shift;
            long bucket = time / CLOCK_BUCKET_MILLIS;
            if (bucket != lastBucket) {
                replay.awaitGate();
                replay.awaitPace(time);
            }
            if (++cursor == records.length) {
                cursor = 0;
                shift += replay.lapMillis;
            }
            // A shallow copy with the new time: nested records and strings are shared (nothing mutates them).
            T copy = factory.get();
            for (int field = 0; field < fields; field++) {
                copy.put(field, original.get(field));
            }
            copy.put(timeField, Instant.ofEpochMilli(time));
            counter.increment();
            if (bucket != lastBucket) {
                lastBucket = bucket;
                clock.putIfAbsent(bucket, System.nanoTime());
                replay.latestEventTime.get(kind).accumulate(time);
            }
            return Either.Right(copy);
        }
    }

    /** A supplier that can travel inside the job graph. */
    interface SerializableSupplier<T> extends Supplier<T>, Serializable {}

    /**
     * Processing time since the first record of {@code eventTime}'s clock bucket left the source partition of
     * {@code service}, less the time the gate was closed in between, or -1.
     */
    private long sinceIngest(Kind kind, String service, long eventTime, long now) {
        Map.Entry<Long, Long> ingested = ingestClock.get(clockKey(kind, partitionOf(service)))
                .floorEntry(eventTime / CLOCK_BUCKET_MILLIS);
        return ingested == null ? -1 : now - ingested.getValue() - pausedBetween(ingested.getValue(), now);
    }

    void onAnomaly(Anomaly anomaly) {
        anomalies.increment();
        if (measuring && anomaly.getVersion() == 1) {
            long latency = sinceIngest(originOf(anomaly.getSignal(), anomaly.getMetric()),
                    anomaly.getResource().getService(), anomaly.getTime().toEpochMilli(), System.nanoTime());
            if (latency >= 0) {
                anomalyLatencies.add(latency);
            }
        }
    }

    void onIncident(Incident incident) {
        incidentVersions.increment();
        if (measuring && incident.getChange() == IncidentChange.OPENED && !incident.getAnomalies().isEmpty()) {
            AnomalyRef opening = incident.getAnomalies().get(0);
            long latency = sinceIngest(originOf(null, opening.getMetric()), opening.getService(),
                    incident.getLastSeen().toEpochMilli(), System.nanoTime());
            if (latency >= 0) {
                incidentLatencies.add(latency);
            }
        }
    }

    /** Which input an anomaly came from: log template and log error-rate anomalies come from logs. */
    private Kind originOf(SignalType signal, String metric) {
        boolean fromLogs = signal == SignalType.LOG || LogTemplateFunction.METRIC.equals(metric)
                || LogMetrics.LOG_ERROR_METRIC.equals(metric);
        Kind kind = fromLogs ? Kind.LOGS : Kind.METRICS;
        return has(kind) ? kind : has(Kind.METRICS) ? Kind.METRICS : Kind.LOGS;
    }

    /** What a bench sink does with each record it receives. */
    enum Output { ANOMALIES, INCIDENTS, DEAD_LETTERS, PASSTHROUGH }

    /** A sink that counts (and for anomalies and incidents times) what it receives, then drops it. */
    static final class CountingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String replayId;
        private final Output output;

        CountingSink(String replayId, Output output) {
            this.replayId = replayId;
            this.output = output;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            ScenarioReplay replay = get(replayId);
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    switch (output) {
                        case ANOMALIES -> replay.onAnomaly((Anomaly) element);
                        case INCIDENTS -> replay.onIncident((Incident) element);
                        case DEAD_LETTERS -> replay.deadLetters.increment();
                        case PASSTHROUGH -> replay.passedThrough.increment();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
