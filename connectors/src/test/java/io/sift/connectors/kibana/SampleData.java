package io.sift.connectors.kibana;

import io.sift.core.change.ChangeNaming;
import io.sift.core.change.ChangeOutcome;
import io.sift.core.change.ChangeOutcomeConfig;
import io.sift.core.change.ChangeOutcomeState;
import io.sift.core.change.ChangeOutcomes;
import io.sift.schema.Anomaly;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeEvent;
import io.sift.schema.ChangeRef;
import io.sift.schema.ChangeType;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import io.sift.schema.Resource;
import io.sift.schema.RootCauseHint;
import io.sift.schema.SignalType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A morning of a small shop's production and staging estate, as Sift would report it: five incidents (a bad database
 * deploy, a cache saturation, a payments deploy, a queue backlog in staging, a network problem) and one merged into
 * another, built from the anomalies they fold in, plus an isolated anomaly. Every field the dashboards use is
 * populated somewhere, and the values vary (priorities, statuses, detectors, signals, with and without changes).
 * The change events behind the suspect changes are there too, with one that no incident suspected, and every
 * outcome version of each change as Sift's own stage makes them from the incidents' hints (implicated or clean).
 */
final class SampleData {

    static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    /** A window around the data, as a dashboard time range would be. */
    static final String FROM = "2026-11-23T00:00:00Z";
    static final String TO = "2026-11-25T00:00:00Z";

    private static final String ROBUST = "robust-baseline";
    private static final String LOG_RATE = "log-error-rate";
    private static final String LATENCY = "http.server.request.duration.p95";

    final List<Anomaly> anomalies = new ArrayList<>();
    final List<Incident> incidents = new ArrayList<>();
    final List<ChangeEvent> changes = new ArrayList<>();
    /** Every outcome version of every change, in the order the stage emitted them (pending, then implicated or clean). */
    final List<ChangeOutcome> changeOutcomes = new ArrayList<>();
    final List<io.sift.schema.Problem> problems = new ArrayList<>();

