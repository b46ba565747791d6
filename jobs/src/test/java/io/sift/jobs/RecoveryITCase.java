package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.testing.LocalServices;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task failure mid-stream changes nothing downstream: the same Kafka input runs once without and once with an
 * operator failing after a completed checkpoint; the job recovers from its checkpoint, and Elasticsearch ends with the
 * same incidents (ids, final versions, anomaly counts, root causes) and anomalies, and the incident topic with the same
 * latest record per key.
 */
class RecoveryITCase {

    /** Trips once per test name, across the restarts of the job in this JVM. */
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    @BeforeAll
    static void services() {
        LocalServices.startAll();
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aTaskFailureAfterACheckpointLeavesTheSameIncidentsAsAFailureFreeRun() throws Exception {
        String name = ScenarioRuns.uniqueName("recovery");
        ScenarioRuns runs = new ScenarioRuns(name, LocalServices.kafkaBootstrap(), LocalServices.elasticsearchUrl(),
                ScenarioRuns.twoFaults(name));
        ScenarioRuns.Outcome clean = runs.runClean("clean");

        FAILED.put(name, new AtomicBoolean());
        ScenarioRuns.Run failing = runs.prepare("failing", UnaryOperator.identity());
        failing.streams.anomalies().map(new FailOnceAfterCheckpoint<>(name, 20))
                .sinkTo(new DiscardingSink<>()).name("Inject one failure");
        failing.env.execute(name + "-failing");
        failing.assertNoRejections();
        assertTrue(FAILED.get(name).get(), "the injected failure must have happened");

        ScenarioRuns.assertSameResults(clean, failing.outcome());
    }

    /** Throws once, on a record after at least one completed checkpoint and {@code afterRecords} records. */
    static final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
        private final String name;
        private final int afterRecords;
        private transient boolean checkpointCompleted;
        private transient int seen;

        FailOnceAfterCheckpoint(String name, int afterRecords) {
            this.name = name;
            this.afterRecords = afterRecords;
        }

        @Override
        public void open(OpenContext context) {
            checkpointCompleted = false;
            seen = 0;
        }

        @Override
        public T map(T value) {
            seen++;
            if (checkpointCompleted && seen >= afterRecords && FAILED.get(name).compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure (RecoveryITCase)");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointCompleted = true;
        }
    }
}
