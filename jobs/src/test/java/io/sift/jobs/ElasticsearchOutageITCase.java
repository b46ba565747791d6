package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.testing.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Elasticsearch stopped for a minute in the middle of a run and started again: the job neither fails nor drops
 * documents; its Elasticsearch sinks retry with backoff (and hold the job back while they cannot write), and once
 * Elasticsearch is back the run ends with the same incidents, anomalies and incident topic as a failure-free run.
 *
 * <p>Runs on a stack of its own ({@link LocalStack}), so the outage disturbs no other test. The run with the outage
 * reads its input paced at {@value #SPEED}× real time ({@link EventTimePace}: the 150-minute scenario takes 60 s), so
 * that the job is still reading and writing when Elasticsearch goes down.
 *
 * <p>The sinks keep their production buffer (10 000 documents each), which holds this scenario's documents of the
 * outage: the job reads on, and cannot end until Elasticsearch is back and has taken them. (A sink whose buffer is full
 * holds back the operator writing to it, and through it the job.)
 */
class ElasticsearchOutageITCase {

    /** Event-time seconds per second of the run with the outage. */
    private static final double SPEED = 150;
    /** The minute; Elasticsearch then takes another ~15 s to start. */
    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(Path.of("target", "it-stack-elasticsearch-outage"));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aMinuteWithoutElasticsearchMidRunLeavesTheSameResultsAsAFailureFreeRun() throws Exception {
        Timeline timeline = new Timeline("ElasticsearchOutageITCase");
        String name = ScenarioRuns.uniqueName("es-outage");
        ScenarioRuns runs = new ScenarioRuns(name, stack.kafkaBootstrap(), stack.elasticsearchUrl(),
                ScenarioRuns.twoFaults(name));
        timeline.note("scenario written to Kafka: %d records", runs.recordsIn());
        ScenarioRuns.Outcome clean = runs.runClean("clean");
        timeline.note("failure-free run done");

        String pace = name + "-outage";
        ScenarioRuns.Run outage = runs.prepare("outage", inputs -> EventTimePace.inputs(inputs, pace, SPEED));
        JobClient job = outage.env.executeAsync(name + "-outage");
        long sentBefore;
        long readAtStop;
        long readAtRestart;
        long retried;
        try {
            timeline.await("documents written to Elasticsearch", Duration.ofMinutes(2), job,
                    () -> outage.counter(job.getJobID(), ElasticsearchSink.METRIC_DOCUMENTS_SENT) > 0);
            sentBefore = outage.counter(job.getJobID(), ElasticsearchSink.METRIC_DOCUMENTS_SENT);
            readAtStop = EventTimePace.passed(pace);
            Duration stopping = stack.stop(LocalStack.Service.ELASTICSEARCH);
            timeline.note("Elasticsearch stopped (took %d ms) after %d documents written and %d records read",
                    stopping.toMillis(), sentBefore, readAtStop);
            Thread.sleep(OUTAGE.toMillis());
            // the job cannot end while Elasticsearch is down (its sinks hold unwritten documents), so these are
            // read from a running job
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(),
                    "the job neither fails nor ends without Elasticsearch");
            retried = outage.counter(job.getJobID(), ElasticsearchSink.METRIC_DOCUMENTS_RETRIED);
            readAtRestart = EventTimePace.passed(pace);
            timeline.note("outage over: %d document retries, %d records read during the outage (%d of %d in all)",
                    retried, readAtRestart - readAtStop, readAtRestart, runs.metricsAndLogs());
            Duration starting = stack.start(LocalStack.Service.ELASTICSEARCH);
            timeline.note("Elasticsearch started again (took %d ms)", starting.toMillis());
            job.getJobExecutionResult().get(4, TimeUnit.MINUTES);
            timeline.note("run with the outage done");
        } finally {
            // a failed assertion must not leave the job running or the stack without Elasticsearch
            if (!job.getJobExecutionResult().isDone()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
            stack.start(LocalStack.Service.ELASTICSEARCH);
        }

        assertTrue(retried > 0, "the outage overlapped the writes: the sinks retried documents");
        assertEquals(0, EventTimePace.highestAttempt(pace), "the job did not restart: the sinks retried instead");
        outage.assertNoRejections();
        ScenarioRuns.Outcome afterOutage = outage.outcome();
        ScenarioRuns.assertSameResults(clean, afterOutage);
        assertEquals(0, ScenarioRuns.lost(clean, afterOutage), "nothing lost");
        timeline.note("failure-free run: %s", runs.figures(clean, clean));
        timeline.note("Elasticsearch outage: %s", runs.figures(afterOutage, clean));
        timeline.note("done");
    }
}
