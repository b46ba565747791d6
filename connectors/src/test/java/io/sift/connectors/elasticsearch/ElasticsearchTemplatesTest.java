package io.sift.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps deploy/elasticsearch, the fixed install list, the README, the field descriptions and the
 * emitters' documents consistent, without Elasticsearch.
 */
class ElasticsearchTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path deployDir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("../deploy/elasticsearch").normalize();
    }

    @Test
    void installListMatchesTheFilesInDeployElasticsearch() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(deployDir())) {
            files =
                    list.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".json"))
                            .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed =
                ElasticsearchTemplates.TEMPLATES.stream()
                        .map(ElasticsearchTemplates.Template::fileName)
                        .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(files, listed, "register new template files in ElasticsearchTemplates.TEMPLATES");

        boolean seenIndex = false;
        for (ElasticsearchTemplates.Template t : ElasticsearchTemplates.TEMPLATES) {
            seenIndex |= t.kind() == ElasticsearchTemplates.Kind.INDEX;
            assertFalse(
                    seenIndex && t.kind() == ElasticsearchTemplates.Kind.COMPONENT,
                    "component templates must be installed before index templates");
            // On the classpath, byte-identical to the reviewed file.
            assertEquals(Files.readString(deployDir().resolve(t.fileName())), t.json());
        }
    }

    @Test
    void everyTemplateDescribesItselfAndIndexTemplatesAreSafe() throws IOException {
        for (ElasticsearchTemplates.Template t : ElasticsearchTemplates.TEMPLATES) {
            JsonNode json = JSON.readTree(t.json());
            assertTrue(
                    json.at("/_meta/description").asText().length() > 20,
                    t.fileName() + ": _meta.description");
            if (t.kind() == ElasticsearchTemplates.Kind.INDEX) {
                assertEquals("false", json.at("/template/mappings/dynamic").asText(), t.fileName());
                assertTrue(json.at("/template/aliases/" + t.name()).isObject(), t.fileName() + " alias");
                assertEquals(t.name() + "-*", json.at("/index_patterns/0").asText());
                for (JsonNode component : json.get("composed_of")) {
                    assertTrue(
                            ElasticsearchTemplates.TEMPLATES.stream()
                                    .anyMatch(c -> c.kind() == ElasticsearchTemplates.Kind.COMPONENT
                                            && c.name().equals(component.asText())),
                            t.fileName() + " uses unknown component " + component);
                }
            }
        }
    }

    @Test
    void everyMappedFieldIsDescribedAndListedInTheReadme() throws IOException {
        String readme = Files.readString(deployDir().resolve("README.md"));
        for (ElasticsearchTemplates.Template t : ElasticsearchTemplates.TEMPLATES) {
            assertTrue(readme.contains(t.fileName()), "README lists " + t.fileName());
        }
        for (String indexTemplate : List.of("sift-incidents", "sift-anomalies", "sift-changes", "sift-problems",
                "sift-incident-metrics")) {
            Map<String, String> leaves = leafTypes(mergedMappings(indexTemplate));
            Map<String, String> descriptions = descriptions(indexTemplate);
            for (String field : leaves.keySet()) {
                assertTrue(descriptions.containsKey(field), indexTemplate + ": describe " + field + " in _meta");
                assertTrue(readme.contains("`" + field + "`"), "README: " + field);
            }
            Set<String> objects = objectPaths(mergedMappings(indexTemplate), "");
            for (String described : descriptions.keySet()) {
                assertTrue(
                        leaves.containsKey(described) || objects.contains(described),
                        indexTemplate + ": _meta describes unmapped field " + described);
            }
        }
    }

    @Test
    void everyEmittedFieldIsMappedWithAMatchingType() throws IOException {
        checkDocument("sift-incidents", new IncidentDocumentEmitter().toRequest(TestData.incident("i", 3)));
        checkDocument("sift-anomalies", new AnomalyDocumentEmitter().toRequest(TestData.anomaly("a", 2)));
        checkDocument("sift-changes", new ChangeDocumentEmitter().toRequest(ChangeDocumentEmitterTest.sampleOutcome("c")));
        checkDocument("sift-slo", new SloStatusDocumentEmitter().toRequest(TestData.sloStatus("s")));
        checkDocument("sift-service-health", new ServiceHealthDocumentEmitter().toRequest(TestData.serviceHealth("h")));
        checkDocument("sift-problems", new ProblemDocumentEmitter().toRequest(TestData.problem("p", 2)));
        checkDocument("sift-incident-metrics",
                new IncidentMetricsDocumentEmitter().toRequest(TestData.incident("i", 3)));
    }

    private static void checkDocument(String indexTemplate, IndexRequestEntry entry) throws IOException {
        Map<String, String> types = leafTypes(mergedMappings(indexTemplate));
        Map<String, List<JsonNode>> values = new TreeMap<>();
        collectLeaves(JSON.readTree(entry.source()), "", values);
        assertTrue(values.size() > 15, "sample document is fully populated");
        for (Map.Entry<String, List<JsonNode>> field : values.entrySet()) {
            String path = field.getKey();
            if (path.startsWith("labels.") && "flattened".equals(types.get("labels"))) {
                continue;
            }
            String type = types.get(path);
            if (type == null) {
                fail(indexTemplate + ": emitted field " + path + " is not mapped (dynamic: false would hide it)");
            }
            for (JsonNode value : field.getValue()) {
                switch (type) {
                    case "date":
                        Instant.parse(value.asText());
                        break;
                    case "long":
                    case "integer":
                        assertTrue(value.isIntegralNumber(), path + " is integral: " + value);
                        break;
                    case "double":
                    case "float":
                        assertTrue(value.isNumber(), path + " is a number: " + value);
                        break;
                    case "keyword":
                    case "text":
                        assertTrue(value.isTextual(), path + " is a string: " + value);
                        break;
                    case "boolean":
                        assertTrue(value.isBoolean(), path + " is a boolean: " + value);
                        break;
                    default:
                        fail("unexpected type " + type + " for " + path);
                }
            }
        }
    }

    /** Component template mappings merged with the index template's, as Elasticsearch composes them. */
    static ObjectNode mergedMappings(String indexTemplate) throws IOException {
        ElasticsearchTemplates.Template index = template(indexTemplate);
        JsonNode indexJson = JSON.readTree(index.json());
        ObjectNode merged = JSON.createObjectNode();
        for (JsonNode component : indexJson.get("composed_of")) {
            deepMerge(merged, JSON.readTree(template(component.asText()).json()).at("/template/mappings"));
        }
        deepMerge(merged, indexJson.at("/template/mappings"));
        return merged;
    }

    private static Map<String, String> descriptions(String indexTemplate) throws IOException {
        Map<String, String> all = new TreeMap<>();
        JsonNode meta = mergedMappings(indexTemplate).get("_meta");
        for (Iterator<JsonNode> groups = meta.elements(); groups.hasNext(); ) {
            groups.next().fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue().asText()));
        }
        return all;
    }

    private static ElasticsearchTemplates.Template template(String name) {
        return ElasticsearchTemplates.TEMPLATES.stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static void deepMerge(ObjectNode target, JsonNode source) {
        source.fields()
                .forEachRemaining(
                        e -> {
                            JsonNode existing = target.get(e.getKey());
                            if (existing instanceof ObjectNode && e.getValue().isObject()) {
                                deepMerge((ObjectNode) existing, e.getValue());
                            } else {
                                target.set(e.getKey(), e.getValue().deepCopy());
                            }
                        });
    }

    /** path -> type of every mapped leaf field (objects and nested objects are walked into). */
    static Map<String, String> leafTypes(JsonNode mappings) {
        Map<String, String> out = new TreeMap<>();
        walk(mappings.get("properties"), "", out);
        return out;
    }

    private static void walk(JsonNode properties, String prefix, Map<String, String> out) {
        properties.fields()
                .forEachRemaining(
                        e -> {
                            String path = prefix + e.getKey();
                            JsonNode def = e.getValue();
                            if (def.has("properties")) {
                                walk(def.get("properties"), path + ".", out);
                            } else {
                                out.put(path, def.get("type").asText());
                            }
                        });
    }

    private static Set<String> objectPaths(JsonNode mappings, String prefix) {
        Set<String> out = new TreeSet<>();
        JsonNode properties = mappings.get("properties");
        properties.fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().has("properties")) {
                                out.add(prefix + e.getKey());
                                out.addAll(objectPaths(e.getValue(), prefix + e.getKey() + "."));
                            }
                        });
        return out;
    }

    private static void collectLeaves(JsonNode node, String path, Map<String, List<JsonNode>> out) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> collectLeaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                collectLeaves(element, path, out);
            }
        } else {
            out.computeIfAbsent(path, k -> new ArrayList<>()).add(node);
        }
    }

    @Test
    void templateFilesArePrettyPrintedUtf8() throws IOException {
        for (ElasticsearchTemplates.Template t : ElasticsearchTemplates.TEMPLATES) {
            byte[] bytes = Files.readAllBytes(deployDir().resolve(t.fileName()));
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(text.lines().count() > 10, t.fileName() + " is pretty-printed");
            assertTrue(text.endsWith("\n"), t.fileName() + " ends with a newline");
        }
    }
}
