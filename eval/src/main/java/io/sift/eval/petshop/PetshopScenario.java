package io.sift.eval.petshop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One traffic scenario of the benchmark: the call graph, the normal-operation metrics when the scenario has them
 * ({@code noissue/}), and every issue folder found one level below any other sub-folder (the split's name does not
 * matter: {@code train}, {@code test} or anything else).
 */
public record PetshopScenario(String name, List<CallEdge> edges, Optional<MetricTable> normal, List<PetshopIssue> issues) {

    /** {@code caller} calls {@code callee}: faults travel from the callee to the caller. */
    public record CallEdge(String caller, String callee) {
    }

    public static PetshopScenario read(Path folder) {
        String name = folder.getFileName().toString();
        Path normalCsv = folder.resolve("noissue").resolve("metrics.csv");
        Optional<MetricTable> normal = Files.isRegularFile(normalCsv) ? Optional.of(MetricTable.read(normalCsv)) : Optional.empty();
        List<PetshopIssue> issues = new ArrayList<>();
        for (Path split : subfolders(folder)) {
            if (split.getFileName().toString().equals("noissue")) {
                continue;
            }
            for (Path issue : subfolders(split)) {
                if (Files.isRegularFile(issue.resolve("target.json")) && Files.isRegularFile(issue.resolve("metrics.csv"))) {
                    issues.add(PetshopIssue.read(name, issue));
                }
            }
        }
        return new PetshopScenario(name, readGraph(folder.resolve("graph.csv")), normal, List.copyOf(issues));
    }

    /** The adjacency matrix: row component calls column component where the cell is non-zero. */
    static List<CallEdge> readGraph(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        String[] header = lines.get(0).split(",", -1);
        List<CallEdge> edges = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            for (int c = 1; c < Math.min(cells.length, header.length); c++) {
                if (!cells[c].isBlank() && Double.parseDouble(cells[c]) != 0.0 && !cells[0].equals(header[c])) {
                    edges.add(new CallEdge(cells[0], header[c]));
                }
            }
        }
        return List.copyOf(edges);
    }

    /** Sub-folders in name order, hidden ones skipped; numbered names in number order (issue_2 before issue_10). */
    static List<Path> subfolders(Path folder) {
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(PetshopScenario::naturalKey))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static String naturalKey(Path p) {
        String name = p.getFileName().toString();
        int digits = name.length();
        while (digits > 0 && Character.isDigit(name.charAt(digits - 1))) {
            digits--;
        }
        return digits == name.length() ? name : name.substring(0, digits) + String.format("%09d", Long.parseLong(name.substring(digits)));
    }
}
