package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ./sift run prints about dead letters, from the job's accumulators. */
class DeadLetterReportTest {

    @Test
    void countsByKindFromTheAccumulators() {
        DeadLetterReport report = DeadLetterReport.of(Map.of("deadLettered", 5L, "deadLettered.UNKNOWN_SCHEMA", 1L,
                "deadLettered.NOT_SINGLE_OBJECT_AVRO", 4L, "anomalies", 17L));

        assertEquals("5 (NOT_SINGLE_OBJECT_AVRO 4, UNKNOWN_SCHEMA 1)", report.counts());
        assertEquals("none", DeadLetterReport.of(Map.of("anomalies", 3L)).counts());
    }
}
