package io.sift.scenario;

import io.sift.schema.ItemType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Deterministic generator of a realistic e-commerce estate with its telemetry, logs, deploys and injected faults
 * (with ground truth). Same settings and seed: identical output.
 *
 * <pre>{@code
 * Scenario s = ScenarioGenerator.builder().seed(7).services(24).build().generate();
 * s.topology();                 // List<TopologyUpdate> at the start
 * s.allRecordsInTimeOrder()     // Stream<SpecificRecord>: metrics, logs and changes by event time, lazily
 * s.faults();                   // ground truth
 * }</pre>
 */
public final class ScenarioGenerator {

    /** A fixed default start (a weekday morning, UTC) so that default output never depends on the clock. */
    public static final Instant DEFAULT_START = Instant.parse("2025-03-04T08:00:00Z");

    private final long seed;
    private final String environment;
    private final int services;
    private final Instant start;
    private final Duration duration;
    private final Duration sampleInterval;
    private final double logLinesPerServicePerMinute;
    private final List<FaultSpec> faultSpecs;
    private final Duration warmUp;
    private final Duration minGap;
    private final boolean benignDeploys;
    private final boolean benignBumps;
    private final int noiseAnomalies;
    private final Scenario scenario;

    private ScenarioGenerator(Builder b) {
        this.seed = b.seed;
        this.environment = b.environment;
        this.services = b.services;
        this.start = b.start;
        this.duration = b.duration;
        this.sampleInterval = b.sampleInterval;
        this.logLinesPerServicePerMinute = b.logLinesPerServicePerMinute;
        this.warmUp = b.warmUp;
        this.minGap = b.minGap;
        this.benignDeploys = b.benignDeploys;
        this.benignBumps = b.benignBumps;
        this.noiseAnomalies = b.noiseAnomalies;
        Estate estate = EstateFactory.build(seed, services, environment);
        this.faultSpecs = b.faultSpecs != null ? List.copyOf(b.faultSpecs) : randomSpecs(b.randomFaults);
        validateFaults(estate);
        try {
            this.scenario = new Scenario(this, estate);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The scenario (cheap: metrics and logs are generated lazily by its streams). */
    public Scenario generate() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    public String environment() {
        return environment;
    }

    public int services() {
        return services;
    }

    public Instant start() {
        return start;
    }

    public Duration duration() {
        return duration;
    }

    public Duration sampleInterval() {
        return sampleInterval;
    }

    public double logLinesPerServicePerMinute() {
        return logLinesPerServicePerMinute;
    }

    /** The fault specs in effect (the explicit ones, or one random spec per random fault). */
    public List<FaultSpec> faultSpecs() {
        return faultSpecs;
    }

    public Duration warmUp() {
        return warmUp;
    }

    public Duration minGap() {
        return minGap;
    }

    public boolean benignDeploys() {
        return benignDeploys;
    }

    public boolean benignBumps() {
        return benignBumps;
    }

    /** Number of background noise anomalies (short glitches of one series that belong to no fault). */
    public int noiseAnomalies() {
        return noiseAnomalies;
    }

    private List<FaultSpec> randomSpecs(int count) {
        List<FaultType> types = new ArrayList<>(Arrays.asList(FaultType.values()));
        SplittableRandom rng = new SplittableRandom(Noise.hash(seed, 0x7E5L));
        List<FaultSpec> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % types.size() == 0) {
                java.util.Collections.shuffle(types, new java.util.Random(rng.nextLong()));
            }
            specs.add(FaultSpec.of(types.get(i % types.size())));
        }
        return specs;
    }

