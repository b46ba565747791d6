package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Incident;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

class ElasticsearchSinkBuilderTest {

    private static String failure(Supplier<?> build) {
        return assertThrows(IllegalArgumentException.class, build::get).getMessage();
    }

    @Test
    void buildsAndTypesFollowTheEmitter() throws Exception {
        ElasticsearchSink<Incident> sink =
                ElasticsearchSink.builder()
                        .setHosts("http://127.0.0.1:9200,http://127.0.0.2:9200")
                        .setEmitter(new IncidentDocumentEmitter())
                        .setBasicAuth("sift", "secret")
                        .setMaxBatchSize(100)
                        .setMaxBufferedRequests(1000)
                        .setRetryBackoff(Duration.ofMillis(10), Duration.ofSeconds(1))
                        .build();
        assertEquals(List.of("http://127.0.0.1:9200", "http://127.0.0.2:9200"), sink.getConnection().hosts());
        assertTrue(!sink.getConnection().toString().contains("secret"), "no password in toString");
        // The sink is shipped to task managers.
        ElasticsearchSink<Incident> copy = IncidentDocumentEmitterTest.roundTrip(sink);
        assertEquals(sink.getConnection().hosts(), copy.getConnection().hosts());
    }

    @Test
    void saysWhatToDo() {
        assertTrue(failure(() -> ElasticsearchSink.builder().setEmitter(new IncidentDocumentEmitter()).build())
                .startsWith("setHosts: give at least one http(s)://host:port URL"));
        assertTrue(failure(() -> ElasticsearchSink.builder().setHosts("http://localhost:9200").build())
                .startsWith("setEmitter:"));
        assertTrue(failure(() -> base().setHosts("localhost:9200").build()).contains("http(s)://host:port"));
        assertTrue(failure(() -> base().setHosts("http://localhost").build()).contains("http(s)://host:port"));
        assertTrue(failure(() -> base().setBasicAuth("u", "p").setApiKey("k").build()).contains("exclusive"));
        assertTrue(failure(() -> base().setMaxBatchSize(0).build()).startsWith("setMaxBatchSize"));
        assertTrue(failure(() -> base().setMaxBatchSize(500).setMaxBufferedRequests(500).build())
                .contains("must be greater than setMaxBatchSize"));
        assertTrue(failure(() -> base().setMaxBatchSizeInBytes(1000).setMaxRecordSizeInBytes(2000).build())
                .contains("must not exceed setMaxBatchSizeInBytes"));
        assertTrue(failure(() -> base().setTrustedCaCertificate(Path.of("/nonexistent/ca.crt")).build())
                .startsWith("setTrustedCaCertificate: cannot read"));
        assertTrue(failure(() -> base().setRejectedDocumentHandler(null).build()).startsWith("setRejectedDocumentHandler"));
        assertTrue(failure(() -> base().setRetryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .startsWith("setRetryBackoff"));
        assertTrue(failure(() -> base().setConnection(ElasticsearchConnection.forUrl("http://h:1")).build())
                .contains("exclusive"));
    }

    private static ElasticsearchSinkBuilder<Incident> base() {
        return ElasticsearchSink.builder().setHosts("http://localhost:9200").setEmitter(new IncidentDocumentEmitter());
    }
}
