package io.sift.jobs;

import io.sift.connectors.formats.InputFormat;
import io.sift.core.traces.TrafficConfig;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

/** Settings of the traces input: spans become service traffic series and the service dependency graph. */
public final class TraceOptions {

    private TraceOptions() {}

    public static final ConfigOption<List<String>> TOPICS = ConfigOptions.key("sift.input.traces.topics")
            .stringType().asList().defaultValues()
            .withDescription("Topics of OTLP traces, separated by ';' (the Collector's kafka exporter writes to"
                    + " otlp_spans by default). None (the default): no traces are read. Spans give each service's"
                    + " service.request.rate, service.error.ratio and service.latency.p95 series and the dependency"
                    + " edges of the topology.");
    public static final ConfigOption<String> FORMAT = ConfigOptions.key("sift.input.traces.format")
            .stringType().defaultValue(InputFormat.OTLP_PROTO.toString())
            .withDescription("Format of the traces topics: otlp-proto or otlp-json (the Collector's kafka exporter"
                    + " encodings), one ExportTraceServiceRequest per message.");
    public static final ConfigOption<Duration> WINDOW = ConfigOptions.key("sift.traces.window")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Tumbling event-time window of the request rate, error ratio and latency series derived"
                    + " from SERVER and CONSUMER spans, per service and environment.");
    public static final ConfigOption<Integer> MIN_REQUESTS = ConfigOptions.key("sift.traces.min-requests")
            .intType().defaultValue(10)
            .withDescription("Requests a window needs before its error ratio and latency are emitted: one failed or"
                    + " slow request of an idle endpoint is noise. The request rate is emitted for every window with"
                    + " requests.");
    public static final ConfigOption<Duration> EDGE_TTL = ConfigOptions.key("sift.traces.edge-ttl")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("A dependency seen in spans is removed from the topology when no span has shown it for"
                    + " this long (event time).");

    /** The traffic settings (TrafficConfig refuses values out of range, naming the option). */
    static TrafficConfig traffic(Configuration conf) {
        return new TrafficConfig(conf.get(WINDOW).toMillis(), conf.get(MIN_REQUESTS), conf.get(EDGE_TTL).toMillis(),
                TrafficConfig.defaults().latencyQuantile());
    }
}
