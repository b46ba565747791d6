package io.sift.jobs;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of {@code ./sift run}, the job in a local MiniCluster: where it keeps its retained checkpoints, whether it
 * resumes from them, how often it reports, and how many failed restarts end it. A job submitted to a Flink cluster
 * ignores them (there the cluster's checkpoint, restart and recovery settings apply).
 */
public final class RunOptions {

    private RunOptions() {}

    public static final ConfigOption<String> STATE_DIR = ConfigOptions.key("sift.run.state-dir")
            .stringType().defaultValue(".sift/run")
            .withDescription("./sift run: directory of the run's state; its checkpoints are retained (also when the"
                    + " process is killed or the job fails) in <state-dir>/<sift.kafka.group-id>/checkpoints.");
    public static final ConfigOption<Boolean> RESUME = ConfigOptions.key("sift.run.resume")
            .booleanType().defaultValue(true)
            .withDescription("./sift run: start from the latest retained checkpoint of the same consumer group, if any,"
                    + " so that a run killed mid-way and started again gives the incidents of an uninterrupted run."
                    + " false: start afresh from the group's committed offsets with empty state.");
    public static final ConfigOption<Integer> RESTART_ATTEMPTS = ConfigOptions.key("sift.run.restart-attempts")
            .intType().defaultValue(4)
            .withDescription("./sift run: restarts after failures in a row (backoff 1 s doubling to 30 s) before the"
                    + " run ends with the cause and exit 1, so an input it cannot read (e.g. a missing compression"
                    + " codec) never loops silently; a run up for an hour counts afresh. Ignored when"
                    + " restart-strategy.type is set.");
    public static final ConfigOption<Duration> REPORT_INTERVAL = ConfigOptions.key("sift.run.report-interval")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("./sift run: how often it prints the dead letters of the run so far by kind (when they"
                    + " changed); the final counts are printed when it ends.");
}
