package io.sift.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.Alert;
import io.sift.schema.AlertSeverity;
import io.sift.schema.AlertStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertPayloadsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final AlertPayloads payloads = new AlertPayloads(new EntityMapper());

    private static byte[] json(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAlertmanagerGroupIsSplitIntoItsAlerts() throws Exception {
        List<Alert> alerts = payloads.alertmanager(json("{'version':'4','groupKey':'{}:{alertname=\\'HighLatency\\'}',"
                + "'status':'firing','receiver':'sift','groupLabels':{'alertname':'HighLatency'},"
                + "'alerts':["
                + "{'status':'firing','labels':{'alertname':'HighLatency','service_name':'checkout','job':'api',"
                + "'instance':'10.0.0.7:8080','severity':'critical','env':'prod'},'annotations':{'description':'p95 high'},"
                + "'startsAt':'2026-12-07T09:58:00.123456789Z','endsAt':'0001-01-01T00:00:00Z',"
                + "'generatorURL':'http://prom/graph?g0.expr=x','fingerprint':'0a1b2c3d4e5f6789'},"
                + "{'status':'resolved','labels':{'alertname':'HighLatency','job':'api','instance':'10.0.0.8:8080'},"
                + "'annotations':{},'startsAt':'2026-12-07T09:50:00Z','endsAt':'2026-12-07T09:59:30+01:00',"
                + "'generatorURL':'http://prom/graph','fingerprint':'ffff000011112222'}]}"), NOW);
        assertEquals(2, alerts.size());
        Alert firing = alerts.get(0);
        assertEquals(AlertStatus.FIRING, firing.getStatus());
        assertEquals("0a1b2c3d4e5f6789", firing.getFingerprint());
        assertEquals("HighLatency", firing.getName());
        assertEquals("checkout", firing.getResource().getService(), "service_name outranks job");
        assertEquals("10.0.0.7", firing.getResource().getHost());
        assertEquals("10.0.0.7:8080", firing.getResource().getInstance());
        assertEquals("prod", firing.getResource().getEnvironment());
        assertEquals(AlertSeverity.CRITICAL, firing.getSeverity());
        assertEquals("critical", firing.getRawSeverity());
        assertNull(firing.getEndsAt(), "Go's zero time is no end");
        assertEquals(Instant.parse("2026-12-07T09:58:00.123Z"), firing.getTime());
        assertEquals("p95 high", firing.getSummary());
        Alert resolved = alerts.get(1);
        assertEquals(AlertStatus.RESOLVED, resolved.getStatus());
        assertEquals("api", resolved.getResource().getService(), "job when nothing better");
        assertEquals(Instant.parse("2026-12-07T08:59:30Z"), resolved.getEndsAt(), "offsets honoured");
        assertEquals(resolved.getEndsAt(), resolved.getTime());
        assertEquals(AlertSeverity.UNKNOWN, resolved.getSeverity());
    }

    @Test
    void badAlertmanagerPayloadsAreRefusedWithTheReason() {
        BadPayloadException version = assertThrows(BadPayloadException.class,
                () -> payloads.alertmanager(json("{'version':'3','alerts':[]}"), NOW));
        assertEquals("UNSUPPORTED_VERSION", version.errorKind());
        assertEquals("MALFORMED_JSON", assertThrows(BadPayloadException.class,
                () -> payloads.alertmanager(json("{'version':'4','alerts':["), NOW)).errorKind());
        BadPayloadException noAlerts = assertThrows(BadPayloadException.class,
                () -> payloads.alertmanager(json("{'version':'4'}"), NOW));
        assertTrue(noAlerts.getMessage().contains("alerts"), noAlerts.getMessage());
        BadPayloadException badStatus = assertThrows(BadPayloadException.class, () -> payloads.alertmanager(
                json("{'alerts':[{'status':'pending','labels':{},'startsAt':'2026-12-07T09:00:00Z'}]}"), NOW));
        assertTrue(badStatus.getMessage().contains("alerts[0]"), badStatus.getMessage());
        assertEquals(400, badStatus.status());
        assertEquals("INVALID_VALUE", assertThrows(BadPayloadException.class, () -> payloads.alertmanager(
                json("{'alerts':[{'status':'firing','labels':{},'startsAt':'yesterday'}]}"), NOW)).errorKind());
        assertEquals("EMPTY_BODY", assertThrows(BadPayloadException.class,
                () -> payloads.alertmanager(new byte[0], NOW)).errorKind());
    }

    @Test
    void grafanaAlertsUseThePanelWhenThereIsNoGenerator() throws Exception {
        List<Alert> alerts = payloads.grafana(json("{'receiver':'sift','status':'firing','orgId':1,'version':'1',"
                + "'alerts':[{'status':'firing','labels':{'alertname':'DiskFull','host':'db-1','severity':'P2',"
                + "'__alert_rule_uid__':'abc'},'annotations':{'summary':'disk 95%'},"
                + "'startsAt':'2026-12-07T09:00:00Z','endsAt':'0001-01-01T00:00:00Z','fingerprint':'1234',"
                + "'panelURL':'http://grafana/d/x?viewPanel=2','valueString':'[ var=B value=95 ]'}]}"), NOW);
        Alert alert = alerts.get(0);
        assertEquals("grafana", alert.getSource());
        assertEquals("abc", alert.getSourceId());
        assertEquals("db-1", alert.getResource().getService(), "no service label: the host is the entity");
        assertEquals("db-1", alert.getResource().getHost());
        assertEquals(AlertSeverity.ERROR, alert.getSeverity());
        assertEquals("http://grafana/d/x?viewPanel=2", alert.getGeneratorUrl());
    }

    @Test
    void aGenericAlertWithoutFingerprintGetsAStableOne() throws Exception {
        Alert first = payloads.generic(json("{'name':'QueueBacklog','service':'billing','labels':{'queue':'q1'},"
                + "'severity':'warn'}"), NOW).get(0);
        Alert repeat = payloads.generic(json("{'alerts':[{'name':'QueueBacklog','service':'billing',"
                + "'labels':{'queue':'q1'},'severity':'warn','status':'resolved'}]}"), NOW.plusSeconds(60)).get(0);
        Alert other = payloads.generic(json("[{'name':'QueueBacklog','service':'billing','labels':{'queue':'q2'}}]"),
                NOW).get(0);
        assertEquals("generic", first.getSource());
        assertEquals("billing", first.getResource().getService());
        assertEquals(AlertSeverity.WARNING, first.getSeverity());
        assertEquals(NOW, first.getStartsAt());
        assertEquals(first.getFingerprint(), repeat.getFingerprint(), "a repeat is the same alert");
        assertEquals(AlertStatus.RESOLVED, repeat.getStatus());
        assertEquals(NOW.plusSeconds(60), repeat.getEndsAt());
        assertNotEquals(first.getFingerprint(), other.getFingerprint());
        assertEquals("INVALID_VALUE", assertThrows(BadPayloadException.class,
                () -> payloads.generic(json("{'service':'billing'}"), NOW)).errorKind());
        assertEquals("INVALID_VALUE", assertThrows(BadPayloadException.class,
                () -> payloads.generic(json("42"), NOW)).errorKind());
    }

    @Test
    void cloudEventsCarryTheAlertInTheirData() throws Exception {
        List<Alert> alerts = payloads.cloudEvents(json("[{'specversion':'1.0','id':'ev-1','source':'/zabbix/prod',"
                + "'type':'com.example.alert.triggered','time':'2026-12-07T09:30:00Z','subject':'payments',"
                + "'data':{'name':'HighCpu','severity':'high','labels':{'host':'pay-3'}}},"
                + "{'specversion':'1.0','id':'ev-2','source':'/zabbix/prod','type':'com.example.alert.resolved',"
                + "'time':'2026-12-07T09:40:00Z','subject':'payments','data':{'name':'HighCpu',"
                + "'labels':{'host':'pay-3'}}}]"), NOW);
        assertEquals(2, alerts.size());
        Alert triggered = alerts.get(0);
        assertEquals("/zabbix/prod", triggered.getSource());
        assertEquals("ev-1", triggered.getSourceId());
        assertEquals("payments", triggered.getResource().getService(), "the subject names the entity");
        assertEquals("pay-3", triggered.getResource().getHost());
        assertEquals(AlertStatus.FIRING, triggered.getStatus());
        assertEquals(Instant.parse("2026-12-07T09:30:00Z"), triggered.getTime());
        Alert resolved = alerts.get(1);
        assertEquals(AlertStatus.RESOLVED, resolved.getStatus(), "a type ending in .resolved resolves");
        assertEquals(triggered.getFingerprint(), resolved.getFingerprint());
        assertEquals(Instant.parse("2026-12-07T09:40:00Z"), resolved.getEndsAt());
        BadPayloadException noSpec = assertThrows(BadPayloadException.class, () -> payloads.cloudEvents(
                json("{'id':'1','source':'s','type':'t','data':{}}"), NOW));
        assertTrue(noSpec.getMessage().contains("specversion"), noSpec.getMessage());
        assertEquals("INVALID_VALUE", assertThrows(BadPayloadException.class, () -> payloads.cloudEvents(
                json("{'specversion':'1.0','id':'1','source':'s','type':'t','data':'text'}"), NOW)).errorKind());
    }
}
