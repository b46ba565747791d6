package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.testing.LocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sift run} killed with SIGKILL mid-replay (a container restart, the OOM killer) and started again with the
 * same consumer group resumes from its latest retained checkpoint, and ends with the incidents of a failure-free run:
 * the same ids and final versions on the incident topic.
 */
class RunCrashITCase {

    @TempDir
    Path dir;

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aRunKilledMidReplayAndStartedAgainGivesTheIncidentsOfACleanRun() throws Exception {
        String name = ScenarioRuns.uniqueName("crash");
        ScenarioRuns runs = new ScenarioRuns(name, LocalServices.kafkaBootstrap(), LocalServices.elasticsearchUrl(),
                ScenarioRuns.oneFault(name, 5));
        ScenarioRuns.Outcome clean = runs.runClean("clean");

        // Killing mid-replay needs a checkpoint completed after the incident came out and before the input ends; on
        // a fast run the incident can come out in the last moments, so an attempt that ends first is started afresh
        // (a new consumer group and output topics), at most three times.
        String run = null;
        String[] args = null;
        Path checkpoints = null;
        Optional<Path> checkpoint = Optional.empty();
        Launcher.Started first = null;
        long started = 0;
        for (int attempt = 1; attempt <= 3 && checkpoint.isEmpty(); attempt++) {
            run = attempt == 1 ? "crashed" : "crashed-" + attempt;
            Map<String, String> settings = runs.runSettings(run);
            settings.put(RunOptions.STATE_DIR.key(), dir.resolve("state-" + attempt).toString());
            args = Launcher.concat(new String[] {"run"}, Launcher.settings(settings));
            checkpoints = LocalRun.checkpointDirectory(SiftSettings.load(null, settings));
            started = System.nanoTime();
            first = Launcher.sift(dir.resolve("first-" + attempt + ".log"), Map.of(), args);
            // Mid-replay and mid-incident: at the first checkpoint completed after the fault's incident came out,
            // while the job still reads (its detectors and the open incident are then in the state a restart must
            // restore).
            long incidentSeenAt = 0;
            while (first.process().isAlive()) {
                assertTrue(System.nanoTime() - started < TimeUnit.MINUTES.toNanos(3), first.tail(30));
                if (incidentSeenAt == 0 && runs.incidentRecords(run) > 0) {
                    incidentSeenAt = System.currentTimeMillis();
                }
                Optional<Path> latest = RetainedCheckpoints.latest(checkpoints);
                if (incidentSeenAt > 0 && latest.isPresent() && completedAfter(latest.get(), incidentSeenAt)) {
                    checkpoint = latest;
                    break;
                }
                Thread.sleep(50);
            }
            if (checkpoint.isEmpty()) {
                System.err.printf("%s: attempt %d ended before it could be killed:%n%s%n", name, attempt,
                        first.tail(10));
            }
        }
        assertTrue(checkpoint.isPresent(), "three runs ended before they could be killed:\n" + first.tail(30));
        first.kill();
        long killedAfterMs = (System.nanoTime() - started) / 1_000_000;
        long recordsBeforeKill = runs.incidentTopic(run).records();
        assertFalse(first.output().contains("sift run: finished"), "killed mid-replay:\n" + first.tail(10));

        Launcher.Started second = Launcher.sift(dir.resolve("second.log"), Map.of(), args);
        assertEquals(0, second.await(Duration.ofMinutes(3)), second.tail(40));

        ScenarioRuns.IncidentTopic after = runs.incidentTopic(run);
        System.err.printf("%s: killed after %d ms at %s with %d incident records out; after the restart %d records"
                        + " (%d duplicates), %d incidents (clean run: %d)%n", name, killedAfterMs,
                checkpoint.get().getFileName(), recordsBeforeKill, after.records(), after.duplicates(),
                after.latestVersions().size(), clean.topic().latestVersions().size());
        assertFalse(clean.topic().latestVersions().isEmpty(), "the scenario's fault gives incidents");
        assertEquals(clean.topic().latestVersions(), after.latestVersions(),
                "the same incidents and final versions as a failure-free run");
        assertTrue(second.output().contains("resuming from the retained checkpoint " + checkpoints),
                second.tail(20));
    }

    /** Whether a checkpoint's metadata was written after the time; false when the job deleted it meanwhile. */
    private static boolean completedAfter(Path checkpoint, long time) throws java.io.IOException {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis() > time;
        } catch (java.nio.file.NoSuchFileException subsumed) {
            return false;
        }
    }
}
