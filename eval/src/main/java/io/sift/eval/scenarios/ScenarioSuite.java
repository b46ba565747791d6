package io.sift.eval.scenarios;

import io.sift.scenario.FaultType;
import io.sift.scenario.ScenarioGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The generated estates of an evaluation: run {@code i} uses seed {@code seed + i}, from which its shape follows
 * (20-50 services, a 10, 15 or 30 s sample interval), one fault of every type in a seeded order, and background
 * noise glitches at about two an hour.
 */
public final class ScenarioSuite {

    /** Long enough for a warm-up, one fault of each type at up to 20 min, the gaps between them, and a tail. */
    static final Duration DURATION = Duration.ofHours(5);
    static final int NOISE_PER_HOUR = 2;
    private static final int[] SAMPLE_SECONDS = {10, 15, 30};

    /** One generated estate: its settings in words, and the generator. */
    public record Run(long seed, int services, Duration sampleInterval, ScenarioGenerator generator) {
        public String shape() {
            return services + " services, " + sampleInterval.toSeconds() + " s samples";
        }
    }

    private ScenarioSuite() {
    }

    public static List<Run> of(long seed, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1; got " + runs);
        }
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long runSeed = seed + i;
            SplittableRandom shape = new SplittableRandom(runSeed * 0x9E3779B97F4A7C15L + 0x5CE7L);
            int services = 20 + shape.nextInt(31);
            Duration interval = Duration.ofSeconds(SAMPLE_SECONDS[shape.nextInt(SAMPLE_SECONDS.length)]);
            ScenarioGenerator generator = ScenarioGenerator.builder()
                    .seed(runSeed)
                    .services(services)
                    .sampleInterval(interval)
                    .start(ScenarioGenerator.DEFAULT_START)
                    .duration(DURATION)
                    .randomFaults(FaultType.values().length)
                    .noiseAnomalies((int) (NOISE_PER_HOUR * DURATION.toHours()))
                    .build();
            out.add(new Run(runSeed, services, interval, generator));
        }
        return out;
    }
}
