package io.sift.jobs.cli;

import io.sift.scenario.InjectedFault;
import io.sift.schema.Incident;
import io.sift.schema.RootCauseHint;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders incidents as a console table, and checks them against a scenario's ground truth. */
public final class IncidentTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private IncidentTable() {}

    public static String render(List<Incident> incidents) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-26s %-8s %-3s %-16s %-18s %-5s %-4s %s%n", "INCIDENT", "STATUS", "PRI",
                "FIRST SEEN (UTC)", "ROOT-CAUSE HINT", "ITEMS", "ANOM", "SERVICES"));
        for (Incident i : incidents) {
            String hint = i.getRootCauses().isEmpty() ? "-" : i.getRootCauses().get(0).getItem();
            String services = String.join(",", i.getServices());
            if (services.length() > 60) {
                services = services.substring(0, 57) + "...";
            }
            out.append(String.format(Locale.ROOT, "%-26s %-8s %-3s %-16s %-18s %-5d %-4d %s%n", i.getId(), i.getStatus(),
                    i.getPriority(), TIME.format(i.getOpenedAt()), hint, i.getServices().size(), i.getAnomalyCount(),
                    services));
            if (!i.getRootCauses().isEmpty()) {
                RootCauseHint top = i.getRootCauses().get(0);
                for (String reason : top.getReasons()) {
                    out.append("      ").append(reason).append(System.lineSeparator());
                }
            }
        }
        return out.toString();
    }

    /** Prints, per injected fault, the incident that covers it; returns how many faults an incident names. */
    public static int printGroundTruth(List<InjectedFault> faults, List<Incident> incidents, PrintStream out) {
        int named = 0;
        out.println("Ground truth check:");
        for (InjectedFault fault : faults) {
            Incident match = null;
            for (Incident i : incidents) {
                boolean overlaps = !i.getOpenedAt().isAfter(fault.end().plusSeconds(300))
                        && !i.getLastSeen().isBefore(fault.start());
                if (overlaps && i.getServices().contains(fault.rootCauseItem())) {
                    if (match == null || rank(i, fault) < rank(match, fault)) {
                        match = i;
                    }
                }
            }
            if (match == null) {
                out.printf(Locale.ROOT, "  %-20s on %-18s MISSED%n", fault.type(), fault.rootCauseItem());
            } else {
                named++;
                int rank = rank(match, fault);
                out.printf(Locale.ROOT, "  %-20s on %-18s → %s, root-cause hint rank %s%n", fault.type(),
                        fault.rootCauseItem(), match.getId(), rank == Integer.MAX_VALUE ? "(not in top hints)" : rank);
            }
        }
        return named;
    }

    private static int rank(Incident incident, InjectedFault fault) {
        for (RootCauseHint hint : incident.getRootCauses()) {
            if (hint.getItem().equals(fault.rootCauseItem())) {
                return hint.getRank();
            }
        }
        return Integer.MAX_VALUE;
    }
}
