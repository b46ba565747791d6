package io.sift.connectors.elasticsearch;

import io.sift.schema.Anomaly;
import io.sift.schema.AnomalyRef;
import io.sift.schema.ChangeRef;
import io.sift.schema.Direction;
import io.sift.schema.Incident;
import io.sift.schema.IncidentChange;
import io.sift.schema.IncidentStatus;
import io.sift.schema.Priority;
import io.sift.schema.Resource;
import io.sift.schema.RootCauseHint;
import io.sift.schema.SignalType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fully populated sample records. */
public final class TestData {

    public static final Instant OPENED = Instant.parse("2026-11-24T10:15:30.250Z");

    private TestData() {}

    public static Incident incident(String id, long version) {
        return incident(id, version, OPENED);
    }

    public static Incident incident(String id, long version, Instant openedAt) {
        return Incident.newBuilder()
                .setId(id)
                .setVersion(version)
                .setStatus(IncidentStatus.RESOLVED)
                .setChange(IncidentChange.RESOLVED)
                .setEnvironment("prod")
                .setTitle("orders-db: latency up; 3 services affected (v" + version + ")")
                .setPriority(Priority.P2)
                .setPeakScore(93.5)
                .setOpenedAt(openedAt)
                .setUpdatedAt(openedAt.plusSeconds(600 + version))
                .setLastSeen(openedAt.plusSeconds(300))
                .setResolvedAt(openedAt.plusSeconds(600))
                .setServices(List.of("checkout", "orders", "orders-db"))
                .setAnomalyCount(3)
                .setAnomalyUpdates(17)
                .setAlertCount(1)
                .setAlerts(List.of(io.sift.schema.AlertRef.newBuilder().setId("alertmanager/3f2a9c").setSource("alertmanager")
                        .setFingerprint("3f2a9c").setName("PostgresSlowQueries").setService("orders-db")
                        .setSeverity("CRITICAL").setFiring(false).setStartsAt(openedAt.plusSeconds(30))
                        .setEndsAt(openedAt.plusSeconds(540)).build()))
                .setAnomalies(
                        List.of(
                                AnomalyRef.newBuilder()
                                        .setId("an-1")
                                        .setService("orders-db")
                                        .setMetric("db.query.duration.p95")
                                        .setOnset(openedAt)
                                        .setScore(93.5)
                                        .setDirection(Direction.UP)
                                        .build(),
                                AnomalyRef.newBuilder()
                                        .setId("an-2")
                                        .setService("checkout")
                                        .setMetric("http.server.request.duration.p95")
                                        .setOnset(openedAt.plusSeconds(40))
                                        .setScore(71.0)
                                        .setDirection(Direction.UP)
                                        .build()))
                .setRootCauses(
                        List.of(
                                RootCauseHint.newBuilder()
                                        .setItem("orders-db")
                                        .setRank(1)
                                        .setScore(0.7)
                                        .setReasons(List.of("earliest onset", "deepest in the topology"))
                                        .setChanges(List.of("chg-42"))
                                        .build(),
                                RootCauseHint.newBuilder()
                                        .setItem("orders")
                                        .setRank(2)
                                        .setScore(0.3)
                                        .setReasons(List.of("calls orders-db"))
                                        .setChanges(List.of())
                                        .build()))
                .setSuspectChanges(
                        List.of(
                                ChangeRef.newBuilder()
                                        .setId("chg-42")
                                        .setItem("orders-db")
                                        .setTime(openedAt.minusSeconds(120))
                                        .setSummary("deploy orders-db 1.8.2")
                                        .setChangeRequest("CHG0012345")
                                        .build()))
                .setMergedInto(null)
                .setFlapping(true)
                .setFingerprint("fp-4c1d2e3f4a5b6c7d8e9f")
                .setGroupKey("db-cluster{cluster=eu-1}")
                .setDetectedAt(openedAt.plusSeconds(20))
                .setAcknowledgedAt(openedAt.plusSeconds(200))
                .setAssignee("dba-oncall")
                .setTicket("INC0012345")
                .setResolvedBy(io.sift.schema.ResolutionSource.HUMAN)
                .build();
    }

