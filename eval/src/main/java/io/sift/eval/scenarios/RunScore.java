package io.sift.eval.scenarios;

import io.sift.scenario.FaultType;
import io.sift.scenario.InjectedFault;
import io.sift.scenario.Scenario;
import io.sift.schema.Anomaly;
import io.sift.schema.AnomalyRef;
import io.sift.schema.Incident;
import io.sift.schema.IncidentStatus;
import io.sift.schema.RootCauseHint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one generated estate went: for each injected fault, whether it got an incident of its own and how good that
 * incident is; for each incident, what it holds.
 *
 * @param run              the estate
 * @param anomalyVersions  anomaly versions the detectors emitted (the correlator's input)
 * @param versionsByLabel  anomaly versions by ground-truth label (fault id, noise id or "spurious")
 * @param faults           one outcome per injected fault, in start order
 * @param incidents        one outcome per final incident (merged ones left out), by opening time
 * @param noiseInjected    noise glitches injected
 * @param noiseDetected    noise glitches that became at least one anomaly
 */
public record RunScore(ScenarioSuite.Run run, long anomalyVersions, Map<String, Long> versionsByLabel,
        List<FaultOutcome> faults, List<IncidentOutcome> incidents, int noiseInjected, int noiseDetected) {

    /**
     * @param fault             the ground truth
     * @param incidentId        the fault's incident (the one holding most of its anomalies among those where they
     *                          are the majority), or null when it got none (missed, or absorbed by another)
     * @param rootRank          rank of the true root cause among the incident's hints, 0 when absent
     * @param firstVersionMillis event time from the fault's start to the first version of its incident that holds
     *                          one of its anomalies, or -1
     * @param anomalies         distinct anomalies of the fault
     * @param incidentCount     incidents in which the fault's anomalies are the majority (more than one: split)
     */
    public record FaultOutcome(InjectedFault fault, String incidentId, int rootRank, long firstVersionMillis,
            int anomalies, int incidentCount) {
        public boolean recalled() {
            return incidentId != null;
        }
    }

    /**
     * @param id         incident id
     * @param fault      the fault whose anomalies are its majority, or null (a noise incident)
     * @param anomalies  distinct anomalies in it
     * @param ofFault    of which belong to that fault
     * @param topHint    first root-cause hint, or null
     * @param items      affected items
     */
    public record IncidentOutcome(String id, InjectedFault fault, int anomalies, int ofFault, String topHint,
            List<String> items) {
        public FaultType type() {
            return fault == null ? null : fault.type();
        }
    }

    static RunScore of(ScenarioSuite.Run run, Scenario scenario, ScenarioPipeline.Output output) {
        GroundTruth truth = new GroundTruth(scenario);
        Map<String, String> labelOf = new HashMap<>();
        Map<String, Long> versionsByLabel = new LinkedHashMap<>();
        for (Anomaly a : output.anomalyVersions()) {
            String label = labelOf.computeIfAbsent(a.getId(),
                    id -> truth.label(a.getResource().getService(), a.getMetric(), a.getOnset()));
            versionsByLabel.merge(label, 1L, Long::sum);
        }
        Map<String, InjectedFault> faultsById = new HashMap<>();
        scenario.faults().forEach(f -> faultsById.put(f.id(), f));

        Map<String, Incident> latest = new LinkedHashMap<>();
        Map<String, String> mergedInto = new HashMap<>();
        for (Incident incident : output.incidentVersions()) {
            latest.merge(incident.getId(), incident, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
            if (incident.getStatus() == IncidentStatus.MERGED && incident.getMergedInto() != null) {
                mergedInto.put(incident.getId(), incident.getMergedInto());
            }
        }

        List<IncidentOutcome> incidents = new ArrayList<>();
        Map<String, Incident> finals = new HashMap<>();
        for (Incident incident : latest.values()) {
            if (incident.getStatus() == IncidentStatus.MERGED) {
                continue;
            }
            finals.put(incident.getId(), incident);
            Map<String, Integer> counts = new HashMap<>();
            for (AnomalyRef ref : incident.getAnomalies()) {
                counts.merge(labelOf.getOrDefault(ref.getId(), GroundTruth.SPURIOUS), 1, Integer::sum);
            }
            InjectedFault majority = null;
            int best = 0;
            for (InjectedFault fault : scenario.faults()) {
                int n = counts.getOrDefault(fault.id(), 0);
                if (n > best) {
                    best = n;
                    majority = fault;
                }
            }
            String top = incident.getRootCauses().isEmpty() ? null : incident.getRootCauses().get(0).getItem();
            incidents.add(new IncidentOutcome(incident.getId(), majority, incident.getAnomalies().size(), best, top,
                    List.copyOf(incident.getServices())));
        }
        incidents.sort(Comparator.comparing((IncidentOutcome i) -> finals.get(i.id()).getOpenedAt())
                .thenComparing(IncidentOutcome::id));

        List<FaultOutcome> faults = new ArrayList<>();
        for (InjectedFault fault : scenario.faults()) {
            IncidentOutcome primary = null;
            int count = 0;
            for (IncidentOutcome incident : incidents) {
                if (incident.fault() == fault) {
                    count++;
                    if (primary == null || incident.ofFault() > primary.ofFault()) {
                        primary = incident;
                    }
                }
            }
            long anomalies = labelOf.values().stream().filter(fault.id()::equals).count();
            if (primary == null) {
                faults.add(new FaultOutcome(fault, null, 0, -1, (int) anomalies, 0));
                continue;
            }
            int rank = 0;
            for (RootCauseHint hint : finals.get(primary.id()).getRootCauses()) {
                if (hint.getItem().equals(fault.rootCauseItem())) {
                    rank = hint.getRank();
                    break;
                }
            }
            long first = -1;
            for (Incident version : output.incidentVersions()) {
                if (!resolve(version.getId(), mergedInto).equals(primary.id())) {
                    continue;
                }
                boolean holdsFault = version.getAnomalies().stream()
                        .anyMatch(ref -> fault.id().equals(labelOf.get(ref.getId())));
                if (holdsFault) {
                    long after = Math.max(0, version.getUpdatedAt().toEpochMilli() - fault.start().toEpochMilli());
                    first = first < 0 ? after : Math.min(first, after);
                }
            }
            faults.add(new FaultOutcome(fault, primary.id(), rank, first, (int) anomalies, count));
        }
        int detectedNoise = (int) labelOf.values().stream().filter(l -> l.startsWith("noise-")).distinct().count();
        return new RunScore(run, output.anomalyVersions().size(), versionsByLabel, faults, incidents,
                scenario.noise().size(), detectedNoise);
    }

    private static String resolve(String id, Map<String, String> mergedInto) {
        String current = id;
        for (int hops = 0; hops < 1000 && mergedInto.containsKey(current); hops++) {
            current = mergedInto.get(current);
        }
        return current;
    }
}
