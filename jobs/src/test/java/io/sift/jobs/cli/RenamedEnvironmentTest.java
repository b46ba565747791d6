package io.sift.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sift.eval.EvalData;
import io.sift.eval.faults.FaultDataSet;
import io.sift.eval.faults.FaultScoring;
import io.sift.eval.faults.SockShopData;
import io.sift.jobs.SiftSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Results must not depend on names: the Sock Shop data under another environment name gives the same figures and,
 * fault by fault, the same finding, rank and time to detect (incident ids differ: they are derived from names).
 */
class RenamedEnvironmentTest {

    private static FaultScoring.Score run(String environment) throws Exception {
        FaultDataSet set = SockShopData.read(EvalData.dataset("sockshop"), environment);
        FaultDataRunner.Output output = new FaultDataRunner(SiftSettings.load(null, Map.of())).run(set);
        return FaultScoring.score(set.name(), set.faults(), set.spans(), output.incidents());
    }

    private static List<String> outcomes(FaultScoring.Score score) {
        return score.faults().stream().map(f -> f.fault().id() + " found=" + f.found() + " rank=" + f.rank()
                + " ttd=" + f.timeToDetect() + " hints=" + f.hints()).toList();
    }

    @Test
    void anotherEnvironmentNameGivesTheSameIncidents() throws Exception {
        FaultScoring.Score original = run(SockShopData.ENVIRONMENT);
        FaultScoring.Score renamed = run("zz-prod-eu-west-1");
        assertEquals(outcomes(original), outcomes(renamed));
        assertEquals(original.noise().size(), renamed.noise().size(), "noise incidents");
        assertEquals(original.incidents(), renamed.incidents(), "incident episodes");
    }
}
