package io.sift.jobs.cli;

import io.sift.gateway.GatewayServer;
import io.sift.gateway.GatewaySettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sift gateway}: the ingestion gateway, a stateless HTTP service beside the job (io.sift.gateway, module
 * gateway/, not in the job jar). Runs until stopped; SIGTERM lets requests in flight finish.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Run the ingestion gateway: Alertmanager, Grafana, generic and CloudEvents alerts and Prometheus"
                + " remote_write over HTTP, written to Kafka (answered 2xx only once Kafka acknowledged them).",
                "POST /api/v1/alerts/alertmanager, /api/v1/alerts/grafana, /api/v1/alerts, /api/v1/cloudevents,"
                        + " /api/v1/write; GET /healthz, /metrics."})
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--listen", description = "Address and port to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:SIFT_GATEWAY_LISTEN:-0.0.0.0:9095}")
    String listen;

    @Option(names = "--kafka", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:SIFT_KAFKA_BOOTSTRAP:-127.0.0.1:19092}")
    String kafka;

    @Option(names = "--token-env", description = "Environment variable holding the bearer token every request must"
            + " carry; unset or empty: no token is required (default: ${DEFAULT-VALUE}).",
            defaultValue = "SIFT_GATEWAY_TOKEN")
    String tokenEnv;

    @Option(names = "--max-body-bytes", description = "Largest request body; larger ones get 413"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "" + GatewaySettings.DEFAULT_MAX_BODY_BYTES)
    int maxBodyBytes;

    @Option(names = "--max-uncompressed-bytes", description = "Largest uncompressed remote_write request"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "" + GatewaySettings.DEFAULT_MAX_UNCOMPRESSED_BYTES)
    int maxUncompressedBytes;

    @Option(names = "--alerts-topic", defaultValue = "sift.alerts", description = "Topic of Alert records"
            + " (default: ${DEFAULT-VALUE}).")
    String alertsTopic;

    @Option(names = "--metrics-topic", defaultValue = "sift.metrics", description = "Topic of MetricPoint records"
            + " (default: ${DEFAULT-VALUE}).")
    String metricsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "sift.deadletter", description = "Topic of refused"
            + " payloads, with the reason (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--label-map", description = "Labels to try first for an entity field, field=label[,label...],"
            + " e.g. --label-map service=team_app (fields: service, host, instance, environment); repeatable.")
    List<String> labelMap = List.of();

    @Option(names = "--io-threads", defaultValue = "0", description = "Netty event-loop threads (0: twice the"
            + " cores).")
    int ioThreads;

    @Option(names = "-P", description = "A further Kafka producer setting, e.g. -Psecurity.protocol=SSL"
            + " (acks=all and idempotence stay fixed).", mapFallbackValue = "")
    Map<String, String> producer = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + listen + ": write host:port, e.g. 0.0.0.0:9095");
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen " + listen + ": the port is not a number");
        }
        String token = System.getenv(tokenEnv);
        GatewaySettings settings = new GatewaySettings(listen.substring(0, colon), port, token, maxBodyBytes,
                maxUncompressedBytes, kafka, alertsTopic, metricsTopic, deadLetterTopic, labelMap, producer,
                ioThreads);
        GatewayServer server = GatewayServer.start(settings);
        System.out.printf("sift gateway: listening on %s:%d, Kafka %s%s%n", settings.host(), server.port(), kafka,
                token == null || token.isBlank() ? " (no token required: set " + tokenEnv + " to require one)"
                        : " (bearer token from " + tokenEnv + ")");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sift-gateway-shutdown"));
        stopped.await();
        return 0;
    }
}
