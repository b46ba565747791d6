package io.sift.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sift.gateway.AlertPayloads;
import io.sift.gateway.BadPayloadException;
import io.sift.gateway.EntityMapper;
import io.sift.schema.Alert;
import io.sift.schema.MetricPoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert storm an estate's existing monitoring raises beside Sift, for the demo: Prometheus-style threshold rules
 * (with a {@code for} duration) evaluated on the generated telemetry, and Alertmanager's notifications of them (one
 * group per alert name, every firing alert of the group re-sent each group interval, resolves sent once) as webhook
 * payloads of version 4, read by the gateway's own Alertmanager parser into the alerts the job takes.
 */
final class AlertStorm {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FOR = Duration.ofMinutes(1);
    private static final Duration GROUP_INTERVAL = Duration.ofMinutes(1);

    /** An alerting rule as a user writes it: {@code metric > threshold for 1m}. */
    record Rule(String name, String metric, double threshold, String severity, String summary) {}

    /** The usual rules of a Kubernetes estate's Prometheus on the demo's metrics. */
    static final List<Rule> RULES = List.of(
            new Rule("HighErrorRate", "http.server.error.ratio", 0.05, "critical", "error ratio above 5 %"),
            new Rule("HighLatency", "http.server.request.duration.p95", 500, "warning", "p95 latency above 500 ms"),
            new Rule("NodeCpuHigh", "system.cpu.utilization", 0.85, "warning", "CPU above 85 %"),
            new Rule("NodeMemoryHigh", "system.memory.utilization", 0.9, "critical", "memory above 90 %"),
            new Rule("DbConnectionsSaturated", "db.client.connections.usage", 0.9, "critical", "pool above 90 %"),
            new Rule("QueueBacklog", "messaging.queue.depth", 1000, "warning", "more than 1000 messages queued"));

    /** What the storm holds. */
    record Storm(int notifications, int distinctAlerts, List<Alert> alerts) {}

    private static final class Series {
        final Rule rule;
        final Map<String, String> labels;
        final String fingerprint;
        Instant pendingSince;
        Instant startsAt;
        Instant endsAt;
        double value;

        Series(Rule rule, Map<String, String> labels) {
            this.rule = rule;
            this.labels = labels;
            this.fingerprint = fingerprint(labels);
        }
    }

    private AlertStorm() {}

    static Storm of(List<MetricPoint> points) throws BadPayloadException {
        Map<String, Rule> byMetric = new LinkedHashMap<>();
        RULES.forEach(r -> byMetric.put(r.metric(), r));
        Map<String, Series> series = new LinkedHashMap<>();
        List<Alert> alerts = new ArrayList<>();
        AlertPayloads parser = new AlertPayloads(new EntityMapper());
        int notifications = 0;
        Instant nextNotification = null;
        List<Series> resolvedSinceLast = new ArrayList<>();
        for (MetricPoint p : points) {
            Instant now = p.getTime();
            if (nextNotification == null) {
                nextNotification = now.plus(GROUP_INTERVAL);
            }
            while (!now.isBefore(nextNotification)) {
                notifications += notify(series.values(), resolvedSinceLast, nextNotification, parser, alerts);
                resolvedSinceLast.clear();
                nextNotification = nextNotification.plus(GROUP_INTERVAL);
            }
            Rule rule = byMetric.get(p.getName());
            if (rule == null) {
                continue;
            }
            Map<String, String> labels = labels(rule, p);
            Series s = series.computeIfAbsent(labels.toString(), k -> new Series(rule, labels));
            s.value = p.getValue();
            if (p.getValue() > rule.threshold()) {
                if (s.pendingSince == null) {
                    s.pendingSince = now;
                }
                if (s.startsAt == null && !now.isBefore(s.pendingSince.plus(FOR))) {
                    s.startsAt = now;
                    s.endsAt = null;
                }
            } else {
                s.pendingSince = null;
                if (s.startsAt != null && s.endsAt == null) {
                    s.endsAt = now;
                    resolvedSinceLast.add(s);
                }
            }
        }
        int distinct = (int) alerts.stream().map(a -> a.getFingerprint() + a.getStartsAt()).distinct().count();
        return new Storm(notifications, distinct, alerts);
    }

    /** One webhook per alert name with firing (and just resolved) alerts; returns how many were sent. */
    private static int notify(java.util.Collection<Series> all, List<Series> resolved, Instant at,
            AlertPayloads parser, List<Alert> out) throws BadPayloadException {
        Map<String, List<Series>> groups = new TreeMap<>();
        for (Series s : all) {
            if (s.startsAt != null && s.endsAt == null) {
                groups.computeIfAbsent(s.rule.name(), k -> new ArrayList<>()).add(s);
            }
        }
        for (Series s : resolved) {
            groups.computeIfAbsent(s.rule.name(), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<String, List<Series>> group : groups.entrySet()) {
            byte[] webhook = webhook(group.getKey(), group.getValue());
            out.addAll(parser.alertmanager(webhook, at));
        }
        for (Series s : resolved) {
            s.startsAt = null; // a later breach is a new alert
            s.endsAt = null;
        }
        return groups.size();
    }

    private static byte[] webhook(String alertname, List<Series> alerts) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "4");
        root.put("groupKey", "{}:{alertname=\"" + alertname + "\"}");
        root.put("truncatedAlerts", 0);
        boolean firing = alerts.stream().anyMatch(s -> s.endsAt == null);
        root.put("status", firing ? "firing" : "resolved");
        root.put("receiver", "sift");
        root.putObject("groupLabels").put("alertname", alertname);
        root.putObject("commonLabels").put("alertname", alertname);
        root.putObject("commonAnnotations");
        root.put("externalURL", "http://alertmanager:9093");
        ArrayNode list = root.putArray("alerts");
        for (Series s : alerts) {
            ObjectNode alert = list.addObject();
            alert.put("status", s.endsAt == null ? "firing" : "resolved");
            ObjectNode labels = alert.putObject("labels");
            s.labels.forEach(labels::put);
            alert.putObject("annotations").put("summary", s.labels.getOrDefault("service", "?") + ": "
                    + s.rule.summary() + String.format(java.util.Locale.ROOT, " (%.3g)", s.value));
            alert.put("startsAt", s.startsAt.toString());
            alert.put("endsAt", s.endsAt == null ? "0001-01-01T00:00:00Z" : s.endsAt.toString());
            alert.put("generatorURL", "http://prometheus:9090/graph?g0.expr=" + s.rule.metric().replace('.', '_')
                    + "+%3E+" + s.rule.threshold());
            alert.put("fingerprint", s.fingerprint);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prometheus' labels of the series: the rule's name and severity, where it runs, and the point's own labels. */
    private static Map<String, String> labels(Rule rule, MetricPoint p) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", rule.name());
        labels.put("severity", rule.severity());
        labels.put("service", p.getResource().getService());
        if (p.getResource().getInstance() != null) {
            labels.put("pod", p.getResource().getInstance());
        }
        if (p.getResource().getHost() != null) {
            labels.put("node", p.getResource().getHost());
        }
        if (p.getResource().getEnvironment() != null) {
            labels.put("environment", p.getResource().getEnvironment());
        }
        p.getLabels().forEach((k, v) -> labels.put(k.replace('.', '_'), v));
        return labels;
    }

    /** As Alertmanager's: a digest of the label set. */
    private static String fingerprint(Map<String, String> labels) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(labels.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
