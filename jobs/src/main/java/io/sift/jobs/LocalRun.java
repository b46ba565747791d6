package io.sift.jobs;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;

/**
 * The Flink settings of the job in a local MiniCluster ({@code ./sift run}): checkpoints retained in the run's state
 * directory (one per consumer group), a restore from the latest of them, and a bounded restart strategy. Settings the
 * user gave (checkpoint directory, restart strategy, a recovery path) are kept.
 */
public final class LocalRun {

    /** What {@link #configure} decided, for the console. */
    public record Plan(Path checkpoints, Optional<Path> resumedFrom, String restartStrategy) {}

    private LocalRun() {}

    /** The directory of a consumer group's retained checkpoints: {@code <state-dir>/<group>/checkpoints}. */
    public static Path checkpointDirectory(Configuration conf) {
        String group = conf.get(SiftOptions.KAFKA_GROUP_ID).replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(conf.get(RunOptions.STATE_DIR)).resolve(group).resolve("checkpoints").toAbsolutePath();
    }

    /** Adds the local run's checkpoint, recovery and restart settings to {@code conf}. */
    public static Plan configure(Configuration conf) {
        Path checkpoints;
        if (conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            checkpoints = Path.of(java.net.URI.create(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).getPath());
        } else {
            checkpoints = checkpointDirectory(conf);
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        }
        // Kept when the process is killed, the job fails or is cancelled: the next start of the group resumes there.
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        Optional<Path> resume = Optional.empty();
        if (conf.get(RunOptions.RESUME) && !conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)) {
            resume = RetainedCheckpoints.latest(checkpoints);
            resume.ifPresent(checkpoint -> {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
                // The run owns its checkpoints: the restored one is deleted once a newer one completes.
                conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
            });
        }
        String restart;
        if (conf.contains(RestartStrategyOptions.RESTART_STRATEGY)) {
            restart = conf.get(RestartStrategyOptions.RESTART_STRATEGY) + " (restart-strategy.type)";
        } else {
            int attempts = conf.get(RunOptions.RESTART_ATTEMPTS);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    java.time.Duration.ofSeconds(1));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    java.time.Duration.ofSeconds(30));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    java.time.Duration.ofHours(1));
            restart = "at most " + attempts + " restarts in a row (" + RunOptions.RESTART_ATTEMPTS.key() + ")";
        }
        return new Plan(checkpoints, resume, restart);
    }
}
