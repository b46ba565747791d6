package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.testing.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Kafka broker stopped in the middle of a run, while the job reads its input and writes incidents, and started again
 * on the same port and data: the job recovers, and it ends with the same incidents and anomalies in Elasticsearch and
 * the same latest record per incident on the topic as a failure-free run. Delivery to the topic is at least once, so
 * records may repeat there; the test reports how many.
 *
 * <p>Runs on a stack of its own ({@link LocalStack}), so the restart disturbs no other test. The run with the restart
 * reads its input paced at {@value #SPEED}× real time ({@link EventTimePace}: the 150-minute scenario takes 60 s), so
 * that the broker goes down after the first incident is written and before the input is read to its end.
 */
class KafkaBrokerRestartITCase {

    /** Event-time seconds per second of the run with the restart. */
    private static final double SPEED = 150;
    /** How long the broker stays down: long enough that every client notices, and reconnects. */
    private static final Duration DOWN = Duration.ofSeconds(15);

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(Path.of("target", "it-stack-kafka-restart"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aBrokerRestartMidRunLosesNothing() throws Exception {
        Timeline timeline = new Timeline("KafkaBrokerRestartITCase");
        String name = ScenarioRuns.uniqueName("kafka-restart");
        ScenarioRuns runs = new ScenarioRuns(name, stack.kafkaBootstrap(), stack.elasticsearchUrl(),
                ScenarioRuns.twoFaults(name));
        timeline.note("scenario written to Kafka: %d records", runs.recordsIn());
        ScenarioRuns.Outcome clean = runs.runClean("clean");
        timeline.note("failure-free run done");

        // restarts may fail again while the broker is still down: allow a few per second of downtime
        runs.set("restart-strategy.fixed-delay.attempts", "20").set("restart-strategy.fixed-delay.delay", "2 s");
        String pace = name + "-restart";
        ScenarioRuns.Run restart = runs.prepare("restart", inputs -> EventTimePace.inputs(inputs, pace, SPEED));
        JobClient job = restart.env.executeAsync(name + "-restart");
        long readAtStop;
        try {
            timeline.await("an incident on the topic", Duration.ofMinutes(2), job,
                    () -> runs.incidentRecords("restart") > 0);
            readAtStop = EventTimePace.passed(pace);
            Duration stopping = stack.stop(LocalStack.Service.KAFKA);
            timeline.note("Kafka stopped (took %d ms) after %d records read", stopping.toMillis(), readAtStop);
            Thread.sleep(DOWN.toMillis());
            Duration starting = stack.start(LocalStack.Service.KAFKA);
            timeline.note("Kafka started again (took %d ms)", starting.toMillis());
            job.getJobExecutionResult().get(5, TimeUnit.MINUTES);
            timeline.note("run with the restart done; the job restarted %d times",
                    EventTimePace.highestAttempt(pace));
        } finally {
            // a failed assertion must not leave the job running or the stack without Kafka
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
            stack.start(LocalStack.Service.KAFKA);
        }

        assertTrue(readAtStop < runs.metricsAndLogs(), "the broker stopped while the job still had input to read");
        restart.assertNoRejections();
        ScenarioRuns.Outcome afterRestart = restart.outcome();
        ScenarioRuns.assertSameResults(clean, afterRestart);
        assertEquals(0, ScenarioRuns.lost(clean, afterRestart), "nothing lost");
        timeline.note("failure-free run: %s", runs.figures(clean, clean));
        timeline.note("Kafka broker restart: %s", runs.figures(afterRestart, clean));
        timeline.note("done");
    }
}
