package io.sift.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.core.correlate.CorrelationConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenanceOptionsTest {

    @Test
    void theSettingIsListedAndReachesTheCorrelator() throws Exception {
        assertTrue(OptionsCatalog.keys().contains(MaintenanceOptions.WINDOWS.key()), "listed by ./sift options");
        CorrelationConfig config = new SiftSettings(SiftSettings.load(null, Map.of(MaintenanceOptions.WINDOWS.key(),
                "backup: service=orders-db @ daily 01:00-02:00 Europe/Berlin; patch: host=~\"db-.*\" @ "
                        + "2026-12-08T22:00Z/2026-12-09T01:00Z"))).correlation;
        assertEquals(List.of("backup", "patch"), config.maintenance.stream().map(w -> w.id()).toList());
        assertTrue(new SiftSettings(SiftSettings.load(null, Map.of())).correlation.maintenance.isEmpty(),
                "none by default");
    }

    @Test
    void aMalformedValueIsRefusedUnderItsKeyWithWhatToWrite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SiftSettings(
                SiftSettings.load(null, Map.of(MaintenanceOptions.WINDOWS.key(), "backup service=orders-db"))));
        assertTrue(e.getMessage().startsWith("sift.maintenance.windows: "), e.getMessage());
        assertTrue(e.getMessage().contains("write it as"), e.getMessage());
    }
}
