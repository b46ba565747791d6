package io.sift.jobs;

import io.sift.connectors.elasticsearch.AnomalyDocumentEmitter;
import io.sift.connectors.elasticsearch.ChangeDocumentEmitter;
import io.sift.connectors.elasticsearch.ElasticsearchSink;
import io.sift.connectors.elasticsearch.ElasticsearchSinkBuilder;
import io.sift.connectors.elasticsearch.IncidentDocumentEmitter;
import io.sift.connectors.elasticsearch.IncidentMetricsDocumentEmitter;
import io.sift.connectors.elasticsearch.ProblemDocumentEmitter;
import io.sift.connectors.elasticsearch.ServiceHealthDocumentEmitter;
import io.sift.connectors.elasticsearch.SloStatusDocumentEmitter;
import io.sift.connectors.itsm.IncidentWebhookConverter;
import io.sift.connectors.itsm.WebhookFormat;
import io.sift.connectors.itsm.WebhookSink;
import io.sift.connectors.itsm.WebhookSinkBuilder;
import io.sift.connectors.kafka.AvroRecordSerializer;
import io.sift.connectors.kafka.KafkaDeadLetterHandler;
import io.sift.connectors.kafka.SourceScreen;
import io.sift.schema.Anomaly;
import io.sift.schema.Alert;
import io.sift.schema.DeadLetter;
import io.sift.schema.Incident;
import io.sift.schema.ItsmUpdate;
import io.sift.schema.LogRecord;
import io.sift.schema.MetricPoint;
import io.sift.schema.Problem;
import io.sift.schema.ServiceHealth;
import io.sift.schema.SloStatus;
import io.sift.schema.TopologyUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Builds the production inputs and outputs (Kafka, Elasticsearch) and the execution environment from settings. */
public final class SiftWiring {

    private SiftWiring() {}

    public static StreamExecutionEnvironment environment(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.enableCheckpointing(conf.get(SiftOptions.CHECKPOINT_INTERVAL).toMillis());
        return env;
    }

    public static SiftJob.Inputs kafkaInputs(Configuration conf) {
        String bootstrap = requireBootstrap(conf);
        String group = conf.get(SiftOptions.KAFKA_GROUP_ID);
        boolean bounded = conf.get(SiftOptions.KAFKA_BOUNDED);
        Map<String, String> security = KafkaSecurityOptions.clientProperties(conf);
        // Metrics and logs feed event-time operators (windows, per-series order): late records and repeats are
        // refused at the source. Changes and ITSM feedback are applied even when late, and the compacted topology topic
        // replays old updates on every start, so none of these is judged by event time.
        SourceScreen ordered = screen(conf, true);
        SourceScreen unordered = screen(conf, false);
        return new SiftJob.Inputs(
                InputFormats.metrics(conf, bootstrap, group, bounded, security, ordered),
                InputFormats.logs(conf, bootstrap, group, bounded, security, ordered),
                InputFormats.changes(conf, bootstrap, group, bounded, security, unordered),
                SiftSource.kafka(bootstrap, conf.get(SiftOptions.TOPIC_TOPOLOGY), group, TopologyUpdate.class, bounded,
                        security, unordered),
                itsmFeedback(conf, bootstrap, group, bounded, security, unordered),
                optionalTopic(conf.get(AlertOptions.TOPIC_ALERTS), Alert.class, bootstrap, group, bounded, security,
                        unordered),
                InputFormats.traces(conf, bootstrap, group, bounded, security, ordered));
    }

    /** An optional input topic (as the ITSM feedback topic, see there): picked up once created. */
    static <T extends org.apache.avro.specific.SpecificRecordBase> SiftSource<T> optionalTopic(String topic,
            Class<T> type, String bootstrap, String group, boolean bounded, Map<String, String> security,
            SourceScreen screen) {
        if (bounded && !topicExists(bootstrap, topic, security)) {
            return SiftSource.empty(type);
        }
        return SiftSource.optionalKafka(bootstrap, topic, group, type, bounded, security, screen);
    }

    /** The source screen of an input: size, validation and, for event-time ordered inputs, lateness and repeats. */
    static SourceScreen screen(Configuration conf, boolean eventTimeOrdered) {
        long maxBytes = conf.get(SiftOptions.MAX_RECORD_SIZE).getBytes();
        if (maxBytes > conf.get(SiftOptions.DEAD_LETTER_MAX_REQUEST_SIZE).getBytes()) {
            throw new IllegalArgumentException(SiftOptions.MAX_RECORD_SIZE.key() + " (" + maxBytes + " bytes) must not"
                    + " exceed " + SiftOptions.DEAD_LETTER_MAX_REQUEST_SIZE.key() + ": a record refused for its size is"
                    + " dead-lettered whole; raise the dead-letter request size (and the topic's max.message.bytes)");
        }
        return eventTimeOrdered
                ? new SourceScreen(maxBytes, SiftJob.validator(conf), conf.get(SiftOptions.OUT_OF_ORDERNESS).toMillis(),
                        conf.get(SiftOptions.DUPLICATE_MEMORY))
                : new SourceScreen(maxBytes, SiftJob.validator(conf), -1, 0);
    }

