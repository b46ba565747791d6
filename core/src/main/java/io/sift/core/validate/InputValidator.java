package io.sift.core.validate;

import io.sift.schema.ChangeEvent;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.TopologyUpdate;
import java.io.Serializable;

/**
 * Checks decoded records for what the schema cannot express: finite values, names present, timestamps not
 * implausibly far ahead of the wall clock. A rejection carries an error kind and a reason for the dead-letter output.
 */
public final class InputValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Why a record was rejected. */
    public record Rejection(String errorKind, String message) {}

    private final long maxFutureMillis;

    public InputValidator(long maxFutureMillis) {
        this.maxFutureMillis = maxFutureMillis;
    }

    public Rejection check(MetricPoint point, long nowMillis) {
        if (point.getName() == null || point.getName().isBlank()) {
            return new Rejection("MISSING_FIELD", "metric point has an empty name");
        }
        Rejection resource = check(point.getResource());
        if (resource != null) {
            return resource;
        }
        if (!Double.isFinite(point.getValue())) {
            return new Rejection("INVALID_VALUE", "metric " + point.getName() + " has non-finite value " + point.getValue());
        }
        return checkTime(point.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(LogRecord log, long nowMillis) {
        Rejection resource = check(log.getResource());
        return resource != null ? resource : checkTime(log.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(ChangeEvent change, long nowMillis) {
        if (change.getId().isBlank() || change.getConfigurationItem().isBlank()) {
            return new Rejection("MISSING_FIELD", "change event needs an id and a configuration item");
        }
        return checkTime(change.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(TopologyUpdate update, long nowMillis) {
        if (update.getItem() == null && update.getEdge() == null) {
            return new Rejection("MISSING_FIELD", "topology update names neither an item nor an edge");
        }
        if (update.getItem() != null && update.getItem().getId().isBlank()) {
            return new Rejection("MISSING_FIELD", "topology item has an empty id");
        }
        if (update.getEdge() != null && (update.getEdge().getFrom().isBlank() || update.getEdge().getTo().isBlank())) {
            return new Rejection("MISSING_FIELD", "topology edge needs both ends");
        }
        return null;
    }

    /** ITSM feedback must name the incident and an action Sift knows; the incident itself is checked later. */
    public Rejection check(io.sift.schema.ItsmUpdate update, long nowMillis) {
        if (update.getIncidentId() == null || update.getIncidentId().isBlank()) {
            return new Rejection("MISSING_FIELD", "ITSM update has no incidentId (the Sift incident id the ticket was"
                    + " opened for, its correlation id)");
        }
        if (update.getAction() == io.sift.schema.ItsmAction.UNKNOWN) {
            return new Rejection("UNKNOWN_ACTION", "ITSM update for " + update.getIncidentId() + " has an action this"
                    + " version of Sift does not know (written by a newer producer?)");
        }
        return checkTime(update.getTime().toEpochMilli(), nowMillis);
    }

    private static Rejection check(Resource resource) {
        if (resource == null || resource.getService() == null || resource.getService().isBlank()) {
            return new Rejection("MISSING_FIELD", "resource.service is empty: every signal must name its service or item");
        }
        return null;
    }

    private Rejection checkTime(long time, long nowMillis) {
        if (time > nowMillis + maxFutureMillis) {
            return new Rejection("TIMESTAMP_IN_FUTURE", "event time " + java.time.Instant.ofEpochMilli(time)
                    + " is more than " + (maxFutureMillis / 60_000) + " min ahead of the wall clock");
        }
        return null;
    }
}
