package io.sift.connectors.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The production variants in deploy/elasticsearch/production, checked as JSON: the local integration-test
 * Elasticsearch has no ILM and no data streams, so they cannot be installed in the build. (It lives with the Kibana
 * tests because that is the test folder this work owns; it reads only files.)
 */
class ElasticsearchProductionTemplatesTest {

    private static final Pattern FILE = Pattern.compile("(sift-[a-z-]+)\\.(ilm-policy|component-template|index-template)\\.json");
    private static final Pattern AGE = Pattern.compile("(\\d+)(d|h|m|s|ms)");
    private static final List<String> PHASES = List.of("hot", "warm", "cold", "frozen", "delete");
    /** Actions that put a write block on the index (or replace it): wrong while documents are still updated. */
    private static final Set<String> WRITE_BLOCKING = Set.of("rollover", "forcemerge", "readonly", "shrink",
            "searchable_snapshot", "downsample");

    private static Path base;
    private static Path production;
    /** name -> JSON, per kind. */
    private static final Map<String, JsonNode> policies = new TreeMap<>();
    private static final Map<String, JsonNode> components = new TreeMap<>();
    private static final Map<String, JsonNode> indexTemplates = new TreeMap<>();
    private static final Map<String, JsonNode> baseIndexTemplates = new TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        base = SavedObjects.folder().resolve("../elasticsearch").normalize();
        production = base.resolve("production");
        for (Path file : list(production)) {
            String name = file.getFileName().toString();
            if (name.equals("README.md")) {
                continue;
            }
            Matcher m = FILE.matcher(name);
            assertTrue(m.matches(), file + ": name it <name>.ilm-policy.json, .component-template.json or .index-template.json");
            String text = Files.readString(file);
            assertTrue(text.lines().count() > 10 && text.endsWith("}\n"), file + " is pretty-printed");
            JsonNode json = SavedObjects.JSON.readTree(text);
            switch (m.group(2)) {
                case "ilm-policy":
                    policies.put(m.group(1), json);
                    break;
                case "component-template":
                    components.put(m.group(1), json);
                    break;
                default:
                    indexTemplates.put(m.group(1), json);
            }
        }
        for (Path file : list(base)) {
            Matcher m = FILE.matcher(file.getFileName().toString());
            if (m.matches()) {
                JsonNode json = SavedObjects.JSON.readTree(file.toFile());
                (m.group(2).equals("index-template") ? baseIndexTemplates : components).putIfAbsent(m.group(1), json);
            }
        }
        assertEquals(9, policies.size(), policies.keySet().toString());
        assertEquals(9, indexTemplates.size(), indexTemplates.keySet().toString());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void policiesHavePhasesInOrderWithRisingAgesAndEndInDeletion() {
        for (Map.Entry<String, JsonNode> e : policies.entrySet()) {
            JsonNode policy = e.getValue().path("policy");
            assertTrue(policy.at("/_meta/description").asText().length() > 40, e.getKey() + ": _meta.description");
            List<String> phases = new ArrayList<>();
            policy.path("phases").fieldNames().forEachRemaining(phases::add);
            assertEquals(phases.stream().sorted((a, b) -> PHASES.indexOf(a) - PHASES.indexOf(b)).collect(Collectors.toList()),
                    phases, e.getKey() + ": phases in ILM order");
            assertTrue(phases.stream().allMatch(PHASES::contains), e.getKey() + ": known phases " + phases);
            Duration previous = Duration.ZERO;
            for (String phase : phases) {
                Duration age = age(policy.at("/phases/" + phase + "/min_age").asText());
                assertTrue(age.compareTo(previous) >= 0, e.getKey() + ": " + phase + " min_age before the previous phase's");
                previous = age;
            }
            assertEquals("delete", phases.get(phases.size() - 1), e.getKey() + ": retention ends in deletion");
            assertTrue(policy.at("/phases/delete/actions/delete").isObject(), e.getKey() + ": delete action");
            assertTrue(previous.toDays() >= 90, e.getKey() + ": keeps at least 90 days");
        }
    }

    @Test
    void updatedIndicesGetNoWriteBlockAndDataStreamsRollOver() {
        for (Map.Entry<String, JsonNode> e : indexTemplates.entrySet()) {
            JsonNode template = e.getValue();
            String policyName = template.at("/template/settings/index/lifecycle/name").asText();
            JsonNode policy = policies.get(policyName);
            assertTrue(policy != null, e.getKey() + ": ILM policy " + policyName + " is not in production/");
            Set<String> actions = new java.util.TreeSet<>();
            policy.at("/policy/phases").forEach(phase -> phase.path("actions").fieldNames().forEachRemaining(actions::add));
            if (template.has("data_stream")) {
                assertTrue(policy.at("/policy/phases/hot/actions/rollover").isObject(),
                        e.getKey() + ": a data stream needs rollover in the hot phase");
            } else {
                Set<String> blocking = new java.util.TreeSet<>(actions);
                blocking.retainAll(WRITE_BLOCKING);
                assertEquals(Set.of(), blocking, e.getKey() + ": monthly indices are updated in place by external "
                        + "versioning; these actions would block or redirect late versions");
            }
        }
    }