    /** A problem candidate linking three incidents, fully populated. */
    public static io.sift.schema.Problem problem(String id, long version) {
        return io.sift.schema.Problem.newBuilder()
                .setId(id)
                .setVersion(version)
                .setStatus(io.sift.schema.ProblemStatus.CANDIDATE)
                .setFingerprint("rcf-0123")
                .setEnvironment("prod")
                .setRootCauseItem("orders-db")
                .setSignature("db.client up")
                .setTitle("orders-db: db.client up, 3 incidents in 2 h")
                .setIncidentIds(List.of("inc-1", "inc-2", "inc-3"))
                .setOccurrences(3)
                .setFirstSeen(OPENED)
                .setLastSeen(OPENED.plusSeconds(7200))
                .setUpdatedAt(OPENED.plusSeconds(7800))
                .setKnownError(false)
                .setWorkaround("fail over to the replica")
                .build();
    }

    public static Anomaly anomaly(String id, long version) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("route", "/checkout");
        labels.put("status.class", "5xx");
        labels.put("az", "eu-1a");
        return Anomaly.newBuilder()
                .setId(id)
                .setVersion(version)
                .setSignal(SignalType.METRIC)
                .setDetector("robust-baseline")
                .setSeriesKey("http.server.request.duration.p95|checkout|route=/checkout")
                .setMetric("http.server.request.duration.p95")
                .setResource(
                        Resource.newBuilder()
                                .setService("checkout")
                                .setHost("node-7")
                                .setInstance("checkout-5d9f-abc")
                                .setEnvironment("prod")
                                .build())
                .setLabels(labels)
                .setOnset(OPENED)
                .setTime(OPENED.plusSeconds(60 * version))
                .setEnd(OPENED.plusSeconds(900))
                .setObserved(812.5)
                .setExpected(120.0)
                .setLowerBound(80.0)
                .setUpperBound(190.25)
                .setDeviation(9.75)
                .setDirection(Direction.UP)
                .setScore(96.0)
                .setSamples(12)
                .build();
    }

    /** A fully populated SLO status (every optional field set). */
    public static io.sift.schema.SloStatus sloStatus(String id) {
        return io.sift.schema.SloStatus.newBuilder().setId(id).setTime(OPENED).setEnvironment("prod")
                .setService("checkout").setSlo("checkout-availability").setSli("http.server.error.ratio")
                .setObjective(0.999).setWindowMinutes(40320).setBudgetMinutes(40.32).setConsumedMinutes(12.5)
                .setRemainingMinutes(27.82).setRemainingFraction(0.69).setBurnRate5m(300).setBurnRate1h(25)
                .setBurnRate6h(4.2).setBurnRate3d(0.7).setStatus(io.sift.schema.SloState.FAST_BURN)
                .setAlertWindows("1h/5m").setErrorRatio(0.3).setSamples(12).setObservedMinutes(600).build();
    }

    /** A fully populated service health (every optional field set). */
    public static io.sift.schema.ServiceHealth serviceHealth(String id) {
        return io.sift.schema.ServiceHealth.newBuilder().setId(id).setEnvironment("prod").setService("checkout")
                .setWindow("1m").setWindowStart(OPENED).setWindowEnd(OPENED.plusSeconds(60)).setHealth(55)
                .setOwnHealth(92).setStatus(io.sift.schema.HealthStatus.DEGRADED).setWorstDependency("payments")
                .setWorstDependencyHealth(10.0).setDependencies(java.util.List.of("orders-db", "payments"))
                .setAvailability(0.99).setErrorRatio(0.01).setLatencyP50(40.0).setLatencyP95(180.0).setLatencyP99(420.0)
                .setErrorCount(3.0).setThroughput(250.0).setSaturation(0.6).setAvailabilitySeverity(0)
                .setLatencySeverity(20).setErrorSeverity(0).setThroughputSeverity(0).setSaturationSeverity(0)
                .setSamples(48).build();
    }
}