    private void validateFaults(Estate estate) {
        List<long[]> fixed = new ArrayList<>();
        for (int i = 0; i < faultSpecs.size(); i++) {
            FaultSpec f = faultSpecs.get(i);
            String which = "fault " + (i + 1) + " (" + f.type() + ")";
            if (f.rootItem() != null) {
                EstateItem item = estate.item(f.rootItem()).orElseThrow(() -> new IllegalArgumentException(which
                        + ": root item '" + f.rootItem() + "' is not in the estate; use one of "
                        + candidates(estate, f.type()) + " or \"random\""));
                if (!f.type().allowsRoot(item.type())) {
                    throw new IllegalArgumentException(which + ": root item '" + f.rootItem() + "' is a "
                            + item.type() + " but " + f.type() + " needs one of " + f.type().rootTypes()
                            + ", e.g. " + candidates(estate, f.type()));
                }
                if (f.type() == FaultType.NETWORK_PARTITION && estate.calleesOf(f.rootItem()).isEmpty()) {
                    throw new IllegalArgumentException(which + ": '" + f.rootItem() + "' calls no other service, so"
                            + " there is nothing to partition it from; choose a service that calls others");
                }
            }
            if (f.duration() != null && (f.duration().compareTo(Duration.ofMinutes(1)) < 0
                    || f.duration().compareTo(Duration.ofHours(6)) > 0)) {
                throw new IllegalArgumentException(which + ": duration " + f.duration() + " is outside 1 min to 6 h;"
                        + " typical faults last 5-20 min");
            }
            if (f.startOffset() != null) {
                if (f.startOffset().compareTo(warmUp) < 0) {
                    throw new IllegalArgumentException(which + ": starts at +" + minutes(f.startOffset())
                            + " min, before the warm-up of " + minutes(warmUp) + " min ends; start it later or shorten"
                            + " warmUp(...)");
                }
                Duration d = f.duration() != null ? f.duration() : FaultPlanner.MIN_FAULT;
                if (f.startOffset().plus(d).plus(FaultPlanner.TAIL).compareTo(duration) > 0) {
                    throw new IllegalArgumentException(which + ": ends after +" + minutes(f.startOffset().plus(d))
                            + " min, but faults must end " + FaultPlanner.TAIL.toMinutes() + " min before the end of"
                            + " the " + minutes(duration) + " min scenario; start it earlier or lengthen duration(...)");
                }
                if (f.duration() == null) {
                    throw new IllegalArgumentException(which + ": with an explicit start offset, give an explicit"
                            + " duration too, e.g. .lasting(Duration.ofMinutes(10))");
                }
                long s = f.startOffset().toMillis();
                long e = s + f.duration().toMillis();
                for (long[] o : fixed) {
                    if (s < o[1] + minGap.toMillis() && o[0] < e + minGap.toMillis()) {
                        throw new IllegalArgumentException(which + ": overlaps fault " + (o[2] + 1) + " or is closer"
                                + " to it than minGapBetweenFaults (" + minutes(minGap) + " min); move one of them");
                    }
                }
                fixed.add(new long[]{s, e, i});
            }
        }
    }

    private static String candidates(Estate estate, FaultType type) {
        List<String> ids = estate.items().stream().filter(i -> type.allowsRoot(i.type())).map(EstateItem::id)
                .toList();
        String shown = ids.stream().limit(8).collect(Collectors.joining(", "));
        return "[" + shown + (ids.size() > 8 ? ", ..." : "") + "]";
    }

    private static long minutes(Duration d) {
        return d.toMinutes();
    }

    @Override
    public String toString() {
        return "ScenarioGenerator{seed=" + seed + ", environment=" + environment + ", services=" + services
                + ", start=" + start + ", duration=" + duration + ", sampleInterval=" + sampleInterval
                + ", logLinesPerServicePerMinute=" + logLinesPerServicePerMinute + ", faults=" + faultSpecs
                + ", warmUp=" + warmUp + ", minGap=" + minGap + ", benignDeploys=" + benignDeploys
                + ", benignBumps=" + benignBumps + ", noiseAnomalies=" + noiseAnomalies + "}";
    }

    /** Settings with defaults; {@link #build()} checks them all and says what to change. */
    public static final class Builder {
        private long seed = 1;
        private String environment = "prod";
        private int services = 24;
        private Instant start = DEFAULT_START;
        private Duration duration = Duration.ofHours(3);
        private Duration sampleInterval = Duration.ofSeconds(10);
        private double logLinesPerServicePerMinute = 6;
        private List<FaultSpec> faultSpecs;
        private Integer randomFaultsSet;
        private int randomFaults = 3;
        private Duration warmUp = Duration.ofMinutes(60);
        private Duration minGap = Duration.ofMinutes(20);
        private boolean benignDeploys = true;
        private boolean benignBumps = true;
        private int noiseAnomalies = 0;