    @Test
    void variantsKeepTheBaseMappingsAndComponentsAndExist() {
        for (Map.Entry<String, JsonNode> e : indexTemplates.entrySet()) {
            JsonNode template = e.getValue();
            String variantOf = template.at("/_meta/variant_of").asText();
            String baseName = Path.of(variantOf).getFileName().toString().replace(".index-template.json", "");
            JsonNode baseTemplate = baseIndexTemplates.get(baseName);
            assertTrue(baseTemplate != null, e.getKey() + ": _meta.variant_of names a base template: " + variantOf);
            assertEquals(baseTemplate.at("/template/mappings"), template.at("/template/mappings"),
                    e.getKey() + ": mappings must equal " + baseName + "'s (copy them over after changing the base)");
            List<String> composed = new ArrayList<>();
            template.path("composed_of").forEach(c -> composed.add(c.asText()));
            List<String> baseComposed = new ArrayList<>();
            baseTemplate.path("composed_of").forEach(c -> baseComposed.add(c.asText()));
            assertEquals(baseComposed, composed.subList(0, baseComposed.size()), e.getKey() + ": base components first");
            assertEquals("sift-production-settings", composed.get(composed.size() - 1),
                    e.getKey() + ": production settings last, so they override sift-settings");
            for (String component : composed) {
                assertTrue(components.containsKey(component), e.getKey() + ": component " + component + " does not exist");
            }
            assertTrue(template.at("/_meta/description").asText().length() > 40, e.getKey() + ": _meta.description");
            if (template.has("data_stream")) {
                assertTrue(template.path("data_stream").isObject(), e.getKey() + ": data_stream");
                assertEquals("date", components.get("sift-ecs").at("/template/mappings/properties/@timestamp/type").asText(),
                        "data streams need @timestamp mapped as a date");
                assertFalse(template.at("/template/aliases").isObject(), e.getKey() + ": no aliases on a data stream");
            } else {
                assertEquals(baseTemplate.path("index_patterns"), template.path("index_patterns"), e.getKey() + ": patterns");
                assertEquals(baseTemplate.at("/template/aliases"), template.at("/template/aliases"), e.getKey() + ": alias");
            }
        }
        assertEquals(1, components.get("sift-production-settings").at("/template/settings/index/number_of_replicas").asInt());
    }

    @Test
    void overlappingTemplatesHaveDistinctPrioritiesAndDataStreamsStayOutOfTheKibanaDataViews() throws IOException {
        Map<String, JsonNode> all = new LinkedHashMap<>(baseIndexTemplates);
        all.putAll(indexTemplates);
        List<String> names = new ArrayList<>(all.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                JsonNode a = all.get(names.get(i));
                JsonNode b = all.get(names.get(j));
                if (overlap(a.path("index_patterns"), b.path("index_patterns"))) {
                    // Elasticsearch refuses overlapping templates of equal priority; the higher one alone applies.
                    assertNotEquals(a.path("priority").asInt(), b.path("priority").asInt(), names.get(i) + " vs " + names.get(j));
                }
            }
        }
        for (Map.Entry<String, JsonNode> e : indexTemplates.entrySet()) {
            if (!e.getValue().has("data_stream")) {
                String baseName = e.getKey().replace("-production", "");
                assertTrue(e.getValue().path("priority").asInt() > baseIndexTemplates.get(baseName).path("priority").asInt(),
                        e.getKey() + " must outrank " + baseName + ", which the job installs again on every start");
                continue;
            }
            for (SavedObjects.SavedObject dataView : SavedObjects.load().ofType("index-pattern")) {
                String title = dataView.attributes().path("title").asText();
                for (JsonNode pattern : e.getValue().path("index_patterns")) {
                    assertFalse(matches(title, pattern.asText().replace("*", "")),
                            e.getKey() + ": data view " + title + " would count every version as an incident or anomaly");
                }
            }
        }
    }

    @Test
    void readmeListsEveryFile() throws IOException {
        String readme = Files.readString(production.resolve("README.md"));
        for (Path file : list(production)) {
            String name = file.getFileName().toString();
            if (!name.equals("README.md")) {
                assertTrue(readme.contains("`" + name + "`"), "production/README.md lists " + name);
            }
        }
    }

    /** Whether two lists of index patterns (with * wildcards) can match a common index name, conservatively. */
    private static boolean overlap(JsonNode patterns, JsonNode others) {
        for (JsonNode p : patterns) {
            for (JsonNode q : others) {
                String a = p.asText().replace("*", "");
                String b = q.asText().replace("*", "");
                if (a.startsWith(b) || b.startsWith(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a Kibana data view pattern such as "sift-incidents*" matches an index named {@code name}. */
    private static boolean matches(String dataViewPattern, String name) {
        String regex = Stream.of(dataViewPattern.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
        return name.matches(regex);
    }

    private static Duration age(String text) {
        Matcher m = AGE.matcher(text);
        if (!m.matches()) {
            fail("min_age '" + text + "' is not a whole number of d, h, m, s or ms");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "d":
                return Duration.ofDays(n);
            case "h":
                return Duration.ofHours(n);
            case "m":
                return Duration.ofMinutes(n);
            case "s":
                return Duration.ofSeconds(n);
            default:
                return Duration.ofMillis(n);
        }
    }
}
