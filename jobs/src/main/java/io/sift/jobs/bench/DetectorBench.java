package io.sift.jobs.bench;

import io.sift.core.detect.BaselineConfig;
import io.sift.core.detect.RobustBaselineDetector;
import io.sift.core.detect.SeriesKeys;
import io.sift.core.detect.SeriesState;
import io.sift.jobs.SiftSettings;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Anomaly;
import io.sift.schema.MetricPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Metric detection alone: Sift's per-series detector (as the job configures it) over the metrics of a generated
 * estate, widened to many series by replicating each scenario series under distinct keys. Baseline: a textbook
 * exponentially weighted z-score on the same points, with the same per-point state lookup.
 */
public final class DetectorBench {

    public static final String STAGE = "detector";

    /** Records per timed pass. */
    private static final int RECORDS_PER_PASS = 500_000;
    /** Samples per series before the heap is measured: past the detector's warm-up, as in steady state. */
    private static final int SAMPLES_BEFORE_HEAP = 30;
    /** Most series held when measuring heap: enough megabytes to dwarf the noise of a heap reading. */
    private static final int HEAP_SERIES = 100_000;

    private DetectorBench() {}

    public static StageReport run(BenchSettings settings) {
        MetricInput input = MetricInput.generate(settings.series());
        BaselineConfig config = SiftSettings.defaults().baseline;
        StageReport report = new StageReport(STAGE, "Metric detection alone (plain Java, one thread): "
                + "RobustBaselineDetector.onSample per point, state found in a HashMap by series key");
        List<Throughput.Workload> workloads = List.of(new SiftDetectorLoop(input, config),
                new EwmaZScoreLoop(input, config.warmUpSamples, config.alpha, config.threshold));
        for (Measurement m : Throughput.alternate(settings.warmUpSeconds(), settings.seconds(), settings.rounds(),
                workloads)) {
            report.add(m);
        }
        SiftDetectorLoop sift = (SiftDetectorLoop) workloads.get(0);
        report.figure("active series", input.seriesCount(), "series")
                .figure("anomaly versions emitted while measuring and warming up", sift.anomalies, "anomalies");

        // Ten times the active series (up to 100k, never fewer than asked): megabytes, so GC noise is small.
        HeapFigures heap = heapPerSeries(config, Math.max(settings.series(), Math.min(HEAP_SERIES,
                10 * settings.series())));
        report.figure("heap per active series (state + key + hash-map entry)", heap.withKeys, "bytes")
                .figure("heap per active series (detector state only)", heap.stateOnly, "bytes")
                .figure("checkpointed bytes per series (Flink POJO serializer, state only)", heap.serialized, "bytes")
                .note(String.format(Locale.ROOT, "input: %d scenario series x %d replicas (2 h of 10 s"
                        + " samples, replayed); baseline: EWMA mean/variance z-score (alpha %.3f, threshold %.1f) on the"
                        + " same points", input.baseSeries(), input.replicas(), config.alpha, config.threshold))
                .note("heap measured with " + heap.series + " series after " + SAMPLES_BEFORE_HEAP
                        + " samples each (used heap after GC); Flink's heap state backend adds its own per-key entry"
                        + " and one timer per series on top");
        return report;
    }

    /**
     * The metric points of two hours of a generated estate (time order), each scenario series replicated under
     * {@code replicas} keys so the detectors hold as many series as asked.
     */
    static final class MetricInput {
        final MetricPoint[] points;
        final int[] seriesOfPoint;
        final String[][] keys;
        final long lapMillis;

        private MetricInput(MetricPoint[] points, int[] seriesOfPoint, String[][] keys, long lapMillis) {
            this.points = points;
            this.seriesOfPoint = seriesOfPoint;
            this.keys = keys;
            this.lapMillis = lapMillis;
        }

