package io.sift.connectors.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import io.sift.connectors.kibana.SavedObjects.SavedObject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps deploy/kibana well-formed without Kibana or Elasticsearch: one pretty-printed object per file with a unique
 * {@code sift-} id, references that resolve inside the folder and are all used, Lens visualizations whose accessors
 * name columns of their layers, dashboards whose panels resolve and fit the grid, a README that describes every
 * dashboard and visualization, and an import script that sends exactly these objects.
 */
class KibanaSavedObjectsTest {

    private static final Pattern ID = Pattern.compile("sift-[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");
    private static final Set<String> OTHER_FILES = Set.of("README.md", "import.sh");
    private static final int DASHBOARD_COLUMNS = 48;

    private static SavedObjects objects;

    @BeforeAll
    static void load() throws IOException {
        objects = SavedObjects.load();
    }

    @Test
    void everyFileIsOnePrettyPrintedJsonObjectOrADocumentedExtra() throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(SavedObjects.folder())) {
            all = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        int json = 0;
        for (Path file : all) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".json")) {
                assertTrue(OTHER_FILES.contains(name) && file.getParent().equals(SavedObjects.folder()),
                        file + ": only saved objects (<type>/<id>.json), README.md and import.sh belong here");
                continue;
            }
            json++;
            String text = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode parsed = SavedObjects.JSON.readTree(text);
            assertTrue(parsed.isObject(), file + " holds one JSON object");
            assertTrue(text.endsWith("}\n"), file + " ends with the object and a newline");
            List<String> lines = text.lines().collect(Collectors.toList());
            assertTrue(lines.size() > 10, file + " is pretty-printed, not one line");
            for (String line : lines) {
                String indent = line.substring(0, line.length() - line.stripLeading().length());
                assertTrue(indent.chars().allMatch(c -> c == ' ') && indent.length() % 2 == 0,
                        file + ": indent with two spaces per level: '" + line + "'");
                assertEquals(line.stripTrailing(), line, file + ": trailing whitespace");
            }
        }
        assertEquals(objects.all().size(), json);
        assertTrue(json >= 4 + 2 + 5 + 15, "data views, searches, visualizations and four dashboards: " + json);
    }

    @Test
    void idsArePrefixedUniqueAndNameTheFileAndTheTypeTheFolder() {
        Set<String> ids = new HashSet<>();
        for (SavedObject o : objects.all()) {
            assertTrue(ID.matcher(o.id()).matches(), o + ": id must be 'sift-' plus lower-case words");
            assertTrue(ids.add(o.id()), o + ": duplicate id");
            assertEquals(o.id() + ".json", o.file().getFileName().toString(), o + ": file named by id");
            assertEquals(o.type(), o.file().getParent().getFileName().toString(), o + ": folder named by type");
            assertTrue(SavedObjects.TYPES.contains(o.type()), o + ": type " + o.type());
            assertTrue(o.attributes().isObject(), o + ": attributes");
            assertTrue(o.json().path("references").isArray(), o + ": references");
            assertTrue(VERSION.matcher(o.json().path("coreMigrationVersion").asText()).matches(), o + ": coreMigrationVersion");
            assertTrue(VERSION.matcher(o.json().path("typeMigrationVersion").asText()).matches(), o + ": typeMigrationVersion");
            assertTrue(o.title().length() > 5, o + ": title");
        }
        for (String type : SavedObjects.TYPES) {
            assertTrue(!objects.ofType(type).isEmpty(), "no " + type + " objects");
        }
        assertEquals(Set.of("[Sift] Incident overview", "[Sift] Noise reduction", "[Sift] Root causes and changes",
                        "[Sift] Detector health", "[Sift] Service health", "[Sift] SLOs and error budgets",
                        "[Sift] Problems", "[Sift] Changes and their incidents"),
                objects.ofType("dashboard").stream().map(SavedObject::title).collect(Collectors.toSet()));
    }

    @Test
    void everyReferencePointsToAnObjectInTheFolder() {
        for (SavedObject o : objects.all()) {
            Set<String> names = new HashSet<>();
            for (JsonNode reference : o.json().path("references")) {
                String name = reference.path("name").asText();
                assertTrue(!name.isEmpty() && names.add(name), o + ": reference names must be unique: " + reference);
                String type = reference.path("type").asText();
                String id = reference.path("id").asText();
                assertTrue(objects.find(type, id).isPresent(),
                        o + ": reference " + name + " points to " + type + " " + id + ", which is not in deploy/kibana");
            }
        }
    }

    @Test
    void everyReferenceIsUsedAndEveryUseHasAReference() {
        for (SavedObject o : objects.all()) {
            Set<String> used = new TreeSet<>();
            switch (o.type()) {
                case "index-pattern":
                    o.stringified("/fieldFormatMap");
                    o.stringified("/fieldAttrs");
                    assertTrue(o.attributes().path("timeFieldName").asText().length() > 0, o + ": time field");
                    break;
                case "search": {
                    JsonNode source = o.stringified("/kibanaSavedObjectMeta/searchSourceJSON");
                    used.add(source.path("indexRefName").asText());
                    for (JsonNode filter : source.path("filter")) {
                        used.add(filter.at("/meta/indexRefName").asText());
                    }
                    break;
                }
                case "lens":
                    o.attributes().at("/state/datasourceStates/formBased/layers").fieldNames()
                            .forEachRemaining(layer -> used.add("indexpattern-datasource-layer-" + layer));
                    break;
                case "dashboard": {
                    o.stringified("/optionsJSON");
                    o.stringified("/kibanaSavedObjectMeta/searchSourceJSON");
                    for (JsonNode panel : o.stringified("/panelsJSON")) {
                        used.add(panel.path("panelIndex").asText() + ":" + panel.path("panelRefName").asText());
                    }
                    break;
                }
                default:
                    fail(o + ": unexpected type");
            }
            Set<String> declared = new TreeSet<>();
            o.json().path("references").forEach(r -> declared.add(r.path("name").asText()));
            assertEquals(used, declared, o + ": the references and the names the object uses must agree");
        }
    }

    @Test
    void lensAccessorsNameColumnsOfTheirLayerAndEveryColumnIsShown() {
        for (SavedObject lens : objects.ofType("lens")) {
            JsonNode layers = lens.attributes().at("/state/datasourceStates/formBased/layers");
            JsonNode vis = lens.attributes().at("/state/visualization");
            Map<String, Set<String>> shown = new HashMap<>();
            String type = lens.attributes().path("visualizationType").asText();
            switch (type) {
                case "lnsXY":
                    for (JsonNode layer : vis.path("layers")) {
                        String id = layer.path("layerId").asText();
                        accessor(lens, layers, shown, id, layer.path("xAccessor"), true);
                        layer.path("accessors").forEach(a -> accessor(lens, layers, shown, id, a, false));
                        accessor(lens, layers, shown, id, layer.path("splitAccessor"), true);
                    }
                    break;
                case "lnsMetric": {
                    String id = vis.path("layerId").asText();
                    accessor(lens, layers, shown, id, vis.path("metricAccessor"), false);
                    accessor(lens, layers, shown, id, vis.path("secondaryMetricAccessor"), false);
                    accessor(lens, layers, shown, id, vis.path("breakdownByAccessor"), true);
                    break;
                }
                case "lnsPie":
                    for (JsonNode layer : vis.path("layers")) {
                        String id = layer.path("layerId").asText();
                        layer.path("primaryGroups").forEach(a -> accessor(lens, layers, shown, id, a, true));
                        layer.path("metrics").forEach(a -> accessor(lens, layers, shown, id, a, false));
                    }
                    break;
                case "lnsHeatmap": {
                    String id = vis.path("layerId").asText();
                    accessor(lens, layers, shown, id, vis.path("xAccessor"), true);
                    accessor(lens, layers, shown, id, vis.path("yAccessor"), true);
                    accessor(lens, layers, shown, id, vis.path("valueAccessor"), false);
                    break;
                }
                case "lnsDatatable": {
                    String id = vis.path("layerId").asText();
                    vis.path("columns").forEach(c -> accessor(lens, layers, shown, id, c.path("columnId"), null));
                    if (vis.has("sorting")) {
                        assertTrue(shown.get(id).contains(vis.at("/sorting/columnId").asText()), lens + ": sorting");
                    }
                    break;
                }
                default:
                    fail(lens + ": visualization type " + type + " is not checked here");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = layers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> layer = it.next();
                Set<String> columns = new TreeSet<>();
                layer.getValue().path("columns").fieldNames().forEachRemaining(columns::add);
                assertEquals(columns, shown.getOrDefault(layer.getKey(), Set.of()),
                        lens + ": every column of layer " + layer.getKey() + " is shown, and only those");
            }
        }
    }

    /** Records a visualization accessor; bucketed: whether the column must be a bucket (null: either). */
    private static void accessor(SavedObject lens, JsonNode layers, Map<String, Set<String>> shown, String layerId,
            JsonNode accessor, Boolean bucketed) {
        if (accessor.isMissingNode() || accessor.isNull()) {
            return;
        }
        JsonNode column = layers.path(layerId).path("columns").path(accessor.asText());
        assertTrue(column.isObject(), lens + ": accessor " + accessor + " is not a column of layer " + layerId);
        if (bucketed != null) {
            assertEquals(bucketed, column.path("isBucketed").asBoolean(),
                    lens + ": accessor " + accessor + (bucketed ? " must be a bucket" : " must be a metric"));
        }
        shown.computeIfAbsent(layerId, k -> new TreeSet<>()).add(accessor.asText());
    }

    @Test
    void dashboardPanelsAreUniqueAndFitTheGridWithoutOverlapping() {
        for (SavedObject dashboard : objects.ofType("dashboard")) {
            JsonNode panels = dashboard.stringified("/panelsJSON");
            assertTrue(panels.size() >= 4, dashboard + ": panels");
            List<int[]> boxes = new ArrayList<>();
            Set<String> indices = new HashSet<>();
            for (JsonNode panel : panels) {
                String index = panel.path("panelIndex").asText();
                assertTrue(indices.add(index), dashboard + ": duplicate panelIndex " + index);
                JsonNode grid = panel.path("gridData");
                assertEquals(index, grid.path("i").asText(), dashboard + ": gridData.i is the panelIndex");
                assertEquals("panel_" + index, panel.path("panelRefName").asText(), dashboard + ": panelRefName");
                int x = grid.path("x").asInt(-1);
                int y = grid.path("y").asInt(-1);
                int w = grid.path("w").asInt();
                int h = grid.path("h").asInt();
                assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= DASHBOARD_COLUMNS,
                        dashboard + ": panel " + index + " within the 48-column grid");
                for (int[] other : boxes) {
                    boolean apart = x + w <= other[0] || other[0] + other[2] <= x || y + h <= other[1]
                            || other[1] + other[3] <= y;
                    assertTrue(apart, dashboard + ": panel " + index + " overlaps another");
                }
                boxes.add(new int[] {x, y, w, h});
                JsonNode reference = dashboard.reference(index + ":panel_" + index);
                assertEquals(panel.path("type").asText(), reference.path("type").asText(),
                        dashboard + ": panel " + index + " type matches its reference");
            }
        }
    }

    @Test
    void readmeDescribesEveryDashboardVisualizationAndSearch() throws IOException {
        String readme = Files.readString(SavedObjects.folder().resolve("README.md"));
        for (SavedObject o : objects.all()) {
            if (!o.type().equals("index-pattern")) {
                String title = o.title().replace("[Sift] ", "");
                assertTrue(readme.contains(title), "README.md describes " + o + " ('" + title + "')");
            }
        }
    }

    @Test
    void importDryRunPrintsEveryObjectOnceInDependencyOrder() throws Exception {
        Result run = importScript(List.of("--dry-run"), Map.of());
        assertEquals(0, run.exitCode, run.output);
        List<String> lines = run.stdout.lines().collect(Collectors.toList());
        assertEquals(objects.all().size(), lines.size(), run.stdout);
        Set<String> seen = new HashSet<>();
        int lastTypeRank = 0;
        for (String line : lines) {
            JsonNode printed = SavedObjects.JSON.readTree(line);
            String id = printed.path("id").asText();
            assertTrue(seen.add(id), "printed twice: " + id);
            SavedObject file = objects.find(printed.path("type").asText(), id).orElseThrow();
            assertEquals(file.json(), printed, "the NDJSON line is the file's object, compacted");
            int rank = SavedObjects.TYPES.indexOf(file.type());
            assertTrue(rank >= lastTypeRank, "referenced types first: " + id);
            lastTypeRank = rank;
        }
    }

    @Test
    void importWaitsForKibanaThenPostsEveryObjectWithOverwrite() throws Exception {
        AtomicInteger statusCalls = new AtomicInteger();
        List<String> imports = new CopyOnWriteArrayList<>();
        HttpServer kibana = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        kibana.createContext("/api/status", exchange -> {
            // Unavailable twice (Kibana starting), then available.
            int code = statusCalls.incrementAndGet() <= 2 ? 503 : 200;
            respond(exchange, code, "{\"status\":{\"overall\":{\"level\":\"" + (code == 200 ? "available" : "unavailable") + "\"}}}");
        });
        kibana.createContext("/s/ops/api/saved_objects/_import", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            imports.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " xsrf="
                    + exchange.getRequestHeaders().getFirst("kbn-xsrf") + " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type") + "\n" + body);
            respond(exchange, 200, "{\"success\":true,\"successCount\":" + objects.all().size() + "}");
        });
        kibana.start();
        try {
            String url = "http://127.0.0.1:" + kibana.getAddress().getPort();
            Result run = importScript(List.of("--kibana", url, "--space", "ops", "--timeout", "30"),
                    Map.of("KIBANA_WAIT_INTERVAL", "0.1"));
            assertEquals(0, run.exitCode, run.output);
            assertEquals(3, statusCalls.get(), "polled /api/status until it answered 200");
            assertEquals(1, imports.size(), imports.toString());
            String request = imports.get(0);
            assertTrue(request.startsWith("POST /s/ops/api/saved_objects/_import?overwrite=true xsrf=true"
                    + " type=multipart/form-data"), request);
            for (SavedObject o : objects.all()) {
                assertTrue(request.contains("\"id\":\"" + o.id() + "\""), "import carries " + o);
            }
        } finally {
            kibana.stop(0);
        }
    }

    @Test
    void importFailsWhenKibanaReportsObjectErrors() throws Exception {
        HttpServer kibana = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        kibana.createContext("/api/status", exchange -> respond(exchange, 200, "{}"));
        kibana.createContext("/api/saved_objects/_import", exchange -> {
            // Read the upload first: answering while curl is still sending resets the connection (curl: cannot reach).
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            respond(exchange, 200, "{\"success\":false,\"successCount\":1,\"errors\":[{\"id\":\"sift-lens-x\","
                    + "\"error\":{\"type\":\"missing_references\"}}]}");
        });
        kibana.start();
        try {
            Result run = importScript(List.of("--kibana", "http://127.0.0.1:" + kibana.getAddress().getPort()), Map.of());
            assertNotEquals(0, run.exitCode, run.output);
            assertTrue(run.output.contains("missing_references"), run.output);
        } finally {
            kibana.stop(0);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static final class Result {
        final int exitCode;
        final String stdout;
        final String output;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.output = "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Result importScript(List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SavedObjects.folder().resolve("import.sh").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("KIBANA_"));
        builder.environment().putAll(env);
        Path stderr = Files.createTempFile("import-sh", ".err");
        builder.redirectError(stderr.toFile());
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("import.sh did not finish within 60 s");
        }
        String errors = Files.readString(stderr);
        Files.delete(stderr);
        return new Result(process.exitValue(), stdout, errors);
    }
}
