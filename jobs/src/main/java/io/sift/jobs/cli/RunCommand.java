package io.sift.jobs.cli;

import io.sift.jobs.LocalRun;
import io.sift.jobs.RunOptions;
import io.sift.jobs.SiftJobMain;
import io.sift.jobs.SiftOptions;
import io.sift.jobs.SiftSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the Kafka → Elasticsearch / Kafka job in this process (a local MiniCluster). Its checkpoints are retained per
 * consumer group and a restart resumes from the latest, so a killed run gives the incidents of an uninterrupted one; a
 * job that keeps failing ends the command with its cause and exit 1; the dead letters are reported by kind.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Sift job in this process on Kafka input, writing to Elasticsearch and the incident topic.",
                "Checkpoints are retained in <sift.run.state-dir>/<group id>/checkpoints and a new start of the same"
                        + " group resumes from the latest; dead letters are reported by kind while it runs and at the end."})
final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "Configuration file of 'key: value' lines (see 'sift options').")
    Path config;

    @Option(names = "-D", description = "Override one setting, e.g. -Dsift.kafka.bounded=true", mapFallbackValue = "")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Configuration conf = SiftSettings.load(config, overrides);
        LocalRun.Plan plan = LocalRun.configure(conf);
        String deadLetterTopic = conf.get(SiftOptions.TOPIC_DEAD_LETTERS);
        say(out, "sift run: group %s, checkpoints retained in %s", conf.get(SiftOptions.KAFKA_GROUP_ID),
                plan.checkpoints());
        say(out, "sift run: %s", plan.resumedFrom()
                .map(c -> "resuming from the retained checkpoint " + c + " (" + RunOptions.RESUME.key()
                        + "=false starts afresh)")
                .orElse("no retained checkpoint of this group: starting from its committed offsets"));
        say(out, "sift run: on failure, %s", plan.restartStrategy());

        TaskFailures taskFailures = TaskFailures.capture();
        JobClient job = SiftJobMain.build(conf).executeAsync(SiftJobMain.JOB_NAME);
        AtomicReference<DeadLetterReport> seen = new AtomicReference<>(DeadLetterReport.NONE);
        AtomicBoolean ended = new AtomicBoolean();
        Thread atExit = new Thread(() -> {
            if (!ended.get()) {
                say(out, "sift run: stopped; dead letters of this run so far: %s → topic %s", seen.get().counts(),
                        deadLetterTopic);
            }
        }, "sift-run-report");
        Runtime.getRuntime().addShutdownHook(atExit);
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        Duration interval = conf.get(RunOptions.REPORT_INTERVAL);
        try {
            while (true) {
                try {
                    JobExecutionResult finished = result.get(interval.toMillis(), TimeUnit.MILLISECONDS);
                    seen.set(DeadLetterReport.of(finished.getAllAccumulatorResults()));
                    say(out, "sift run: finished (input read to its end); dead letters of this run: %s → topic %s",
                            seen.get().counts(), deadLetterTopic);
                    return 0;
                } catch (TimeoutException running) {
                    DeadLetterReport now = DeadLetterReport.of(currentAccumulators(job));
                    if (!now.equals(seen.get())) {
                        seen.set(now);
                        say(out, "sift run: dead letters so far: %s → topic %s", now.counts(), deadLetterTopic);
                    }
                }
            }
        } catch (ExecutionException failed) {
            say(err, "sift run: the job failed and is not restarted again: %s", causes(failed.getCause()));
            List<Throwable> causes = new ArrayList<>(taskFailures.failures());
            causes.add(failed.getCause());
            if (!taskFailures.rootCauses().isEmpty()) {
                say(err, "sift run: root causes of its task failures: %s",
                        String.join("; ", taskFailures.rootCauses()));
            }
            causes.stream().map(RunCommand::hint).filter(java.util.Objects::nonNull).findFirst()
                    .ifPresent(hint -> say(err, "sift run: %s", hint));
            say(err, "sift run: dead letters of this run before the failure: %s → topic %s", seen.get().counts(),
                    deadLetterTopic);
            return 1;
        } finally {
            ended.set(true);
            taskFailures.close();
        }
    }

    private static Map<String, Object> currentAccumulators(JobClient job) {
        try {
            return job.getAccumulators().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Map.of(); // a job between attempts has none to give: report at the next interval
        }
    }

    /** The distinct messages of a failure's cause chain, outermost first (the root cause last). */
    static String causes(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null && messages.size() < 8; t = t.getCause()) {
            String line = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage().strip());
            line = line.lines().findFirst().orElse(line);
            if (!messages.contains(line)) {
                messages.add(line);
            }
        }
        return String.join("\n  caused by ", messages);
    }

    /** What to do about a failure whose cause is a class missing from the class path, else null. */
    static String hint(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LinkageError || t instanceof ClassNotFoundException) {
                return "a class the job needs is missing from the class path (" + t.getMessage() + "); for a compressed"
                        + " Kafka topic that is kafka-clients' lz4, snappy or zstd codec. Start the job with ./sift,"
                        + " which builds and uses this checkout's class path (mvn -pl jobs -am package), or submit"
                        + " the shaded job jar.";
            }
        }
        return null;
    }

    private static void say(PrintWriter to, String format, Object... args) {
        to.println(String.format(java.util.Locale.ROOT, format, args));
        to.flush();
    }
}
