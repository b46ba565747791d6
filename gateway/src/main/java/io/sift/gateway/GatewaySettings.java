package io.sift.gateway;

import java.util.List;
import java.util.Map;

/**
 * What the gateway needs to run. Validated on construction with messages that say what to set.
 *
 * @param host               address to listen on (0.0.0.0 for every interface)
 * @param port               port to listen on (0: a free one, for tests)
 * @param bearerToken        token every request must carry ({@code Authorization: Bearer <token>}); null: none
 * @param maxBodyBytes       largest request body accepted (413 above it)
 * @param maxUncompressedBytes largest uncompressed remote_write request
 * @param kafkaBootstrap     Kafka bootstrap servers
 * @param alertsTopic        topic of Alert records
 * @param metricsTopic       topic of MetricPoint records
 * @param deadLetterTopic    topic of DeadLetter records (refused payloads, with the reason)
 * @param labelMap           extra labels per entity field, {@code field=label[,label...]}
 * @param producerProperties further Kafka producer settings (security, tuning); acks and idempotence stay fixed
 * @param ioThreads          Netty event loop threads (0: Netty's default, twice the cores)
 */
public record GatewaySettings(String host, int port, String bearerToken, int maxBodyBytes, int maxUncompressedBytes,
        String kafkaBootstrap, String alertsTopic, String metricsTopic, String deadLetterTopic, List<String> labelMap,
        Map<String, String> producerProperties, int ioThreads) {

    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

    public GatewaySettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("gateway host: give the address to listen on, e.g. 0.0.0.0");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("gateway port " + port + ": give a port from 1 to 65535");
        }
        if (maxBodyBytes < 1024 || maxUncompressedBytes < maxBodyBytes) {
            throw new IllegalArgumentException("gateway size limits: the body limit must be at least 1024 bytes and"
                    + " the uncompressed limit at least the body limit (got " + maxBodyBytes + " and "
                    + maxUncompressedBytes + ")");
        }
        if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("gateway: give Kafka's bootstrap servers (--kafka or"
                    + " SIFT_KAFKA_BOOTSTRAP)");
        }
        for (String topic : new String[] {alertsTopic, metricsTopic, deadLetterTopic}) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("gateway: the alerts, metrics and dead-letter topics must be"
                        + " named");
            }
        }
        if (bearerToken != null && bearerToken.isBlank()) {
            bearerToken = null;
        }
        labelMap = labelMap == null ? List.of() : List.copyOf(labelMap);
        producerProperties = producerProperties == null ? Map.of() : Map.copyOf(producerProperties);
        if (ioThreads < 0) {
            throw new IllegalArgumentException("gateway io threads must be 0 (default) or more");
        }
        EntityMapper.fromSettings(labelMap);
    }

    /** Defaults for the given Kafka: port 9095 on every interface, Sift's topic names, no token. */
    public static GatewaySettings defaults(String kafkaBootstrap) {
        return new GatewaySettings("0.0.0.0", 9095, null, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_UNCOMPRESSED_BYTES,
                kafkaBootstrap, "sift.alerts", "sift.metrics", "sift.deadletter", List.of(), Map.of(), 0);
    }

    public GatewaySettings withListen(String newHost, int newPort) {
        return new GatewaySettings(newHost, newPort, bearerToken, maxBodyBytes, maxUncompressedBytes, kafkaBootstrap,
                alertsTopic, metricsTopic, deadLetterTopic, labelMap, producerProperties, ioThreads);
    }

    public GatewaySettings withBearerToken(String token) {
        return new GatewaySettings(host, port, token, maxBodyBytes, maxUncompressedBytes, kafkaBootstrap,
                alertsTopic, metricsTopic, deadLetterTopic, labelMap, producerProperties, ioThreads);
    }

    public GatewaySettings withTopics(String alerts, String metrics, String deadLetters) {
        return new GatewaySettings(host, port, bearerToken, maxBodyBytes, maxUncompressedBytes, kafkaBootstrap,
                alerts, metrics, deadLetters, labelMap, producerProperties, ioThreads);
    }

    public GatewaySettings withMaxBodyBytes(int bytes) {
        return new GatewaySettings(host, port, bearerToken, bytes, Math.max(bytes, maxUncompressedBytes),
                kafkaBootstrap, alertsTopic, metricsTopic, deadLetterTopic, labelMap, producerProperties, ioThreads);
    }

    public GatewaySettings withIoThreads(int threads) {
        return new GatewaySettings(host, port, bearerToken, maxBodyBytes, maxUncompressedBytes, kafkaBootstrap,
                alertsTopic, metricsTopic, deadLetterTopic, labelMap, producerProperties, threads);
    }
}
