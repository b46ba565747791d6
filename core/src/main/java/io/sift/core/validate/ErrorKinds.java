package io.sift.core.validate;

/**
 * The {@code errorKind} values of dead letters for bad input, one per reason, so that dashboards and replays can
 * select them. Each is counted per kind in the job's {@code deadLettered} metric.
 */
public final class ErrorKinds {

    /** A Kafka record without a value (tombstone). */
    public static final String EMPTY_RECORD = "EMPTY_RECORD";
    /** Bytes without the Avro single-object header. */
    public static final String NOT_SINGLE_OBJECT_AVRO = "NOT_SINGLE_OBJECT_AVRO";
    /** A schema fingerprint no released schema has (a newer or foreign producer). */
    public static final String UNKNOWN_SCHEMA = "UNKNOWN_SCHEMA";
    /** Truncated or corrupt Avro bodies. */
    public static final String MALFORMED_AVRO = "MALFORMED_AVRO";
    /** Bytes that are not an OTLP export request of the topic's format (otlp-proto or otlp-json), named in the message. */
    public static final String MALFORMED_OTLP = "MALFORMED_OTLP";
    /** Bytes that are not the JSON document the topic's format expects (prometheus-json, telegraf-json, json). */
    public static final String MALFORMED_JSON = "MALFORMED_JSON";
    /** A line that is not InfluxDB line protocol (influx-line). */
    public static final String MALFORMED_LINE_PROTOCOL = "MALFORMED_LINE_PROTOCOL";
    /** A record larger than sift.validate.max-record-size (e.g. a 1 MB log line); not decoded. */
    public static final String TOO_LARGE = "TOO_LARGE";
    /** A string field that is not valid UTF-8 (Avro would silently replace the bad bytes). */
    public static final String INVALID_UTF8 = "INVALID_UTF8";
    /** A required name or id is empty. */
    public static final String MISSING_FIELD = "MISSING_FIELD";
    /** A NaN or infinite metric value. */
    public static final String INVALID_VALUE = "INVALID_VALUE";
    /** Event time implausibly far ahead of the wall clock. */
    public static final String TIMESTAMP_IN_FUTURE = "TIMESTAMP_IN_FUTURE";
    /** Event time before the plausible floor (sift.validate.min-event-time). */
    public static final String TIMESTAMP_TOO_OLD = "TIMESTAMP_TOO_OLD";
    /** Event time further behind the newest record of its partition than the allowed lateness. */
    public static final String LATE = "LATE";
    /** A byte-identical repeat of a recent record of the same partition, or a second sample of a series at a time. */
    public static final String DUPLICATE = "DUPLICATE";
    /** A sample older than the latest one of its series (it cannot be scored in order any more). */
    public static final String OUT_OF_ORDER = "OUT_OF_ORDER";
    /** A topology delete of an item or edge the topology does not hold. */
    public static final String UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE";
    /**
     * ITSM feedback naming no incident Sift holds or remembers (a wrong id or environment, merged, or settled longer
     * ago than {@code sift.itsm.settled-memory}).
     */
    public static final String UNKNOWN_INCIDENT = "UNKNOWN_INCIDENT";
    /** ITSM feedback reopening an incident that settled and is no longer correlated. */
    public static final String SETTLED_INCIDENT = "SETTLED_INCIDENT";
    /** ITSM feedback with an action this version of Sift does not know. */
    public static final String UNKNOWN_ACTION = "UNKNOWN_ACTION";

    private ErrorKinds() {}
}
