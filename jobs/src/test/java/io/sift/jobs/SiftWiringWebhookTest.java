package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.elasticsearch.CollectingRejectedDocumentHandler;
import io.sift.connectors.itsm.WebhookFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiftWiringWebhookTest {

    @Test
    void pagerDutyWithoutItsRoutingKeyIsRefusedNamingTheVariable() {
        Configuration conf = new Configuration();
        conf.set(DeliveryOptions.WEBHOOK_FORMAT, WebhookFormat.PAGERDUTY);
        conf.set(DeliveryOptions.WEBHOOK_ROUTING_KEY_ENV, "SIFT_TEST_ROUTING_KEY_THAT_IS_NOT_SET");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SiftWiring.webhook(
                conf, "https://events.example/v2/enqueue", new CollectingRejectedDocumentHandler("wiring")));
        assertTrue(refused.getMessage().contains("SIFT_TEST_ROUTING_KEY_THAT_IS_NOT_SET"), refused.getMessage());
    }

    @Test
    void secretsComeFromAFileWhenNoVariableIsNamed(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("authorization");
        Files.writeString(file, "Basic dXNlcjpwYXNz\n");

        assertEquals("Basic dXNlcjpwYXNz", SiftWiring.secret(null, file.toString()));
        assertNull(SiftWiring.secret(null, null));
        assertThrows(IllegalArgumentException.class,
                () -> SiftWiring.secret("SIFT_TEST_VARIABLE_THAT_IS_NOT_SET", null));
    }

    @Test
    void webhookSettingsAreKnownToTheSettingsLoader() throws Exception {
        Configuration conf = SiftSettings.load(null, java.util.Map.of(DeliveryOptions.WEBHOOK_URL.key(),
                "http://127.0.0.1:9/x", DeliveryOptions.WEBHOOK_FORMAT.key(), "SERVICENOW"));
        assertEquals(WebhookFormat.SERVICENOW, conf.get(DeliveryOptions.WEBHOOK_FORMAT));
        assertEquals(java.net.URI.create("http://127.0.0.1:9/x"), SiftWiring.webhook(conf,
                conf.get(DeliveryOptions.WEBHOOK_URL), new CollectingRejectedDocumentHandler("wiring")).endpoint());
    }
}