        static MetricInput generate(int wantedSeries) {
            // Two hours: the shortest scenario the generator plans (its warm-up and tail need the room).
            Duration lap = Duration.ofHours(2);
            Scenario scenario = ScenarioGenerator.builder().seed(7).services(24).duration(lap).randomFaults(0)
                    .build().generate();
            Map<String, Integer> seriesIndex = new LinkedHashMap<>();
            List<MetricPoint> points = new ArrayList<>();
            List<Integer> seriesOfPoint = new ArrayList<>();
            scenario.metrics().forEach(point -> {
                points.add(point);
                seriesOfPoint.add(seriesIndex.computeIfAbsent(SeriesKeys.of(point, "prod"), k -> seriesIndex.size()));
            });
            int replicas = (int) Math.ceil((double) wantedSeries / seriesIndex.size());
            String[][] keys = new String[replicas][seriesIndex.size()];
            for (Map.Entry<String, Integer> series : seriesIndex.entrySet()) {
                for (int r = 0; r < replicas; r++) {
                    keys[r][series.getValue()] = series.getKey() + "|replica=" + r;
                }
            }
            return new MetricInput(points.toArray(MetricPoint[]::new),
                    seriesOfPoint.stream().mapToInt(Integer::intValue).toArray(), keys, lap.toMillis());
        }

        /** The index after the last point of the instant of point {@code index - 1} (points are in time order). */
        int instantEndAfter(int index) {
            if (index >= points.length) {
                return points.length;
            }
            long time = points[index - 1].getTime().toEpochMilli();
            int end = index;
            while (end < points.length && points[end].getTime().toEpochMilli() == time) {
                end++;
            }
            return end;
        }

        /** A private copy of the points, so that each workload moves its own replay on in event time. */
        MetricPoint[] copyOfPoints() {
            MetricPoint[] copy = new MetricPoint[points.length];
            for (int i = 0; i < points.length; i++) {
                copy[i] = MetricPoint.newBuilder(points[i]).build();
            }
            return copy;
        }

        int replicas() {
            return keys.length;
        }

        int baseSeries() {
            return keys[0].length;
        }

        int seriesCount() {
            return replicas() * baseSeries();
        }
    }

    /**
     * Replays the input record by record: instant after instant and, within an instant, replica by replica, so
     * consecutive calls see different series and points as in a real stream (not one point 70 times in a row).
     * After the last point the next lap starts, one lap later in event time.
     */
    abstract static class ReplayLoop implements Throughput.Workload {
        final MetricInput input;
        final MetricPoint[] points;
        private int instantStart;
        private int instantEnd;
        private int replica;
        private int index;
        private boolean lapDone;

        ReplayLoop(MetricInput input) {
            this.input = input;
            this.points = input.copyOfPoints();
            this.instantEnd = input.instantEndAfter(1);
        }

        @Override
        public void prepare() {
            if (lapDone) {
                nextLap();
                lapDone = false;
            }
        }

        /** Moves every point on by one lap in event time. */
        void nextLap() {
            for (MetricPoint point : points) {
                point.setTime(point.getTime().plusMillis(input.lapMillis));
            }
        }

        @Override
        public long pass() {
            long records = 0;
            while (records < RECORDS_PER_PASS) {
                records++;
                if (step()) {
                    lapDone = true;
                    break;
                }
            }
            return records;
        }

        /** Scores the next record; true when it was the last of the lap ({@link #nextLap} is due). */
        boolean step() {
            score(input.keys[replica][input.seriesOfPoint[index]], points[index]);
            if (++index < instantEnd) {
                return false;
            }
            if (++replica < input.keys.length) {
                index = instantStart;
                return false;
            }
            replica = 0;
            instantStart = instantEnd;
            boolean lapEnds = instantStart == points.length;
            if (lapEnds) {
                instantStart = 0;
            }
            index = instantStart;
            instantEnd = input.instantEndAfter(instantStart + 1);
            return lapEnds;
        }

        abstract void score(String key, MetricPoint point);
    }

    /** Sift's detector, configured as the job configures it. */
    static final class SiftDetectorLoop extends ReplayLoop {
        private final RobustBaselineDetector detector;
        private final HashMap<String, SeriesState> states;
        long anomalies;

        SiftDetectorLoop(MetricInput input, BaselineConfig config) {
            super(input);
            this.detector = new RobustBaselineDetector(config);
            this.states = new HashMap<>(input.seriesCount() * 2);
        }

        @Override
        public String name() {
            return "Sift RobustBaselineDetector";
        }

        @Override
        public Measurement.Role role() {
            return Measurement.Role.SUBJECT;
        }

        @Override
        void score(String key, MetricPoint point) {
            SeriesState state = states.get(key);
            if (state == null) {
                state = new SeriesState();
                states.put(key, state);
            }
            Anomaly anomaly = detector.onSample(state, key, point);
            if (anomaly != null) {
                anomalies++;
            }
        }
    }

