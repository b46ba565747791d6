package io.sift.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sift.connectors.elasticsearch.ElasticsearchConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.http.util.EntityUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;

/**
 * Resets what one run of the job left behind, so that a rerun with other settings starts clean: the documents in
 * Elasticsearch (every index and data stream the job writes, {@code sift-incidents-*}, {@code sift-anomalies-*} and
 * the other {@link #INDEX_KINDS}; the index templates stay), the output topics (incidents, problems, dead letters), and
 * the job's consumer group (so a rerun reads its inputs from the start). The input topics are kept unless asked for.
 * Ids and versions are deterministic, so without a reset the Elasticsearch sink's external versioning keeps a first
 * run's documents wherever the rerun's versions are not higher.
 */
public final class RunReset {

    /** The kinds of Elasticsearch index the job writes ({@code sift-<kind>-<yyyy.MM>}, or data streams so named). */
    public static final List<String> INDEX_KINDS = List.of("incidents", "anomalies", "changes", "slo",
            "service-health", "problems", "incident-metrics");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a reset deletes (or deleted). */
    public record Plan(List<String> indices, List<String> dataStreams, List<String> topics, String consumerGroup,
            boolean groupExists) {
        public boolean isEmpty() {
            return indices.isEmpty() && dataStreams.isEmpty() && topics.isEmpty() && !groupExists;
        }
    }

    private final Configuration conf;
    private final boolean inputs;

    /** {@code inputs}: also delete the input topics (metrics, logs, changes, topology, ITSM feedback). */
    public RunReset(Configuration conf, boolean inputs) {
        this.conf = conf;
        this.inputs = inputs;
    }

    /** The topics the reset deletes, by the run's settings. */
    public List<String> topicNames() {
        List<String> topics = new ArrayList<>(List.of(conf.get(SiftOptions.TOPIC_INCIDENTS),
                conf.get(ItsmOptions.TOPIC_PROBLEMS), conf.get(SiftOptions.TOPIC_DEAD_LETTERS)));
        if (inputs) {
            topics.addAll(List.of(conf.get(SiftOptions.TOPIC_METRICS), conf.get(SiftOptions.TOPIC_LOGS),
                    conf.get(SiftOptions.TOPIC_CHANGES), conf.get(SiftOptions.TOPIC_TOPOLOGY),
                    conf.get(ItsmOptions.TOPIC_ITSM_FEEDBACK)));
        }
        return topics;
    }

    /** What exists now and would be deleted. */
    public Plan plan() throws Exception {
        List<String> indices = new ArrayList<>();
        List<String> dataStreams = new ArrayList<>();
        String url = conf.get(SiftOptions.ELASTICSEARCH_URL);
        if (url != null && !url.isBlank()) {
            try (RestClient client = connection(url).createRestClient()) {
                resolve(client, indices, dataStreams);
            }
        }
        String group = conf.get(SiftOptions.KAFKA_GROUP_ID);
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> topics = topicNames().stream().filter(existing::contains).distinct().toList();
            boolean groupExists = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .anyMatch(g -> g.groupId().equals(group));
            return new Plan(indices, dataStreams, topics, group, groupExists);
        }
    }

    /** Deletes what {@link #plan()} finds; returns it. Refuses while the job's consumer group has members. */
    public Plan execute() throws Exception {
        Plan plan = plan();
        try (Admin admin = admin()) {
            if (plan.groupExists()) {
                try {
                    admin.deleteConsumerGroups(List.of(plan.consumerGroup())).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof GroupNotEmptyException) {
                        throw new IllegalArgumentException("the consumer group " + plan.consumerGroup()
                                + " has members: stop the job before resetting its run");
                    }
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
            }
            if (!plan.topics().isEmpty()) {
                try {
                    admin.deleteTopics(plan.topics()).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
        }
        String url = conf.get(SiftOptions.ELASTICSEARCH_URL);
        if (url != null && !url.isBlank() && (!plan.indices().isEmpty() || !plan.dataStreams().isEmpty())) {
            try (RestClient client = connection(url).createRestClient()) {
                for (String stream : plan.dataStreams()) {
                    perform(client, new Request("DELETE", "/_data_stream/" + stream));
                }
                // By name, a few at a time: clusters refuse wildcard deletes (action.destructive_requires_name).
                for (int i = 0; i < plan.indices().size(); i += 20) {
                    String names = String.join(",", plan.indices().subList(i, Math.min(i + 20, plan.indices().size())));
                    perform(client, new Request("DELETE", "/" + names + "?ignore_unavailable=true"));
                }
            }
        }
        return plan;
    }

    private void resolve(RestClient client, List<String> indices, List<String> dataStreams) throws IOException {
        Set<String> patterns = new LinkedHashSet<>();
        for (String kind : INDEX_KINDS) {
            patterns.add("sift-" + kind + "*"); // indices sift-<kind>-<month>, data streams sift-<kind>…
        }
        Request request = new Request("GET", "/_resolve/index/" + String.join(",", patterns));
        request.addParameter("expand_wildcards", "open,closed");
        JsonNode resolved = JSON.readTree(perform(client, request));
        Set<String> streams = new TreeSet<>();
        resolved.path("data_streams").forEach(d -> streams.add(d.path("name").asText()));
        Set<String> names = new TreeSet<>();
        for (JsonNode index : resolved.path("indices")) {
            if (!index.has("data_stream")) {
                names.add(index.path("name").asText());
            }
        }
        indices.addAll(names);
        dataStreams.addAll(streams);
    }

    private static String perform(RestClient client, Request request) throws IOException {
        Response response = client.performRequest(request);
        return response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity());
    }

    private ElasticsearchConnection connection(String url) {
        return SiftWiring.elasticsearch(conf, url)
                .setEmitter(new io.sift.connectors.elasticsearch.IncidentDocumentEmitter()).build().getConnection();
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, conf.get(SiftOptions.KAFKA_BOOTSTRAP));
        for (Map.Entry<String, String> e : KafkaSecurityOptions.clientProperties(conf).entrySet()) {
            props.put(e.getKey(), e.getValue());
        }
        return Admin.create(props);
    }
}
