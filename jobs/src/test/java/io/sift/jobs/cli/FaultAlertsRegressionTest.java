package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sift.eval.EvalData;
import io.sift.eval.faults.AlertGrouping;
import io.sift.eval.faults.Fault;
import io.sift.eval.faults.FaultAlertsData;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.ScoredSpan;
import io.sift.jobs.SiftSettings;
import io.sift.schema.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guards the fault-alerts figures ({@code sift eval fault-alerts}): the job with its default settings over the alerts
 * and knowledge graphs of the three systems (shared data, read in place; skipped where the folder is absent). Floors
 * sit a little below the figures last measured (overall, 246 distinct faults: incidents per fault 0.98, mean purity
 * 0.98, purity >= 0.9 for 0.98 of the faults, labelled entity in the main incident's top 3 0.49 (0.39 before hosts
 * were scoped to the anomalies raised on them and isolated alarms stopped keeping the ranker's walk), recall 0.98,
 * AS@1 0.13 (0.16 before: several node faults had been first only as isolated alarms), AS@3 0.47), so a change
 * that loses quality fails here; raise them when the figures rise.
 */
class FaultAlertsRegressionTest {

    @Test
    void theJobKeepsItsFaultAlertsFigures() throws Exception {
        Path folder = EvalData.root().resolve(FaultAlertsData.NAME);
        assumeTrue(Files.isDirectory(folder), "no fault-alerts data at " + folder.toAbsolutePath());
        List<Fault> faults = new ArrayList<>();
        List<ScoredSpan> spans = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        List<AlertGrouping.FaultGrouping> groupings = new ArrayList<>();
        for (FaultDataSet set : FaultAlertsData.read(folder)) {
            FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(null, Map.of())).run(set);
            faults.addAll(set.faults());
            spans.addAll(set.spans());
            incidents.addAll(output.incidents());
            groupings.addAll(AlertGrouping.score(set.faults(), set.alerts(), output.incidents()));
        }
        FaultScoring.Score score = FaultScoring.score("fault-alerts", faults, spans, incidents);
        AlertGrouping.Summary grouping = AlertGrouping.summary(groupings);
        String figures = grouping + "; recall " + score.overall().recall() + ", AS@1 " + score.overall().as1()
                + ", AS@3 " + score.overall().as3();
        assertEquals(246, score.faults().size(), "the distinct faults (MicroSS's copies left out) are scored");
        assertTrue(grouping.incidentsPerFault() <= 1.05, figures);
        assertTrue(grouping.meanPurity() >= 0.95, figures);
        assertTrue(grouping.purityAtLeast90() >= 0.95, figures);
        assertTrue(grouping.top3() >= 0.46, figures);
        assertTrue(score.overall().recall() >= 0.96, figures);
        assertTrue(score.overall().as1() >= 0.11, figures);
        assertTrue(score.overall().as3() >= 0.44, figures);
    }
}
