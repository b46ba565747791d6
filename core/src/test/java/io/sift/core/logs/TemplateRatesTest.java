package io.sift.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sift.schema.MetricPoint;
import io.sift.schema.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TemplateRatesTest {

    private static final long MINUTE = 60_000;
    private static final Resource RESOURCE = new Resource("checkout", null, null, "prod");

    /**
     * Counting a mined template (its text spelled out only for a window's first line, the latest count reused for a run
     * of lines) gives the points counting it by id and text gives, with few templates (scanned) and many (indexed),
     * runs of one template and interleaved templates, generalisation and eviction.
     */
    @Test
    void countingAMinedTemplateGivesThePointsOfCountingItsIdAndText() {
        TemplateRates rates = new TemplateRates(MINUTE, 3, 3);
        for (int templates : new int[] {3, 40}) {
            TemplateMiner miner = new TemplateMiner(MinerConfig.defaults().withMaxTemplates(templates == 3 ? 50 : 30));
            TemplateMinerState minerState = new TemplateMinerState();
            TemplateRateState byText = new TemplateRateState();
            TemplateRateState byTemplate = new TemplateRateState();
            List<MetricPoint> textPoints = new ArrayList<>();
            List<MetricPoint> templatePoints = new ArrayList<>();
            Random random = new Random(templates);
            long time = 0;
            for (int i = 0; i < 5_000; i++) {
                time += random.nextInt(400);
                int kind = random.nextInt(5) < 2 ? i % templates : random.nextInt(templates);
                String line = "event" + kind + " step " + (random.nextBoolean() ? "alpha" : "beta" + random.nextInt(9))
                        + " took " + random.nextInt(1000) + " ms for user" + random.nextInt(7);
                MineResult result = miner.mine(minerState, line, time);
                for (TemplateRateState state : List.of(byText, byTemplate)) {
                    if (result.previousId() != null && !result.previousId().equals(result.template().id)) {
                        rates.retire(state, result.previousId(), time);
                    }
                    if (result.evictedId() != null) {
                        rates.retire(state, result.evictedId(), time);
                    }
                }
                rates.onLine(byText, RESOURCE, result.template().id, result.template().text(), line, time);
                rates.onLine(byTemplate, RESOURCE, result.template(), line, time);
                if (i % 97 == 0) {
                    textPoints.addAll(rates.fire(byText, time - 2 * MINUTE, "prod"));
                    templatePoints.addAll(rates.fire(byTemplate, time - 2 * MINUTE, "prod"));
                }
            }
            textPoints.addAll(rates.fire(byText, Long.MAX_VALUE - 1, "prod"));
            templatePoints.addAll(rates.fire(byTemplate, Long.MAX_VALUE - 1, "prod"));
            assertFalse(textPoints.isEmpty());
            assertEquals(textPoints, templatePoints, templates + " templates");
        }
    }

    /**
     * A watermark that passes many windows at once (a backlog) emits the points that passing them one by one does:
     * the same windows, zeros, retirements and forgetting of quiet templates, in the same order.
     */
    @Test
    void passingManyWindowsAtOnceGivesThePointsOfPassingThemOneByOne() {
        TemplateRates rates = new TemplateRates(MINUTE, 3, 2);
        TemplateMiner miner = new TemplateMiner(MinerConfig.defaults().withMaxTemplates(12));
        TemplateMinerState minerState = new TemplateMinerState();
        TemplateRateState batched = new TemplateRateState();
        TemplateRateState stepped = new TemplateRateState();
        List<MetricPoint> batchedPoints = new ArrayList<>();
        List<MetricPoint> steppedPoints = new ArrayList<>();
        Random random = new Random(7);
        long time = 0;
        long stepWatermark = -1;
        for (int i = 0; i < 4_000; i++) {
            // Bursts and gaps: some windows hold lines of many templates, some none (zeros, then forgetting).
            time += random.nextInt(10) == 0 ? random.nextInt(8) * MINUTE : random.nextInt(2_000);
            String line = "task" + random.nextInt(random.nextBoolean() ? 4 : 20) + " finished " + random.nextInt(50)
                    + " items on node" + random.nextInt(3);
            MineResult result = miner.mine(minerState, line, time);
            for (TemplateRateState state : List.of(batched, stepped)) {
                if (result.previousId() != null && !result.previousId().equals(result.template().id)) {
                    rates.retire(state, result.previousId(), time);
                }
                if (result.evictedId() != null) {
                    rates.retire(state, result.evictedId(), time);
                }
                rates.onLine(state, RESOURCE, result.template(), line, time);
            }
            long watermark = time - 30 * MINUTE;
            while (stepWatermark + MINUTE <= watermark) {
                stepWatermark += MINUTE;
                steppedPoints.addAll(rates.fire(stepped, stepWatermark, "prod"));
            }
            if (i % 250 == 0) {
                batchedPoints.addAll(rates.fire(batched, stepWatermark, "prod"));
            }
        }
        long end = time + 60 * MINUTE;
        while (stepWatermark + MINUTE <= end) {
            stepWatermark += MINUTE;
            steppedPoints.addAll(rates.fire(stepped, stepWatermark, "prod"));
        }
        batchedPoints.addAll(rates.fire(batched, stepWatermark, "prod"));
        assertTrue(steppedPoints.stream().anyMatch(p -> p.getValue() == 0.0), "zeros");
        assertEquals(steppedPoints, batchedPoints);
        assertTrue(batched.isEmpty() && stepped.isEmpty());
    }
}
