package io.sift.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The schemas Sift reads and writes, current and released, and decoders for Avro single-object encoding that
 * resolve records written with any released version of a schema.
 */
public final class SiftSchemas {

    /** Top-level record schemas, in the order their files must be parsed (named types used later come first). */
    public static final List<String> FILES = List.of(
            "Resource", "Anomaly", "MetricPoint", "LogRecord", "ChangeEvent", "TopologyUpdate", "Incident",
            "DeadLetter", "SloStatus", "ServiceHealth", "Problem", "ItsmUpdate", "Alert");

    private static final Map<String, Map<String, Schema>> RELEASED = loadReleased();

    private SiftSchemas() {}

    /** Released versions kept in the repository, oldest first. */
    public static List<String> releasedVersions() {
        return List.copyOf(RELEASED.keySet());
    }

    /** The record names release {@code version} had. */
    public static java.util.Set<String> releasedNames(String version) {
        Map<String, Schema> schemas = RELEASED.get(version);
        return schemas == null ? java.util.Set.of() : java.util.Set.copyOf(schemas.keySet());
    }

    /** Whether release {@code version} had the record {@code name} (records added later did not exist then). */
    public static boolean isReleased(String version, String name) {
        return releasedNames(version).contains(name);
    }

    /** The schema of record {@code name} as release {@code version} wrote it. */
    public static Schema released(String version, String name) {
        Map<String, Schema> schemas = RELEASED.get(version);
        if (schemas == null || !schemas.containsKey(name)) {
            throw new IllegalArgumentException("no released schema " + name + " in version " + version
                    + "; released versions: " + RELEASED.keySet());
        }
        return schemas.get(name);
    }

    /** The current schema of record {@code name}, as parsed from {@code src/main/avro}. */
    public static Schema current(String name) {
        return parseAll("io/sift/schema/current/", false).get(name);
    }

    /** A store holding every released version of the given record's schema, for resolving old writers. */
    public static SchemaStore.Cache storeFor(Schema currentSchema) {
        SchemaStore.Cache store = new SchemaStore.Cache();
        store.addSchema(currentSchema);
        for (Map<String, Schema> version : RELEASED.values()) {
            Schema old = version.get(currentSchema.getName());
            if (old != null) {
                store.addSchema(old);
            }
        }
        return store;
    }

    /**
     * A single-object decoder for a generated record class that reads records written with the current schema or
     * any released version of it.
     */
    public static <T extends SpecificRecord> BinaryMessageDecoder<T> decoderFor(Class<T> recordClass) {
        // The generated class's own model carries its logical-type conversions (timestamp-millis as Instant).
        SpecificData model = SpecificData.getForClass(recordClass);
        Schema schema = model.getSchema(recordClass);
        SchemaStore.Cache store = storeFor(schema);
        BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, schema, store);
        for (Map<String, Schema> version : RELEASED.values()) {
            Schema old = version.get(schema.getName());
            if (old != null) {
                decoder.addSchema(old);
            }
        }
        return decoder;
    }

    private static Map<String, Map<String, Schema>> loadReleased() {
        Map<String, Map<String, Schema>> versions = new LinkedHashMap<>();
        for (String version : readLines("io/sift/schema/released/versions.txt")) {
            versions.put(version, parseAll("io/sift/schema/released/" + version + "/", true));
        }
        return Collections.unmodifiableMap(versions);
    }

    /** Parses a folder's schemas; a release may lack schemas added after it ({@code skipMissing}). */
    private static Map<String, Schema> parseAll(String folder, boolean skipMissing) {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (String name : FILES) {
            if (skipMissing && SiftSchemas.class.getClassLoader().getResource(folder + name + ".avsc") == null) {
                continue; // a schema added after that release
            }
            try (InputStream in = resource(folder + name + ".avsc")) {
                schemas.put(name, parser.parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema " + folder + name + ".avsc", e);
            }
        }
        return schemas;
    }

    private static List<String> readLines(String path) {
        try (InputStream in = resource(path)) {
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.trim());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = SiftSchemas.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("missing classpath resource " + path + " (is sift-schemas built?)");
        }
        return in;
    }
}
