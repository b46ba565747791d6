package io.sift.jobs;

import io.sift.connectors.itsm.WebhookFormat;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of the optional incident webhook (ServiceNow Event Management, PagerDuty Events v2, or plain JSON).
 * Secrets are never settings: the settings name the environment variable or file that holds them.
 */
public final class DeliveryOptions {

    private DeliveryOptions() {}

    public static final ConfigOption<String> WEBHOOK_URL = ConfigOptions.key("sift.webhook.url")
            .stringType().noDefaultValue()
            .withDescription("Endpoint every incident version (but those a maintenance window suppresses, see"
                    + " sift.maintenance.windows) is POSTed to, in order, with an Idempotency-Key header"
                    + " (<incident id>:<version>); unset means no webhook. E.g. https://<instance>.service-now.com"
                    + "/api/global/em/jsonv2 or https://events.pagerduty.com/v2/enqueue.");

    public static final ConfigOption<WebhookFormat> WEBHOOK_FORMAT = ConfigOptions.key("sift.webhook.format")
            .enumType(WebhookFormat.class).defaultValue(WebhookFormat.JSON)
            .withDescription("JSON (the incident record as JSON), SERVICENOW (an em_event, message_key = incident id)"
                    + " or PAGERDUTY (Events API v2 trigger/resolve, dedup_key = incident id).");

    public static final ConfigOption<String> WEBHOOK_AUTHORIZATION_ENV = ConfigOptions
            .key("sift.webhook.authorization-env").stringType().noDefaultValue()
            .withDescription("Name of the environment variable holding the Authorization header value"
                    + " (e.g. 'Basic dXNlcjpwYXNz'); the value never appears in logs or dead letters.");

    public static final ConfigOption<String> WEBHOOK_AUTHORIZATION_FILE = ConfigOptions
            .key("sift.webhook.authorization-file").stringType().noDefaultValue()
            .withDescription("File holding the Authorization header value (e.g. a mounted Kubernetes secret);"
                    + " used when sift.webhook.authorization-env is unset.");

    public static final ConfigOption<String> WEBHOOK_ROUTING_KEY_ENV = ConfigOptions
            .key("sift.webhook.pagerduty-routing-key-env").stringType().defaultValue("SIFT_PAGERDUTY_ROUTING_KEY")
            .withDescription("Environment variable holding the PagerDuty integration (routing) key; PAGERDUTY only.");

    public static final ConfigOption<String> ELASTICSEARCH_USERNAME = ConfigOptions
            .key("sift.elasticsearch.username").stringType().noDefaultValue()
            .withDescription("User for HTTP basic authentication; the password comes from"
                    + " sift.elasticsearch.password-env or -file. Exclusive with an API key.");

    public static final ConfigOption<String> ELASTICSEARCH_PASSWORD_ENV = ConfigOptions
            .key("sift.elasticsearch.password-env").stringType().noDefaultValue()
            .withDescription("Environment variable holding the basic-auth password.");

    public static final ConfigOption<String> ELASTICSEARCH_PASSWORD_FILE = ConfigOptions
            .key("sift.elasticsearch.password-file").stringType().noDefaultValue()
            .withDescription("File holding the basic-auth password (e.g. a mounted Kubernetes secret).");

    public static final ConfigOption<String> ELASTICSEARCH_API_KEY_ENV = ConfigOptions
            .key("sift.elasticsearch.api-key-env").stringType().noDefaultValue()
            .withDescription("Environment variable holding an encoded Elasticsearch API key (sent as 'ApiKey ...').");

    public static final ConfigOption<String> ELASTICSEARCH_API_KEY_FILE = ConfigOptions
            .key("sift.elasticsearch.api-key-file").stringType().noDefaultValue()
            .withDescription("File holding an encoded Elasticsearch API key.");

    public static final ConfigOption<String> ELASTICSEARCH_CA_CERTIFICATE = ConfigOptions
            .key("sift.elasticsearch.ca-certificate").stringType().noDefaultValue()
            .withDescription("PEM file of the CA that signed Elasticsearch's HTTPS certificate (https:// URLs);"
                    + " unset means the JVM's trust store.");

    public static final ConfigOption<Integer> ELASTICSEARCH_BULK_ACTIONS = ConfigOptions
            .key("sift.elasticsearch.bulk.max-actions").intType().defaultValue(1000)
            .withDescription("Most documents in one bulk request.");

    public static final ConfigOption<org.apache.flink.configuration.MemorySize> ELASTICSEARCH_BULK_BYTES = ConfigOptions
            .key("sift.elasticsearch.bulk.max-size").memoryType()
            .defaultValue(org.apache.flink.configuration.MemorySize.parse("5mb"))
            .withDescription("Largest bulk request body.");

    public static final ConfigOption<java.time.Duration> ELASTICSEARCH_FLUSH_INTERVAL = ConfigOptions
            .key("sift.elasticsearch.bulk.flush-interval").durationType()
            .defaultValue(java.time.Duration.ofSeconds(1))
            .withDescription("Longest a document waits in the buffer before its bulk is sent (checkpoints flush too).");
}
