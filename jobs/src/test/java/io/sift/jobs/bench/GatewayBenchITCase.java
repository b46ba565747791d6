package io.sift.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.testing.LocalServices;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The gateway bench stages run briefly against the real Kafka and report figures; without Kafka they are skipped. */
class GatewayBenchITCase {

    private static final BenchSettings TINY = new BenchSettings(1, 0.5, 300, 300, 1, "http://127.0.0.1:1", 100, 50);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void bothGatewayStagesMeasureTheGatewayAndTheProducerBaseline() throws Exception {
        String kafka = LocalServices.kafkaBootstrap();
        for (String stage : new String[] {GatewayBench.ALERTS, GatewayBench.REMOTE_WRITE}) {
            StageReport report = GatewayBench.run(TINY, stage, kafka);
            assertNull(report.skippedReason(), stage);
            assertEquals(2, report.measurements().size(), report.measurements().toString());
            assertNotNull(report.baseline());
            for (Measurement m : report.measurements()) {
                assertTrue(m.records() > 0 && m.recordsPerCoreSecond() > 0, m.toString());
            }
            assertEquals(0.0, report.figures().stream().filter(f -> f.name().equals("failed requests")).findFirst()
                    .orElseThrow().value(), stage + ": every request was acknowledged");
        }
        assertNotNull(GatewayBench.run(TINY, GatewayBench.ALERTS, null).skippedReason());
    }
}
