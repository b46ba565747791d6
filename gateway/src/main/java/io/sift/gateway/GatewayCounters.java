package io.sift.gateway;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The gateway's counters, served at {@code GET /metrics} in Prometheus' text format so Prometheus can scrape them. */
public final class GatewayCounters {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    /** Requests answered, by endpoint and status code. */
    public void request(String endpoint, int status) {
        add("sift_gateway_requests_total{endpoint=\"" + endpoint + "\",code=\"" + status + "\"}", 1);
    }

    /** Requests refused as bad payloads (4xx), by endpoint and error kind. */
    public void rejected(String endpoint, String errorKind) {
        add("sift_gateway_rejected_total{endpoint=\"" + endpoint + "\",kind=\"" + errorKind + "\"}", 1);
    }

    public void alerts(String source, long count) {
        add("sift_gateway_alerts_total{source=\"" + source.replace("\"", "'") + "\"}", count);
    }

    public void samples(long count) {
        add("sift_gateway_samples_total", count);
    }

    /** Stale markers and other non-finite remote-write samples, skipped. */
    public void samplesSkipped(long count) {
        add("sift_gateway_samples_skipped_total", count);
    }

    public void deadLetters(long count) {
        add("sift_gateway_dead_letters_total", count);
    }

    /** Requests answered 503 because Kafka did not acknowledge their records. */
    public void kafkaFailures(long count) {
        add("sift_gateway_kafka_failures_total", count);
    }

    private void add(String series, long count) {
        if (count != 0) {
            counters.computeIfAbsent(series, s -> new LongAdder()).add(count);
        }
    }

    /** The value of one series as written by {@link #exposition()}, 0 if never counted. */
    public long get(String series) {
        LongAdder adder = counters.get(series);
        return adder == null ? 0 : adder.sum();
    }

    /** Sum over every series of a counter, e.g. {@code sift_gateway_rejected_total}. */
    public long total(String counter) {
        return counters.entrySet().stream()
                .filter(e -> e.getKey().equals(counter) || e.getKey().startsWith(counter + "{"))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    public String exposition() {
        StringBuilder text = new StringBuilder();
        String lastName = null;
        for (Map.Entry<String, LongAdder> entry : new TreeMap<>(counters).entrySet()) {
            String series = entry.getKey();
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            if (!name.equals(lastName)) {
                text.append("# TYPE ").append(name).append(" counter\n");
                lastName = name;
            }
            text.append(series).append(' ').append(entry.getValue().sum()).append('\n');
        }
        return text.toString();
    }
}
