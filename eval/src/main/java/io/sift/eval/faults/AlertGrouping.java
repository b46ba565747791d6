package io.sift.eval.faults;

import io.sift.schema.Alert;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.RootCauseHint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the alerts of each fault were grouped by the job, for data sets whose input is alerts (one environment per
 * fault). Rules, stated once:
 * <ul>
 *   <li><b>Incidents per fault</b>: the incidents of the fault's environment, each at its last version, less those
 *       MERGED into another (their alerts are in the survivor).</li>
 *   <li><b>Main incident</b>: of those, the one holding the most of the fault's alerts (alertCount of its last
 *       version; then the earliest opened, then the id).</li>
 *   <li><b>Purity</b>: the main incident's alerts over the fault's distinct alerts (fingerprints sent).</li>
 *   <li><b>Top-k</b>: one of the fault's root items among the first k root-cause hints of the main incident's last
 *       version.</li>
 * </ul>
 */
public final class AlertGrouping {

    private AlertGrouping() {
    }

    /** One fault's grouping. {@code rank} is 0 when no hint of the main incident names a root item. */
    public record FaultGrouping(Fault fault, int alerts, int incidents, double purity, String mainIncident, int rank,
            List<String> hints) {
    }

    /** Over a set of faults. */
    public record Summary(int faults, double incidentsPerFault, double meanPurity, double purityAtLeast90,
            double top1, double top3) {
    }

    public static List<FaultGrouping> score(List<Fault> faults, List<Alert> alerts, List<Incident> versions) {
        Map<String, Set<String>> fingerprints = new HashMap<>();
        for (Alert alert : alerts) {
            fingerprints.computeIfAbsent(alert.getResource().getEnvironment(), k -> new HashSet<>())
                    .add(alert.getFingerprint());
        }
        Map<String, Incident> latest = new HashMap<>();
        for (Incident version : versions) {
            latest.merge(version.getId(), version, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
        }
        Map<String, List<Incident>> byEnvironment = new HashMap<>();
        for (Incident incident : latest.values()) {
            if (incident.getStatus() != IncidentStatus.MERGED) {
                byEnvironment.computeIfAbsent(incident.getEnvironment(), k -> new ArrayList<>()).add(incident);
            }
        }
        List<FaultGrouping> out = new ArrayList<>();
        for (Fault fault : faults) {
            int total = fingerprints.getOrDefault(fault.environment(), Set.of()).size();
            List<Incident> incidents = byEnvironment.getOrDefault(fault.environment(), List.of());
            Incident main = incidents.stream()
                    .min(Comparator.comparingInt((Incident i) -> -i.getAlertCount())
                            .thenComparing(Incident::getOpenedAt).thenComparing(Incident::getId))
                    .orElse(null);
            List<String> hints = new ArrayList<>();
            int rank = 0;
            if (main != null) {
                for (RootCauseHint hint : main.getRootCauses()) {
                    hints.add(hint.getItem());
                    if (rank == 0 && fault.rootItems().contains(hint.getItem())) {
                        rank = hints.size();
                    }
                }
            }
            double purity = main == null || total == 0 ? 0 : Math.min(1.0, main.getAlertCount() / (double) total);
            out.add(new FaultGrouping(fault, total, incidents.size(), purity, main == null ? null : main.getId(), rank,
                    hints));
        }
        return out;
    }

    public static Summary summary(List<FaultGrouping> groupings) {
        int n = groupings.size();
        if (n == 0) {
            return new Summary(0, 0, 0, 0, 0, 0);
        }
        double incidents = 0;
        double purity = 0;
        double pure = 0;
        double top1 = 0;
        double top3 = 0;
        for (FaultGrouping g : groupings) {
            incidents += g.incidents();
            purity += g.purity();
            pure += g.purity() >= 0.9 ? 1 : 0;
            top1 += g.rank() == 1 ? 1 : 0;
            top3 += g.rank() >= 1 && g.rank() <= 3 ? 1 : 0;
        }
        return new Summary(n, incidents / n, purity / n, pure / n, top1 / n, top3 / n);
    }

    /** The summary per fault type and overall, as a table. */
    public static String table(String dataSet, List<FaultGrouping> groupings, boolean details) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n%s: alert grouping of %d faults (main incident: the one holding most"
                + " of the fault's alerts)%n%n", dataSet, groupings.size()));
        out.append(String.format(Locale.ROOT, "%-44s %6s %10s %7s %8s %6s %6s%n", "fault type", "faults",
                "inc/fault", "purity", "pur>=.9", "top1", "top3"));
        Map<String, List<FaultGrouping>> byType = new java.util.TreeMap<>();
        for (FaultGrouping g : groupings) {
            byType.computeIfAbsent(g.fault().level() + "/" + g.fault().faultType(), k -> new ArrayList<>()).add(g);
        }
        byType.forEach((type, group) -> out.append(row(type, summary(group))));
        out.append(row("all", summary(groupings)));
        if (details) {
            out.append(String.format("%nFaults:%n"));
            for (FaultGrouping g : groupings) {
                out.append(String.format(Locale.ROOT, "  %-28s %-24s alerts %4d incidents %3d purity %.2f rank %s %s%n",
                        g.fault().id(), g.fault().service(), g.alerts(), g.incidents(), g.purity(),
                        g.rank() == 0 ? "-" : Integer.toString(g.rank()), g.hints()));
            }
        }
        return out.toString();
    }

    private static String row(String type, Summary s) {
        return String.format(Locale.ROOT, "%-44s %6d %10.2f %7.2f %8.2f %6.2f %6.2f%n", type, s.faults(),
                s.incidentsPerFault(), s.meanPurity(), s.purityAtLeast90(), s.top1(), s.top3());
    }

    /** The figures as JSON-ready maps. */
    public static Map<String, Object> toJson(List<FaultGrouping> groupings) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        Summary s = summary(groupings);
        json.put("faults", s.faults());
        json.put("incidentsPerFault", s.incidentsPerFault());
        json.put("meanPurity", s.meanPurity());
        json.put("purityAtLeast90", s.purityAtLeast90());
        json.put("mainIncidentTop1", s.top1());
        json.put("mainIncidentTop3", s.top3());
        List<Map<String, Object>> faults = new ArrayList<>();
        for (FaultGrouping g : groupings) {
            Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("id", g.fault().id());
            f.put("alerts", g.alerts());
            f.put("incidents", g.incidents());
            f.put("purity", g.purity());
            f.put("mainIncident", g.mainIncident());
            f.put("rank", g.rank());
            f.put("hints", g.hints());
            faults.add(f);
        }
        json.put("perFault", faults);
        return json;
    }
}