    /**
     * The ITSM feedback topic, which need not exist (no ITSM integration yet). Unbounded, it is subscribed by name
     * pattern and picked up once created; bounded (a replay), a missing topic is an empty input, because a pattern
     * that matches nothing never ends a bounded Kafka source.
     */
    static SiftSource<ItsmUpdate> itsmFeedback(Configuration conf, String bootstrap, String group, boolean bounded,
            Map<String, String> security, SourceScreen screen) {
        String topic = conf.get(ItsmOptions.TOPIC_ITSM_FEEDBACK);
        if (bounded && !topicExists(bootstrap, topic, security)) {
            return SiftSource.empty(ItsmUpdate.class);
        }
        return InputFormats.itsmFeedback(conf, topic, bootstrap, group, bounded, security, screen);
    }

    private static boolean topicExists(String bootstrap, String topic, Map<String, String> security) {
        Properties props = new Properties();
        props.putAll(security);
        props.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(props)) {
            return admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS).contains(topic);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list the topics of Kafka at " + bootstrap + " (to see whether "
                    + topic + " exists): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing Kafka topics", e);
        }
    }

    /** Kafka incident and dead-letter topics, and Elasticsearch when {@code sift.elasticsearch.url} is set. */
    public static SiftJob.Outputs outputs(Configuration conf) {
        String bootstrap = requireBootstrap(conf);
        String deadLetterTopic = conf.get(SiftOptions.TOPIC_DEAD_LETTERS);
        List<Sink<Anomaly>> anomalies = new ArrayList<>();
        List<Sink<Incident>> incidents = new ArrayList<>();
        List<Sink<DeadLetter>> deadLetters = new ArrayList<>();
        List<Sink<io.sift.core.change.ChangeOutcome>> changes = new ArrayList<>();
        List<Sink<Problem>> problems = new ArrayList<>();
        List<Sink<SloStatus>> sloStatuses = new ArrayList<>();
        List<Sink<ServiceHealth>> serviceHealth = new ArrayList<>();
        Map<String, String> security = KafkaSecurityOptions.clientProperties(conf);
        Properties producerSecurity = new Properties();
        producerSecurity.putAll(security);
        // A dead letter carries the original record: it may be larger than Kafka's default 1 MB request.
        Properties deadLetterProducer = new Properties();
        deadLetterProducer.putAll(security);
        deadLetterProducer.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                Long.toString(conf.get(SiftOptions.DEAD_LETTER_MAX_REQUEST_SIZE).getBytes()));

        incidents.add(KafkaSink.<Incident>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new AvroRecordSerializer<>(conf.get(SiftOptions.TOPIC_INCIDENTS), Incident.class,
                        Incident::getId))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(producerSecurity)
                .build());
        problems.add(KafkaSink.<Problem>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new AvroRecordSerializer<>(conf.get(ItsmOptions.TOPIC_PROBLEMS), Problem.class,
                        Problem::getId))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(producerSecurity)
                .build());
        deadLetters.add(KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new AvroRecordSerializer<>(deadLetterTopic, DeadLetter.class,
                        dl -> dl.getSourceTopic() == null ? dl.getStage() : dl.getSourceTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(deadLetterProducer)
                .build());

        String url = conf.get(SiftOptions.ELASTICSEARCH_URL);
        if (url != null && !url.isBlank()) {
            anomalies.add(elasticsearch(conf, url).setEmitter(new AnomalyDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
            incidents.add(elasticsearch(conf, url).setEmitter(new IncidentDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
            // Time to detect / acknowledge / resolve per incident, read by the Problems dashboard and the notebook.
            incidents.add(elasticsearch(conf, url).setEmitter(new IncidentMetricsDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
            problems.add(elasticsearch(conf, url).setEmitter(new ProblemDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
            // Changes are indexed too, with their outcome (implicated by an incident or clean), so SREs see what changed
            // next to the incidents it may have caused, and the change failure rate per service and team.
            changes.add(elasticsearch(conf, url).setEmitter(new ChangeDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
            // SLO budgets and service health: time series for the "SLOs and error budgets" and "Service health"
            // dashboards.
            sloStatuses.add(elasticsearch(conf, url).setEmitter(new SloStatusDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
            serviceHealth.add(elasticsearch(conf, url).setEmitter(new ServiceHealthDocumentEmitter())
                    .setRejectedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security))
                    .build());
        }
        String webhookUrl = conf.get(DeliveryOptions.WEBHOOK_URL);
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            incidents.add(webhook(conf, webhookUrl, new KafkaDeadLetterHandler(bootstrap, deadLetterTopic, security)));
        }
        return new SiftJob.Outputs(anomalies, incidents, deadLetters, changes, sloStatuses, serviceHealth, problems);
    }

    /** An Elasticsearch sink builder with the connection, credentials and bulk sizing from the settings. */
    static ElasticsearchSinkBuilder<Object> elasticsearch(Configuration conf, String url) {
        ElasticsearchSinkBuilder<Object> builder = ElasticsearchSink.builder()
                .setHosts(java.util.Arrays.stream(url.split(",")).map(String::trim).toList())
                .setMaxBatchSize(conf.get(DeliveryOptions.ELASTICSEARCH_BULK_ACTIONS))
                .setMaxBatchSizeInBytes(conf.get(DeliveryOptions.ELASTICSEARCH_BULK_BYTES).getBytes())
                .setMaxTimeInBuffer(conf.get(DeliveryOptions.ELASTICSEARCH_FLUSH_INTERVAL));
        String apiKey = secret(conf.get(DeliveryOptions.ELASTICSEARCH_API_KEY_ENV),
                conf.get(DeliveryOptions.ELASTICSEARCH_API_KEY_FILE));
        String username = conf.get(DeliveryOptions.ELASTICSEARCH_USERNAME);
        if (apiKey != null && username != null) {
            throw new IllegalArgumentException("set either an Elasticsearch API key or a username, not both");
        }
        if (apiKey != null) {
            builder.setApiKey(apiKey);
        } else if (username != null) {
            String password = secret(conf.get(DeliveryOptions.ELASTICSEARCH_PASSWORD_ENV),
                    conf.get(DeliveryOptions.ELASTICSEARCH_PASSWORD_FILE));
            if (password == null) {
                throw new IllegalArgumentException("sift.elasticsearch.username is set: give the password with "
                        + DeliveryOptions.ELASTICSEARCH_PASSWORD_ENV.key() + " or "
                        + DeliveryOptions.ELASTICSEARCH_PASSWORD_FILE.key());
            }
            builder.setBasicAuth(username, password);
        }
        String ca = conf.get(DeliveryOptions.ELASTICSEARCH_CA_CERTIFICATE);
        if (ca != null && !ca.isBlank()) {
            builder.setTrustedCaCertificate(java.nio.file.Path.of(ca));
        }
        return builder;
    }

    /** The incident webhook; its secrets are read here, from the environment or a file, never from settings. */
    static WebhookSink<Incident> webhook(Configuration conf, String url,
            io.sift.connectors.deadletter.RejectedDocumentHandler rejected) {
        WebhookFormat format = conf.get(DeliveryOptions.WEBHOOK_FORMAT);
        String routingKey = null;
        if (format == WebhookFormat.PAGERDUTY) {
            String variable = conf.get(DeliveryOptions.WEBHOOK_ROUTING_KEY_ENV);
            routingKey = System.getenv(variable);
            if (routingKey == null || routingKey.isBlank()) {
                throw new IllegalArgumentException("sift.webhook.format is PAGERDUTY: set the environment variable "
                        + variable + " to the integration's routing key (or name another with "
                        + DeliveryOptions.WEBHOOK_ROUTING_KEY_ENV.key() + ")");
            }
        }
        WebhookSinkBuilder<Incident> builder = WebhookSink.<Incident>builder()
                .setConverter(new IncidentWebhookConverter(format, routingKey))
                // Versions of incidents a maintenance window suppresses stay out of the ITSM tool (resolves pass).
                .setFilter(io.sift.core.maintenance.Suppression::notifies)
                .setUrl(url)
                .setRedactedValues(routingKey == null ? List.of() : List.of(routingKey))
                .setRejectedDocumentHandler(rejected);
        String authorization = secret(conf.get(DeliveryOptions.WEBHOOK_AUTHORIZATION_ENV),
                conf.get(DeliveryOptions.WEBHOOK_AUTHORIZATION_FILE));
        if (authorization != null) {
            builder.setHeader("Authorization", authorization);
        }
        return builder.build();
    }

    /** A secret from the named environment variable, else from the file, else null. */
    static String secret(String environmentVariable, String file) {
        if (environmentVariable != null && !environmentVariable.isBlank()) {
            String value = System.getenv(environmentVariable);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + environmentVariable
                        + " named in the settings is not set");
            }
            return value.trim();
        }
        if (file != null && !file.isBlank()) {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of(file)).trim();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read the secret file " + file + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static String requireBootstrap(Configuration conf) {
        String bootstrap = conf.get(SiftOptions.KAFKA_BOOTSTRAP);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("set " + SiftOptions.KAFKA_BOOTSTRAP.key()
                    + " (e.g. 127.0.0.1:19092) in the configuration file or with -D" + SiftOptions.KAFKA_BOOTSTRAP.key() + "=...");
        }
        return bootstrap;
    }
}