    SampleData() {
        List<Anomaly> ordersDb = List.of(
                anomaly(ROBUST, "orders-db", "db.client.operation.duration.p95", "prod", "db-1", 60, 95, 97.5, 14.2, 35, 9),
                anomaly(ROBUST, "orders", LATENCY, "prod", "node-2", 61, 94, 88.0, 8.1, 30, 7),
                anomaly(ROBUST, "checkout", LATENCY, "prod", "node-3", 62, 93, 81.0, 6.4, 28, 6),
                anomaly(LOG_RATE, "checkout", "log.error.count", "prod", null, 63, 90, 72.0, 5.2, 6, 4),
                anomaly(ROBUST, "frontend", LATENCY, "prod", "node-1", 63, 92, 64.0, 4.1, 20, 3));
        ChangeRef dbDeploy = change("chg-42", "orders-db", 58, "deploy orders-db 1.8.2 (new index on orders.created_at)",
                "CHG0012345");
        incidents.add(incident("inc-orders-db", "prod", IncidentStatus.RESOLVED, Priority.P1,
                "orders-db: latency up; 4 services affected", ordersDb,
                List.of(hint("orders-db", 1, 0.62, List.of("chg-42"), "earliest onset", "deploy 2 min before onset"),
                        hint("orders", 2, 0.23, List.of(), "calls orders-db"),
                        hint("checkout", 3, 0.15, List.of(), "calls orders")),
                List.of(dbDeploy), null, 14));

        List<Anomaly> frontendCpu = List.of(
                anomaly(ROBUST, "frontend", "process.cpu.utilization", "prod", "node-1", 64, 80, 52.0, 3.1, 8, 2));
        incidents.add(incident("inc-frontend-cpu", "prod", IncidentStatus.MERGED, Priority.P4,
                "frontend: CPU up", frontendCpu,
                List.of(hint("frontend", 1, 1.0, List.of(), "only anomalous item")),
                List.of(), "inc-orders-db", 3));

        List<Anomaly> cache = List.of(
                anomaly(ROBUST, "cache", "cache.memory.utilization", "prod", "cache-1", 180, -1, 91.0, 6.3, 40, 6),
                anomaly(ROBUST, "cart", LATENCY, "prod", "node-4", 182, -1, 58.0, 3.4, 25, 3),
                anomaly(LOG_RATE, "cart", "log.error.count", "prod", null, 185, -1, 55.0, 3.2, 5, 2));
        incidents.add(incident("inc-cache", "prod", IncidentStatus.OPEN, Priority.P2,
                "cache: memory utilization up; 2 services affected", cache,
                List.of(hint("cache", 1, 0.8, List.of(), "earliest onset", "cart depends on it"),
                        hint("cart", 2, 0.2, List.of(), "calls cache")),
                List.of(), null, 6));

        List<Anomaly> payments = List.of(
                anomaly(ROBUST, "payments", "http.server.request.error.rate", "prod", "node-5", 240, -1, 99.1, 21.5, 18, 5),
                anomaly(LOG_RATE, "payments", "log.error.count", "prod", null, 241, -1, 93.0, 11.0, 12, 4),
                anomaly(ROBUST, "checkout", LATENCY, "prod", "node-6", 243, -1, 76.0, 5.5, 10, 2));
        incidents.add(incident("inc-payments", "prod", IncidentStatus.OPEN, Priority.P1,
                "payments: error rate up; 2 services affected", payments,
                List.of(hint("payments", 1, 0.75, List.of("chg-77"), "earliest onset", "deploy 3 min before onset"),
                        hint("checkout", 2, 0.25, List.of("chg-78"), "calls payments", "config change")),
                List.of(change("chg-78", "checkout", 239, "checkout: raise payment timeout to 5 s", "CHG0012400"),
                        change("chg-77", "payments", 237, "deploy payments 4.2.0", null)),
                null, 8));

        List<Anomaly> queue = List.of(
                anomaly(ROBUST, "orders-queue", "messaging.queue.depth", "staging", "mq-1", 30, 70, 69.0, 4.8, 22, 4),
                anomaly(ROBUST, "fulfillment", "messaging.process.duration", "staging", "node-9", 33, 65, 57.0, 3.3, 15, 2));
        incidents.add(incident("inc-queue", "staging", IncidentStatus.RESOLVED, Priority.P3,
                "orders-queue: queue depth up; 2 services affected", queue,
                List.of(hint("orders-queue", 1, 0.7, List.of(), "earliest onset"),
                        hint("fulfillment", 2, 0.3, List.of(), "consumes orders-queue")),
                List.of(change("chg-12", "fulfillment", 20, "scale fulfillment to 2 replicas", "CHG0012290")),
                null, 5));

        List<Anomaly> network = new ArrayList<>(List.of(
                anomaly(ROBUST, "inventory", "http.client.request.duration.p95", "prod", "node-7", 300, 330, 84.0, 7.0, 14, 4),
                anomaly(ROBUST, "inventory", "network.io.receive", "prod", "node-7", 300, 328, 79.0, -6.1, 13, 3)));
        incidents.add(incident("inc-network", "prod", IncidentStatus.RESOLVED, Priority.P2,
                "inventory: client latency up, receive throughput down", network,
                List.of(hint("inventory", 1, 1.0, List.of(), "only anomalous item")),
                List.of(), null, 5));

        for (Incident incident : incidents) {
            for (ChangeRef ref : incident.getSuspectChanges()) {
                changes.add(changeEvent(ref, incident.getEnvironment()));
            }
        }
        changes.add(ChangeEvent.newBuilder()
                .setId("chg-90")
                .setTime(T0.plus(Duration.ofMinutes(200)))
                .setType(ChangeType.FEATURE_FLAG)
                .setConfigurationItem("search")
                .setEnvironment("prod")
                .setAuthor("alice")
                .setSummary("flag search.fuzzy-ranking on for 10% of users")
                .setChangeRequest(null)
                .setAttributes(Map.of("flag", "search.fuzzy-ranking"))
                .build());

        changeOutcomes.addAll(outcomesOf(changes, incidents));

        // orders-db had done this twice before in the week: a problem candidate linking the three.
        problems.add(io.sift.schema.Problem.newBuilder()
                .setId("prb-orders-db")
                .setVersion(2)
                .setStatus(io.sift.schema.ProblemStatus.CANDIDATE)
                .setFingerprint("rcf-orders-db-db-client-up")
                .setEnvironment("prod")
                .setRootCauseItem("orders-db")
                .setSignature("db.client up")
                .setTitle("orders-db: db.client up, 3 incidents in 2 days")
                .setIncidentIds(List.of("inc-orders-db-1122", "inc-orders-db-1123", "inc-orders-db"))
                .setOccurrences(3)
                .setFirstSeen(T0.minus(Duration.ofDays(2)))
                .setLastSeen(T0.plus(Duration.ofMinutes(60)))
                .setUpdatedAt(T0.plus(Duration.ofMinutes(110)))
                .setKnownError(null)
                .setWorkaround(null)
                .build());

        // Noise that correlated with nothing.
        anomaly(ROBUST, "search", LATENCY, "prod", "node-8", 140, 150, 51.0, 3.0, 3, 1);
    }

