package io.sift.core.validate;

import io.sift.schema.ChangeEvent;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.TopologyUpdate;
import java.io.Serializable;

/**
 * Checks decoded records for what the schema cannot express: finite values, names present, timestamps not
 * implausibly far ahead of the wall clock nor before a floor (epoch-zero and seconds-for-milliseconds bugs). A
 * rejection carries an error kind ({@link ErrorKinds}) and a reason for the dead-letter output.
 *
 * <p>Timestamps far in the past are judged twice: against the floor here, and against the newest record of the same
 * Kafka partition by the source (later than the allowed lateness: {@link ErrorKinds#LATE}). There is no bound
 * relative to the wall clock in the past, so that replays of old data still work.
 */
public final class InputValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Why a record was rejected. */
    public record Rejection(String errorKind, String message) {}

    /** The default floor of event times: 2000-01-01T00:00:00Z. */
    public static final long DEFAULT_MIN_TIME_MILLIS = 946_684_800_000L;

    private final long maxFutureMillis;
    private final long minTimeMillis;

    public InputValidator(long maxFutureMillis) {
        this(maxFutureMillis, DEFAULT_MIN_TIME_MILLIS);
    }

    /**
     * @param maxFutureMillis how far ahead of the wall clock an event time may be
     * @param minTimeMillis   earliest plausible event time (epoch millis)
     */
    public InputValidator(long maxFutureMillis, long minTimeMillis) {
        if (maxFutureMillis < 0) {
            throw new IllegalArgumentException("the allowed time ahead of the wall clock must not be negative, was "
                    + maxFutureMillis + " ms (sift.validate.max-future)");
        }
        this.maxFutureMillis = maxFutureMillis;
        this.minTimeMillis = minTimeMillis;
    }

    /** Checks a record of any of Sift's input types; null when it is usable. */
    public Rejection check(Object record, long nowMillis) {
        if (record instanceof MetricPoint point) {
            return check(point, nowMillis);
        }
        if (record instanceof LogRecord log) {
            return check(log, nowMillis);
        }
        if (record instanceof ChangeEvent change) {
            return check(change, nowMillis);
        }
        if (record instanceof TopologyUpdate update) {
            return check(update, nowMillis);
        }
        if (record instanceof io.sift.schema.ItsmUpdate update) {
            return check(update, nowMillis);
        }
        if (record instanceof io.sift.schema.Alert alert) {
            return check(alert, nowMillis);
        }
        if (record instanceof io.sift.schema.TraceSpan span) {
            return check(span, nowMillis);
        }
        throw new IllegalArgumentException("not an input record of Sift: "
                + (record == null ? "null" : record.getClass().getName()));
    }

    /** Event time of a record of any of Sift's input types, in epoch milliseconds. */
    public static long eventTime(Object record) {
        if (record instanceof MetricPoint point) {
            return point.getTime().toEpochMilli();
        }
        if (record instanceof LogRecord log) {
            return log.getTime().toEpochMilli();
        }
        if (record instanceof ChangeEvent change) {
            return change.getTime().toEpochMilli();
        }
        if (record instanceof TopologyUpdate update) {
            return update.getTime().toEpochMilli();
        }
        if (record instanceof io.sift.schema.ItsmUpdate update) {
            return update.getTime().toEpochMilli();
        }
        if (record instanceof io.sift.schema.Alert alert) {
            return alert.getTime().toEpochMilli();
        }
        if (record instanceof io.sift.schema.TraceSpan span) {
            return span.getTime().toEpochMilli();
        }
        throw new IllegalArgumentException("not an input record of Sift: "
                + (record == null ? "null" : record.getClass().getName()));
    }

    public Rejection check(MetricPoint point, long nowMillis) {
        if (point.getName() == null || point.getName().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "metric point has an empty name");
        }
        Rejection resource = check(point.getResource());
        if (resource != null) {
            return resource;
        }
        if (!Double.isFinite(point.getValue())) {
            return new Rejection(ErrorKinds.INVALID_VALUE, "metric " + point.getName() + " has non-finite value " + point.getValue());
        }
        return checkTime(point.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(LogRecord log, long nowMillis) {
        Rejection resource = check(log.getResource());
        return resource != null ? resource : checkTime(log.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(io.sift.schema.TraceSpan span, long nowMillis) {
        Rejection resource = check(span.getResource());
        if (resource != null) {
            return resource;
        }
        if (!Double.isFinite(span.getDurationMillis()) || span.getDurationMillis() < 0) {
            return new Rejection(ErrorKinds.INVALID_VALUE, "span " + span.getName() + " has duration "
                    + span.getDurationMillis() + " ms; a span ends at or after its start");
        }
        return checkTime(span.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(ChangeEvent change, long nowMillis) {
        if (change.getId().isBlank() || change.getConfigurationItem().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "change event needs an id and a configuration item");
        }
        return checkTime(change.getTime().toEpochMilli(), nowMillis);
    }

    public Rejection check(TopologyUpdate update, long nowMillis) {
        if (update.getItem() == null && update.getEdge() == null) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "topology update names neither an item nor an edge");
        }
        if (update.getItem() != null && update.getItem().getId().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "topology item has an empty id");
        }
        if (update.getEdge() != null && (update.getEdge().getFrom().isBlank() || update.getEdge().getTo().isBlank())) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "topology edge needs both ends");
        }
        return null;
    }

    /**
     * An alert needs a source, a fingerprint (its identity across repeats), a name and the entity it is about; its
     * end, when given, must not precede its start.
     */
    public Rejection check(io.sift.schema.Alert alert, long nowMillis) {
        if (alert.getSource() == null || alert.getSource().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "alert has no source (the system that raised it, e.g. "
                    + "'alertmanager')");
        }
        if (alert.getFingerprint() == null || alert.getFingerprint().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "alert " + alert.getName() + " from " + alert.getSource()
                    + " has no fingerprint (its identity across repeats: the source's fingerprint, or a hash of its "
                    + "identifying labels)");
        }
        if (alert.getName() == null || alert.getName().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "alert " + alert.getFingerprint() + " has no name");
        }
        Rejection resource = check(alert.getResource());
        if (resource != null) {
            return resource;
        }
        if (alert.getEndsAt() != null && alert.getEndsAt().isBefore(alert.getStartsAt())) {
            return new Rejection(ErrorKinds.INVALID_VALUE, "alert " + alert.getFingerprint() + " ends ("
                    + alert.getEndsAt() + ") before it starts (" + alert.getStartsAt() + ")");
        }
        return checkTime(alert.getTime().toEpochMilli(), nowMillis);
    }

    /** ITSM feedback must name the incident and an action Sift knows; the incident itself is checked later. */
    public Rejection check(io.sift.schema.ItsmUpdate update, long nowMillis) {
        if (update.getIncidentId() == null || update.getIncidentId().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "ITSM update has no incidentId (the Sift incident id the ticket was"
                    + " opened for, its correlation id)");
        }
        if (update.getAction() == io.sift.schema.ItsmAction.UNKNOWN) {
            return new Rejection(ErrorKinds.UNKNOWN_ACTION, "ITSM update for " + update.getIncidentId() + " has an action this"
                    + " version of Sift does not know (written by a newer producer?)");
        }
        return checkTime(update.getTime().toEpochMilli(), nowMillis);
    }

    private static Rejection check(Resource resource) {
        if (resource == null || resource.getService() == null || resource.getService().isBlank()) {
            return new Rejection(ErrorKinds.MISSING_FIELD, "resource.service is empty: every signal must name its service or item");
        }
        return null;
    }

    private Rejection checkTime(long time, long nowMillis) {
        if (time > nowMillis + maxFutureMillis) {
            return new Rejection(ErrorKinds.TIMESTAMP_IN_FUTURE, "event time " + java.time.Instant.ofEpochMilli(time)
                    + " is more than " + (maxFutureMillis / 60_000) + " min ahead of the wall clock");
        }
        if (time < minTimeMillis) {
            return new Rejection(ErrorKinds.TIMESTAMP_TOO_OLD, "event time " + java.time.Instant.ofEpochMilli(time)
                    + " is before " + java.time.Instant.ofEpochMilli(minTimeMillis)
                    + " (sift.validate.min-event-time; seconds sent as milliseconds, or an unset clock?)");
        }
        return null;
    }
}
