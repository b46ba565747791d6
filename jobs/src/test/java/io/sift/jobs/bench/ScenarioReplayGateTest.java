package io.sift.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate that holds one bench job at its sources while the other is measured: a closed gate holds a source until
 * it opens, and the held time is left out of latencies.
 */
class ScenarioReplayGateTest {

    private static Scenario tiny() {
        return ScenarioGenerator.builder().seed(3).services(20).start(Instant.parse("2025-01-01T00:00:00Z"))
                .duration(Duration.ofHours(3)).build().generate();
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aClosedGateHoldsSourcesUntilItOpens() throws Exception {
        try (ScenarioReplay replay = new ScenarioReplay(tiny(), true, false, 1, 0)) {
            replay.open(false);
            CountDownLatch passed = new CountDownLatch(1);
            Thread source = new Thread(() -> {
                try {
                    replay.awaitGate();
                    passed.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            source.start();
            assertFalse(passed.await(200, TimeUnit.MILLISECONDS), "a source passed a closed gate");
            replay.open(true);
            assertTrue(passed.await(10, TimeUnit.SECONDS), "the source stayed held after the gate opened");
            source.join();
        }
    }

    @Test
    void heldTimeIsCountedOnlyWhereItOverlaps() throws Exception {
        try (ScenarioReplay replay = new ScenarioReplay(tiny(), true, false, 1, 0)) {
            long before = System.nanoTime();
            replay.open(false);
            long closed = System.nanoTime();
            Thread.sleep(50);
            replay.open(true);
            long opened = System.nanoTime();
            long held = replay.pausedBetween(before, opened);
            assertTrue(held >= TimeUnit.MILLISECONDS.toNanos(50) && held <= opened - before, "held " + held);
            assertEquals(0, replay.pausedBetween(before - 1_000_000, before));
            assertEquals(0, replay.pausedBetween(opened + 1, opened + 1_000_000));
            long half = closed + TimeUnit.MILLISECONDS.toNanos(25);
            assertTrue(replay.pausedBetween(half, opened) < held, "only the overlap counts");
            replay.open(false);
            Thread.sleep(5);
            assertTrue(replay.pausedBetween(opened, System.nanoTime()) > 0, "a gate still closed counts up to now");
            replay.open(true);
        }
    }
}
