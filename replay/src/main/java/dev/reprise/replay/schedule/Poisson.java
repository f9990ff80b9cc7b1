package dev.reprise.replay.schedule;

import java.util.SplittableRandom;

/** Exact Poisson sampling for any mean, from a caller's seeded random. */
final class Poisson {
    private Poisson() {
    }

    /**
     * A Poisson(mean) variate. Small means use Knuth's multiplication method (expected mean + 1
     * uniforms); large ones split the mean into chunks of at most 30 and add the parts, which is exact
     * because a sum of independent Poisson variates is Poisson with the summed mean.
     */
    static long sample(double mean, SplittableRandom random) {
        if (!(mean >= 0) || Double.isInfinite(mean)) {
            throw new IllegalArgumentException("Poisson mean must be finite and >= 0, got " + mean);
        }
        long total = 0;
        double remaining = mean;
        while (remaining > 30) {
            total += knuth(30, random);
            remaining -= 30;
        }
        return total + knuth(remaining, random);
    }

    private static long knuth(double mean, SplittableRandom random) {
        if (mean == 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        long k = 0;
        double product = random.nextDouble();
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }
}
