package io.sift.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * What a client outside Java needs to write and read Sift's records: for every schema the job accepts (the current
 * one and every released version), its Parsing Canonical Form and its 8-byte CRC-64-AVRO fingerprint as single-object
 * encoding writes it, and the order in which the {@code .avsc} files resolve each other's named types.
 *
 * <p>Single-object encoding: {@code C3 01}, then the fingerprint of the writer's schema as 8 bytes little-endian, then
 * the Avro binary body. The fingerprint is the CRC-64-AVRO (Rabin) of the schema's Parsing Canonical Form, which keeps
 * only {@code type}, {@code name} (full), {@code fields}, {@code symbols}, {@code items}, {@code values} and
 * {@code size}: a logical type is its underlying type alone ({@code "long"}, not {@code {"type":"long"}}).
 */
public final class SchemaContract {

    /** The version name of the schemas the current build writes. */
    public static final String CURRENT = "current";

    /** One schema of one version. {@code fingerprint}: the 8 bytes as written after {@code C3 01}, in hex. */
    public record Entry(String name, String version, String fingerprint, long fingerprintValue, String canonicalForm) {}

    /** One {@code .avsc} file in resolution order: the named types it defines, and those it uses from earlier files. */
    public record FileOrder(int position, String file, List<String> defines, List<String> uses) {}

    private SchemaContract() {}

    /** Every schema the job accepts: the current ones, then every released version, in file order. */
    public static List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (String name : SiftSchemas.FILES) {
            entries.add(entry(name, CURRENT, SiftSchemas.current(name)));
        }
        for (String version : SiftSchemas.releasedVersions()) {
            for (String name : SiftSchemas.FILES) {
                if (SiftSchemas.isReleased(version, name)) {
                    entries.add(entry(name, version, SiftSchemas.released(version, name)));
                }
            }
        }
        return entries;
    }

    static Entry entry(String name, String version, Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        return new Entry(name, version, hex(fingerprint), fingerprint, SchemaNormalization.toParsingForm(schema));
    }

    /** The 8 bytes of a fingerprint as single-object encoding writes them (little-endian), in upper-case hex. */
    public static String hex(long fingerprint) {
        StringBuilder text = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            text.append(String.format(Locale.ROOT, "%02X", (fingerprint >>> (8 * i)) & 0xFF));
        }
        return text.toString();
    }

    /**
     * The current {@code .avsc} files in the order a parser must read them (one parser for all, each file after those
     * whose named types it uses), with what each defines and uses.
     */
    public static List<FileOrder> resolutionOrder() {
        List<FileOrder> order = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        int position = 1;
        for (String name : SiftSchemas.FILES) {
            Schema schema = SiftSchemas.current(name);
            Map<String, Schema> named = new LinkedHashMap<>();
            collect(schema, named, new LinkedHashSet<>());
            List<String> defines = new ArrayList<>();
            List<String> uses = new ArrayList<>();
            for (String full : named.keySet()) {
                (known.contains(full) ? uses : defines).add(full);
            }
            known.addAll(defines);
            order.add(new FileOrder(position++, name + ".avsc", defines, uses));
        }
        return order;
    }

    private static void collect(Schema schema, Map<String, Schema> named, Set<String> visiting) {
        switch (schema.getType()) {
            case RECORD -> {
                if (named.putIfAbsent(schema.getFullName(), schema) == null && visiting.add(schema.getFullName())) {
                    for (Schema.Field field : schema.getFields()) {
                        collect(field.schema(), named, visiting);
                    }
                }
            }
            case ENUM, FIXED -> named.putIfAbsent(schema.getFullName(), schema);
            case ARRAY -> collect(schema.getElementType(), named, visiting);
            case MAP -> collect(schema.getValueType(), named, visiting);
            case UNION -> schema.getTypes().forEach(t -> collect(t, named, visiting));
            default -> { }
        }
    }
}
