package io.sift.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Size and content of a scenario, for progress output.
 *
 * @param metricPointsPerHour exact
 * @param logLinesPerHour     expected background lines per hour (fault and deploy lines come on top)
 */
public record ScenarioSummary(long seed, String environment, Instant start, Duration duration, Duration sampleInterval,
                              int services, int hosts, int datastores, int edges, int instances, int series,
                              long metricPointsPerHour, long logLinesPerHour, int changes,
                              List<InjectedFault> faults) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    public ScenarioSummary {
        faults = List.copyOf(faults);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "scenario seed=%d env=%s from %s for %s, sample every %ds%n", seed,
                environment, start, human(duration), sampleInterval.toSeconds()));
        sb.append(String.format(Locale.ROOT, "  estate: %d services (%d instances), %d hosts, %d datastores, %d edges%n",
                services, instances, hosts, datastores, edges));
        sb.append(String.format(Locale.ROOT, "  telemetry: %d series, %,d metric points/h, ~%,d log lines/h, %d deploys%n",
                series, metricPointsPerHour, logLinesPerHour, changes));
        sb.append(String.format(Locale.ROOT, "  faults: %d%n", faults.size()));
        for (InjectedFault f : faults) {
            sb.append(String.format(Locale.ROOT, "    %s %-19s root=%-16s %s-%s (%s) %d affected: %s%n", f.id(),
                    f.type(), f.rootCauseItem(), TIME.format(f.start()), TIME.format(f.end()), human(f.duration()),
                    f.affectedItems().size(), String.join(", ", f.affectedItems())));
        }
        return sb.toString();
    }

    private static String human(Duration d) {
        long m = d.toMinutes();
        if (m >= 60 && m % 60 == 0) {
            return m / 60 + " h";
        }
        if (m >= 60) {
            return m / 60 + " h " + m % 60 + " min";
        }
        return m > 0 ? m + " min" : d.toSeconds() + " s";
    }
}