        private Builder() {
        }

        /** Seed of everything random (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Environment of every item and record (default "prod"). */
        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** Number of services, 20-50 (default 24). Hosts (about a third as many) and datastores come on top. */
        public Builder services(int services) {
            this.services = services;
            return this;
        }

        /** Event time of the first sample (default {@link #DEFAULT_START}). Load follows the UTC time of day. */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** Length of the scenario (default 3 h). */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Time between two samples of a series (default 10 s). */
        public Builder sampleInterval(Duration sampleInterval) {
            this.sampleInterval = sampleInterval;
            return this;
        }

        /** Average background log lines per service per minute (default 6; scales with load; 0 for none). */
        public Builder logLinesPerServicePerMinute(double lines) {
            this.logLinesPerServicePerMinute = lines;
            return this;
        }

        /** Explicit faults, replacing the random ones. */
        public Builder faults(List<FaultSpec> specs) {
            this.faultSpecs = specs == null ? null : new ArrayList<>(specs);
            return this;
        }

        /** Adds one explicit fault (explicit faults replace the random ones). */
        public Builder fault(FaultSpec spec) {
            if (faultSpecs == null) {
                faultSpecs = new ArrayList<>();
            }
            faultSpecs.add(spec);
            return this;
        }

        /**
         * Adds the same fault {@code times} times on the same item, {@code every} apart from its first start, e.g. to
         * test problem management (recurring incidents with one root cause). The spec needs a root item, a start
         * offset and a duration; the recurrences are ordinary explicit faults (ground truth lists each one).
         */
        public Builder recurringFault(FaultSpec spec, int times, Duration every) {
            java.util.Objects.requireNonNull(spec, "spec");
            if (spec.rootItem() == null || spec.startOffset() == null || spec.duration() == null) {
                throw new IllegalArgumentException("a recurring fault needs a root item, a start offset and a duration,"
                        + " e.g. FaultSpec.of(FaultType.RESOURCE_SATURATION).on(\"orders-db\")"
                        + ".at(Duration.ofMinutes(70)).lasting(Duration.ofMinutes(6)); got " + spec);
            }
            if (times < 2) {
                throw new IllegalArgumentException("a recurring fault recurs: times must be at least 2, got " + times);
            }
            if (every == null || every.compareTo(spec.duration()) <= 0) {
                throw new IllegalArgumentException("every (" + every + ") must be longer than the fault's duration ("
                        + spec.duration() + ") plus minGapBetweenFaults");
            }
            for (int k = 0; k < times; k++) {
                fault(spec.at(spec.startOffset().plus(every.multipliedBy(k))));
            }
            return this;
        }

        /** Number of random faults (types cycle through all fault types in a seeded order; default 3). */
        public Builder randomFaults(int count) {
            this.randomFaults = count;
            this.randomFaultsSet = count;
            return this;
        }

