package io.sift.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.schema.Alert;
import io.sift.schema.AlertStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the alert webhooks monitoring tools send into {@link Alert} records: Alertmanager (payload version 4, one
 * notification per alert group), Grafana alerting, a generic JSON alert, and CloudEvents in structured JSON. A payload
 * that is not what its endpoint expects is refused whole, with a {@link BadPayloadException} saying what is wrong.
 */
public final class AlertPayloads {

    /** Alertmanager's "no time" ({@code endsAt} of a firing alert). */
    private static final int NO_TIME_BEFORE_YEAR = 1970;

    private final ObjectMapper json = new ObjectMapper();
    private final EntityMapper entities;

    public AlertPayloads(EntityMapper entities) {
        this.entities = entities;
    }

    /** Alertmanager's webhook: {@code {"version":"4","alerts":[...],...}}. */
    public List<Alert> alertmanager(byte[] body, Instant now) throws BadPayloadException {
        JsonNode root = object(body);
        JsonNode version = root.get("version");
        if (version != null && !"4".equals(version.asText())) {
            throw new BadPayloadException("UNSUPPORTED_VERSION", "Alertmanager webhook payload version "
                    + version.asText() + " is not supported; the gateway reads version 4");
        }
        return groupAlerts(root, "alertmanager", now);
    }

    /** Grafana alerting's webhook contact point: Alertmanager's group shape plus Grafana's own fields. */
    public List<Alert> grafana(byte[] body, Instant now) throws BadPayloadException {
        return groupAlerts(object(body), "grafana", now);
    }

    /** One generic alert object, a JSON array of them, or {@code {"alerts":[...]}}. */
    public List<Alert> generic(byte[] body, Instant now) throws BadPayloadException {
        JsonNode root = parse(body);
        JsonNode items = root.isArray() ? root : root.isObject() && root.get("alerts") != null ? root.get("alerts") : null;
        List<Alert> alerts = new ArrayList<>();
        if (items == null) {
            if (!root.isObject()) {
                throw new BadPayloadException("INVALID_VALUE", "a generic alert is a JSON object, an array of them,"
                        + " or {\"alerts\": [...]}");
            }
            alerts.add(genericAlert(root, "generic", null, null, null, "alert", now));
        } else {
            if (!items.isArray()) {
                throw new BadPayloadException("INVALID_VALUE", "\"alerts\" must be an array of alert objects");
            }
            int i = 0;
            for (JsonNode item : items) {
                alerts.add(genericAlert(item, "generic", null, null, null, "alerts[" + i++ + "]", now));
            }
        }
        return alerts;
    }

    /**
     * CloudEvents 1.0 in structured JSON mode (one event, or a batch: a JSON array of events). The event's
     * {@code data} is a generic alert; {@code source} and {@code id} become the alert's source and source id, the
     * event {@code type} its name when the data has none, and a type ending in {@code .resolved} resolves it.
     */
    public List<Alert> cloudEvents(byte[] body, Instant now) throws BadPayloadException {
        JsonNode root = parse(body);
        List<Alert> alerts = new ArrayList<>();
        if (root.isArray()) {
            int i = 0;
            for (JsonNode event : root) {
                alerts.add(cloudEvent(event, "[" + i++ + "]", now));
            }
        } else {
            alerts.add(cloudEvent(root, "event", now));
        }
        return alerts;
    }

