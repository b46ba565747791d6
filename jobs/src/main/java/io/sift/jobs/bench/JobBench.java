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
 * computed (Nexmark's q0 "passthrough" in spirit). Three stages: the whole job on metrics and logs (plus a run paced
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
            List<Long> incidentLatencies) {}

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
        Run sift = runJob(settings, scenario, inputs, rocksdb, true, 0, "Sift job (SiftJob.build)",
                Measurement.Role.SUBJECT);
        Run passthrough = runJob(settings, scenario, inputs, rocksdb, false, 0, "keyed passthrough job (baseline)",
                Measurement.Role.BASELINE);
        report.add(sift.measurement).add(passthrough.measurement);
        Run paced = null;
        if (stage.equals(JOB)) {
            paced = runJob(settings, scenario, inputs, false, true, PACED_SHARE * sift.eventSecondsPerSecond,
                    String.format(Locale.ROOT, "Sift job paced at %.0f%% (latency)", PACED_SHARE * 100),
                    Measurement.Role.VARIANT);
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
        latencyFigures(report, "full speed", sift);
        if (paced != null) {
            latencyFigures(report, "paced", paced);
            report.note(String.format(Locale.ROOT, "latency = processing time from the first record of the"
                    + " triggering event's 10 s of event time leaving the source to the output at the sink (an upper"
                    + " bound); the replay runs %.0fx (full speed) and %.0fx (paced) faster than real time, so"
                    + " event-time waits (watermark out-of-orderness 30 s, 1 min log windows) are compressed by as"
                    + " much: live, add them", sift.eventSecondsPerSecond, paced.eventSecondsPerSecond));
        }
        report.note(String.format(Locale.ROOT, "scenario: %d services, %d metric points and %d log lines per %d h lap"
                        + " (replayed lap after lap, partitioned by service), %d faults per lap", scenario.settings()
                        .services(), scenario.metricPointCount(), countLogs(scenario), LAP.toHours(),
                scenario.faults().size()))
                .note("per core = records per CPU-second of the whole JVM (Flink's threads, GC, JIT, the replay"
                        + " sources) while measuring");
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

    /** One job run; {@code pace} > 0 keeps the replay at that many event-time seconds per second. */
    private static Run runJob(BenchSettings settings, Scenario scenario, Inputs inputs, boolean rocksdb, boolean sift,
            double pace, String name, Measurement.Role role) throws IOException {
        int parallelism = settings.parallelism();
        Path checkpoints = Files.createTempDirectory("sift-bench-checkpoints");
        try (ScenarioReplay replay = new ScenarioReplay(scenario, inputs.metrics, inputs.logs, parallelism, pace)) {
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
            return measure(settings, env, replay, checkpoints, name, role);
        } finally {
            deleteQuietly(checkpoints);
        }
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

    /** Starts the job, waits for its first records and the warm-up, measures, cancels. */
    private static Run measure(BenchSettings settings, StreamExecutionEnvironment env, ScenarioReplay replay,
            Path checkpoints, String name, Measurement.Role role) {
        JobClient job;
        try {
            job = env.executeAsync("sift-bench " + name);
        } catch (Exception e) {
            throw new IllegalStateException("the bench job did not start: " + e.getMessage(), e);
        }
        try {
            long startDeadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (replay.emitted() == 0) {
                ensureRunning(job);
                if (System.nanoTime() > startDeadline) {
                    throw new IllegalStateException("the bench job emitted nothing within " + START_TIMEOUT);
                }
                sleep(50);
            }
            waitWhileRunning(job, settings.warmUpSeconds());
            long metrics0 = replay.emitted(ScenarioReplay.Kind.METRICS);
            long logs0 = replay.emitted(ScenarioReplay.Kind.LOGS);
            long anomalies0 = replay.anomalies.sum();
            long incidents0 = replay.incidentVersions.sum();
            long deadLetters0 = replay.deadLetters.sum();
            long eventTime0 = slowestEventTime(replay);
            long cpu0 = Machine.processCpuNanos();
            long wall0 = System.nanoTime();
            replay.measuring(true);
            waitWhileRunning(job, settings.seconds());
            replay.measuring(false);
            long wall = System.nanoTime() - wall0;
            long cpu = Machine.processCpuNanos() - cpu0;
            long metrics = replay.emitted(ScenarioReplay.Kind.METRICS) - metrics0;
            long logs = replay.emitted(ScenarioReplay.Kind.LOGS) - logs0;
            double eventSeconds = (slowestEventTime(replay) - eventTime0) / 1000.0;
            return new Run(new Measurement(name, role, metrics + logs, wall, cpu), metrics, logs,
                    eventSeconds / (wall / 1e9), replay.anomalies.sum() - anomalies0,
                    replay.incidentVersions.sum() - incidents0, replay.deadLetters.sum() - deadLetters0,
                    highestCheckpoint(checkpoints), replay.anomalyLatencies(), replay.incidentLatencies());
        } finally {
            cancel(job);
        }
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
