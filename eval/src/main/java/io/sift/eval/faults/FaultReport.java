package io.sift.eval.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link FaultScoring.Score} as a table for people and as JSON for scripts. */
public final class FaultReport {

    private FaultReport() {
    }

    public static String table(FaultScoring.Score score, boolean details) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%s: %d faults scored (%d without data left out), %d incidents%n%n",
                score.dataSet(), score.faults().size(), score.faultsWithoutData(), score.incidents()));
        out.append(String.format(Locale.ROOT, "%-28s %6s %7s %6s %6s %6s %9s%n", "fault type", "faults", "recall",
                "AS@1", "AS@3", "AS@5", "TTD (med)"));
        score.byFaultType().forEach((type, f) -> out.append(row(type, f)));
        out.append(row("all", score.overall()));
        out.append(String.format(Locale.ROOT, "%nNoise: %d incidents in %.1f h outside fault windows = %.2f per hour%n",
                score.noise().size(), score.quietHours(), score.noisePerHour()));
        if (details) {
            out.append(String.format("%nFaults:%n"));
            for (FaultScoring.FaultResult result : score.faults()) {
                Fault fault = result.fault();
                out.append(String.format(Locale.ROOT, "  %-18s %s %-14s %-28s %s%n", fault.id(), fault.start(),
                        fault.faultType(), String.join("|", new java.util.TreeSet<>(fault.rootItems())),
                        result.found() ? "rank " + (result.rank() == 0 ? "-" : result.rank()) + " after "
                                + minutes(result.timeToDetect()) + " " + result.incidentId() + " " + result.hints()
                                : "not found"));
            }
            out.append(String.format("%nNoise incidents:%n"));
            for (FaultScoring.NoiseIncident noise : score.noise()) {
                out.append(String.format("  %s %s %s%n", noise.detectedAt(), noise.id(), noise.title()));
            }
        }
        return out.toString();
    }

    private static String row(String type, FaultScoring.Figures f) {
        return String.format(Locale.ROOT, "%-28s %6d %7.2f %6.2f %6.2f %6.2f %9s%n", type, f.faults(), f.recall(),
                f.as1(), f.as3(), f.as5(), minutes(f.medianTimeToDetect()));
    }

    private static String minutes(Duration d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f min", d.toMillis() / 60_000.0);
    }

    public static Map<String, Object> toJson(FaultScoring.Score score) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataSet", score.dataSet());
        json.put("matchingRule", "earliest incident detected from " + FaultScoring.BEFORE.toMinutes()
                + " min before to " + FaultScoring.AFTER.toMinutes() + " min after the fault start, read as it stood "
                + FaultScoring.AFTER.toMinutes() + " min after the start; AS@k: a root item among its first k hints");
        json.put("overall", figures(score.overall()));
        Map<String, Object> types = new LinkedHashMap<>();
        score.byFaultType().forEach((type, f) -> types.put(type, figures(f)));
        json.put("byFaultType", types);
        json.put("incidents", score.incidents());
        json.put("noiseIncidents", score.noise().size());
        json.put("quietHours", score.quietHours());
        json.put("noisePerHour", score.noisePerHour());
        json.put("faultsWithoutData", score.faultsWithoutData());
        List<Map<String, Object>> faults = new ArrayList<>();
        for (FaultScoring.FaultResult result : score.faults()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", result.fault().id());
            f.put("start", result.fault().start().toString());
            f.put("faultType", result.fault().faultType());
            f.put("level", result.fault().level());
            f.put("service", result.fault().service());
            f.put("found", result.found());
            f.put("incident", result.incidentId());
            f.put("rank", result.rank());
            f.put("timeToDetectSeconds", result.timeToDetect() == null ? null : result.timeToDetect().toSeconds());
            f.put("hints", result.hints());
            faults.add(f);
        }
        json.put("faults", faults);
        List<Map<String, Object>> noise = new ArrayList<>();
        for (FaultScoring.NoiseIncident n : score.noise()) {
            noise.add(Map.of("id", n.id(), "detectedAt", n.detectedAt().toString(), "title", n.title()));
        }
        json.put("noise", noise);
        return json;
    }

    private static Map<String, Object> figures(FaultScoring.Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("faults", f.faults());
        m.put("recall", f.recall());
        m.put("as1", f.as1());
        m.put("as3", f.as3());
        m.put("as5", f.as5());
        m.put("medianTimeToDetectSeconds", f.medianTimeToDetect() == null ? null : f.medianTimeToDetect().toSeconds());
        return m;
    }

    public static void writeJson(FaultScoring.Score score, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson(score));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