        /** Fault-free time at the start, for baselines to settle (default 60 min). */
        public Builder warmUp(Duration warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /** Least time between the end of a fault and the start of the next (default 20 min). */
        public Builder minGapBetweenFaults(Duration gap) {
            this.minGap = gap;
            return this;
        }

        /** Whether to emit benign deploys (default true: about one per service per 5 h, away from faults). */
        public Builder benignDeploys(boolean enabled) {
            this.benignDeploys = enabled;
            return this;
        }

        /** Whether series have occasional small (0.8-1.5 sigma, 1-5 min) benign bumps (default true). */
        public Builder benignBumps(boolean enabled) {
            this.benignBumps = enabled;
            return this;
        }

        /**
         * Background noise anomalies (default 0): short (1-6 min) glitches of a single series, strong enough for a
         * detector, that belong to no fault, such as a slow query or a garbage-collection pause. They fall after the
         * warm-up, anywhere in time, but never on an item affected by a fault active within 10 minutes; ground
         * truth in {@link Scenario#noise()}.
         */
        public Builder noiseAnomalies(int count) {
            this.noiseAnomalies = count;
            return this;
        }

        public ScenarioGenerator build() {
            require(environment != null && environment.matches("[a-z0-9][a-z0-9-]{0,30}"),
                    "environment must be 1-31 lower-case letters, digits or '-', e.g. \"prod\"; got " + environment);
            require(services >= 20 && services <= 50,
                    "services must be between 20 and 50 (got " + services + "); e.g. services(24)");
            require(start != null, "start must be set, e.g. start(Instant.parse(\"2025-03-04T08:00:00Z\"))");
            require(sampleInterval != null && !sampleInterval.isNegative()
                            && sampleInterval.compareTo(Duration.ofSeconds(1)) >= 0
                            && sampleInterval.compareTo(Duration.ofMinutes(5)) <= 0
                            && sampleInterval.toMillis() % 1000 == 0,
                    "sampleInterval must be whole seconds between 1 s and 5 min (got " + sampleInterval
                            + "); e.g. sampleInterval(Duration.ofSeconds(10))");
            require(duration != null && duration.compareTo(Duration.ofMinutes(10)) >= 0
                            && duration.compareTo(Duration.ofDays(366)) <= 0,
                    "duration must be between 10 min and 366 days (got " + duration + "); e.g. duration(Duration.ofHours(3))");
            require(duration.toMillis() / sampleInterval.toMillis() >= 10,
                    "duration must hold at least 10 samples of " + sampleInterval + "; lengthen duration(...)");
            require(Double.isFinite(logLinesPerServicePerMinute) && logLinesPerServicePerMinute >= 0
                            && logLinesPerServicePerMinute <= 100_000,
                    "logLinesPerServicePerMinute must be between 0 and 100000 (got " + logLinesPerServicePerMinute
                            + "); e.g. 6");
            require(warmUp != null && !warmUp.isNegative(),
                    "warmUp must be zero or more (got " + warmUp + "); e.g. warmUp(Duration.ofMinutes(60))");
            require(minGap != null && minGap.compareTo(Duration.ofMinutes(2)) >= 0,
                    "minGapBetweenFaults must be at least 2 min so that faults never overlap (got " + minGap + ")");
            require(faultSpecs == null || randomFaultsSet == null,
                    "use either explicit faults (fault/faults) or randomFaults(n), not both");
            require(noiseAnomalies >= 0 && noiseAnomalies <= 10_000,
                    "noiseAnomalies must be between 0 and 10000 (got " + noiseAnomalies + ")");
            require(randomFaults >= 0 && randomFaults <= 1000,
                    "randomFaults must be between 0 and 1000 (got " + randomFaults + ")");
            if (faultSpecs != null) {
                for (int i = 0; i < faultSpecs.size(); i++) {
                    require(faultSpecs.get(i) != null, "fault " + (i + 1) + " is null");
                }
            }
            int count = faultSpecs != null ? faultSpecs.size() : randomFaults;
            if (count > 0) {
                Duration need = warmUp.plus(FaultPlanner.MIN_FAULT.multipliedBy(count))
                        .plus(minGap.multipliedBy(count - 1)).plus(FaultPlanner.TAIL);
                require(need.compareTo(duration) <= 0, count + " faults need at least " + need.toMinutes()
                        + " min (warm-up " + warmUp.toMinutes() + " + " + count + " x 5 min + gaps of "
                        + minGap.toMinutes() + " min + " + FaultPlanner.TAIL.toMinutes() + " min tail) but duration is "
                        + duration.toMinutes() + " min: lengthen duration(...), or reduce faults, warmUp or"
                        + " minGapBetweenFaults");
            }
            return new ScenarioGenerator(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    static boolean isDatastore(ItemType t) {
        return t == ItemType.DATABASE || t == ItemType.CACHE || t == ItemType.QUEUE;
    }
}
