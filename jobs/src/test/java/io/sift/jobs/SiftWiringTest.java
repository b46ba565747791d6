package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.connectors.deadletter.CollectingRejectedDocumentHandler;
import io.sift.connectors.itsm.WebhookFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiftWiringTest {

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

    @Test
    void elasticsearchCredentialsComeFromSecretsAndContradictionsAreRefused(@TempDir Path folder) throws Exception {
        Path key = folder.resolve("api-key");
        Files.writeString(key, "c2lmdDpzZWNyZXQ=");
        Configuration withKey = new Configuration();
        withKey.set(DeliveryOptions.ELASTICSEARCH_API_KEY_FILE, key.toString());
        String described = SiftWiring.elasticsearch(withKey, "http://127.0.0.1:9200, http://127.0.0.1:9201")
                .setEmitter(new io.sift.connectors.elasticsearch.IncidentDocumentEmitter()).build()
                .getConnection().toString();
        assertTrue(described.contains("apiKey=***") && !described.contains("c2lmdDpzZWNyZXQ="), described);
        assertTrue(described.contains("9201"), "both hosts: " + described);

        Configuration both = withKey.clone();
        both.set(DeliveryOptions.ELASTICSEARCH_USERNAME, "sift");
        assertThrows(IllegalArgumentException.class, () -> SiftWiring.elasticsearch(both, "http://127.0.0.1:9200"));

        Configuration userOnly = new Configuration();
        userOnly.set(DeliveryOptions.ELASTICSEARCH_USERNAME, "sift");
        IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
                () -> SiftWiring.elasticsearch(userOnly, "http://127.0.0.1:9200"));
        assertTrue(noPassword.getMessage().contains("password"));
    }
}
