package io.sift.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceWindowsTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void readsOneOffAndWeeklyWindowsWithMatchers() {
        List<MaintenanceWindow> windows = MaintenanceWindows.parse(
                "upgrade: service=orders-db, host=~\"db-(1|2)\" @ 2026-12-08T22:00Z/2026-12-09T01:00+01:00;"
                        + " backup: service!=search @ sat,sun 02:00-04:00 Europe/Berlin");
        assertEquals(2, windows.size());
        MaintenanceWindow upgrade = windows.get(0);
        assertEquals("upgrade", upgrade.id());
        assertTrue(upgrade.matches(Map.of("service", "orders-db", "host", "db-2")));
        assertFalse(upgrade.matches(Map.of("service", "orders-db", "host", "db-3")));
        assertFalse(upgrade.matches(Map.of("service", "orders-db")), "a missing attribute is the empty string");
        assertTrue(upgrade.schedule().activeAt(at("2026-12-08T22:00:00Z")));
        assertTrue(upgrade.schedule().activeAt(at("2026-12-08T23:59:59Z")));
        assertFalse(upgrade.schedule().activeAt(at("2026-12-09T00:00:00Z")), "the end is exclusive (01:00+01:00)");
        assertEquals(at("2026-12-09T00:00:00Z"), upgrade.schedule().nextBoundaryAfter(at("2026-12-08T22:00:00Z")));

        MaintenanceWindow backup = windows.get(1);
        assertTrue(backup.matches(Map.of("service", "orders")));
        assertFalse(backup.matches(Map.of("service", "search")));
        // Saturday 2026-12-12, winter time (UTC+1): 02:00-04:00 local is 01:00-03:00 UTC.
        assertTrue(backup.schedule().activeAt(at("2026-12-12T01:00:00Z")));
        assertFalse(backup.schedule().activeAt(at("2026-12-12T03:00:00Z")));
        assertFalse(backup.schedule().activeAt(at("2026-12-11T01:30:00Z")), "Friday is not listed");
        assertEquals(at("2026-12-12T01:00:00Z"), backup.schedule().nextBoundaryAfter(at("2026-12-11T12:00:00Z")));
        assertEquals(at("2026-12-12T03:00:00Z"), backup.schedule().nextBoundaryAfter(at("2026-12-12T01:00:00Z")));
    }

    @Test
    void weeklyWindowsFollowDaylightSavingTime() {
        MaintenanceSchedule sunday = MaintenanceWindows.parse("w: service=a @ sun 01:00-04:00 Europe/Berlin").get(0)
                .schedule();
        // 2026-03-29: clocks go from 02:00 to 03:00. 01:00 CET is 00:00Z, 04:00 CEST is 02:00Z: two hours long.
        assertEquals(at("2026-03-29T00:00:00Z"), sunday.nextBoundaryAfter(at("2026-03-28T12:00:00Z")));
        assertEquals(at("2026-03-29T02:00:00Z"), sunday.nextBoundaryAfter(at("2026-03-29T00:00:00Z")));
        // 2026-10-25: clocks go from 03:00 back to 02:00. 01:00 CEST is 23:00Z the day before, 04:00 CET is 03:00Z.
        assertTrue(sunday.activeAt(at("2026-10-24T23:00:00Z")));
        assertTrue(sunday.activeAt(at("2026-10-25T02:59:00Z")));
        assertFalse(sunday.activeAt(at("2026-10-25T03:00:00Z")));
    }

    @Test
    void aWindowEndingAtOrBeforeItsStartEndsTheNextDay() {
        MaintenanceSchedule night = MaintenanceWindows.parse("n: host=x @ fri 22:00-02:00").get(0).schedule();
        // Friday 2026-12-11 22:00 UTC to Saturday 02:00 UTC.
        assertTrue(night.activeAt(at("2026-12-12T01:59:00Z")));
        assertFalse(night.activeAt(at("2026-12-12T02:00:00Z")));
        assertFalse(night.activeAt(at("2026-12-13T01:00:00Z")), "Saturday night is not listed");
        MaintenanceSchedule allDay = MaintenanceWindows.parse("d: host=x @ mon-wed 00:00-24:00 UTC").get(0).schedule();
        assertTrue(allDay.activeAt(at("2026-12-09T23:59:00Z")));
        assertFalse(allDay.activeAt(at("2026-12-10T00:00:00Z")));
    }

    @Test
    void readsAFileWithComments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("windows.txt");
        Files.writeString(file, "# nightly backups\nbackup: service=orders-db @ daily 01:00-02:00\n"
                + "patch: host=db-1 @ 2026-12-08T22:00Z/2026-12-08T23:00Z\n");
        List<MaintenanceWindow> windows = MaintenanceWindows.parse("file:" + file);
        assertEquals(List.of("backup", "patch"), windows.stream().map(MaintenanceWindow::id).toList());
    }

    @Test
    void mistakesAreExplained() {
        assertMessage("write it as", "service=orders-db @ daily 01:00-02:00");
        assertMessage("needs at least one matcher", "all: @ daily 01:00-02:00");
        assertMessage("unknown time zone", "x: service=a @ daily 01:00-02:00 Mars/Olympus");
        assertMessage("unknown weekday", "x: service=a @ someday 01:00-02:00");
        assertMessage("must end after it starts", "x: service=a @ 2026-12-08T22:00Z/2026-12-08T21:00Z");
        assertMessage("two maintenance windows are named 'x'", "x: service=a @ daily 01:00-02:00; x: service=b @ daily"
                + " 01:00-02:00");
        assertMessage("invalid regular expression", "x: service=~\"(\" @ daily 01:00-02:00");
        assertMessage("cannot read the maintenance windows file", "file:/nonexistent/windows.txt");
        assertTrue(MaintenanceWindows.parse("  ").isEmpty());
    }

    private static void assertMessage(String expected, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaintenanceWindows.parse(value));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
