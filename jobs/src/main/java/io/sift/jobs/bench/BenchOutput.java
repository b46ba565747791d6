package io.sift.jobs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The bench's table for people and its JSON for scripts. */
public final class BenchOutput {

    private BenchOutput() {}

    /** Prints one stage's rows, figures and notes. */
    public static void print(StageReport report, PrintStream out) {
        out.printf(Locale.ROOT, "%n== %s: %s%n", report.stage(), report.description());
        if (report.skippedReason() != null) {
            out.println("   skipped: " + report.skippedReason());
            return;
        }
        out.printf(Locale.ROOT, "   load average %s before, %s after%s%n", report.loadAverageBefore(),
                report.loadAverageAfter(), report.cpuUse().isEmpty() ? "" : "; " + report.cpuUse());
        out.printf(Locale.ROOT, "   %-46s %11s %7s %12s %6s %12s %9s%n", "RUN", "RECORDS", "SECONDS", "RECORDS/S",
                "CORES", "REC/S/CORE", "×BASELINE");
        for (Measurement m : report.measurements()) {
            double ratio = report.ratioToBaselinePerCore(m);
            out.printf(Locale.ROOT, "   %-46s %11d %7.2f %12s %6.2f %12s %9s%n", m.name(), m.records(), m.seconds(),
                    rate(m.recordsPerSecond()), m.coresUsed(), rate(m.recordsPerCoreSecond()),
                    Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.3f", ratio));
        }
        for (StageReport.Figure figure : report.figures()) {
            out.printf(Locale.ROOT, "   %-70s %14s %s%n", figure.name(), number(figure.value()), figure.unit());
        }
        for (String note : report.notes()) {
            out.println("   note: " + note);
        }
    }

    /** Writes every figure of every stage, with the machine and the options, as JSON. */
    public static void writeJson(Path file, List<StageReport> reports, BenchSettings settings, String loadBefore,
            String loadAfter) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode machine = root.putObject("machine");
        machine.put("cores", Machine.cores());
        machine.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAfter);
        ObjectNode options = root.putObject("options");
        options.put("seconds", settings.seconds());
        options.put("warmUpSeconds", settings.warmUpSeconds());
        options.put("series", settings.series());
        options.put("topologyItems", settings.topologyItems());
        options.put("parallelism", settings.parallelism());
        ArrayNode stages = root.putArray("stages");
        for (StageReport report : reports) {
            ObjectNode stage = stages.addObject();
            stage.put("stage", report.stage());
            stage.put("description", report.description());
            if (report.skippedReason() != null) {
                stage.put("skipped", report.skippedReason());
                continue;
            }
            stage.put("loadAverageBefore", report.loadAverageBefore());
            stage.put("loadAverageAfter", report.loadAverageAfter());
            stage.put("cpuUse", report.cpuUse());
            ArrayNode runs = stage.putArray("runs");
            for (Measurement m : report.measurements()) {
                ObjectNode run = runs.addObject();
                run.put("name", m.name());
                run.put("role", m.role().name().toLowerCase(Locale.ROOT));
                run.put("records", m.records());
                run.put("seconds", m.seconds());
                run.put("cpuSeconds", m.cpuNanos() / 1e9);
                run.put("recordsPerSecond", m.recordsPerSecond());
                run.put("coresUsed", m.coresUsed());
                run.put("recordsPerCoreSecond", m.recordsPerCoreSecond());
                putRatio(run, "ratioToBaseline", report.ratioToBaseline(m));
                putRatio(run, "ratioToBaselinePerCore", report.ratioToBaselinePerCore(m));
            }
            ArrayNode figures = stage.putArray("figures");
            for (StageReport.Figure figure : report.figures()) {
                figures.addObject().put("name", figure.name()).put("value", figure.value()).put("unit", figure.unit());
            }
            ArrayNode notes = stage.putArray("notes");
            report.notes().forEach(notes::add);
        }
        Files.write(file, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static void putRatio(ObjectNode node, String field, double ratio) {
        if (Double.isNaN(ratio)) {
            node.putNull(field);
        } else {
            node.put(field, ratio);
        }
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.format(Locale.ROOT, "%,.0f", value)
                : Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
