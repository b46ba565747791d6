package io.sift.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.schema.SchemaContract;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints what a client needs to write and read Sift's Avro records without Java: every schema the job accepts (current
 * and released) with its Parsing Canonical Form and 8-byte fingerprint, and the order in which the .avsc files resolve
 * each other's named types.
 */
@Command(name = "schemas", mixinStandardHelpOptions = true,
        description = "Print every schema Sift reads and writes (current and released versions): its Avro Parsing"
                + " Canonical Form, its 8-byte CRC-64-AVRO fingerprint as single-object encoding writes it, and the"
                + " order in which the .avsc files resolve each other's named types.")
final class SchemasCommand implements Callable<Integer> {

    static final String ENCODING = "Avro single-object encoding: C3 01, the writer schema's fingerprint (CRC-64-AVRO of"
            + " its Parsing Canonical Form, 8 bytes little-endian), then the Avro binary body";

    @Option(names = "--json", description = "Machine-readable output (one JSON document).")
    boolean json;

    @Option(names = "--no-canonical", description = "Leave out the canonical forms (the table only).")
    boolean noCanonical;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson()));
            return 0;
        }
        out.println("Resolution order: parse the .avsc files (schemas/src/main/avro) with one parser, in this order;");
        out.println("a file uses named types that earlier files define.");
        for (SchemaContract.FileOrder file : SchemaContract.resolutionOrder()) {
            out.printf("  %2d %-20s defines %s%s%n", file.position(), file.file(), String.join(", ", file.defines()),
                    file.uses().isEmpty() ? "" : "; uses " + String.join(", ", file.uses()));
        }
        out.println();
        out.println(ENCODING + ".");
        out.println("The job reads every schema below; it writes the 'current' ones.");
        out.printf("%-14s %-8s %-16s%n", "SCHEMA", "VERSION", "FINGERPRINT");
        for (SchemaContract.Entry entry : SchemaContract.entries()) {
            out.printf("%-14s %-8s %s%n", entry.name(), entry.version(), entry.fingerprint());
            if (!noCanonical) {
                out.println("    " + entry.canonicalForm());
            }
        }
        return 0;
    }

    static ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("encoding", ENCODING);
        ArrayNode order = root.putArray("resolutionOrder");
        for (SchemaContract.FileOrder file : SchemaContract.resolutionOrder()) {
            ObjectNode node = order.addObject();
            node.put("position", file.position());
            node.put("file", file.file());
            file.defines().forEach(node.putArray("defines")::add);
            file.uses().forEach(node.putArray("uses")::add);
        }
        ArrayNode schemas = root.putArray("schemas");
        for (SchemaContract.Entry entry : SchemaContract.entries()) {
            ObjectNode node = schemas.addObject();
            node.put("name", entry.name());
            node.put("version", entry.version());
            node.put("fingerprint", entry.fingerprint());
            node.put("fingerprintLong", entry.fingerprintValue());
            node.put("canonicalForm", entry.canonicalForm());
        }
        return root;
    }
}
