package io.sift.scenario;

/**
 * Stateless, counter-based pseudo-randomness: every draw is a pure function of its coordinates (seed, stream, series,
 * step, ...), so a value can be computed in isolation, in any order, and the background telemetry of a seed does not
 * change when faults are added or removed.
 */
final class Noise {

    private Noise() {
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long hash(long a, long b) {
        return mix(mix(a + 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
    }

    static long hash(long a, long b, long c) {
        return hash(hash(a, b), c);
    }

    static long hash(long a, long b, long c, long d) {
        return hash(hash(hash(a, b), c), d);
    }

    /** Uniform in [0, 1) from a hash. */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    static double uniform(long a, long b, long c, long d) {
        return unit(hash(a, b, c, d));
    }

    /**
     * Standard normal from a hash (Box-Muller), clamped to +-3 so that the generator alone never produces the
     * outliers a detector is meant to find.
     */
    static double gauss(long h) {
        double u1 = unit(mix(h ^ 0x5DEECE66DL));
        double u2 = unit(mix(h + 0x2545F4914F6CDD1DL));
        double r = Math.sqrt(-2.0 * Math.log(1.0 - u1));
        double z = r * Math.cos(2.0 * Math.PI * u2);
        return Math.max(-3.0, Math.min(3.0, z));
    }

    static double gauss(long a, long b, long c, long d) {
        return gauss(hash(a, b, c, d));
    }

    /**
     * Smooth value noise in [-1, 1]: random values at knots {@code knotLength} apart, cosine-interpolated. Used for
     * slow wander that a rolling baseline follows.
     */
    static double smooth(long seed, long series, long salt, double position) {
        long k = (long) Math.floor(position);
        double f = position - k;
        double a = unit(hash(seed, series, salt, k)) * 2 - 1;
        double b = unit(hash(seed, series, salt, k + 1)) * 2 - 1;
        double w = (1 - Math.cos(Math.PI * f)) / 2;
        return a + (b - a) * w;
    }
}
