package io.sift.eval.loghub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One Loghub system's labelled sample: the message ({@code Content}) of each line in log order and its ground-truth
 * template ({@code EventTemplate}), read from {@code <System>/<System>_2k.log_structured_corrected.csv} (the corrected
 * labels of Loghub-2.0), or from {@code <System>_2k.log_structured.csv} for a system that has no corrected file.
 *
 * @param corrected whether the ground truth is the corrected one
 */
public record LoghubSystem(String name, List<String> contents, List<String> templates, boolean corrected) {

    static final String FILE_SUFFIX = "_2k.log_structured_corrected.csv";
    static final String UNCORRECTED_SUFFIX = "_2k.log_structured.csv";

    public LoghubSystem {
        if (contents.size() != templates.size()) {
            throw new IllegalArgumentException(name + ": " + contents.size() + " lines but " + templates.size()
                    + " templates");
        }
        contents = List.copyOf(contents);
        templates = List.copyOf(templates);
    }

    /** Every system under {@code dataDir} that has a corrected structured file, by name. */
    public static List<LoghubSystem> discover(Path dataDir) {
        List<LoghubSystem> systems = new ArrayList<>();
        try (Stream<Path> folders = Files.list(dataDir)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                String name = folder.getFileName().toString();
                Path file = folder.resolve(name + FILE_SUFFIX);
                Path uncorrected = folder.resolve(name + UNCORRECTED_SUFFIX);
                if (Files.isRegularFile(file)) {
                    systems.add(read(name, file, true));
                } else if (Files.isRegularFile(uncorrected)) {
                    systems.add(read(name, uncorrected, false));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dataDir, e);
        }
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("no <System>/<System>" + FILE_SUFFIX + " (or " + UNCORRECTED_SUFFIX
                    + ") files under " + dataDir.toAbsolutePath());
        }
        return systems;
    }

    /** Reads one structured CSV file (header row, quoted fields as written by pandas). */
    public static LoghubSystem read(String name, Path file, boolean corrected) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<List<String>> rows = Csv.parse(text);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        List<String> header = rows.get(0);
        int content = header.indexOf("Content");
        int template = header.indexOf("EventTemplate");
        if (content < 0 || template < 0) {
            throw new IllegalArgumentException(file + " has no Content or EventTemplate column: " + header);
        }
        List<String> contents = new ArrayList<>(rows.size());
        List<String> templates = new ArrayList<>(rows.size());
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() == 1 && row.get(0).isEmpty()) {
                continue; // trailing blank line
            }
            if (row.size() <= Math.max(content, template)) {
                throw new IllegalArgumentException(file + ": row " + (contents.size() + 2) + " has " + row.size()
                        + " fields, expected " + header.size());
            }
            contents.add(row.get(content));
            templates.add(row.get(template));
        }
        return new LoghubSystem(name, contents, templates, corrected);
    }

    /** RFC 4180 fields: commas separate, double quotes enclose, a doubled quote inside is one quote. */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean inQuotes = false;
            int i = text.startsWith("\uFEFF") ? 1 : 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (inQuotes) {
                    if (c == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            inQuotes = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    inQuotes = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    field.append(c);
                }
                i++;
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }
}
