package io.sift.connectors.itsm;

import io.sift.schema.Incident;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/** Turns an incident version into the webhook request of the chosen format; converting is separate from sending. */
public final class IncidentWebhookConverter implements ElementConverter<Incident, WebhookRequest> {

    private static final long serialVersionUID = 1L;

    private final WebhookFormat format;
    private final String routingKey;

    public IncidentWebhookConverter(WebhookFormat format, String routingKey) {
        if (format == null) {
            throw new IllegalArgumentException("format: choose JSON, SERVICENOW or PAGERDUTY");
        }
        if (format == WebhookFormat.PAGERDUTY && (routingKey == null || routingKey.isBlank())) {
            throw new IllegalArgumentException(
                    "PAGERDUTY needs the integration's routing key (Events API v2 integration key)");
        }
        this.format = format;
        this.routingKey = routingKey;
    }

    @Override
    public WebhookRequest apply(Incident incident, SinkWriter.Context context) {
        return new WebhookRequest(incident.getId() + ":" + incident.getVersion(), incident.getId(),
                format.body(incident, routingKey));
    }
}
