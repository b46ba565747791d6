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

        Map<String, String> settings = runs.runSettings("crashed");
        settings.put(RunOptions.STATE_DIR.key(), dir.resolve("state").toString());
        String[] args = Launcher.concat(new String[] {"run"}, Launcher.settings(settings));
        Path checkpoints = LocalRun.checkpointDirectory(SiftSettings.load(null, settings));

        long started = System.nanoTime();
        Launcher.Started first = Launcher.sift(dir.resolve("first.log"), Map.of(), args);
        // Mid-replay and mid-incident: at the first checkpoint completed after the fault's incident came out, while
        // the job still reads (its detectors and the open incident are then in the state a restart must restore).
        long incidentSeenAt = 0;
        Optional<Path> checkpoint = Optional.empty();
        while (true) {
            assertTrue(first.process().isAlive(), "the run ended before it could be killed:\n" + first.tail(30));
            assertTrue(System.nanoTime() - started < TimeUnit.MINUTES.toNanos(3), first.tail(30));
            if (incidentSeenAt == 0 && runs.incidentRecords("crashed") > 0) {
                incidentSeenAt = System.currentTimeMillis();
            }
            checkpoint = RetainedCheckpoints.latest(checkpoints);
            if (incidentSeenAt > 0 && checkpoint.isPresent()
                    && Files.getLastModifiedTime(checkpoint.get().resolve("_metadata")).toMillis() > incidentSeenAt) {
                break;
            }
            Thread.sleep(50);
        }
        first.kill();
        long killedAfterMs = (System.nanoTime() - started) / 1_000_000;
        long recordsBeforeKill = runs.incidentTopic("crashed").records();
        assertFalse(first.output().contains("sift run: finished"), "killed mid-replay:\n" + first.tail(10));

        Launcher.Started second = Launcher.sift(dir.resolve("second.log"), Map.of(), args);
        assertEquals(0, second.await(Duration.ofMinutes(3)), second.tail(40));

        ScenarioRuns.IncidentTopic after = runs.incidentTopic("crashed");
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
}
