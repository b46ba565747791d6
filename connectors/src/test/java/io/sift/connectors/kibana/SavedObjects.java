package io.sift.connectors.kibana;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Kibana saved objects in deploy/kibana, one JSON file per object under a folder named by its type. */
final class SavedObjects {

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Saved-object types Sift ships, in import order. */
    static final List<String> TYPES = List.of("index-pattern", "search", "lens", "dashboard");

    private final Map<String, SavedObject> byId;

    private SavedObjects(Map<String, SavedObject> byId) {
        this.byId = byId;
    }

    static Path folder() {
        return Path.of(System.getProperty("basedir", ".")).resolve("../deploy/kibana").normalize();
    }

    /** Every *.json file below deploy/kibana. */
    static List<Path> files() {
        try (Stream<Path> walk = Files.walk(folder())) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads every file; fails on unreadable JSON or a duplicate id. */
    static SavedObjects load() throws IOException {
        Map<String, SavedObject> byId = new LinkedHashMap<>();
        for (Path file : files()) {
            SavedObject object = new SavedObject(file, JSON.readTree(file.toFile()));
            SavedObject earlier = byId.put(object.id(), object);
            if (earlier != null) {
                throw new IllegalStateException("id " + object.id() + " in both " + earlier.file() + " and " + file);
            }
        }
        return new SavedObjects(byId);
    }

    List<SavedObject> all() {
        return new ArrayList<>(byId.values());
    }

    List<SavedObject> ofType(String type) {
        return byId.values().stream().filter(o -> o.type().equals(type)).collect(Collectors.toList());
    }

    Optional<SavedObject> find(String type, String id) {
        return Optional.ofNullable(byId.get(id)).filter(o -> o.type().equals(type));
    }

    /** The data view a reference of {@code object} points to, by the reference's name. */
    SavedObject dataView(SavedObject object, String referenceName) {
        JsonNode reference = object.reference(referenceName);
        return find("index-pattern", reference.path("id").asText())
                .orElseThrow(() -> new AssertionError(object + ": reference " + referenceName + " points to "
                        + reference + ", which is not a data view in deploy/kibana"));
    }

    /** One saved object. */
    static final class SavedObject {
        private final Path file;
        private final JsonNode json;

        SavedObject(Path file, JsonNode json) {
            this.file = file;
            this.json = json;
        }

        Path file() {
            return file;
        }

        JsonNode json() {
            return json;
        }

        String type() {
            return json.path("type").asText();
        }

        String id() {
            return json.path("id").asText();
        }

        JsonNode attributes() {
            return json.path("attributes");
        }

        String title() {
            return attributes().path("title").asText();
        }

        /** An attribute that Kibana stores as a JSON string, parsed. */
        JsonNode stringified(String pointer) {
            JsonNode text = attributes().at(pointer);
            if (!text.isTextual()) {
                throw new AssertionError(this + ": attribute " + pointer + " should be a JSON string, is " + text);
            }
            try {
                return JSON.readTree(text.asText());
            } catch (IOException e) {
                throw new AssertionError(this + ": attribute " + pointer + " is not valid JSON: " + e.getMessage(), e);
            }
        }

        JsonNode reference(String name) {
            for (JsonNode reference : json.path("references")) {
                if (reference.path("name").asText().equals(name)) {
                    return reference;
                }
            }
            throw new AssertionError(this + ": no reference named " + name);
        }

        @Override
        public String toString() {
            return type() + " " + id() + " (" + folder().relativize(file) + ")";
        }
    }
}
