package io.sift.core.maintenance;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/** When a maintenance window is active: once, or on a weekly rhythm in a time zone. Times are event-time millis. */
public sealed interface MaintenanceSchedule extends Serializable {

    /** Whether the window is active at {@code time}. */
    boolean activeAt(long time);

    /** The earliest start or end strictly after {@code time}, or Long.MAX_VALUE when there is none. */
    long nextBoundaryAfter(long time);

    /** The latest end of the schedule (Long.MAX_VALUE for a recurring one): after it, the window never applies. */
    long lastEnd();

    /** Once, over [start, end). */
    record Once(long start, long end) implements MaintenanceSchedule {
        public Once {
            if (end <= start) {
                throw new IllegalArgumentException("a maintenance window must end after it starts; got "
                        + Instant.ofEpochMilli(start) + " to " + Instant.ofEpochMilli(end));
            }
        }

        @Override
        public boolean activeAt(long time) {
            return time >= start && time < end;
        }

        @Override
        public long nextBoundaryAfter(long time) {
            return time < start ? start : time < end ? end : Long.MAX_VALUE;
        }

        @Override
        public long lastEnd() {
            return end;
        }

        @Override
        public String toString() {
            return Instant.ofEpochMilli(start) + "/" + Instant.ofEpochMilli(end);
        }
    }

    /**
     * Every listed weekday from {@code from} to {@code to} local time in {@code zone}, like an Alertmanager time
     * interval with weekdays and times. A {@code to} at or before {@code from} ends on the next day (22:00-02:00), so
     * the weekday is the day the window starts. Local times follow the zone's daylight-saving rules: a start in the
     * skipped hour moves forward by the gap, as {@link ZonedDateTime#of} does.
     */
    record Weekly(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) implements MaintenanceSchedule {
        public Weekly {
            if (days == null || days.isEmpty()) {
                throw new IllegalArgumentException("a recurring maintenance window needs weekdays, e.g. mon-fri");
            }
            if (from == null || to == null || zone == null) {
                throw new IllegalArgumentException("a recurring maintenance window needs times and a zone, e.g. "
                        + "sat,sun 02:00-04:00 Europe/Berlin");
            }
            days = Set.copyOf(EnumSet.copyOf(days));
        }

        private ZonedDateTime startOn(LocalDate day) {
            return ZonedDateTime.of(day, from, zone);
        }

        private ZonedDateTime endOf(LocalDate startDay) {
            return ZonedDateTime.of(to.isAfter(from) ? startDay : startDay.plusDays(1), to, zone);
        }

        @Override
        public boolean activeAt(long time) {
            LocalDate today = Instant.ofEpochMilli(time).atZone(zone).toLocalDate();
            for (LocalDate day = today.minusDays(1); !day.isAfter(today); day = day.plusDays(1)) {
                if (days.contains(day.getDayOfWeek())) {
                    long start = startOn(day).toInstant().toEpochMilli();
                    long end = endOf(day).toInstant().toEpochMilli();
                    if (time >= start && time < end) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public long nextBoundaryAfter(long time) {
            LocalDate today = Instant.ofEpochMilli(time).atZone(zone).toLocalDate();
            long next = Long.MAX_VALUE;
            // A week and a day covers the next start of every weekday and the end of a window begun yesterday.
            for (LocalDate day = today.minusDays(1); !day.isAfter(today.plusDays(8)); day = day.plusDays(1)) {
                if (days.contains(day.getDayOfWeek())) {
                    long start = startOn(day).toInstant().toEpochMilli();
                    long end = endOf(day).toInstant().toEpochMilli();
                    if (start > time) {
                        next = Math.min(next, start);
                    }
                    if (end > time) {
                        next = Math.min(next, end);
                    }
                }
            }
            return next;
        }

        @Override
        public long lastEnd() {
            return Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return days + " " + from + "-" + to + " " + zone;
        }
    }
}
