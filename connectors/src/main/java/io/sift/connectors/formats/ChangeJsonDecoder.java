package io.sift.connectors.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A change as CI/CD and change-management tools post it, one JSON object per message: a pipeline's deployment event
 * (GitHub's {@code deployment_status} webhook, Argo CD or GitLab notifications relayed to Kafka, a plain
 * {@code {"service","version","environment","time"}}), or a ServiceNow change request posted by a business rule.
 * The default paths read all of those; {@code sift.input.changes.json.fields} replaces any role's candidates.
 * <ul>
 *   <li>An event whose state says the change has not taken effect (pending, queued, in progress, canceled; ServiceNow's
 *       change states New to Implement and Canceled) gives no change: the final event of the same deployment will.
 *   <li>The type comes from a type field (deploy, release, rollback → DEPLOY; config → CONFIGURATION; flag, feature →
 *       FEATURE_FLAG; scale → SCALING; infra, patch → INFRASTRUCTURE); without one, an event with a version is a
 *       DEPLOY, anything else OTHER.
 *   <li>Without an id the change's id is a digest of item, time and summary, so a redelivered event is the same
 *       change.
 * </ul>
 */
public final class ChangeJsonDecoder implements RecordDecoder<ChangeEvent> {

    private static final long serialVersionUID = 1L;

    /** The fields a change needs and where the tools users run keep them. */
    static final JsonFieldPaths DEFAULTS = new JsonFieldPaths("sift.input.changes.json.fields", fields());

    /** States of an event that precedes the change taking effect. */
    private static final Set<String> NOT_YET = Set.of("pending", "queued", "waiting", "scheduled", "planned", "new",
            "requested", "in_progress", "in progress", "running", "started", "assess", "authorize", "implement",
            "canceled", "cancelled",
            // ServiceNow change request states by number: New, Assess, Authorize, Scheduled, Implement; Canceled.
            "-5", "-4", "-3", "-2", "-1", "4");

    private final JsonFieldPaths paths;

    public ChangeJsonDecoder(Map<String, String> fieldMap) {
        this.paths = DEFAULTS.with(Objects.requireNonNull(fieldMap, "fieldMap"));
    }

    private static Map<String, List<String>> fields() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("id", List.of("id", "change_id", "deployment_status.id", "sys_id", "deployment.id"));
        f.put("time", List.of("time", "timestamp", "@timestamp", "finished_at", "deployment_status.updated_at",
                "work_end", "closed_at", "sys_updated_on", "updated_at", "created_at"));
        f.put("type", List.of("type", "change_type", "kind", "category"));
        f.put("item", List.of("service", "service.name", "configuration_item", "cmdb_ci.display_value", "cmdb_ci",
                "application", "app", "component", "repository.name"));
        f.put("environment", List.of("environment", "env", "deployment_status.environment", "deployment.environment",
                "u_environment"));
        f.put("author", List.of("author", "user", "actor", "triggered_by", "deployment.creator.login",
                "sender.login", "requested_by.display_value", "requested_by"));
        f.put("summary", List.of("summary", "short_description", "description", "deployment.description", "message",
                "title"));
        f.put("change-request", List.of("change_request", "change_request_number", "chg"));
        f.put("version", List.of("version", "revision", "sha", "commit", "deployment.sha", "image", "deployment.ref"));
        f.put("state", List.of("state", "status", "deployment_status.state"));
        return f;
    }

    @Override
    public boolean passesOverEmpty() {
        return true;
    }

    @Override
    public InputFormat format() {
        return InputFormat.JSON;
    }

    @Override
    public void decode(byte[] bytes, List<ChangeEvent> out) throws DecodeException {
        JsonNode event = JsonInput.object(bytes, format());
        String state = paths.text(event, "state");
        if (state != null && NOT_YET.contains(state.toLowerCase(Locale.ROOT))) {
            return;
        }
        Instant time = paths.time(event, "time");
        if (time == null) {
            throw refused("no time stamp in any of " + paths.of("time") + " (set " + paths.setting() + ", e.g."
                    + " 'time:finishedAt')");
        }
        String item = paths.text(event, "item");
        if (item == null) {
            throw refused("no changed service or configuration item in any of " + paths.of("item") + " (set "
                    + paths.setting() + ", e.g. 'item:app.name')");
        }
        String summary = paths.text(event, "summary");
        String version = paths.text(event, "version");
        ChangeType type = typeOf(event, version != null);
        if (summary == null) {
            summary = type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + item
                    + (version == null ? "" : " " + version);
        }
        String id = paths.text(event, "id");
        if (id == null) {
            id = "json-" + digest(item + "|" + time.toEpochMilli() + "|" + summary);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        if (version != null) {
            attributes.put("version", version);
        }
        if (state != null) {
            attributes.put("state", state);
        }
        String changeRequest = paths.text(event, "change-request");
        if (changeRequest == null) {
            // ServiceNow posts a change request's own number (CHG...); other tools' numbers are no change requests.
            JsonNode number = event.get("number");
            if (number != null && number.isTextual() && number.asText().regionMatches(true, 0, "CHG", 0, 3)) {
                changeRequest = number.asText();
            }
        }
        out.add(ChangeEvent.newBuilder().setId(id).setTime(time).setType(type).setConfigurationItem(item)
                .setEnvironment(paths.text(event, "environment")).setAuthor(paths.text(event, "author"))
                .setSummary(summary).setChangeRequest(changeRequest)
                .setAttributes(new java.util.HashMap<>(attributes)).build());
    }

    /** The first type candidate that names a kind of change; without one a versioned change is a deploy. */
    private ChangeType typeOf(JsonNode event, boolean versioned) {
        for (String path : paths.of("type")) {
            JsonNode node = JsonLogDecoder.find(event, path);
            if (node != null && node.isValueNode() && !node.isNull()) {
                ChangeType type = typeOf(node.asText());
                if (type != ChangeType.OTHER) {
                    return type;
                }
            }
        }
        return versioned ? ChangeType.DEPLOY : ChangeType.OTHER;
    }

    static ChangeType typeOf(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("deploy") || t.contains("release") || t.contains("rollout") || t.contains("rollback")
                || t.contains("canary") || t.contains("upgrade")) {
            return ChangeType.DEPLOY;
        }
        if (t.contains("config")) {
            return ChangeType.CONFIGURATION;
        }
        if (t.contains("flag") || t.contains("feature") || t.contains("toggle")) {
            return ChangeType.FEATURE_FLAG;
        }
        if (t.contains("scal")) {
            return ChangeType.SCALING;
        }
        if (t.contains("infra") || t.contains("patch") || t.contains("network") || t.contains("terraform")) {
            return ChangeType.INFRASTRUCTURE;
        }
        return ChangeType.OTHER;
    }

    private DecodeException refused(String why) {
        return new DecodeException(ErrorKinds.MALFORMED_JSON, format() + " change: " + why);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
