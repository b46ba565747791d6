package io.sift.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.AlertSeverity;
import io.sift.schema.Resource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityMapperTest {

    @Test
    void theDocumentedPrecedencePicksTheService() {
        EntityMapper mapper = new EntityMapper();
        assertEquals("cart", mapper.resource(Map.of("service", "cart", "app", "web", "job", "k8s")).getService());
        assertEquals("web", mapper.resource(Map.of("app", "web", "job", "k8s")).getService());
        assertEquals("k8s", mapper.resource(Map.of("job", "k8s")).getService());
        assertEquals(EntityMapper.UNKNOWN_SERVICE, mapper.resource(Map.of("alertname", "x")).getService());
        Resource node = mapper.resource(Map.of("node", "worker-2", "instance", "10.1.1.1:9100"));
        assertEquals("worker-2", node.getHost(), "node outranks instance for the host");
        assertEquals("worker-2", node.getService(), "no service label: the host");
        assertEquals("10.1.1.1:9100", node.getInstance());
        assertNull(node.getEnvironment());
    }

    @Test
    void labelsFromSettingsComeFirstAndUsedLabelsAreReported() {
        EntityMapper mapper = EntityMapper.fromSettings(List.of("service=team_app,component", "environment=stage"));
        Set<String> used = new HashSet<>();
        Resource resource = mapper.resource(Map.of("team_app", "ledger", "service", "other", "stage", "qa",
                "env", "prod", "mode", "idle"), used);
        assertEquals("ledger", resource.getService());
        assertEquals("qa", resource.getEnvironment());
        assertTrue(used.containsAll(Set.of("team_app", "stage")) && !used.contains("mode"), used.toString());
        assertThrows(IllegalArgumentException.class, () -> EntityMapper.fromSettings(List.of("team=x")));
        assertThrows(IllegalArgumentException.class, () -> EntityMapper.fromSettings(List.of("service")));
    }

    @Test
    void portsAreDroppedFromInstances() {
        assertEquals("10.0.0.1", EntityMapper.withoutPort("10.0.0.1:9100"));
        assertEquals("web-1.example", EntityMapper.withoutPort("https://web-1.example:8443/metrics"));
        assertEquals("::1", EntityMapper.withoutPort("[::1]:9090"));
        assertEquals("fe80::1", EntityMapper.withoutPort("fe80::1"));
        assertEquals("db", EntityMapper.withoutPort("db"));
    }

    @Test
    void severitiesAreNormalised() {
        assertEquals(AlertSeverity.CRITICAL, Severities.normalise("Critical"));
        assertEquals(AlertSeverity.CRITICAL, Severities.normalise("P1"));
        assertEquals(AlertSeverity.ERROR, Severities.normalise("major"));
        assertEquals(AlertSeverity.WARNING, Severities.normalise(" warning "));
        assertEquals(AlertSeverity.INFO, Severities.normalise("info"));
        assertEquals(AlertSeverity.UNKNOWN, Severities.normalise("spicy"));
        assertEquals(AlertSeverity.UNKNOWN, Severities.normalise(null));
    }
}