    /**
     * The outcome versions of the changes as {@link ChangeOutcomes} makes them with the job's default look-back (30 min),
     * gap (10 min) and grace (1 h), from the incidents' hints, until each change's state is dropped; teams from a
     * topology that knows some of the items.
     */
    private static List<ChangeOutcome> outcomesOf(List<ChangeEvent> changes, List<Incident> incidents) {
        Map<String, String> teams = Map.of("orders-db", "data-platform", "payments", "payments", "checkout", "commerce",
                "fulfillment", "logistics", "search", "discovery");
        ChangeOutcomes.ItemAttributes topology =
                item -> teams.containsKey(item) ? Map.of("team", teams.get(item)) : Map.of();
        ChangeOutcomes stage = new ChangeOutcomes(
                new ChangeOutcomeConfig("prod", Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofHours(1)));
        List<ChangeOutcome> out = new ArrayList<>();
        for (ChangeEvent change : changes) {
            ChangeOutcomeState state = new ChangeOutcomeState();
            TreeSet<Long> due = new TreeSet<>();
            ChangeOutcomes.Timers timers = new ChangeOutcomes.Timers() {
                @Override
                public void schedule(long time) {
                    due.add(time);
                }

                @Override
                public void cancel(long time) {
                    due.remove(time);
                }
            };
            List<ChangeOutcome> versions = new ArrayList<>();
            versions.add(stage.onChange(state, change, topology, timers));
            for (Incident incident : incidents) {
                for (ChangeNaming naming : ChangeNaming.of(incident, "prod")) {
                    if (stage.keyOf(naming).equals(stage.keyOf(change))) { // environment and id, as the job keys
                        versions.add(stage.onNaming(state, naming, topology, timers));
                    }
                }
            }
            while (!due.isEmpty()) {
                long time = due.pollFirst();
                versions.add(stage.onTimer(state, time, topology, timers));
                if (stage.finished(state, time)) {
                    break;
                }
            }
            versions.stream().filter(java.util.Objects::nonNull).forEach(out::add);
        }
        return out;
    }

    /** Builds an anomaly episode and adds it to {@link #anomalies}; endMinute -1: still ongoing. */
    private Anomaly anomaly(String detector, String service, String metric, String environment, String host,
            int onsetMinute, int endMinute, double score, double deviation, int samples, long version) {
        boolean log = detector.equals(LOG_RATE);
        Instant onset = T0.plus(Duration.ofMinutes(onsetMinute));
        Instant end = endMinute < 0 ? null : T0.plus(Duration.ofMinutes(endMinute));
        double expected = log ? 2.0 : 120.0;
        double scale = log ? 0.8 : 12.5;
        Map<String, String> labels = new LinkedHashMap<>();
        if (metric.startsWith("http.")) {
            labels.put("http.route", "/api/" + service);
        }
        if (log) {
            labels.put("log.level", "error");
        }
        String seriesKey = metric + "|" + service + "|" + environment + (host == null ? "" : "|host=" + host);
        Anomaly anomaly = Anomaly.newBuilder()
                .setId("an-" + Integer.toHexString(seriesKey.hashCode()) + "-" + onsetMinute)
                .setVersion(version)
                .setSignal(log ? SignalType.LOG : SignalType.METRIC)
                .setDetector(detector)
                .setSeriesKey(seriesKey)
                .setMetric(metric)
                .setResource(Resource.newBuilder()
                        .setService(service)
                        .setHost(host)
                        .setInstance(host == null ? null : service + "-" + host)
                        .setEnvironment(environment)
                        .build())
                .setLabels(labels)
                .setOnset(onset)
                .setTime(end == null ? onset.plus(Duration.ofMinutes(samples)) : end.minus(Duration.ofMinutes(1)))
                .setEnd(end)
                .setObserved(expected + deviation * scale)
                .setExpected(expected)
                .setLowerBound(expected - 3 * scale)
                .setUpperBound(expected + 3 * scale)
                .setDeviation(deviation)
                .setDirection(deviation >= 0 ? Direction.UP : Direction.DOWN)
                .setScore(score)
                .setSamples(samples)
                .build();
        anomalies.add(anomaly);
        return anomaly;
    }

