package io.sift.connectors.formats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sift.core.validate.ErrorKinds;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reading the JSON of the JSON formats, and the time stamps their tools write. */
final class JsonInput {

    /** Fails on invalid UTF-8 and on trailing garbage, rather than reading half a message. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonInput() {}

    static JsonNode object(byte[] bytes, InputFormat format) throws DecodeException {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format + ": not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (node == null || !node.isObject()) {
            throw new DecodeException(ErrorKinds.MALFORMED_JSON, format + ": expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        return node;
    }

    /**
     * An epoch number in seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude (any time after
     * 1973 in one unit is before 1970 + 3 000 years in the next), or null for a non-positive number.
     */
    static Instant epoch(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            return null;
        }
        if (value < 1e11) {
            long millis = Math.round(value * 1000);
            return Instant.ofEpochMilli(millis);
        }
        if (value < 1e14) {
            return Instant.ofEpochMilli(Math.round(value));
        }
        if (value < 1e17) {
            long micros = (long) value;
            return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        }
        long nanos = (long) value;
        return Instant.ofEpochSecond(0, nanos);
    }

    /** A time stamp as tools write it: an epoch number (or numeric string), or an ISO-8601/RFC 3339 date-time. */
    static Instant time(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return epoch(node.asDouble());
        }
        if (!node.isTextual()) {
            return null;
        }
        String text = node.asText().strip();
        if (text.isEmpty()) {
            return null;
        }
        char first = text.charAt(0);
        if (Character.isDigit(first) && text.indexOf('-') < 0 && text.indexOf(':') < 0) {
            try {
                return epoch(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // Without a zone (e.g. '2026-12-07T11:00:00.123'): UTC, as most shippers write.
                return java.time.LocalDateTime.parse(text.replace(' ', 'T')).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
