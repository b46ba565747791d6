package io.sift.eval.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.sift.core.util.StableIds;
import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import io.sift.schema.ConfigurationItem;
import io.sift.schema.EdgeType;
import io.sift.schema.ItemType;
import io.sift.schema.Resource;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the fault-alerts data set ({@code fault-alerts/}: metric, trace and log alerts already extracted per injected
 * fault of GAIA MicroSS and OpenRCA Market cloudbed-1/2, each system's typed knowledge graph, the labelled root-cause
 * entity) as the job would receive it: alerts on the alerts input and the graph on the topology input. One data set
 * per system.
 *
 * <p><b>Environments.</b> The alert sets are per fault (several faults' extraction windows overlap in time), so every
 * case is its own environment ({@code <system>-<fault_id>}): nothing the job sees names the faulty entity or the
 * fault type. Times are the data's own.
 *
 * <p><b>Entities.</b> An alert's entity is resolved by the graph's own node types, with no name of the data set: a
 * {@code Service_Instance} or {@code Cache_Instance} is an instance of the node its {@code instance_of} edge names (the
 * alert's service); any other node is the item itself; an entity the graph does not hold is an item of its own. The
 * host is the one the alert names, else the one the graph's {@code hosted_on} edge names, else (a host's alert) the
 * entity itself.
 *
 * <p><b>Topology.</b> Every node but the instances becomes a configuration item (Service → SERVICE, Host → HOST,
 * Database → DATABASE, Cache → CACHE, others OTHER); {@code control_flow} becomes CALLS, {@code data_flow} and
 * {@code registers_with} DEPENDS_ON, {@code hosted_on} RUNS_ON, all lifted from instances to their item (self edges
 * dropped); the mirrored relations ({@code has_instance}, {@code hosts}, {@code discovers}) add nothing.
 *
 * <p><b>Alerts.</b> Source {@code fault-alerts}, severity UNKNOWN (the data gives none). A metric alert
 * {@code [time, entity, host, metric, up|down]} is named after its metric; a trace alert
 * {@code [time, caller, callee, operation, PD|400|500]} is about the callee (where the call was served), named
 * {@code trace <type>}; a log alert {@code [entity, template, lines, count, example]} is named {@code log template
 * <id>} at its first line's time (UTC+8 in the data). Alerts with the same identity (kind, entity and what they say)
 * in one case are one alert's repeats: one fingerprint, its start the earliest. The data gives only each alert's first
 * anomalous point, and the extraction looked at the whole fault window, so every alert of a case is taken to fire
 * until the case's last alert, when a resolve is sent for each (so its incident can resolve).
 *
 * <p><b>Faults.</b> One per case: start the label's start, duration the label's, level and type the label's, root
 * items the labelled entity and the item it resolves to (its service for an instance: Sift's items are services, and a
 * faulty instance is its service's problem), for a service also its instances. MicroSS's augmented cases (time-shifted
 * copies of other cases, {@code augmented = True}) are left out: the figures are on distinct faults.
 *
 * <p><b>Scored spans.</b> Per case, from the fault start less {@link FaultScoring#BEFORE} to the later of the fault end
 * and its last alert, plus one minute.
 */
public final class FaultAlertsData {

    public static final String NAME = "fault-alerts";
    public static final String SOURCE = "fault-alerts";
    /** Label and log times of the data are local time of this offset (see the data set's README). */
    private static final ZoneOffset DATA_ZONE = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private FaultAlertsData() {
    }

    /** Every system's data set in the folder ({@code fault-alerts/<system>/} with a graph each), by system name. */
    public static List<FaultDataSet> read(Path folder) {
        Path systems = folder.resolve("fault-alerts");
        if (!Files.isDirectory(systems)) {
            throw new IllegalArgumentException(folder + ": no fault-alerts/<system>/ folders (is this the fault-alerts"
                    + " data set?)");
        }
        List<FaultDataSet> sets = new ArrayList<>();
        try (Stream<Path> list = Files.list(systems)) {
            for (Path system : list.filter(p -> Files.isRegularFile(p.resolve("label.csv"))).sorted().toList()) {
                sets.add(readSystem(folder, system.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException(systems + ": no system folder with a label.csv");
        }
        return sets;
    }

    /** One system's alerts, graph and faults. */
    public static FaultDataSet readSystem(Path folder, String system) {
        Path dir = folder.resolve("fault-alerts").resolve(system);
        Graph graph = Graph.read(folder.resolve("system-knowledge-graphs/original").resolve(system)
                .resolve(system + "-KG.json"));
        Map<String, List<JsonNode>> metrics = alertsByCase(dir.resolve("metric/metrics.json"));
        Map<String, List<JsonNode>> traces = alertsByCase(dir.resolve("trace/traces.json"));
        Map<String, List<JsonNode>> logs = alertsByCase(dir.resolve("log/logs.json"));

        List<Alert> alerts = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        List<ScoredSpan> spans = new ArrayList<>();
        for (Map<String, String> row : labels(dir.resolve("label.csv"))) {
            if ("True".equalsIgnoreCase(row.getOrDefault("augmented", "False"))) {
                continue;
            }
            String caseId = row.get("fault_id");
            String environment = system + "-" + caseId;
            List<Raw> raws = new ArrayList<>();
            for (JsonNode a : metrics.getOrDefault(caseId, List.of())) {
                String host = a.get(2).isNull() ? null : a.get(2).asText();
                raws.add(new Raw(Long.parseLong(a.get(0).asText()), a.get(1).asText(), host, a.get(3).asText(),
                        Map.of("kind", "metric", "metric", a.get(3).asText(), "direction", a.get(4).asText()),
                        a.get(3).asText() + " " + a.get(4).asText()));
            }
            for (JsonNode a : traces.getOrDefault(caseId, List.of())) {
                String type = a.get(4).asText();
                raws.add(new Raw(Long.parseLong(a.get(0).asText()), a.get(2).asText(), null, "trace " + type,
                        Map.of("kind", "trace", "caller", a.get(1).asText(), "callee", a.get(2).asText(),
                                "operation", a.get(3).asText(), "type", type),
                        a.get(1).asText() + " -> " + a.get(2).asText() + " " + a.get(3).asText() + ": " + type));
            }
            for (JsonNode a : logs.getOrDefault(caseId, List.of())) {
                JsonNode lines = a.get(2);
                if (lines == null || lines.isEmpty()) {
                    continue;
                }
                String first = lines.get(0).asText();
                raws.add(new Raw(logTime(first), a.get(0).asText(), null, "log template " + a.get(1).asText(),
                        Map.of("kind", "log", "template", a.get(1).asText(), "count", a.get(3).asText()), first));
            }
            Instant start = labelTime(row.get("fault_st_time"));
            Duration duration = Duration.ofMillis(Math.round(Double.parseDouble(row.get("fault_duration")) * 1000));
            long last = raws.stream().mapToLong(Raw::time).max().orElse(start.toEpochMilli());
            alerts.addAll(caseAlerts(raws, environment, graph, last));

            String entity = row.get("fault_entity");
            String item = graph.itemOf(entity);
            Set<String> rootItems = new HashSet<>(List.of(entity, item));
            rootItems.addAll(graph.instancesOf(entity));
            faults.add(new Fault(system + "/" + caseId, environment, start, duration, row.get("fault_type"),
                    row.get("fault_level"), item, rootItems));
            Instant until = Instant.ofEpochMilli(Math.max(start.plus(duration).toEpochMilli(), last))
                    .plus(Duration.ofMinutes(1));
            spans.add(new ScoredSpan(environment, start.minus(FaultScoring.BEFORE), until));
        }
        alerts.sort(Comparator.comparing(Alert::getTime).thenComparing(a -> a.getResource().getEnvironment())
                .thenComparing(Alert::getFingerprint).thenComparing(Alert::getStatus));
        return new FaultDataSet(NAME + "/" + system, new PointSequence(List.of()), List.of(), graph.updates(), faults,
                spans, alerts);
    }

    /** One alert as the data gives it. */
    private record Raw(long time, String entity, String host, String name, Map<String, String> labels, String summary) {
        String identity() {
            return entity + "|" + name + "|" + new TreeMap<>(labels);
        }
    }

    /** A case's alerts: a firing notification per occurrence (repeats share a fingerprint), one resolve each at the end. */
    private static List<Alert> caseAlerts(List<Raw> raws, String environment, Graph graph, long last) {
        Map<String, List<Raw>> byIdentity = new LinkedHashMap<>();
        for (Raw raw : raws) {
            byIdentity.computeIfAbsent(raw.identity(), k -> new ArrayList<>()).add(raw);
        }
        List<Alert> alerts = new ArrayList<>();
        for (Map.Entry<String, List<Raw>> group : byIdentity.entrySet()) {
            List<Raw> occurrences = group.getValue();
            occurrences.sort(Comparator.comparingLong(Raw::time));
            Raw first = occurrences.get(0);
            String fingerprint = StableIds.of("fa", environment, group.getKey());
            Resource resource = graph.resource(first.entity(), first.host(), environment);
            Instant startsAt = Instant.ofEpochMilli(first.time());
            for (Raw raw : occurrences) {
                alerts.add(alert(fingerprint, first, resource, startsAt, AlertStatus.FIRING, null,
                        Instant.ofEpochMilli(raw.time())));
            }
            Instant end = Instant.ofEpochMilli(last);
            alerts.add(alert(fingerprint, first, resource, startsAt, AlertStatus.RESOLVED, end, end));
        }
        return alerts;
    }

    private static Alert alert(String fingerprint, Raw raw, Resource resource, Instant startsAt, AlertStatus status,
            Instant endsAt, Instant time) {
        Map<String, String> labels = new TreeMap<>(raw.labels());
        labels.put("alertname", raw.name());
        labels.put("entity", raw.entity());
        return Alert.newBuilder().setSource(SOURCE).setFingerprint(fingerprint).setStatus(status)
                .setSeverity(AlertSeverity.UNKNOWN).setName(raw.name()).setResource(resource).setStartsAt(startsAt)
                .setEndsAt(endsAt).setTime(time).setSummary(raw.summary()).setLabels(labels)
                .setAnnotations(Map.of()).build();
    }

    private static Map<String, List<JsonNode>> alertsByCase(Path file) {
        Map<String, List<JsonNode>> byCase = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return byCase; // e.g. cloudbed-2's log alerts are missing upstream
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            root.fields().forEachRemaining(e -> {
                List<JsonNode> list = new ArrayList<>();
                e.getValue().forEach(list::add);
                byCase.put(e.getKey(), list);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return byCase;
    }

    private static List<Map<String, String>> labels(Path file) {
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return rows.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A label time: epoch seconds, or local date-time of the data's zone. */
    static Instant labelTime(String text) {
        if (text.matches("\\d+(\\.\\d+)?")) {
            return Instant.ofEpochMilli(Math.round(Double.parseDouble(text) * 1000));
        }
        return LocalDateTime.parse(text.length() == 19 ? text + ".000" : text, LABEL_TIME).toInstant(DATA_ZONE);
    }

    /** The time a log line starts with ({@code yyyy-MM-dd HH:mm:ss,SSS} or {@code .SSS}, the data's zone). */
    static long logTime(String line) {
        String stamp = line.substring(0, 23).replace(',', '.');
        return LocalDateTime.parse(stamp, LABEL_TIME).toInstant(DATA_ZONE).toEpochMilli();
    }

    /** A system's typed knowledge graph, as the entities of its alerts resolve against it. */
    static final class Graph {
        private final Map<String, String> types = new HashMap<>();
        /** Instance → the node it is an instance of. */
        private final Map<String, String> instanceOf = new HashMap<>();
        /** Node → the host it is hosted on. */
        private final Map<String, String> hostedOn = new HashMap<>();
        private final List<TopologyUpdate> updates = new ArrayList<>();

        static Graph read(Path file) {
            try {
                return new Graph(new ObjectMapper().readTree(file.toFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        private Graph(JsonNode graph) {
            for (JsonNode node : graph.get("nodes")) {
                types.put(node.get("id").asText(), node.get("type").asText());
            }
            List<String[]> edges = new ArrayList<>();
            for (JsonNode edge : graph.get("edges")) {
                String from = edge.get("source").asText();
                String to = edge.get("target").asText();
                String label = edge.get("label").asText();
                if (label.equals("instance_of")) {
                    instanceOf.put(from, to);
                } else if (label.equals("hosted_on")) {
                    hostedOn.put(from, to);
                }
                edges.add(new String[] {from, to, label});
            }
            Instant epoch = Instant.EPOCH;
            new TreeMap<>(types).forEach((id, type) -> {
                if (!isInstance(id)) {
                    updates.add(TopologyUpdate.newBuilder().setTime(epoch).setOperation(TopologyOperation.UPSERT)
                            .setItem(ConfigurationItem.newBuilder().setId(id).setType(itemType(type)).build())
                            .build());
                }
            });
            Set<String> seen = new HashSet<>();
            for (String[] edge : edges) {
                EdgeType type = switch (edge[2]) {
                    case "control_flow" -> EdgeType.CALLS;
                    case "data_flow", "registers_with" -> EdgeType.DEPENDS_ON;
                    case "hosted_on" -> EdgeType.RUNS_ON;
                    default -> null;
                };
                String from = itemOf(edge[0]);
                String to = itemOf(edge[1]);
                if (type == null || from.equals(to) || !seen.add(from + "|" + to + "|" + type)) {
                    continue;
                }
                updates.add(TopologyUpdate.newBuilder().setTime(epoch).setOperation(TopologyOperation.UPSERT)
                        .setEdge(TopologyEdge.newBuilder().setFrom(from).setTo(to).setType(type).build()).build());
            }
        }

        private boolean isInstance(String id) {
            return instanceOf.containsKey(id);
        }

        private static ItemType itemType(String nodeType) {
            return switch (nodeType) {
                case "Service" -> ItemType.SERVICE;
                case "Host" -> ItemType.HOST;
                case "Database" -> ItemType.DATABASE;
                case "Cache" -> ItemType.CACHE;
                default -> ItemType.OTHER;
            };
        }

        /** The configuration item an entity is: the node an instance is an instance of, else the entity itself. */
        String itemOf(String entity) {
            return instanceOf.getOrDefault(entity, entity);
        }

        /** The instances of a node (none for an instance or a node without). */
        Set<String> instancesOf(String node) {
            Set<String> instances = new HashSet<>();
            instanceOf.forEach((instance, of) -> {
                if (of.equals(node)) {
                    instances.add(instance);
                }
            });
            return instances;
        }

        Resource resource(String entity, String alertHost, String environment) {
            String item = itemOf(entity);
            // The host the alert names (what the monitoring saw), else the graph's, else a host alert's own entity.
            String host = alertHost != null ? alertHost
                    : hostedOn.getOrDefault(entity, "Host".equals(types.get(entity)) ? entity : null);
            return Resource.newBuilder().setService(item).setInstance(isInstance(entity) ? entity : null)
                    .setHost(host).setEnvironment(environment).build();
        }

        List<TopologyUpdate> updates() {
            return List.copyOf(updates);
        }
    }
}