    private Alert cloudEvent(JsonNode event, String where, Instant now) throws BadPayloadException {
        if (!event.isObject()) {
            throw new BadPayloadException("INVALID_VALUE", where + ": a CloudEvent is a JSON object");
        }
        String specVersion = text(event, "specversion");
        if (specVersion == null || !specVersion.startsWith("1.")) {
            throw new BadPayloadException("INVALID_VALUE", where + ": specversion must be \"1.0\" (structured"
                    + " CloudEvents JSON); got " + (specVersion == null ? "none" : "\"" + specVersion + "\""));
        }
        String id = required(event, "id", where);
        String source = required(event, "source", where);
        String type = required(event, "type", where);
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            throw new BadPayloadException("INVALID_VALUE", where + ": data must be a JSON object holding the alert"
                    + " (name, status, severity, labels, ...)");
        }
        AlertStatus typeStatus = type.toLowerCase(Locale.ROOT).endsWith(".resolved") ? AlertStatus.RESOLVED : null;
        Instant eventTime = event.hasNonNull("time") ? time(event.get("time"), where + ".time") : null;
        return genericAlert(data, source, id, type, typeStatus == null ? null : typeStatus, where + ".data", now,
                eventTime, text(event, "subject"));
    }

    private List<Alert> groupAlerts(JsonNode root, String source, Instant now) throws BadPayloadException {
        JsonNode items = root.get("alerts");
        if (items == null || !items.isArray()) {
            throw new BadPayloadException("INVALID_VALUE", "the payload has no \"alerts\" array: is this "
                    + source + "'s webhook payload?");
        }
        List<Alert> alerts = new ArrayList<>(items.size());
        int i = 0;
        for (JsonNode item : items) {
            alerts.add(groupAlert(item, source, "alerts[" + i++ + "]", now));
        }
        return alerts;
    }

    private Alert groupAlert(JsonNode item, String source, String where, Instant now) throws BadPayloadException {
        if (!item.isObject()) {
            throw new BadPayloadException("INVALID_VALUE", where + ": an alert is a JSON object");
        }
        Map<String, String> labels = stringMap(item.get("labels"), where + ".labels");
        Map<String, String> annotations = stringMap(item.get("annotations"), where + ".annotations");
        AlertStatus status = status(required(item, "status", where), where);
        Instant startsAt = time(item.get("startsAt"), where + ".startsAt");
        if (startsAt == null) {
            throw new BadPayloadException("INVALID_VALUE", where + ": startsAt is missing");
        }
        Instant endsAt = time(item.get("endsAt"), where + ".endsAt");
        String fingerprint = text(item, "fingerprint");
        String generatorUrl = text(item, "generatorURL");
        if ("grafana".equals(source) && text(item, "panelURL") != null && generatorUrl == null) {
            generatorUrl = text(item, "panelURL");
        }
        String severityLabel = firstOf(labels, "severity", "priority", "level");
        // The all-args constructor (field order of Alert.avsc): Avro's builder copies defaults per record.
        return new Alert(source, firstOf(labels, "__alert_rule_uid__"),
                fingerprint != null ? fingerprint : fingerprint(source, labels), status,
                Severities.normalise(severityLabel), severityLabel, labels.getOrDefault("alertname", "alert"),
                entities.resource(labels), startsAt, status == AlertStatus.RESOLVED ? endsAt : null,
                status == AlertStatus.RESOLVED ? (endsAt != null ? endsAt : now) : startsAt,
                firstOf(annotations, "summary", "description", "message"), generatorUrl, labels, annotations);
    }

    private Alert genericAlert(JsonNode item, String source, String sourceId, String defaultName,
            AlertStatus defaultStatus, String where, Instant now) throws BadPayloadException {
        return genericAlert(item, source, sourceId, defaultName, defaultStatus, where, now, null, null);
    }

    private Alert genericAlert(JsonNode item, String defaultSource, String defaultSourceId, String defaultName,
            AlertStatus defaultStatus, String where, Instant now, Instant eventTime, String subject)
            throws BadPayloadException {
        if (!item.isObject()) {
            throw new BadPayloadException("INVALID_VALUE", where + ": an alert is a JSON object");
        }
        String name = text(item, "name");
        if (name == null) {
            name = defaultName;
        }
        if (name == null) {
            throw new BadPayloadException("INVALID_VALUE", where + ": \"name\" is missing (the alert's or rule's"
                    + " name)");
        }
        String source = text(item, "source") != null ? text(item, "source") : defaultSource;
        Map<String, String> labels = stringMap(item.get("labels"), where + ".labels");
        Map<String, String> annotations = stringMap(item.get("annotations"), where + ".annotations");
        // Entity fields given outright win over what the labels say.
        Map<String, String> entityLabels = new TreeMap<>(labels);
        if (subject != null) {
            entityLabels.putIfAbsent("service", subject);
        }
        for (String field : new String[] {"service", "host", "instance", "environment"}) {
            String value = text(item, field);
            if (value != null) {
                entityLabels.put(field, value);
            }
        }
        String statusText = text(item, "status");
        AlertStatus status = statusText != null ? status(statusText, where)
                : defaultStatus != null ? defaultStatus : AlertStatus.FIRING;
        Instant startsAt = time(item.get("startsAt"), where + ".startsAt");
        Instant endsAt = time(item.get("endsAt"), where + ".endsAt");
        Instant at = eventTime != null ? eventTime : now;
        if (startsAt == null) {
            startsAt = at;
        }
        String severity = text(item, "severity");
        if (severity == null) {
            severity = firstOf(labels, "severity", "priority", "level");
        }
        String fingerprint = text(item, "fingerprint");
        if (fingerprint == null) {
            Map<String, String> identity = new TreeMap<>(entityLabels);
            identity.put("alertname", name);
            fingerprint = fingerprint(source, identity);
        }
        String summary = text(item, "summary");
        return Alert.newBuilder()
                .setSource(source)
                .setSourceId(text(item, "id") != null ? text(item, "id") : defaultSourceId)
                .setFingerprint(fingerprint)
                .setStatus(status)
                .setSeverity(Severities.normalise(severity))
                .setRawSeverity(severity)
                .setName(name)
                .setResource(entities.resource(entityLabels))
                .setStartsAt(startsAt)
                .setEndsAt(status == AlertStatus.RESOLVED ? (endsAt != null ? endsAt : at) : null)
                .setTime(status == AlertStatus.RESOLVED ? (endsAt != null ? endsAt : at)
                        : eventTime != null ? eventTime : startsAt)
                .setSummary(summary != null ? summary : firstOf(annotations, "summary", "description", "message"))
                .setGeneratorUrl(text(item, "url") != null ? text(item, "url") : text(item, "generatorURL"))
                .setLabels(labels)
                .setAnnotations(annotations)
                .build();
    }

    private JsonNode object(byte[] body) throws BadPayloadException {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw new BadPayloadException("INVALID_VALUE", "the payload must be a JSON object");
        }
        return root;
    }

    private JsonNode parse(byte[] body) throws BadPayloadException {
        if (body.length == 0) {
            throw new BadPayloadException("EMPTY_BODY", "the request has no body");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new BadPayloadException("EMPTY_BODY", "the request has no JSON value");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new BadPayloadException("MALFORMED_JSON", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadPayloadException("MALFORMED_JSON", "not JSON: " + e.getMessage());
        }
    }

    private static AlertStatus status(String value, String where) throws BadPayloadException {
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "firing", "alerting", "triggered", "open", "problem" -> {
                return AlertStatus.FIRING;
            }
            case "resolved", "ok", "closed", "recovered", "normal" -> {
                return AlertStatus.RESOLVED;
            }
            default -> throw new BadPayloadException("INVALID_VALUE", where + ": status \"" + value
                    + "\" is neither firing nor resolved");
        }
    }

    /** An RFC 3339 time, or epoch milliseconds; null when absent or Alertmanager's zero time. */
    static Instant time(JsonNode node, String where) throws BadPayloadException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String text = node.asText().strip();
        if (text.isEmpty()) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadPayloadException("INVALID_VALUE", where + ": \"" + text + "\" is not an RFC 3339 time");
        }
        // 0001-01-01T00:00:00Z: Go's zero time, Alertmanager's "none".
        return instant.atOffset(java.time.ZoneOffset.UTC).getYear() < NO_TIME_BEFORE_YEAR ? null : instant;
    }

    private static Map<String, String> stringMap(JsonNode node, String where) throws BadPayloadException {
        Map<String, String> map = new TreeMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new BadPayloadException("INVALID_VALUE", where + " must be a JSON object of strings");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            map.put(field.getKey(), value.isValueNode() ? value.asText() : value.toString());
        }
        return map;
    }

    private static String required(JsonNode node, String field, String where) throws BadPayloadException {
        String value = text(node, field);
        if (value == null) {
            throw new BadPayloadException("INVALID_VALUE", where + ": \"" + field + "\" is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    private static String firstOf(Map<String, String> map, String... keys) {
        for (String key : keys) {
            String value = map.get(key);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** Identity of an alert whose source gave no fingerprint: its source and sorted labels, hashed. */
    static String fingerprint(String source, Map<String, String> labels) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
                sha.update((byte) 0);
                sha.update(label.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 1);
                sha.update(label.getValue().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
