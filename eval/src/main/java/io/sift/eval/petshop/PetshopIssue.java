package io.sift.eval.petshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One injected issue: its metrics around the incident and its {@code target.json} (the SLO violation that raised
 * the alarm: a component, metric and statistic at a time) with the ground-truth root-cause component.
 *
 * @param kind the violated metric, {@code latency} or {@code availability}: the benchmark reports by it
 */
public record PetshopIssue(String scenario, String split, String name, MetricTable metrics, String targetItem,
        String kind, String targetStatistic, long targetTimeMillis, String rootCause) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code split/name}, e.g. {@code train/issue_3}. */
    public String id() {
        return split + "/" + name;
    }

    static PetshopIssue read(String scenario, Path folder) {
        JsonNode target;
        try {
            target = JSON.readTree(folder.resolve("target.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.resolve("target.json"), e);
        }
        JsonNode symptom = required(target, "target", folder);
        JsonNode cause = required(target, "root_cause", folder);
        return new PetshopIssue(scenario, folder.getParent().getFileName().toString(), folder.getFileName().toString(),
                MetricTable.read(folder.resolve("metrics.csv")),
                required(symptom, "node", folder).asText(),
                required(symptom, "metric", folder).asText(),
                symptom.path("agg").asText("Average"),
                Math.round(required(symptom, "timestamp", folder).asDouble() * 1000.0),
                required(cause, "node", folder).asText());
    }

    private static JsonNode required(JsonNode node, String field, Path folder) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(folder.resolve("target.json") + ": missing \"" + field + "\"");
        }
        return value;
    }
}