    private static Incident incident(String id, String environment, IncidentStatus status, Priority priority,
            String title, List<Anomaly> folded, List<RootCauseHint> hints, List<ChangeRef> changes,
            String mergedInto, long version) {
        Instant opened = folded.stream().map(Anomaly::getOnset).min(Comparator.naturalOrder()).orElseThrow();
        Instant lastSeen = folded.stream().map(Anomaly::getTime).max(Comparator.naturalOrder()).orElseThrow();
        Instant resolved = status == IncidentStatus.RESOLVED ? lastSeen.plus(Duration.ofMinutes(10)) : null;
        TreeSet<String> services = new TreeSet<>();
        folded.forEach(a -> services.add(a.getResource().getService()));
        hints.forEach(h -> services.add(h.getItem()));
        List<AnomalyRef> refs = new ArrayList<>();
        for (Anomaly a : folded) {
            refs.add(AnomalyRef.newBuilder()
                    .setId(a.getId())
                    .setService(a.getResource().getService())
                    .setMetric(a.getMetric())
                    .setOnset(a.getOnset())
                    .setScore(a.getScore())
                    .setDirection(a.getDirection())
                    .build());
        }
        // Detected 30 s after the onset; P1 and P2 acknowledged 4 min later; P1 resolved by a person.
        Instant detected = opened.plusSeconds(30);
        Instant acknowledged = priority.ordinal() <= Priority.P2.ordinal() ? detected.plusSeconds(240) : null;
        io.sift.schema.ResolutionSource resolver = resolved == null ? null
                : priority == Priority.P1 ? io.sift.schema.ResolutionSource.HUMAN : io.sift.schema.ResolutionSource.SIFT;
        IncidentChange change = status == IncidentStatus.RESOLVED ? IncidentChange.RESOLVED
                : status == IncidentStatus.MERGED ? IncidentChange.MERGED : IncidentChange.UPDATED;
        return Incident.newBuilder()
                .setId(id)
                .setVersion(version)
                .setStatus(status)
                .setChange(change)
                .setEnvironment(environment)
                .setTitle(title)
                .setPriority(priority)
                .setPeakScore(folded.stream().mapToDouble(Anomaly::getScore).max().orElseThrow())
                .setOpenedAt(opened)
                .setUpdatedAt(resolved != null ? resolved : lastSeen.plus(Duration.ofMinutes(1)))
                .setLastSeen(lastSeen)
                .setResolvedAt(resolved)
                .setServices(new ArrayList<>(services))
                .setAnomalyCount(folded.size())
                .setAnomalyUpdates((int) folded.stream().mapToLong(Anomaly::getVersion).sum())
                .setAnomalies(refs)
                .setRootCauses(hints)
                .setSuspectChanges(changes)
                .setMergedInto(mergedInto)
                .setDetectedAt(detected)
                .setAcknowledgedAt(acknowledged)
                .setAssignee(acknowledged == null ? null : "sre-oncall")
                .setTicket(acknowledged == null ? null : "INC00" + Math.abs(id.hashCode() % 100000))
                .setResolvedBy(resolver)
                .build();
    }

    /** The change event an incident's suspect-change reference points to. */
    private static ChangeEvent changeEvent(ChangeRef ref, String environment) {
        ChangeType type = ref.getSummary().startsWith("deploy") ? ChangeType.DEPLOY
                : ref.getSummary().startsWith("scale") ? ChangeType.SCALING : ChangeType.CONFIGURATION;
        return ChangeEvent.newBuilder()
                .setId(ref.getId())
                .setTime(ref.getTime())
                .setType(type)
                .setConfigurationItem(ref.getItem())
                .setEnvironment(environment)
                .setAuthor(type == ChangeType.DEPLOY ? "deploy-pipeline" : "bob")
                .setSummary(ref.getSummary())
                .setChangeRequest(ref.getChangeRequest())
                .setAttributes(type == ChangeType.DEPLOY ? Map.of("pipeline.run", "run-" + ref.getId()) : Map.of())
                .build();
    }

    private static RootCauseHint hint(String item, int rank, double score, List<String> changes, String... reasons) {
        return RootCauseHint.newBuilder()
                .setItem(item)
                .setRank(rank)
                .setScore(score)
                .setReasons(List.of(reasons))
                .setChanges(changes)
                .build();
    }

    private static ChangeRef change(String id, String item, int minute, String summary, String changeRequest) {
        return ChangeRef.newBuilder()
                .setId(id)
                .setItem(item)
                .setTime(T0.plus(Duration.ofMinutes(minute)))
                .setSummary(summary)
                .setChangeRequest(changeRequest)
                .build();
    }
}
