package io.sift.schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every top-level schema, for round-trip and evolution tests. */
final class SampleRecords {

    static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private SampleRecords() {}

    static Resource resource() {
        return Resource.newBuilder().setService("orders-db").setHost("db-1").setInstance("orders-db-0")
                .setEnvironment("prod").build();
    }

    static Map<String, SpecificRecord> all() {
        Anomaly anomaly = Anomaly.newBuilder().setId("a-1").setVersion(3).setSignal(SignalType.METRIC)
                .setDetector("robust-baseline").setSeriesKey("db.client.operation.duration.p95|orders-db")
                .setMetric("db.client.operation.duration.p95").setResource(resource()).setLabels(Map.of("op", "select"))
                .setOnset(T0).setTime(T0.plusSeconds(60)).setEnd(T0.plusSeconds(120)).setObserved(410.0)
                .setExpected(40.0).setLowerBound(30.0).setUpperBound(55.0).setDeviation(24.6)
                .setDirection(Direction.UP).setScore(97.5).setSamples(7).build();
        Incident incident = Incident.newBuilder().setId("inc-1").setVersion(4).setStatus(IncidentStatus.RESOLVED)
                .setChange(IncidentChange.RESOLVED).setEnvironment("prod").setTitle("orders-db: latency up")
                .setPriority(Priority.P2).setPeakScore(97.5).setOpenedAt(T0).setUpdatedAt(T0.plusSeconds(900))
                .setLastSeen(T0.plusSeconds(300)).setResolvedAt(T0.plusSeconds(900))
                .setServices(List.of("checkout", "orders", "orders-db")).setAnomalyCount(3).setAnomalyUpdates(11)
                .setAnomalies(List.of(AnomalyRef.newBuilder().setId("a-1").setService("orders-db")
                        .setMetric("db.client.operation.duration.p95").setOnset(T0).setScore(97.5)
                        .setDirection(Direction.UP).build()))
                .setRootCauses(List.of(RootCauseHint.newBuilder().setItem("orders-db").setRank(1).setScore(0.8)
                        .setReasons(List.of("earliest onset")).setChanges(List.of("chg-1")).build()))
                .setSuspectChanges(List.of(ChangeRef.newBuilder().setId("chg-1").setItem("orders-db")
                        .setTime(T0.minusSeconds(120)).setSummary("deploy orders-db 1.8.2")
                        .setChangeRequest("CHG0012345").build()))
                .setMergedInto(null).setDetectedAt(T0.plusSeconds(30)).setAcknowledgedAt(T0.plusSeconds(240))
                .setAssignee("dba-oncall").setTicket("INC0012345").setResolvedBy(ResolutionSource.HUMAN).build();
        Problem problem = Problem.newBuilder().setId("prb-1").setVersion(2).setStatus(ProblemStatus.CANDIDATE)
                .setFingerprint("rcf-1").setEnvironment("prod").setRootCauseItem("orders-db")
                .setSignature("db.client.operation.duration.p95 up")
                .setTitle("orders-db: db.client.operation.duration.p95 up, 3 incidents")
                .setIncidentIds(List.of("inc-1", "inc-2", "inc-3")).setOccurrences(3).setFirstSeen(T0)
                .setLastSeen(T0.plusSeconds(7200)).setUpdatedAt(T0.plusSeconds(7300)).setKnownError(null)
                .setWorkaround(null).build();
        ItsmUpdate feedback = ItsmUpdate.newBuilder().setIncidentId("inc-1").setEnvironment("prod")
                .setAction(ItsmAction.RESOLVED).setTime(T0.plusSeconds(600)).setTicket("INC0012345")
                .setAssignee("dba-oncall").setNote("restarted the primary").setSource("servicenow").build();
        Alert alert = Alert.newBuilder().setSource("alertmanager").setSourceId(null).setFingerprint("3f1c2a9b8d7e6f50")
                .setStatus(AlertStatus.FIRING).setSeverity(AlertSeverity.CRITICAL).setRawSeverity("critical")
                .setName("OrdersDbLatencyHigh").setResource(resource()).setStartsAt(T0).setEndsAt(null).setTime(T0)
                .setSummary("orders-db p95 latency above 250 ms")
                .setGeneratorUrl("http://prometheus:9090/graph?g0.expr=orders_db_latency")
                .setLabels(Map.of("alertname", "OrdersDbLatencyHigh", "severity", "critical"))
                .setAnnotations(Map.of("summary", "orders-db p95 latency above 250 ms")).build();
        return Map.ofEntries(
                Map.entry("Alert", alert),
                Map.entry("Problem", problem),
                Map.entry("ItsmUpdate", feedback),
                Map.entry("MetricPoint", MetricPoint.newBuilder().setTime(T0).setName("http.server.request.duration.p95")
                        .setValue(123.4).setUnit("ms").setKind(MetricKind.HISTOGRAM_SUMMARY).setResource(resource())
                        .setLabels(Map.of("route", "/orders")).build()),
                Map.entry("LogRecord", LogRecord.newBuilder().setTime(T0).setSeverityNumber(17).setSeverityText("ERROR")
                        .setBody("Timeout after 5000 ms calling orders-db").setResource(resource())
                        .setAttributes(Map.of("logger", "OrdersClient")).setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                        .setSpanId("00f067aa0ba902b7").build()),
                Map.entry("ChangeEvent", ChangeEvent.newBuilder().setId("chg-1").setTime(T0).setType(ChangeType.DEPLOY)
                        .setConfigurationItem("orders-db").setEnvironment("prod").setAuthor("pipeline")
                        .setSummary("deploy orders-db 1.8.2").setChangeRequest("CHG0012345")
                        .setAttributes(Map.of("version", "1.8.2")).build()),
                Map.entry("TopologyUpdate", TopologyUpdate.newBuilder().setTime(T0).setOperation(TopologyOperation.UPSERT)
                        .setItem(ConfigurationItem.newBuilder().setId("orders-db").setType(ItemType.DATABASE)
                                .setName("Orders database").setCriticality(Criticality.HIGH).setEnvironment("prod")
                                .setAttributes(Map.of("team", "data")).build())
                        .setEdge(null).build()),
                Map.entry("Anomaly", anomaly),
                Map.entry("Incident", incident),
                Map.entry("DeadLetter", DeadLetter.newBuilder().setTime(T0).setStage("decode").setErrorKind("MALFORMED_AVRO")
                        .setMessage("bad header").setSourceTopic("sift.metrics").setSourcePartition(1)
                        .setSourceOffset(42L).setKey(null).setPayload(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setRecordId(null).build()));
    }
}
