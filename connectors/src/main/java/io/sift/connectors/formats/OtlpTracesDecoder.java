package io.sift.connectors.formats;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.sift.schema.CallTarget;
import io.sift.schema.Resource;
import io.sift.schema.SpanCall;
import io.sift.schema.SpanKind;
import io.sift.schema.TraceSpan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OTLP traces (one ExportTraceServiceRequest per message, as the Collector's kafka exporter writes them to
 * {@code otlp_spans}) to {@link TraceSpan}s: the resource as for metrics, start time, duration, kind, ERROR status, and
 * what the span shows its service calling (OpenTelemetry semantic conventions, old and new names):
 *
 * <ul>
 *   <li>a database ({@code db.system.name} / {@code db.system}): {@code peer.service}, else {@code server.address}
 *   ({@code net.peer.name}), else {@code <db.system>:<db.namespace>};</li>
 *   <li>a queue or topic ({@code messaging.destination.name} / {@code messaging.destination}) of a producer or
 *   consumer;</li>
 *   <li>a service: a client span's {@code peer.service}, else its {@code server.address} ({@code net.peer.name}),
 *   a Kubernetes service DNS name {@code <service>.<namespace>.svc[.cluster.local]} read as its service, IP
 *   addresses ignored (they name no item);</li>
 *   <li>a service seen answering: a SERVER span of another service whose parent span is in the same message, which
 *   replaces the parent's call read from the server address.</li>
 * </ul>
 */
public final class OtlpTracesDecoder implements RecordDecoder<TraceSpan> {

    private static final long serialVersionUID = 1L;

    private static final Pattern KUBERNETES_SERVICE = Pattern.compile("([^.]+)\\.[^.]+\\.svc(\\.cluster\\.local)?\\.?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final InputFormat format;

    public OtlpTracesDecoder(InputFormat format) {
        if (format != InputFormat.OTLP_PROTO && format != InputFormat.OTLP_JSON) {
            throw new IllegalArgumentException("OTLP traces are otlp-proto or otlp-json, not " + format);
        }
        this.format = format;
    }

    @Override
    public InputFormat format() {
        return format;
    }

    /** A span of the message being decoded, for finding parents. */
    private record Decoded(TraceSpan record, boolean callFromAddress) {}

    @Override
    public void decode(byte[] bytes, List<TraceSpan> out) throws DecodeException {
        ExportTraceServiceRequest request = OtlpRequests.parse(bytes, ExportTraceServiceRequest.newBuilder(), format,
                ExportTraceServiceRequest::getResourceSpansCount, "resource spans");
        Map<ByteString, Decoded> bySpanId = new HashMap<>();
        List<Span> children = new ArrayList<>();
        List<Resource> childResources = new ArrayList<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            Resource resource = OtlpAttributes.resource(rs.getResource().getAttributesList(), List.of()).resource();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    Map<String, String> attributes = OtlpAttributes.toMap(span.getAttributesList());
                    SpanKind kind = kind(span.getKind());
                    List<SpanCall> calls = new ArrayList<>(1);
                    boolean fromAddress = calls(kind, attributes, calls);
                    TraceSpan record = new TraceSpan(Instant.ofEpochSecond(0, span.getStartTimeUnixNano()),
                            (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6, kind,
                            span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR, span.getName(),
                            resource, calls);
                    out.add(record);
                    if (!span.getSpanId().isEmpty()) {
                        bySpanId.put(span.getSpanId(), new Decoded(record, fromAddress));
                    }
                    if (kind == SpanKind.SERVER && !span.getParentSpanId().isEmpty()) {
                        children.add(span);
                        childResources.add(resource);
                    }
                }
            }
        }
        for (int i = 0; i < children.size(); i++) {
            Decoded parent = bySpanId.get(children.get(i).getParentSpanId());
            String service = childResources.get(i).getService();
            if (parent == null || parent.record().getResource().getService().equals(service)) {
                continue;
            }
            List<SpanCall> calls = parent.record().getCalls();
            if (parent.callFromAddress()) {
                calls.removeIf(call -> call.getType() == CallTarget.SERVICE);
            }
            if (calls.stream().noneMatch(call -> call.getTo().equals(service))) {
                calls.add(new SpanCall(service, CallTarget.SERVICE));
            }
        }
    }

    private static SpanKind kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> SpanKind.SERVER;
            case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
            case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
            case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
            default -> SpanKind.INTERNAL;
        };
    }

    /**
     * Appends what the span shows its service calling; returns whether a service call was read from the server
     * address only (a guess that a resolved child span replaces).
     */
    static boolean calls(SpanKind kind, Map<String, String> attributes, List<SpanCall> calls) {
        if (kind == SpanKind.SERVER) {
            return false;
        }
        String peerService = present(attributes.get("peer.service"));
        String address = present(first(attributes, "server.address", "net.peer.name"));
        String dbSystem = present(first(attributes, "db.system.name", "db.system"));
        if (dbSystem != null) {
            String namespace = present(first(attributes, "db.namespace", "db.name"));
            String id = peerService != null ? peerService
                    : address != null ? address
                    : namespace != null ? dbSystem + ":" + namespace : dbSystem;
            calls.add(new SpanCall(id, CallTarget.DATABASE));
            return false;
        }
        String destination = present(first(attributes, "messaging.destination.name", "messaging.destination"));
        if (destination != null && (kind == SpanKind.PRODUCER || kind == SpanKind.CONSUMER || kind == SpanKind.CLIENT)
                && !"true".equals(attributes.get("messaging.destination.temporary"))) {
            calls.add(new SpanCall(destination, CallTarget.QUEUE));
            return false;
        }
        if (kind != SpanKind.CLIENT) {
            return false;
        }
        if (peerService != null) {
            calls.add(new SpanCall(peerService, CallTarget.SERVICE));
            return false;
        }
        String service = serviceOfAddress(address);
        if (service != null) {
            calls.add(new SpanCall(service, CallTarget.SERVICE));
            return true;
        }
        return false;
    }

    /** The service a host name names: a Kubernetes service's name, the host otherwise; null for IP addresses. */
    static String serviceOfAddress(String address) {
        if (address == null || address.indexOf(':') >= 0 || IPV4.matcher(address).matches()) {
            return null;
        }
        Matcher kubernetes = KUBERNETES_SERVICE.matcher(address);
        return kubernetes.matches() ? kubernetes.group(1) : address;
    }

    private static String first(Map<String, String> attributes, String... keys) {
        for (String key : keys) {
            String value = attributes.get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String present(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
