package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sift.connectors.formats.InputFormat;
import io.sift.connectors.formats.OtlpLogsDecoder;
import io.sift.connectors.formats.OtlpMetricsDecoder;
import io.sift.connectors.formats.OtlpSettings;
import io.sift.scenario.Scenario;
import io.sift.scenario.ScenarioGenerator;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.testing.FixedInstants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's OTLP form decodes, through the job's own OTLP decoders, back into the very records it came from. */
class OtlpExportTest {

    @Test
    void generatedTelemetryRoundTripsThroughOtlpProtobuf() throws Exception {
        Scenario scenario = ScenarioGenerator.builder().seed(3).services(20).start(FixedInstants.T0)
                .duration(Duration.ofMinutes(90)).randomFaults(1).build().generate();
        List<MetricPoint> metrics = scenario.metrics().toList();
        List<LogRecord> logs = scenario.logs().toList();

        List<MetricPoint> decodedMetrics = new ArrayList<>();
        var metricsDecoder = new OtlpMetricsDecoder(InputFormat.OTLP_PROTO, OtlpSettings.defaults());
        for (OtlpExport.Message m : OtlpExport.metrics(metrics, scenario.start())) {
            metricsDecoder.decode(m.value(), decodedMetrics);
        }
        Comparator<MetricPoint> byTimeAndSeries = Comparator.comparing((MetricPoint p) -> p.getTime())
                .thenComparing(p -> p.getResource().toString() + p.getName() + p.getLabels());
        // A generated quantile series travels as a gauge (OTLP has no single-quantile type); the job reads both alike.
        List<MetricPoint> expected = metrics.stream().map(p -> p.getKind() != MetricKind.HISTOGRAM_SUMMARY ? p
                : MetricPoint.newBuilder(p).setKind(MetricKind.GAUGE).build()).toList();
        assertEquals(sorted(expected, byTimeAndSeries), sorted(decodedMetrics, byTimeAndSeries));

        List<LogRecord> decodedLogs = new ArrayList<>();
        var logsDecoder = new OtlpLogsDecoder(InputFormat.OTLP_PROTO, OtlpSettings.defaults());
        for (OtlpExport.Message m : OtlpExport.logs(logs)) {
            logsDecoder.decode(m.value(), decodedLogs);
        }
        Comparator<LogRecord> byTimeAndText = Comparator.comparing((LogRecord l) -> l.getTime())
                .thenComparing(l -> l.getResource().toString() + l.getBody());
        assertEquals(sorted(logs, byTimeAndText), sorted(decodedLogs, byTimeAndText));
    }

    private static <T> List<T> sorted(List<T> list, Comparator<T> order) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(order);
        return copy;
    }
}
