package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.formats.InputFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The input formats of the settings: Avro by default, several topics per signal, refusals that say what to write. */
class InputFormatsTest {

    private static Configuration conf(Map<String, String> settings) throws Exception {
        return SiftSettings.load(null, settings);
    }

    private static Map<String, InputFormat> metrics(Configuration conf) {
        return InputFormats.topics(conf, SiftOptions.TOPIC_METRICS, InputOptions.METRICS_FORMAT,
                InputOptions.METRICS_MORE_TOPICS, true);
    }

    private static Map<String, InputFormat> logs(Configuration conf) {
        return InputFormats.topics(conf, SiftOptions.TOPIC_LOGS, InputOptions.LOGS_FORMAT,
                InputOptions.LOGS_MORE_TOPICS, false);
    }

    @Test
    void avroIsTheDefaultSoNothingChangesForExistingUsers() throws Exception {
        assertEquals(Map.of("sift.metrics", InputFormat.AVRO), metrics(conf(Map.of())));
        assertEquals(Map.of("sift.logs", InputFormat.AVRO), logs(conf(Map.of())));
    }

    @Test
    void severalTopicsPerSignalEachWithItsFormat() throws Exception {
        Configuration conf = conf(Map.of(
                "sift.input.metrics.more-topics", "otlp_metrics:otlp-proto,prom:prometheus-json,telegraf:influx_line",
                "sift.input.logs.format", "otlp-json",
                "sift.input.logs.more-topics", "filebeat:json"));
        Map<String, InputFormat> expected = new LinkedHashMap<>();
        expected.put("sift.metrics", InputFormat.AVRO);
        expected.put("otlp_metrics", InputFormat.OTLP_PROTO);
        expected.put("prom", InputFormat.PROMETHEUS_JSON);
        expected.put("telegraf", InputFormat.INFLUX_LINE);
        assertEquals(expected, metrics(conf));
        assertEquals(Map.of("sift.logs", InputFormat.OTLP_JSON, "filebeat", InputFormat.JSON), logs(conf));
        // The wiring builds the sources from them (no broker needed to build).
        InputFormats.metrics(conf, "127.0.0.1:1", "g", true, Map.of(), SiftWiring.screen(conf, true));
        InputFormats.logs(conf, "127.0.0.1:1", "g", true, Map.of(), SiftWiring.screen(conf, true));
    }

    @Test
    void refusalsNameTheSettingAndWhatToWrite() throws Exception {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> metrics(conf(Map.of("sift.input.metrics.format", "statsd"))));
        assertTrue(unknown.getMessage().startsWith("sift.input.metrics.format: unknown input format 'statsd'; known: "
                + "avro, otlp-proto"), unknown.getMessage());
        IllegalArgumentException wrongSignal = assertThrows(IllegalArgumentException.class,
                () -> logs(conf(Map.of("sift.input.logs.more-topics", "prom:prometheus-json"))));
        assertTrue(wrongSignal.getMessage().contains("holds no logs"), wrongSignal.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> metrics(conf(Map.of("sift.input.metrics.more-topics", "sift.metrics:otlp-proto"))));
        assertTrue(twice.getMessage().contains("a topic has one format"), twice.getMessage());
        IllegalArgumentException preset = assertThrows(IllegalArgumentException.class,
                () -> InputFormats.jsonLogFields(conf(Map.of("sift.input.logs.json.preset", "splunk"))));
        assertTrue(preset.getMessage().startsWith("sift.input.logs.json.preset: "), preset.getMessage());
        IllegalArgumentException quantile = assertThrows(IllegalArgumentException.class,
                () -> InputFormats.otlp(conf(Map.of("sift.input.otlp.quantiles", "0.5;99"))));
        assertTrue(quantile.getMessage().startsWith("sift.input.otlp.quantiles: "), quantile.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conf(Map.of("sift.input.metric.format", "avro")),
                "a misspelt key is refused");
    }
}