    /** The simplest adaptive detector: exponentially weighted mean and variance, anomalous beyond k sigma. */
    static final class EwmaZScoreLoop extends ReplayLoop {
        private final int warmUp;
        private final double alpha;
        private final double threshold;
        private final HashMap<String, EwmaState> states;
        long anomalies;

        EwmaZScoreLoop(MetricInput input, int warmUp, double alpha, double threshold) {
            super(input);
            this.warmUp = warmUp;
            this.alpha = alpha;
            this.threshold = threshold;
            this.states = new HashMap<>(input.seriesCount() * 2);
        }

        @Override
        public String name() {
            return "EWMA z-score loop (baseline)";
        }

        @Override
        public Measurement.Role role() {
            return Measurement.Role.BASELINE;
        }

        @Override
        void score(String key, MetricPoint point) {
            EwmaState state = states.get(key);
            if (state == null) {
                state = new EwmaState();
                states.put(key, state);
            }
            long time = point.getTime().toEpochMilli();
            if (state.samples > 0 && time <= state.lastSeen) {
                return;
            }
            state.lastSeen = time;
            double value = point.getValue();
            state.samples++;
            double diff = value - state.mean;
            if (state.samples <= warmUp) {
                // Welford's running mean and variance until the exponential weights take over.
                state.mean += diff / state.samples;
                state.variance += (diff * (value - state.mean) - state.variance) / state.samples;
                return;
            }
            if (Math.abs(diff) > threshold * Math.sqrt(state.variance + 1e-12)) {
                anomalies++;
            }
            double increment = alpha * diff;
            state.mean += increment;
            state.variance = (1 - alpha) * (state.variance + diff * increment);
        }

        private static final class EwmaState {
            long samples;
            long lastSeen;
            double mean;
            double variance;
        }
    }

    private record HeapFigures(int series, double withKeys, double stateOnly, double serialized) {}

    /** Heap per series in steady state, with and without the keys and map a keyed state backend needs too. */
    private static HeapFigures heapPerSeries(BaselineConfig config, int wanted) {
        MetricInput input = MetricInput.generate(wanted);
        int series = input.seriesCount();
        RobustBaselineDetector detector = new RobustBaselineDetector(config);
        long withKeys = Machine.retainedHeap(() -> {
            // Fresh key strings, so that the keys the map holds are counted (the input's own are not).
            Map<String, String> freshKeys = new HashMap<>();
            Map<String, SeriesState> states = new HashMap<>();
            feed(input, detector, (key, point) -> states.computeIfAbsent(
                    freshKeys.computeIfAbsent(key, k -> new String(k.toCharArray())), k -> new SeriesState()));
            freshKeys.clear();
            return states;
        });
        List<SeriesState> kept = new ArrayList<>();
        long stateOnly = Machine.retainedHeap(() -> {
            Map<String, SeriesState> states = new HashMap<>();
            feed(input, detector, (key, point) -> states.computeIfAbsent(key, k -> new SeriesState()));
            kept.addAll(states.values());
            states.clear();
            return kept;
        });
        return new HeapFigures(series, (double) withKeys / series, (double) stateOnly / series,
                serializedBytes(kept));
    }

    private static void feed(MetricInput input, RobustBaselineDetector detector,
            BiFunction<String, MetricPoint, SeriesState> stateOf) {
        int points = Math.min(input.points.length, SAMPLES_BEFORE_HEAP * input.baseSeries());
        for (int i = 0; i < points; i++) {
            MetricPoint point = input.points[i];
            for (String[] replica : input.keys) {
                String key = replica[input.seriesOfPoint[i]];
                detector.onSample(stateOf.apply(key, point), key, point);
            }
        }
    }

    /** Average size of a series' state as Flink writes it into a checkpoint. */
    static double serializedBytes(List<SeriesState> states) {
        TypeSerializer<SeriesState> serializer = TypeInformation.of(SeriesState.class)
                .createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(4096);
        long total = 0;
        try {
            for (SeriesState state : states) {
                out.clear();
                serializer.serialize(state, out);
                total += out.length();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return states.isEmpty() ? Double.NaN : (double) total / states.size();
    }
}
