package io.sift.eval.scenarios;

import io.sift.scenario.FaultType;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of a set of faults (all of them, or those of one type).
 *
 * @param faults              injected faults
 * @param recall              share of faults that got an incident of their own
 * @param purity              share of the anomalies in fault incidents that belong to the incident's fault
 *                            (anomaly-weighted)
 * @param compression         anomaly versions in per incident out
 * @param top1                share of faults whose incident ranks the true root cause first (missed faults count
 *                            as wrong)
 * @param top3                the same within the first three hints
 * @param meanFirstVersionSeconds mean event time from fault start to the first incident version holding its
 *                            anomalies, over recalled faults
 * @param maxFirstVersionSeconds  the slowest of those
 * @param anomalyVersions     anomaly versions counted for compression
 * @param incidents           incidents counted for compression
 * @param splitIncidents      extra incidents beyond one per fault (a fault's anomalies split across incidents)
 */
public record Figures(int faults, double recall, double purity, double compression, double top1, double top3,
        double meanFirstVersionSeconds, double maxFirstVersionSeconds, long anomalyVersions, int incidents,
        int splitIncidents) {

    /** Over every fault and every incident, noise ones included. */
    static Figures overall(List<RunScore> runs) {
        return of(runs, null);
    }

    /**
     * Over the faults of one type, the incidents those faults dominate, and the anomaly versions that belong to
     * them.
     */
    static Figures of(List<RunScore> runs, FaultType type) {
        int faults = 0;
        int recalled = 0;
        int top1 = 0;
        int top3 = 0;
        int split = 0;
        List<Long> firsts = new ArrayList<>();
        long inFault = 0;
        long inIncidents = 0;
        long versions = 0;
        int incidents = 0;
        for (RunScore run : runs) {
            for (RunScore.FaultOutcome f : run.faults()) {
                if (type != null && f.fault().type() != type) {
                    continue;
                }
                faults++;
                if (f.recalled()) {
                    recalled++;
                    split += f.incidentCount() - 1;
                    if (f.firstVersionMillis() >= 0) {
                        firsts.add(f.firstVersionMillis());
                    }
                }
                top1 += f.rootRank() == 1 ? 1 : 0;
                top3 += f.rootRank() >= 1 && f.rootRank() <= 3 ? 1 : 0;
                if (type != null) {
                    versions += run.versionsByLabel().getOrDefault(f.fault().id(), 0L);
                }
            }
            for (RunScore.IncidentOutcome i : run.incidents()) {
                if (type == null || i.type() == type) {
                    incidents++;
                }
                if (i.fault() != null && (type == null || i.type() == type)) {
                    inFault += i.ofFault();
                    inIncidents += i.anomalies();
                }
            }
            if (type == null) {
                versions += run.anomalyVersions();
            }
        }
        double mean = firsts.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1000.0;
        double max = firsts.stream().mapToLong(Long::longValue).max().orElse(-1) / 1000.0;
        return new Figures(faults, ratio(recalled, faults), ratio(inFault, inIncidents), ratio(versions, incidents),
                ratio(top1, faults), ratio(top3, faults), mean, firsts.isEmpty() ? Double.NaN : max, versions,
                incidents, split);
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }
}
