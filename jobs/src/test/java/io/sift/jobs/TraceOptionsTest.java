package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.kafka.SourceScreen;
import io.sift.core.traces.TrafficConfig;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The traces settings: known to the loader, typed, and refused with the option named. */
class TraceOptionsTest {

    @Test
    void settingsAreKnownAndDefaultToAnHourOfEdgesAndTenRequests() throws Exception {
        Configuration conf = SiftSettings.load(null, Map.of(TraceOptions.TOPICS.key(), "otlp_spans;team-b.spans",
                TraceOptions.EDGE_TTL.key(), "30 min"));
        assertEquals(java.util.List.of("otlp_spans", "team-b.spans"), conf.get(TraceOptions.TOPICS));
        TrafficConfig traffic = TraceOptions.traffic(conf);
        assertEquals(new TrafficConfig(60_000, 10, 1_800_000, 0.95), traffic);
        assertEquals(3_600_000, TraceOptions.traffic(new Configuration()).edgeTtlMillis());
        assertTrue(OptionsCatalog.keys().containsAll(java.util.List.of("sift.input.traces.topics",
                "sift.input.traces.format", "sift.traces.window", "sift.traces.min-requests", "sift.traces.edge-ttl")));
    }

    @Test
    void aFormatWithoutSpansAndOutOfRangeValuesAreRefusedNamingTheOption() {
        Configuration avro = new Configuration();
        avro.set(TraceOptions.TOPICS, java.util.List.of("spans"));
        avro.set(TraceOptions.FORMAT, "prometheus-json");
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> InputFormats.traces(avro,
                "127.0.0.1:9", "g", true, Map.of(), SourceScreen.none()));
        assertTrue(format.getMessage().startsWith("sift.input.traces.format: format prometheus-json holds no traces"),
                format.getMessage());

        Configuration none = new Configuration();
        none.set(TraceOptions.MIN_REQUESTS, 0);
        IllegalArgumentException minimum = assertThrows(IllegalArgumentException.class,
                () -> TraceOptions.traffic(none));
        assertTrue(minimum.getMessage().contains("sift.traces.min-requests"), minimum.getMessage());
        // No topics: an empty input, no Kafka needed.
        assertNotNull(InputFormats.traces(new Configuration(), "127.0.0.1:9", "g", true, Map.of(),
                SourceScreen.none()));
    }
}
