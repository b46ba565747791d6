package io.sift.connectors.itsm;

import io.sift.schema.Incident;

/** What an incident version is posted as. */
public enum WebhookFormat {
    /** {@link IncidentJson}: the incident topic's record as JSON, for generic receivers. */
    JSON,
    /** {@link ServiceNowEventMapper}: a ServiceNow Event Management event, message_key = incident id. */
    SERVICENOW,
    /** {@link PagerDutyEventMapper}: a PagerDuty Events API v2 trigger or resolve, dedup_key = incident id. */
    PAGERDUTY;

    /** The request body for one incident version; {@code routingKey} is used by PAGERDUTY only. */
    public byte[] body(Incident incident, String routingKey) {
        return switch (this) {
            case JSON -> IncidentJson.toBytes(incident);
            case SERVICENOW -> ServiceNowEventMapper.toRequestBody(incident);
            case PAGERDUTY -> PagerDutyEventMapper.toRequestBody(incident, routingKey);
        };
    }
}
