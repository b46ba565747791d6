package io.sift.connectors.formats;

import com.fasterxml.jackson.databind.JsonNode;
import io.sift.core.validate.ErrorKinds;
import io.sift.schema.ItsmAction;
import io.sift.schema.ItsmUpdate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * ITSM feedback as a ticketing tool posts it, one JSON object per message: what a ServiceNow business rule on the
 * incident table sends (the record's fields: {@code correlation_id} holding Sift's incident id, {@code state} or
 * {@code incident_state} as a number or a name, {@code number}, {@code assigned_to}, {@code close_notes},
 * {@code sys_updated_on}), or a plain {@code {"incidentId","action","time",...}}. The default paths read both;
 * {@code sift.input.itsm-feedback.json.fields} replaces any role's candidates.
 * <p>
 * Actions: an explicit action or state name (acknowledged, assigned, resolved, closed, canceled, reopened, in
 * progress, on hold), or ServiceNow's incident state numbers (2 In Progress and 3 On Hold: acknowledged; 6 Resolved;
 * 7 Closed and 8 Canceled: closed; 1 New with an assignee: assigned). Anything else is UNKNOWN, which validation
 * dead-letters with the value named.
 */
public final class ItsmJsonDecoder implements RecordDecoder<ItsmUpdate> {

    private static final long serialVersionUID = 1L;

    static final JsonFieldPaths DEFAULTS = new JsonFieldPaths("sift.input.itsm-feedback.json.fields",
            fields());

    private final JsonFieldPaths paths;

    public ItsmJsonDecoder(Map<String, String> fieldMap) {
        this.paths = DEFAULTS.with(Objects.requireNonNull(fieldMap, "fieldMap"));
    }

    private static Map<String, List<String>> fields() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("incident", List.of("incidentId", "incident_id", "correlation_id", "message_key", "dedup_key"));
        f.put("action", List.of("action", "event", "state", "incident_state", "status"));
        f.put("time", List.of("time", "timestamp", "@timestamp", "sys_updated_on", "updated_at", "occurred_at"));
        f.put("ticket", List.of("ticket", "number", "incident_number", "key"));
        f.put("assignee", List.of("assignee", "assigned_to.display_value", "assigned_to", "assignment_group.display_value",
                "assignment_group"));
        f.put("note", List.of("note", "close_notes", "resolution", "comments", "work_notes"));
        f.put("environment", List.of("environment", "u_environment"));
        f.put("source", List.of("source"));
        return f;
    }

    @Override
    public InputFormat format() {
        return InputFormat.JSON;
    }

    @Override
    public void decode(byte[] bytes, List<ItsmUpdate> out) throws DecodeException {
        JsonNode event = JsonInput.object(bytes, format());
        String incident = paths.text(event, "incident");
        if (incident == null) {
            throw refused("no Sift incident id in any of " + paths.of("incident") + " (set " + paths.setting()
                    + ", e.g. 'incident:u_sift_id')");
        }
        Instant time = paths.time(event, "time");
        if (time == null) {
            throw refused("no time stamp in any of " + paths.of("time") + " (set " + paths.setting()
                    + ", e.g. 'time:sys_updated_on')");
        }
        String assignee = paths.text(event, "assignee");
        String source = paths.text(event, "source");
        String actionText = paths.text(event, "action");
        ItsmAction action = actionOf(actionText, assignee != null);
        String note = paths.text(event, "note");
        if (action == ItsmAction.UNKNOWN && note == null) {
            // Validation dead-letters an unknown action; the note then says what the tool sent.
            note = actionText == null ? "no action in any of " + paths.of("action") : "action '" + actionText + "'";
        }
        out.add(ItsmUpdate.newBuilder().setIncidentId(incident).setEnvironment(paths.text(event, "environment"))
                .setAction(action).setTime(time)
                .setTicket(paths.text(event, "ticket")).setAssignee(assignee).setNote(note)
                .setSource(source == null ? "json" : source).build());
    }

    static ItsmAction actionOf(String text, boolean assigned) {
        if (text == null) {
            return ItsmAction.UNKNOWN;
        }
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ');
        return switch (t) {
            case "2", "3", "in progress", "on hold", "work in progress", "acknowledged", "acknowledge", "ack" -> ItsmAction.ACKNOWLEDGED;
            case "assigned", "assign" -> ItsmAction.ASSIGNED;
            case "1", "new" -> assigned ? ItsmAction.ASSIGNED : ItsmAction.UNKNOWN;
            case "6", "resolved", "resolve", "fixed" -> ItsmAction.RESOLVED;
            case "7", "8", "closed", "close", "canceled", "cancelled" -> ItsmAction.CLOSED;
            case "reopened", "reopen" -> ItsmAction.REOPENED;
            default -> ItsmAction.UNKNOWN;
        };
    }

    private DecodeException refused(String why) {
        return new DecodeException(ErrorKinds.MALFORMED_JSON, format() + " ITSM update: " + why);
    }
}
