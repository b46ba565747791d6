package io.sift.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sift.connectors.kafka.DeadLetters;
import io.sift.schema.Alert;
import io.sift.schema.DeadLetter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP server on Netty: each request is decoded on its event loop into Kafka records, handed to the
 * producer, and answered when Kafka has acknowledged all of them (2xx), never before. No thread waits for Kafka: the
 * answer is written from the producer's acknowledgement. Stateless: several gateways may run behind a load balancer.
 *
 * <p>Endpoints (POST): {@code /api/v1/alerts/alertmanager}, {@code /api/v1/alerts/grafana}, {@code /api/v1/alerts}
 * (generic), {@code /api/v1/cloudevents}, {@code /api/v1/write} (Prometheus remote_write). GET {@code /healthz} and
 * {@code /metrics} (the gateway's counters) need no token.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    public static final String ALERTMANAGER = "/api/v1/alerts/alertmanager";
    public static final String GRAFANA = "/api/v1/alerts/grafana";
    public static final String GENERIC = "/api/v1/alerts";
    public static final String CLOUDEVENTS = "/api/v1/cloudevents";
    public static final String REMOTE_WRITE = "/api/v1/write";
    /** Prefix of the names of the gateway's threads (Netty event loops). */
    public static final String THREAD_PREFIX = "sift-gateway-";

    private final GatewaySettings settings;
    private final KafkaPublisher publisher;
    private final boolean ownsPublisher;
    private final AlertPayloads alerts;
    private final RemoteWriteDecoder remoteWrite;
    private final GatewayCounters counters = new GatewayCounters();
    private final byte[] expectedAuthorization;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel serverChannel;

    private GatewayServer(GatewaySettings settings, KafkaPublisher publisher, boolean ownsPublisher) {
        this.settings = settings;
        this.publisher = publisher;
        this.ownsPublisher = ownsPublisher;
        EntityMapper entities = EntityMapper.fromSettings(settings.labelMap());
        this.alerts = new AlertPayloads(entities);
        this.remoteWrite = new RemoteWriteDecoder(entities, settings.maxUncompressedBytes());
        this.expectedAuthorization = settings.bearerToken() == null ? null
                : ("Bearer " + settings.bearerToken()).getBytes(StandardCharsets.UTF_8);
    }

    /** Starts a gateway with its own Kafka producer; it listens when this returns. */
    public static GatewayServer start(GatewaySettings settings) throws InterruptedException {
        KafkaPublisher publisher = new KafkaPublisher(settings);
        try {
            return new GatewayServer(settings, publisher, true).listen();
        } catch (RuntimeException | InterruptedException e) {
            publisher.close();
            throw e;
        }
    }

    private GatewayServer listen() throws InterruptedException {
        // Named threads: the bench counts the CPU time of the gateway's own threads.
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(THREAD_PREFIX + "accept"),
                NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory(THREAD_PREFIX
                + "io"), NioIoHandler.newFactory());
        ChannelHandler handler = new RequestHandler();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpServerExpectContinueHandler())
                                .addLast(new SizeLimit(settings.maxBodyBytes()))
                                .addLast(handler);
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.host(), settings.port()).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            shutDownGroups();
            throw e;
        }
        LOG.info("Sift gateway listening on {} (Kafka {}, alerts to {}, metrics to {}, dead letters to {}{})",
                serverChannel.localAddress(), settings.kafkaBootstrap(), settings.alertsTopic(),
                settings.metricsTopic(), settings.deadLetterTopic(),
                settings.bearerToken() == null ? "; no token required" : "; bearer token required");
        return this;
    }

    /** The port it listens on (the chosen one when started on port 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public GatewayCounters counters() {
        return counters;
    }

    /** Blocks until the server channel closes. */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().sync();
    }

    /** Stops accepting, lets requests in flight finish (their records are flushed to Kafka), then stops. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
        }
        shutDownGroups();
        if (ownsPublisher) {
            publisher.close();
        }
    }

    private void shutDownGroups() {
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 10, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** Netty's aggregator answers 413 to a too-large body; this one also counts it. */
    private final class SizeLimit extends HttpObjectAggregator {
        SizeLimit(int maxContentLength) {
            super(maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            String path = oversized instanceof io.netty.handler.codec.http.HttpRequest request
                    ? new QueryStringDecoder(request.uri()).path() : "?";
            counters.rejected(endpointName(path), "TOO_LARGE");
            counters.request(endpointName(path), 413);
            super.handleOversizedMessage(ctx, oversized);
        }
    }

    /** Decoded request: the records to write and how to count them once written. */
    private record Decoded(List<ProducerRecord<byte[], byte[]>> records, Runnable onAcknowledged,
            HttpResponseStatus okStatus, String okBody) {}

    @ChannelHandler.Sharable
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            String path = new QueryStringDecoder(request.uri()).path();
            String endpoint = endpointName(path);
            if (request.method().equals(HttpMethod.GET) && path.equals("/healthz")) {
                respond(ctx, keepAlive, endpoint, HttpResponseStatus.OK, "text/plain", "ok\n");
                return;
            }
            if (request.method().equals(HttpMethod.GET) && path.equals("/metrics")) {
                respond(ctx, keepAlive, endpoint, HttpResponseStatus.OK, "text/plain; version=0.0.4",
                        counters.exposition());
                return;
            }
            if (endpoint.equals("other")) {
                respond(ctx, keepAlive, endpoint, HttpResponseStatus.NOT_FOUND, "application/json",
                        error("no such endpoint: " + path + " (POST " + ALERTMANAGER + ", " + GRAFANA + ", " + GENERIC
                                + ", " + CLOUDEVENTS + ", " + REMOTE_WRITE + ")"));
                return;
            }
            if (!request.method().equals(HttpMethod.POST)) {
                respond(ctx, keepAlive, endpoint, HttpResponseStatus.METHOD_NOT_ALLOWED, "application/json",
                        error(path + " takes POST"));
                return;
            }
            if (!authorized(request)) {
                counters.rejected(endpoint, "UNAUTHORIZED");
                FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED, "application/json",
                        error("missing or wrong bearer token (Authorization: Bearer <token>)"));
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
                send(ctx, keepAlive, endpoint, response);
                return;
            }
            byte[] body = ByteBufUtil.getBytes(request.content());
            Decoded decoded;
            try {
                decoded = decode(path, request, body);
            } catch (BadPayloadException e) {
                refuse(ctx, keepAlive, endpoint, path, body, e);
                return;
            } catch (RuntimeException e) {
                // A payload that broke a decoder in a way it did not foresee is still the payload's fault.
                LOG.warn("unexpected error decoding {}", path, e);
                refuse(ctx, keepAlive, endpoint, path, body,
                        new BadPayloadException("INVALID_VALUE", "cannot decode: " + e));
                return;
            }
            publisher.send(decoded.records()).whenComplete((ok, error) -> {
                if (error == null) {
                    decoded.onAcknowledged().run();
                    respond(ctx, keepAlive, endpoint, decoded.okStatus(), "application/json", decoded.okBody());
                } else {
                    counters.kafkaFailures(1);
                    LOG.warn("Kafka did not acknowledge the records of a {} request: {}", path, error.toString());
                    respond(ctx, keepAlive, endpoint, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                            error("Kafka did not acknowledge the records; retry: " + error.getMessage()));
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("connection error", cause);
            ctx.close();
        }
    }

    private Decoded decode(String path, FullHttpRequest request, byte[] body) throws BadPayloadException {
        Instant now = Instant.now();
        if (path.equals(REMOTE_WRITE)) {
            String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
            if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
                throw new BadPayloadException(415, "UNSUPPORTED_ENCODING", "remote_write bodies are snappy"
                        + " compressed (Content-Encoding: snappy); got " + encoding);
            }
            String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (contentType != null && contentType.contains("proto=") && !contentType.contains("prometheus.WriteRequest")) {
                throw new BadPayloadException(415, "UNSUPPORTED_MEDIA_TYPE", "the gateway reads remote_write 1.0"
                        + " (prometheus.WriteRequest); got " + contentType);
            }
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            RemoteWriteDecoder.Decoded result = remoteWrite.decode(body,
                    point -> records.add(publisher.metricRecord(point)));
            return new Decoded(records, () -> {
                counters.samples(result.samples());
                counters.samplesSkipped(result.skippedNonFinite());
            }, HttpResponseStatus.NO_CONTENT, "");
        }
        List<Alert> parsed = switch (path) {
            case ALERTMANAGER -> alerts.alertmanager(body, now);
            case GRAFANA -> alerts.grafana(body, now);
            case GENERIC -> alerts.generic(body, now);
            case CLOUDEVENTS -> alerts.cloudEvents(body, now);
            default -> throw new IllegalStateException("no decoder for " + path);
        };
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(parsed.size());
        for (Alert alert : parsed) {
            records.add(publisher.alertRecord(alert));
        }
        return new Decoded(records, () -> parsed.forEach(alert -> counters.alerts(alert.getSource(), 1)),
                HttpResponseStatus.OK, "{\"accepted\":" + parsed.size() + "}");
    }

    /** Counts the refusal, dead-letters the body with the reason, and answers 4xx once the dead letter is in Kafka. */
    private void refuse(ChannelHandlerContext ctx, boolean keepAlive, String endpoint, String path, byte[] body,
            BadPayloadException e) {
        counters.rejected(endpoint, e.errorKind());
        DeadLetter deadLetter = DeadLetters.invalid(KafkaPublisher.STAGE, e.errorKind(),
                "POST " + path + ": " + e.getMessage(), null, body);
        CompletableFuture<Void> written;
        try {
            written = publisher.send(List.of(publisher.deadLetterRecord(deadLetter)));
        } catch (RuntimeException error) {
            written = CompletableFuture.failedFuture(error);
        }
        written.whenComplete((ok, error) -> {
            if (error == null) {
                counters.deadLetters(1);
                respond(ctx, keepAlive, endpoint, HttpResponseStatus.valueOf(e.status()), "application/json",
                        error(e.errorKind() + ": " + e.getMessage()));
            } else {
                counters.kafkaFailures(1);
                respond(ctx, keepAlive, endpoint, HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
                        error("the payload is refused (" + e.getMessage() + ") but Kafka did not take its dead"
                                + " letter; retry"));
            }
        });
    }

    private boolean authorized(FullHttpRequest request) {
        if (expectedAuthorization == null) {
            return true;
        }
        String given = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return given != null && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
    }

    static String endpointName(String path) {
        return switch (path) {
            case ALERTMANAGER -> "alertmanager";
            case GRAFANA -> "grafana";
            case GENERIC -> "generic";
            case CLOUDEVENTS -> "cloudevents";
            case REMOTE_WRITE -> "remote_write";
            case "/healthz" -> "healthz";
            case "/metrics" -> "metrics";
            default -> "other";
        };
    }

    private static String error(String message) {
        StringBuilder json = new StringBuilder("{\"error\":\"");
        for (char c : message.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append("\"}").toString();
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                body.isEmpty() ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (!body.isEmpty()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, String endpoint, HttpResponseStatus status,
            String contentType, String body) {
        send(ctx, keepAlive, endpoint, response(status, contentType, body));
    }

    private void send(ChannelHandlerContext ctx, boolean keepAlive, String endpoint, FullHttpResponse response) {
        counters.request(endpoint, response.status().code());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
