package io.sift.core.traces;

import io.sift.schema.CallTarget;
import io.sift.schema.EdgeType;
import io.sift.schema.MetricKind;
import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import io.sift.schema.SpanCall;
import io.sift.schema.SpanKind;
import io.sift.schema.TopologyEdge;
import io.sift.schema.TopologyOperation;
import io.sift.schema.TopologyUpdate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Spans of one service (the key) → its traffic series and its dependencies, with state the caller keeps per service
 * ({@link ServiceTraffic}) and event time the caller advances.
 *
 * <ul>
 *   <li>Requests are the service's SERVER and CONSUMER spans. Per tumbling event-time window and environment the stage
 *   emits {@value #REQUEST_RATE} (requests per second) and, when the window holds at least
 *   {@link TrafficConfig#minRequests()} requests, {@value #ERROR_RATIO} (share of requests whose status is ERROR) and
 *   the latency quantile ({@code service.latency.p95}, ms), stamped at the window's last millisecond.</li>
 *   <li>Every call a span shows ({@link io.sift.schema.TraceSpan#getCalls()}) is a dependency of the service: the first
 *   sighting emits an edge UPSERT (CALLS to a service, DEPENDS_ON to a database, queue or other item); when event time
 *   passes the last sighting by {@link TrafficConfig#edgeTtlMillis()}, an edge DELETE.</li>
 * </ul>
 *
 * Windows already closed (event time past their end) take no more requests; their spans still refresh dependencies.
 */
public final class ServiceTrafficStage implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final String REQUEST_RATE = "service.request.rate";
    public static final String ERROR_RATIO = "service.error.ratio";
    public static final String LATENCY_PREFIX = "service.latency.";

    private final TrafficConfig config;
    private final String latencyMetric;

    public ServiceTrafficStage(TrafficConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.latencyMetric = config.latencyMetric();
    }

    public TrafficConfig config() {
        return config;
    }

    /** The key of a span: the service that recorded it (its calls and its requests are that service's). */
    public static String key(io.sift.schema.TraceSpan span) {
        return span.getResource().getService();
    }

    /** Whether the span is a request the service handled. */
    public static boolean isRequest(io.sift.schema.TraceSpan span) {
        return span.getKind() == SpanKind.SERVER || span.getKind() == SpanKind.CONSUMER;
    }

    /**
     * Adds a span seen when event time was {@code watermark}; appends the edges it shows for the first time.
     *
     * @return whether the span counted as a request (false: not a request, or its window has closed)
     */
    public boolean add(ServiceTraffic state, io.sift.schema.TraceSpan span, long watermark,
            List<TopologyUpdate> newEdges) {
        String service = span.getResource().getService();
        state.service = service;
        long time = span.getTime().toEpochMilli();
        for (SpanCall call : span.getCalls()) {
            String to = call.getTo();
            if (to.isBlank() || to.equals(service) || time + config.edgeTtlMillis() <= watermark) {
                continue;
            }
            ServiceTraffic.Dependency known = state.dependencies.get(to);
            if (known == null) {
                known = new ServiceTraffic.Dependency();
                known.target = call.getType();
                known.lastSeen = time;
                state.dependencies.put(to, known);
                newEdges.add(edge(TopologyOperation.UPSERT, time, service, to, call.getType()));
            } else if (time > known.lastSeen) {
                known.lastSeen = time;
            }
        }
        if (!isRequest(span)) {
            return false;
        }
        long start = Math.floorDiv(time, config.windowMillis()) * config.windowMillis();
        if (start + config.windowMillis() - 1 <= watermark) {
            return false;
        }
        String environment = span.getResource().getEnvironment();
        ServiceTraffic.Window window = state.windows.computeIfAbsent(start, s -> new HashMap<>())
                .computeIfAbsent(environment == null ? "" : environment, e -> new ServiceTraffic.Window());
        window.environment = environment;
        window.requests++;
        if (span.getError()) {
            window.errors++;
        }
        window.latency.add(span.getDurationMillis());
        return true;
    }

    /**
     * Moves event time to {@code watermark}: emits the series of the windows that ended by then and, if
     * {@code expireEdges}, the DELETEs of the dependencies unseen for the edge TTL, and forgets them.
     */
    public void advance(ServiceTraffic state, long watermark, boolean expireEdges, List<MetricPoint> points,
            List<TopologyUpdate> edges) {
        Iterator<Map.Entry<Long, HashMap<String, ServiceTraffic.Window>>> windows = state.windows.entrySet().iterator();
        while (windows.hasNext()) {
            Map.Entry<Long, HashMap<String, ServiceTraffic.Window>> entry = windows.next();
            long end = entry.getKey() + config.windowMillis() - 1;
            if (end > watermark) {
                break;
            }
            for (ServiceTraffic.Window window : entry.getValue().values()) {
                emit(state.service, end, window, points);
            }
            windows.remove();
        }
        if (!expireEdges) {
            return;
        }
        Iterator<Map.Entry<String, ServiceTraffic.Dependency>> dependencies = state.dependencies.entrySet().iterator();
        while (dependencies.hasNext()) {
            Map.Entry<String, ServiceTraffic.Dependency> entry = dependencies.next();
            long expiry = entry.getValue().lastSeen + config.edgeTtlMillis();
            if (expiry <= watermark) {
                edges.add(edge(TopologyOperation.DELETE, expiry, state.service, entry.getKey(),
                        entry.getValue().target));
                dependencies.remove();
            }
        }
    }

    /** When event time next has something to do for this state (a window's end, an expiry); MAX_VALUE if never. */
    public long nextDue(ServiceTraffic state) {
        long due = Long.MAX_VALUE;
        if (!state.windows.isEmpty()) {
            due = state.windows.firstKey() + config.windowMillis() - 1;
        }
        for (ServiceTraffic.Dependency dependency : state.dependencies.values()) {
            due = Math.min(due, dependency.lastSeen + config.edgeTtlMillis());
        }
        return due;
    }

    private void emit(String service, long end, ServiceTraffic.Window window, List<MetricPoint> points) {
        Resource resource = new Resource(service, null, null, window.environment);
        Instant time = Instant.ofEpochMilli(end);
        points.add(new MetricPoint(time, REQUEST_RATE, window.requests * 1000.0 / config.windowMillis(),
                "{request}/s", MetricKind.GAUGE, resource, Map.of()));
        if (window.requests < config.minRequests()) {
            return;
        }
        points.add(new MetricPoint(time, ERROR_RATIO, (double) window.errors / window.requests, "1",
                MetricKind.GAUGE, resource, Map.of()));
        points.add(new MetricPoint(time, latencyMetric, window.latency.quantile(config.latencyQuantile()), "ms",
                MetricKind.GAUGE, resource, Map.of()));
    }

    private static TopologyUpdate edge(TopologyOperation operation, long time, String from, String to,
            CallTarget target) {
        EdgeType type = target == CallTarget.SERVICE ? EdgeType.CALLS : EdgeType.DEPENDS_ON;
        return new TopologyUpdate(Instant.ofEpochMilli(time), operation, null, new TopologyEdge(from, to, type));
    }
}
