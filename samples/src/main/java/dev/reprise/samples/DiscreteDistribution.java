package dev.reprise.samples;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A distribution over the indexes {@code 0..n-1}, sampled by inverting its cumulative weights. */
final class DiscreteDistribution {
    private final double[] cumulative;

    private DiscreteDistribution(double[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("a distribution needs at least one weight");
        }
        cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0)) {
                throw new IllegalArgumentException("weight " + i + " is " + weights[i] + ", expected >= 0");
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("weights sum to " + sum + ", expected > 0");
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= sum;
        }
        cumulative[cumulative.length - 1] = 1.0;
    }

    /** Index i with probability {@code weights[i] / sum(weights)}. */
    static DiscreteDistribution of(double... weights) {
        return new DiscreteDistribution(weights.clone());
    }

    /** Zipf over ranks: rank r (0-based) has weight {@code 1 / (r + 1)^exponent}. */
    static DiscreteDistribution zipf(int n, double exponent) {
        double[] weights = new double[n];
        for (int r = 0; r < n; r++) {
            weights[r] = 1.0 / StrictMath.pow(r + 1, exponent);
        }
        return new DiscreteDistribution(weights);
    }

    int size() {
        return cumulative.length;
    }

    /** The probability of index i. */
    double probability(int i) {
        return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
    }

    int sample(SplittableRandom random) {
        double u = Draws.uniform(random);
        int i = Arrays.binarySearch(cumulative, u);
        // binarySearch gives -(insertion point) - 1 on a miss; on a hit u equals the upper edge of
        // bucket i, which belongs to the next bucket because buckets are half-open [lo, hi).
        int index = i >= 0 ? i + 1 : -i - 1;
        return Math.min(index, cumulative.length - 1);
    }
}
