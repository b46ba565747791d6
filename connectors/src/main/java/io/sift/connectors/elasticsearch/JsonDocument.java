package io.sift.connectors.elasticsearch;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small writer for compact JSON documents in a fixed field order, so that the same input always
 * gives byte-identical output. Null values are left out; non-finite doubles (not valid JSON) too.
 */
final class JsonDocument implements AutoCloseable {

    /** ECS version the documents follow. */
    static final String ECS_VERSION = "8.11.0";

    private static final JsonFactory FACTORY = new JsonFactory();

    /** UTC with milliseconds, always the same length: 2026-11-24T20:26:31.964Z. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("uuuu.MM").withZone(ZoneOffset.UTC);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    private final JsonGenerator gen;

    JsonDocument() {
        try {
            gen = FACTORY.createGenerator(out, JsonEncoding.UTF8);
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** The monthly index name: prefix + yyyy.MM of {@code time} in UTC. */
    static String monthlyIndex(String prefix, Instant time) {
        return prefix + MONTH.format(time);
    }

    JsonDocument startObject(String name) {
        try {
            gen.writeObjectFieldStart(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument startObject() {
        try {
            gen.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument endObject() {
        try {
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument startArray(String name) {
        try {
            gen.writeArrayFieldStart(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument endArray() {
        try {
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument field(String name, String value) {
        if (value != null) {
            try {
                gen.writeStringField(name, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    JsonDocument field(String name, Enum<?> value) {
        return field(name, value == null ? null : value.name());
    }

    JsonDocument field(String name, Instant value) {
        return field(name, value == null ? null : timestamp(value));
    }

    JsonDocument field(String name, long value) {
        try {
            gen.writeNumberField(name, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument field(String name, boolean value) {
        try {
            gen.writeBooleanField(name, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    JsonDocument field(String name, double value) {
        if (Double.isFinite(value)) {
            try {
                gen.writeNumberField(name, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** A string array, in the given order; an empty or null collection writes []. */
    JsonDocument strings(String name, Collection<String> values) {
        try {
            gen.writeArrayFieldStart(name);
            if (values != null) {
                for (String v : values) {
                    if (v != null) {
                        gen.writeString(v);
                    }
                }
            }
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A string map as an object, keys sorted; nothing is written for an empty or null map. */
    JsonDocument sortedMap(String name, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return this;
        }
        startObject(name);
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            field(e.getKey(), e.getValue());
        }
        return endObject();
    }

    /** ECS event.* block shared by Sift's documents. */
    JsonDocument event(String dataset, Instant start, Instant end) {
        startObject("event");
        field("kind", "alert");
        field("module", "sift");
        field("dataset", dataset);
        field("start", start);
        field("end", end);
        if (start != null && end != null && !end.isBefore(start)) {
            // ECS: event.duration is in nanoseconds.
            field("duration", Math.multiplyExact(end.toEpochMilli() - start.toEpochMilli(), 1_000_000L));
        }
        return endObject();
    }

    JsonDocument ecsVersion() {
        return startObject("ecs").field("version", ECS_VERSION).endObject();
    }

    byte[] toBytes() {
        try {
            gen.writeEndObject();
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
