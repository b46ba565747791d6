package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parses every manifest in {@code deploy/k8s} and checks the fields that must agree with Sift's configuration:
 * topic names and layouts (the {@code sift.kafka.topic.*} defaults and {@code deploy/kafka/topics.json}), the
 * job's entry class, jar, image and Flink version, its settings file, parallelism, savepoint upgrades, HA and
 * checkpoint storage, and the service names the settings point at.
 */
class K8sManifestsTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tempDir;

    private static Path root;
    private static List<JsonNode> documents;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("deploy/k8s"))) {
            root = root.getParent();
        }
        assertNotNull(root, "no deploy/k8s above " + Path.of("").toAbsolutePath());
        documents = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(root.resolve("deploy/k8s"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no manifests in deploy/k8s");
        for (Path file : files) {
            try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc == null || doc.isNull() || doc.isMissingNode()) {
                        continue;
                    }
                    ((ObjectNode) doc).put("_file", file.getFileName().toString());
                    documents.add(doc);
                }
            }
        }
    }

    @Test
    void everyResourceIsNamedAndLivesInTheSiftNamespace() {
        for (JsonNode doc : documents) {
            String where = doc.path("_file").asText() + ": " + doc.path("kind").asText();
            assertTrue(doc.path("apiVersion").asText().length() > 0, where + " has no apiVersion");
            assertTrue(doc.path("kind").asText().length() > 0, where + " has no kind");
            assertTrue(doc.at("/metadata/name").asText().length() > 0, where + " has no name");
            if (!doc.path("kind").asText().equals("Namespace")) {
                assertEquals("sift", doc.at("/metadata/namespace").asText(), where + " namespace");
            }
        }
        assertEquals(1, all("Namespace").stream().filter(n -> n.at("/metadata/name").asText().equals("sift")).count());
    }

    @Test
    void kafkaTopicsAreSiftsTopicsWithTheLayoutOfTopicsJson() throws IOException {
        Set<String> expectedNames = new TreeSet<>(List.of(SiftOptions.TOPIC_METRICS.defaultValue(),
                SiftOptions.TOPIC_LOGS.defaultValue(), SiftOptions.TOPIC_CHANGES.defaultValue(),
                SiftOptions.TOPIC_TOPOLOGY.defaultValue(), SiftOptions.TOPIC_INCIDENTS.defaultValue(),
                SiftOptions.TOPIC_DEAD_LETTERS.defaultValue(), ItsmOptions.TOPIC_PROBLEMS.defaultValue(),
                ItsmOptions.TOPIC_ITSM_FEEDBACK.defaultValue(), AlertOptions.TOPIC_ALERTS.defaultValue()));
        Map<String, JsonNode> topics = topicsByName();
        assertEquals(expectedNames, topics.keySet(), "one KafkaTopic per sift.kafka.topic.* default");

        String kafkaCluster = one("Kafka").at("/metadata/name").asText();
        Map<String, JsonNode> reference = new HashMap<>();
        for (JsonNode topic : JSON.readTree(root.resolve("deploy/kafka/topics.json").toFile()).path("topics")) {
            reference.put(topic.path("name").asText(), topic);
        }
        assertEquals(expectedNames, new TreeSet<>(reference.keySet()), "deploy/kafka/topics.json names");
        for (Map.Entry<String, JsonNode> e : topics.entrySet()) {
            JsonNode manifest = e.getValue();
            JsonNode json = reference.get(e.getKey());
            assertEquals(kafkaCluster, manifest.at("/metadata/labels/strimzi.io~1cluster").asText(),
                    e.getKey() + " belongs to the Kafka cluster");
            assertEquals(json.path("partitions").asInt(), manifest.at("/spec/partitions").asInt(), e.getKey() + " partitions");
            assertEquals(json.path("replicationFactor").asInt(), manifest.at("/spec/replicas").asInt(), e.getKey() + " replicas");
            assertEquals(asStrings(json.path("config")), asStrings(manifest.at("/spec/config")), e.getKey() + " config");
        }
        assertTrue(topics.get(SiftOptions.TOPIC_INCIDENTS.defaultValue()).at("/spec/config/cleanup.policy").asText()
                .contains("compact"), "the incident topic is compacted (latest version per incident id)");
    }

    @Test
    void theJobSettingsAreValidAndPointAtTheManifestsServicesAndTopics() throws IOException {
        Configuration conf = siftSettings();
        Map<String, JsonNode> topics = topicsByName();
        for (var option : List.of(SiftOptions.TOPIC_METRICS, SiftOptions.TOPIC_LOGS, SiftOptions.TOPIC_CHANGES,
                SiftOptions.TOPIC_TOPOLOGY, SiftOptions.TOPIC_INCIDENTS, SiftOptions.TOPIC_DEAD_LETTERS)) {
            assertTrue(topics.containsKey(conf.get(option)), option.key() + " = " + conf.get(option) + " has a KafkaTopic");
        }
        assertFalse(conf.get(SiftOptions.KAFKA_BOUNDED), "the deployed job runs unbounded");

        JsonNode kafka = one("Kafka");
        JsonNode plain = null;
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            if (!listener.path("tls").asBoolean()) {
                plain = listener;
            }
        }
        assertNotNull(plain, "the Kafka cluster has a listener without TLS for the job");
        assertEquals(kafka.at("/metadata/name").asText() + "-kafka-bootstrap.sift.svc:" + plain.path("port").asInt(),
                conf.get(SiftOptions.KAFKA_BOOTSTRAP), "bootstrap servers: Strimzi's bootstrap service");

        JsonNode elasticsearch = one("Elasticsearch");
        String esName = elasticsearch.at("/metadata/name").asText();
        URI url = URI.create(conf.get(SiftOptions.ELASTICSEARCH_URL));
        assertEquals(esName + "-es-http.sift.svc", url.getHost(), "Elasticsearch URL: ECK's HTTP service");
        assertEquals(9200, url.getPort());
        assertEquals("https", url.getScheme(), "ECK serves HTTPS unless told otherwise");
        assertEquals(one("Kibana").at("/spec/elasticsearchRef/name").asText(), esName, "Kibana shows Sift's Elasticsearch");
        assertEquals(elasticsearch.at("/spec/version").asText(), one("Kibana").at("/spec/version").asText());
        assertEquals(pomProperty("elasticsearch.version"), elasticsearch.at("/spec/version").asText(),
                "the Elasticsearch version Sift is tested against");

        // the secrets the settings name reach the Flink containers
        JsonNode container = flinkContainer();
        String passwordEnv = conf.get(DeliveryOptions.ELASTICSEARCH_PASSWORD_ENV);
        JsonNode env = find(container.path("env"), "name", passwordEnv);
        assertNotNull(env, "the container sets " + passwordEnv);
        assertEquals(esName + "-es-elastic-user", env.at("/valueFrom/secretKeyRef/name").asText());
        String caFile = conf.get(DeliveryOptions.ELASTICSEARCH_CA_CERTIFICATE);
        JsonNode caVolume = volumeMountedAt(caFile);
        assertEquals(esName + "-es-http-certs-public", caVolume.at("/secret/secretName").asText(), caFile);
    }

    @Test
    void theFlinkDeploymentRunsSiftsJarWithSavepointUpgradesHaAndDurableCheckpoints() throws IOException {
        JsonNode deployment = one("FlinkDeployment");
        JsonNode job = deployment.at("/spec/job");
        assertEquals(SiftJobMain.class.getName(), job.path("entryClass").asText(), "entry class");
        assertEquals("savepoint", job.path("upgradeMode").asText(), "upgrades go through a savepoint");
        assertEquals("running", job.path("state").asText());

        // jar and image: what the Dockerfile builds
        String dockerfile = Files.readString(root.resolve("deploy/k8s/Dockerfile"));
        Matcher copy = Pattern.compile("(?m)^COPY .*?(jobs/target/(\\S+)) (\\S+)$").matcher(dockerfile);
        assertTrue(copy.find(), "the Dockerfile copies the job jar");
        String version = projectVersion();
        assertEquals("sift-jobs-" + version + "-job.jar", copy.group(2), "the Dockerfile copies the shaded jar of this version");
        assertEquals("local://" + copy.group(3), job.path("jarURI").asText(), "jarURI is where the image has the jar");
        assertTrue(deployment.at("/spec/image").asText().endsWith(":" + version), "image tag is the project version");
        String flink = pomProperty("flink.version");
        assertTrue(dockerfile.contains("FROM flink:" + flink + "-"), "the image is built on Flink " + flink);
        String[] majorMinor = flink.split("\\.");
        assertEquals("v" + majorMinor[0] + "_" + majorMinor[1], deployment.at("/spec/flinkVersion").asText());

        // the settings file: --config names the mounted ConfigMap key
        List<String> args = JSON.convertValue(job.path("args"), List.class);
        assertEquals(2, args.size(), "args: --config FILE, got " + args);
        assertEquals("--config", args.get(0));
        Path configFile = Path.of(args.get(1));
        JsonNode configVolume = volumeMountedAt(args.get(1));
        assertEquals("sift-config", configVolume.at("/configMap/name").asText());
        assertTrue(one("ConfigMap").at("/data").has(configFile.getFileName().toString()),
                "the ConfigMap has the key " + configFile.getFileName());

        // parallelism: every source subtask of the big topics gets the same number of partitions
        int parallelism = job.path("parallelism").asInt();
        assertTrue(parallelism >= 1);
        Map<String, JsonNode> topics = topicsByName();
        for (String topic : List.of(SiftOptions.TOPIC_METRICS.defaultValue(), SiftOptions.TOPIC_LOGS.defaultValue())) {
            int partitions = topics.get(topic).at("/spec/partitions").asInt();
            assertEquals(0, partitions % parallelism, topic + ": " + partitions + " partitions for parallelism " + parallelism);
        }
        int slots = Integer.parseInt(deployment.at("/spec/flinkConfiguration/taskmanager.numberOfTaskSlots").asText());
        assertEquals(0, parallelism % slots, "parallelism fills whole TaskManagers of " + slots + " slots");

        // HA and state storage survive pods: under a mounted persistent volume claim that the manifests define
        JsonNode flinkConf = deployment.at("/spec/flinkConfiguration");
        assertEquals("kubernetes", flinkConf.path("high-availability.type").asText());
        for (String key : List.of("high-availability.storageDir", "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir")) {
            String dir = flinkConf.path(key).asText();
            assertTrue(dir.startsWith("file:///"), key + " = " + dir);
            JsonNode volume = volumeMountedAt(URI.create(dir).getPath());
            String claim = volume.at("/persistentVolumeClaim/claimName").asText();
            JsonNode pvc = all("PersistentVolumeClaim").stream()
                    .filter(p -> p.at("/metadata/name").asText().equals(claim)).findFirst().orElse(null);
            assertNotNull(pvc, key + " lies on the claim " + claim + ", which the manifests define");
            assertTrue(pvc.at("/spec/accessModes").toString().contains("ReadWriteMany"),
                    "JobManager and TaskManagers share " + claim);
        }
        assertEquals("RETAIN_ON_CANCELLATION",
                flinkConf.path("execution.checkpointing.externalized-checkpoint-retention").asText(),
                "a cancelled job leaves its last checkpoint to resume from");
    }

    // ---- helpers

    private static List<JsonNode> all(String kind) {
        return documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode one(String kind) {
        List<JsonNode> found = all(kind);
        assertEquals(1, found.size(), () -> "exactly one " + kind + " in deploy/k8s, found " + found.size());
        return found.get(0);
    }

    private static Map<String, JsonNode> topicsByName() {
        Map<String, JsonNode> topics = new TreeMap<>();
        for (JsonNode topic : all("KafkaTopic")) {
            JsonNode previous = topics.put(topic.at("/spec/topicName").asText(), topic);
            assertTrue(previous == null, "two KafkaTopics for " + topic.at("/spec/topicName").asText());
        }
        return topics;
    }

    /** The ConfigMap's settings file, read the way the job reads it (unknown keys are refused). */
    private static Configuration siftSettings() throws IOException {
        JsonNode data = one("ConfigMap").path("data");
        assertEquals(1, data.size(), "the ConfigMap holds one settings file");
        Path file = tempDir.resolve(data.fieldNames().next());
        Files.writeString(file, data.elements().next().asText());
        return SiftSettings.load(file, Map.of());
    }

    private static JsonNode flinkContainer() {
        JsonNode container = find(one("FlinkDeployment").at("/spec/podTemplate/spec/containers"), "name",
                "flink-main-container");
        assertNotNull(container, "the pod template configures flink-main-container");
        return container;
    }

    /** The pod volume whose mount path holds {@code path} (a file or directory in it). */
    private static JsonNode volumeMountedAt(String path) {
        JsonNode mount = null;
        for (JsonNode m : flinkContainer().path("volumeMounts")) {
            String at = m.path("mountPath").asText();
            if (path.equals(at) || path.startsWith(at.endsWith("/") ? at : at + "/")) {
                mount = m;
            }
        }
        assertNotNull(mount, "no volume is mounted where " + path + " lies");
        JsonNode volume = find(one("FlinkDeployment").at("/spec/podTemplate/spec/volumes"), "name",
                mount.path("name").asText());
        assertNotNull(volume, "the pod template defines the volume " + mount.path("name").asText());
        return volume;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.path(field).asText().equals(value)) {
                return element;
            }
        }
        return null;
    }

    private static Map<String, String> asStrings(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>sift-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(m.find(), "no version in pom.xml");
        return m.group(1);
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(m.find(), "no property " + name + " in pom.xml");
        return m.group(1);
    }
}
