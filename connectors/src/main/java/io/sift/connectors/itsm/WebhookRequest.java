package io.sift.connectors.itsm;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP POST the webhook sink makes: its body and its idempotency key ({@code <incident id>:<version>}, sent as the
 * {@code Idempotency-Key} header so a receiver can drop a delivery it has already seen after a retry or a replay).
 */
public record WebhookRequest(String idempotencyKey, String recordId, byte[] body) implements Serializable {

    public WebhookRequest {
        if (idempotencyKey == null || idempotencyKey.isEmpty()) {
            throw new IllegalArgumentException("idempotencyKey: derive it from the record (e.g. id:version)");
        }
        if (body == null) {
            throw new IllegalArgumentException("body: a webhook request needs a body");
        }
    }

    long sizeInBytes() {
        return body.length + 2L * (idempotencyKey.length() + recordId.length());
    }

    @Override
    public String toString() {
        return "WebhookRequest[" + idempotencyKey + ", " + body.length + " bytes]";
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
