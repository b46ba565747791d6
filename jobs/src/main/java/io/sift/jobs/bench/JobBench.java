package io.sift.jobs.bench;

import io.sift.core.detect.SeriesKeys;
import io.sift.jobs.SiftJob;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import io.sift.jobs.SiftSource;
import io.sift.jobs.SiftWiring;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.Anomaly;
import io.sift.schema.ChangeEvent;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.TopologyUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Serializable;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * Sift's whole job ({@link SiftJob#build}) in a local MiniCluster with checkpointing on, fed by replayed scenario
 * telemetry and writing to counting, discarding sinks; measured in steady state (after start-up and a warm-up) and
 * then cancelled. Baseline: the same sources, watermarks and keyed shuffle into a discarding sink, with nothing
 * computed (Nexmark's q0 "passthrough" in spirit). The subject and its baseline run side by side, each held at its
 * sources while the other runs, and are measured in alternating slices; the ratio is the median of the slice pairs'
 * ratios and leaves out the JIT compiler threads' CPU, so that other tenants' load, JIT compilation and GC fall on
 * both alike instead of on whichever ran first or at a busier moment. Three stages: the whole job on metrics and logs (plus a run paced
 * at half its throughput for latency), the job on metrics only (the keyed detection stage) and on logs only (the
 * log stage).
 */
public final class JobBench {

    public static final String JOB = "job";
    public static final String DETECTION_JOB = "detection-job";
    public static final String LOG_JOB = "log-job";
    public static final String DETECTION_JOB_ROCKSDB = "detection-job-rocksdb";
    public static final String JOB_ROCKSDB = "job-rocksdb";

    /** Checkpoint interval of the bench jobs: short, so that a run of seconds holds several checkpoints. */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);
    /** Event time of one replay lap. */
    private static final Duration LAP = Duration.ofHours(6);
    /** Share of the full-speed throughput at which the latency run is paced. */
    private static final double PACED_SHARE = 0.5;
    /** Longest wait for a job to emit its first record (start-up on a loaded machine). */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private JobBench() {}

    private enum Inputs {
        ALL(true, true), METRICS_ONLY(true, false), LOGS_ONLY(false, true);

        final boolean metrics;
        final boolean logs;

        Inputs(boolean metrics, boolean logs) {
            this.metrics = metrics;
            this.logs = logs;
        }
    }

    /** What one job run measured. */
    private record Run(Measurement measurement, long metrics, long logs, double eventSecondsPerSecond, long anomalies,
            long incidentVersions, long deadLetters, long checkpoints, List<Long> anomalyLatencies,
            List<Long> incidentLatencies, List<Double> slicePerCore, long jitNanos, long gcMillis,
            double warmedUpSeconds) {}

    /**
     * Pause between one job's slice and the next job's, unmeasured, while what the first still has in flight drains:
     * at least this, then until this JVM is nearly idle (both jobs held), at most {@link #SETTLE_MAX}.
     */
    private static final Duration SETTLE = Duration.ofMillis(200);
    private static final Duration SETTLE_MAX = Duration.ofMillis(1500);
    /** "Nearly idle": this JVM used less than this share of one core over a 50 ms step. */
    private static final double IDLE_CORES = 0.1;
    /** Warm-up goes on (within bounds) while the JIT compiler threads use more than this share of the CPU. */
    private static final double WARM_JIT_SHARE = 0.10;
    /** Longest slice of one job while the subject and its baseline alternate. */
    private static final double MAX_SLICE_SECONDS = 2.5;

    public static StageReport run(BenchSettings settings, String stage) throws IOException {
        Inputs inputs = switch (stage) {
            case JOB, JOB_ROCKSDB -> Inputs.ALL;
            case DETECTION_JOB, DETECTION_JOB_ROCKSDB -> Inputs.METRICS_ONLY;
            case LOG_JOB -> Inputs.LOGS_ONLY;
            default -> throw new IllegalArgumentException("not a job stage: " + stage);
        };
        boolean rocksdb = stage.equals(JOB_ROCKSDB) || stage.equals(DETECTION_JOB_ROCKSDB);
        String what = switch (inputs) {
            case ALL -> "The whole Sift job (metrics and logs)";
            case METRICS_ONLY -> "The Sift job on metrics only (keyed detection stage)";
            case LOGS_ONLY -> "The Sift job on logs only (log mining and error-rate stage)";
        };
        int parallelism = settings.parallelism();
        StageReport report = new StageReport(stage, what + " in a local MiniCluster, parallelism " + parallelism
                + ", checkpoints every " + CHECKPOINT_INTERVAL.toSeconds() + " s (" + (rocksdb
                ? "RocksDB state backend, incremental checkpoints" : "heap state backend") + ", file checkpoint"
                + " storage), replayed scenario input, discarding sinks");
        Scenario scenario = scenario();
        Run sift;
        Run passthrough;
        // Both jobs run at once in this JVM, each held at its sources while the other is measured, and measured in
        // alternating slices: load from other work, JIT compilation and GC of either job then fall on both alike.
        try (Started subject = start(settings, scenario, inputs, rocksdb, true, 0, "Sift job (SiftJob.build)",
                Measurement.Role.SUBJECT);
                Started baseline = start(settings, scenario, inputs, rocksdb, false, 0,
                        "keyed passthrough job (baseline)", Measurement.Role.BASELINE)) {
            List<Run> runs = alternate(settings, subject, baseline);
            sift = runs.get(0);
            passthrough = runs.get(1);
        }
        report.add(sift.measurement).add(passthrough.measurement);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < sift.slicePerCore.size(); i++) {
            ratios.add(sift.slicePerCore.get(i) / passthrough.slicePerCore.get(i));
        }
        List<Double> sortedRatios = new ArrayList<>(ratios);
        Collections.sort(sortedRatios);
        double medianRatio = median(sortedRatios);
        report.pairedRatio(sift.measurement, medianRatio);
        Run paced = null;
        if (stage.equals(JOB)) {
            try (Started started = start(settings, scenario, inputs, false, true,
                    PACED_SHARE * sift.eventSecondsPerSecond,
                    String.format(Locale.ROOT, "Sift job paced at %.0f%% (latency)", PACED_SHARE * 100),
                    Measurement.Role.VARIANT)) {
                slice(started, settings.warmUpSeconds(), false);
                started.beginMeasuring();
                slice(started, settings.seconds(), true);
                paced = started.finish();
            }
            report.add(paced.measurement);
        }
        double seconds = sift.measurement.seconds();
        if (inputs.metrics) {
            report.figure("metric points/s", sift.metrics / seconds, "points/s");
        }
        if (inputs.logs) {
            report.figure("log lines/s", sift.logs / seconds, "lines/s");
        }
        report.figure("event time replayed per wall second", sift.eventSecondsPerSecond, "s/s")
                .figure("anomaly versions out while measuring", sift.anomalies, "anomalies")
                .figure("incident versions out while measuring", sift.incidentVersions, "versions")
                .figure("dead letters while measuring", sift.deadLetters, "records")
                .figure("checkpoints completed (highest checkpoint id at the end)", sift.checkpoints, "checkpoints");
        report.figure(String.format(Locale.ROOT, "× baseline per core, lowest of %d alternations", ratios.size()),
                        sortedRatios.get(0), "×")
                .figure("× baseline per core, median (reported)", medianRatio, "×")
                .figure(String.format(Locale.ROOT, "× baseline per core, highest of %d alternations", ratios.size()),
                        sortedRatios.get(sortedRatios.size() - 1), "×")
                .figure("× baseline per core, from the totals", sift.measurement.recordsPerCoreSecond()
                        / passthrough.measurement.recordsPerCoreSecond(), "×")
                .figure("warm-up per job (alternating; longer while the JIT compilers were busy)",
                        sift.warmedUpSeconds, "s")
                .figure("JIT compiler CPU while measuring, subject (left out of per core)", sift.jitNanos / 1e6, "ms")
                .figure("JIT compiler CPU while measuring, baseline (left out of per core)", passthrough.jitNanos / 1e6,
                        "ms")
                .figure("GC pauses while measuring, subject", sift.gcMillis, "ms")
                .figure("GC pauses while measuring, baseline", passthrough.gcMillis, "ms");
        latencyFigures(report, "full speed", sift);
        if (paced != null) {
            latencyFigures(report, "paced", paced);
            report.note(String.format(Locale.ROOT, "latency = processing time from the first record of the"
                    + " triggering event's 10 s of event time leaving the source to the output at the sink (an upper"
                    + " bound); the replay runs %.0fx (full speed) and %.0fx (paced) faster than real time, so"
                    + " event-time waits (watermark out-of-orderness 30 s, 1 min log windows) are compressed by as"
                    + " much: live, add them", sift.eventSecondsPerSecond, paced.eventSecondsPerSecond));
        }
        report.note(String.format(Locale.ROOT, "the Sift job and its baseline ran side by side in this JVM, each held"
                + " at its sources while the other ran, warmed up and then measured in %d alternating slices of %.1f s"
                + " each; × baseline is the median of the slices' per-core ratios (paired neighbours)", ratios.size(),
                sift.measurement.seconds() / ratios.size()));
        report.note(String.format(Locale.ROOT, "scenario: %d services, %d metric points and %d log lines per %d h lap"
                        + " (replayed lap after lap, partitioned by service), %d faults per lap", scenario.settings()
                        .services(), scenario.metricPointCount(), countLogs(scenario), LAP.toHours(),
                scenario.faults().size()))
                .note("per core = records per CPU-second of the whole JVM (Flink's threads, GC, the replay sources)"
                        + " while measuring, less its JIT compiler threads'");
        return report;
    }

    private static long countLogs(Scenario scenario) {
        return scenario.logs().count();
    }

    private static void latencyFigures(StageReport report, String label, Run run) {
        percentiles(report, "event → anomaly opened, " + label, run.anomalyLatencies);
        percentiles(report, "event → incident opened, " + label, run.incidentLatencies);
    }

    private static void percentiles(StageReport report, String label, List<Long> nanos) {
        if (nanos.isEmpty()) {
            report.note("no " + label + " latency samples while measuring");
            return;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        report.figure(label + " samples", sorted.size(), "samples");
        for (double p : new double[] {0.5, 0.95, 0.99}) {
            report.figure(String.format(Locale.ROOT, "%s p%.0f", label, p * 100), percentile(sorted, p) / 1e6, "ms");
        }
        report.figure(label + " max", sorted.get(sorted.size() - 1) / 1e6, "ms");
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** A 24-service estate with faults and noise, a year back so that every lap stays in the past. */
    static Scenario scenario() {
        Instant start = Instant.now().minus(Duration.ofDays(400)).truncatedTo(ChronoUnit.MINUTES);
        return ScenarioGenerator.builder().seed(7).services(24).start(start).duration(LAP).randomFaults(4)
                .noiseAnomalies(12).build().generate();
    }

    /** The baseline job: sources, watermarks and the keyed shuffle Sift's detection uses, and nothing else. */
    private static void passthrough(StreamExecutionEnvironment env, SiftJob.Inputs inputs, Inputs which,
            String replayId) {
        Duration lateness = SiftOptions.OUT_OF_ORDERNESS.defaultValue();
        if (which.metrics) {
            DataStream<Either<DeadLetter, MetricPoint>> metrics = inputs.metrics().create(env,
                    watermarks(lateness, MetricPoint::getTime), "Source: metrics", "source-metrics");
            metrics.keyBy(e -> e.isRight() ? SeriesKeys.of(e.right(), "prod") : "")
                    .map(e -> e, metrics.getType()).name("Passthrough metrics")
                    .sinkTo(new ScenarioReplay.CountingSink<>(replayId, ScenarioReplay.Output.PASSTHROUGH));
        }
        if (which.logs) {
            DataStream<Either<DeadLetter, LogRecord>> logs = inputs.logs().create(env,
                    watermarks(lateness, LogRecord::getTime), "Source: logs", "source-logs");
            logs.keyBy(e -> e.isRight() ? e.right().getResource().getService() : "")
                    .map(e -> e, logs.getType()).name("Passthrough logs")
                    .sinkTo(new ScenarioReplay.CountingSink<>(replayId, ScenarioReplay.Output.PASSTHROUGH));
        }
    }

    private interface EventTime<T> extends Serializable {
        Instant of(T record);
    }

    private static <T> WatermarkStrategy<Either<DeadLetter, T>> watermarks(Duration lateness, EventTime<T> time) {
        SerializableTimestampAssigner<Either<DeadLetter, T>> assigner =
                (e, previous) -> e.isLeft() ? Long.MIN_VALUE : time.of(e.right()).toEpochMilli();
        return WatermarkStrategy.<Either<DeadLetter, T>>forBoundedOutOfOrderness(lateness)
                .withTimestampAssigner(assigner);
    }

    /** A bench job started in this JVM, with what its measured slices added up to. */
    private static final class Started implements AutoCloseable {
        final ScenarioReplay replay;
        final Path checkpoints;
        final String name;
        final Measurement.Role role;
        JobClient job;
        long records;
        long wallNanos;
        long cpuNanos;
        long metrics;
        long logs;
        double eventSeconds;
        long jitNanos;
        long gcMillis;
        double warmedUpSeconds;
        final List<Double> slicePerCore = new ArrayList<>();
        long anomalies0;
        long incidents0;
        long deadLetters0;

        Started(ScenarioReplay replay, Path checkpoints, String name, Measurement.Role role) {
            this.replay = replay;
            this.checkpoints = checkpoints;
            this.name = name;
            this.role = role;
        }

        void beginMeasuring() {
            anomalies0 = replay.anomalies.sum();
            incidents0 = replay.incidentVersions.sum();
            deadLetters0 = replay.deadLetters.sum();
            replay.measuring(true);
        }

        Run finish() {
            replay.measuring(false);
            return new Run(new Measurement(name, role, records, wallNanos, cpuNanos), metrics, logs,
                    eventSeconds / (wallNanos / 1e9), replay.anomalies.sum() - anomalies0,
                    replay.incidentVersions.sum() - incidents0, replay.deadLetters.sum() - deadLetters0,
                    highestCheckpoint(checkpoints), replay.anomalyLatencies(), replay.incidentLatencies(),
                    List.copyOf(slicePerCore), jitNanos, gcMillis, warmedUpSeconds);
        }

        @Override
        public void close() {
            try {
                if (job != null) {
                    replay.open(true); // a source held at the gate would only notice the cancel when interrupted
                    cancel(job);
                }
            } finally {
                replay.close();
                deleteQuietly(checkpoints);
            }
        }
    }

    /**
     * Starts a job and waits for its first records; a job at full speed ({@code pace} 0) is then held at its sources
     * until a slice opens them. {@code pace} > 0 keeps the replay at that many event-time seconds per second.
     */
    private static Started start(BenchSettings settings, Scenario scenario, Inputs inputs, boolean rocksdb,
            boolean sift, double pace, String name, Measurement.Role role) throws IOException {
        int parallelism = settings.parallelism();
        Path checkpoints = Files.createTempDirectory("sift-bench-checkpoints");
        Started started = new Started(new ScenarioReplay(scenario, inputs.metrics, inputs.logs, parallelism, pace),
                checkpoints, name, role);
        try {
            ScenarioReplay replay = started.replay;
            Map<String, String> values = new HashMap<>();
            values.put("parallelism.default", Integer.toString(parallelism));
            values.put(SiftOptions.CHECKPOINT_INTERVAL.key(), CHECKPOINT_INTERVAL.toMillis() + " ms");
            values.put(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(), checkpoints.toUri().toString());
            values.put("restart-strategy.type", "none");
            if (rocksdb) {
                // As deploy/k8s/flink-deployment.yaml runs the job.
                values.put("state.backend.type", "rocksdb");
                values.put("execution.checkpointing.incremental", "true");
                values.put("state.backend.rocksdb.memory.managed", "true");
                values.put("state.backend.rocksdb.timer-service.factory", "ROCKSDB");
            }
            Configuration conf = SiftSettings.load(null, values);
            StreamExecutionEnvironment env = SiftWiring.environment(conf);
            SiftJob.Inputs jobInputs = new SiftJob.Inputs(
                    inputs.metrics ? replay.source(ScenarioReplay.Kind.METRICS, MetricPoint.class, MetricPoint::new)
                            : SiftSource.of(List.of(), MetricPoint.class),
                    inputs.logs ? replay.source(ScenarioReplay.Kind.LOGS, LogRecord.class, LogRecord::new)
                            : SiftSource.of(List.of(), LogRecord.class),
                    SiftSource.of(scenario.changes(), ChangeEvent.class),
                    SiftSource.of(scenario.topology(), TopologyUpdate.class));
            if (sift) {
                SiftJob.build(env, jobInputs, new SiftJob.Outputs(
                        List.of(new ScenarioReplay.CountingSink<Anomaly>(replay.id, ScenarioReplay.Output.ANOMALIES)),
                        List.of(new ScenarioReplay.CountingSink<Incident>(replay.id, ScenarioReplay.Output.INCIDENTS)),
                        List.of(new ScenarioReplay.CountingSink<DeadLetter>(replay.id,
                                ScenarioReplay.Output.DEAD_LETTERS))), new SiftSettings(conf));
            } else {
                passthrough(env, jobInputs, inputs, replay.id);
            }
            try {
                started.job = env.executeAsync("sift-bench " + name);
            } catch (Exception e) {
                throw new IllegalStateException("the bench job did not start: " + e.getMessage(), e);
            }
            long startDeadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (replay.emitted() == 0) {
                ensureRunning(started.job);
                if (System.nanoTime() > startDeadline) {
                    throw new IllegalStateException("the bench job emitted nothing within " + START_TIMEOUT);
                }
                sleep(50);
            }
            if (pace <= 0) {
                replay.open(false);
                settle();
            }
            return started;
        } catch (RuntimeException | Error e) {
            started.close();
            throw e;
        }
    }

    /**
     * Warms up and measures the subject and its baseline in alternating slices (subject, baseline, baseline,
     * subject, ...: each pair neighbours in time), each job held at its sources while the other runs.
     */
    private static List<Run> alternate(BenchSettings settings, Started subject, Started baseline) {
        int slices = (int) Math.max(1, Math.min(5, Math.round(settings.seconds() / 2)));
        double slice = settings.seconds() / slices;
        double warmedUp = 0;
        if (settings.warmUpSeconds() > 0) {
            int warmSlices = (int) Math.max(1, Math.ceil(settings.warmUpSeconds() / MAX_SLICE_SECONDS));
            double warmSlice = settings.warmUpSeconds() / warmSlices;
            // Warm up for the time asked, then on while the JIT compilers still take a large share of the CPU (a
            // fresh JVM compiling Flink's and Sift's code on a busy 2-core machine), up to three times as long.
            double jitShare = 1;
            for (int i = 0; i < warmSlices || jitShare > WARM_JIT_SHARE && warmedUp < 3 * settings.warmUpSeconds();
                    i++) {
                long cpu0 = Machine.processCpuNanos();
                long jit0 = Machine.compilerCpuNanos();
                slice(subject, warmSlice, false);
                slice(baseline, warmSlice, false);
                long cpu = Machine.processCpuNanos() - cpu0;
                jitShare = cpu == 0 ? 0 : (double) (Machine.compilerCpuNanos() - jit0) / cpu;
                warmedUp += warmSlice;
            }
        }
        subject.warmedUpSeconds = warmedUp;
        subject.beginMeasuring();
        baseline.beginMeasuring();
        for (int i = 0; i < slices; i++) {
            boolean subjectFirst = i % 2 == 0;
            slice(subjectFirst ? subject : baseline, slice, true);
            slice(subjectFirst ? baseline : subject, slice, true);
        }
        return List.of(subject.finish(), baseline.finish());
    }

    /** Opens a job's sources for {@code seconds}, measuring them if asked, then holds them and lets it drain. */
    private static void slice(Started started, double seconds, boolean measure) {
        ScenarioReplay replay = started.replay;
        ensureRunning(started.job);
        long metrics0 = replay.emitted(ScenarioReplay.Kind.METRICS);
        long logs0 = replay.emitted(ScenarioReplay.Kind.LOGS);
        long eventTime0 = slowestEventTime(replay);
        long jit0 = Machine.compilerCpuNanos();
        long gc0 = gcMillis();
        long cpu0 = Machine.processCpuNanos();
        long wall0 = System.nanoTime();
        replay.open(true);
        waitWhileRunning(started.job, seconds);
        long wall = System.nanoTime() - wall0;
        long jit = Machine.compilerCpuNanos() - jit0;
        // The JIT compilers' CPU is left out: a one-off cost of this JVM, not of either job's records.
        long cpu = Machine.processCpuNanos() - cpu0 - jit;
        long metrics = replay.emitted(ScenarioReplay.Kind.METRICS) - metrics0;
        long logs = replay.emitted(ScenarioReplay.Kind.LOGS) - logs0;
        long eventTime = slowestEventTime(replay);
        long gc = gcMillis() - gc0;
        if (replay.pace <= 0) {
            replay.open(false);
            settle();
        }
        if (measure) {
            started.records += metrics + logs;
            started.wallNanos += wall;
            started.cpuNanos += cpu;
            started.metrics += metrics;
            started.logs += logs;
            started.eventSeconds += (eventTime - eventTime0) / 1000.0;
            started.jitNanos += jit;
            started.gcMillis += gc;
            started.slicePerCore.add(cpu == 0 ? 0 : (metrics + logs) / (cpu / 1e9));
        }
    }

    /**
     * Waits while a job just held drains what it has in flight (on a loaded machine this takes longer), so that its
     * work does not land in the next slice of the other job.
     */
    private static void settle() {
        sleep(SETTLE.toMillis());
        long deadline = System.nanoTime() + (SETTLE_MAX.toNanos() - SETTLE.toNanos());
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        while (System.nanoTime() < deadline) {
            long cpu0 = Machine.processCpuNanos();
            long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
            long wall0 = System.nanoTime();
            sleep(50);
            // JIT compilation (a cheap, approximate figure here) goes on while both jobs are held: not their work.
            long compiling = jitTimed ? (jit.getTotalCompilationTime() - jit0) * 1_000_000 : 0;
            long busy = Machine.processCpuNanos() - cpu0 - compiling;
            if (busy < IDLE_CORES * (System.nanoTime() - wall0)) {
                return;
            }
        }
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Event time reached by the input that is furthest behind: what the watermark follows. */
    private static long slowestEventTime(ScenarioReplay replay) {
        long slowest = Long.MAX_VALUE;
        for (ScenarioReplay.Kind kind : ScenarioReplay.Kind.values()) {
            if (replay.has(kind)) {
                slowest = Math.min(slowest, replay.latestEventTime(kind));
            }
        }
        return slowest;
    }

    private static void waitWhileRunning(JobClient job, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            ensureRunning(job);
            sleep(Math.min(200, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void ensureRunning(JobClient job) {
        JobStatus status;
        try {
            status = job.getJobStatus().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the bench job's status: " + e.getMessage(), e);
        }
        if (status.isGloballyTerminalState()) {
            String cause = "";
            try {
                job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                cause = ": " + rootCause(e);
            }
            throw new IllegalStateException("the bench job ended early (" + status + ")" + cause);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static void cancel(JobClient job) {
        try {
            job.cancel().get(60, TimeUnit.SECONDS);
        } catch (Exception alreadyOver) {
            // Failed or finished jobs cannot be cancelled; their cause was reported by ensureRunning.
        }
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (Exception cancelled) {
            // A cancelled job's result is an exception; waiting for it lets the MiniCluster shut down.
        }
    }

    /** The id of the newest checkpoint under the checkpoint directory ({@code <job>/chk-<id>}), or 0. */
    private static long highestCheckpoint(Path directory) {
        // Flink deletes subsumed checkpoints while the walk runs; a walk that meets a deleted one is tried again.
        for (int attempt = 0; attempt < 5; attempt++) {
            try (Stream<Path> files = Files.walk(directory, 2)) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("chk-"))
                        .mapToLong(n -> Long.parseLong(n.substring(4))).max().orElse(0);
            } catch (IOException | UncheckedIOException e) {
                sleep(20);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory (perhaps still being cleaned by Flink); the OS cleans up what is left
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
