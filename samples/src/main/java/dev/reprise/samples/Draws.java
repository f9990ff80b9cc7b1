package dev.reprise.samples;

import java.util.SplittableRandom;

/**
 * The random variates the generator draws, built on {@link SplittableRandom#nextLong()} alone.
 *
 * <p>{@code nextLong()} is SplitMix64, specified by its Javadoc; the derived methods of the JDK
 * ({@code nextDouble}, {@code nextInt(bound)}, {@code nextGaussian}) and {@link Math}'s
 * transcendental functions are not pinned down across JDK releases and CPUs. Deriving everything
 * here with {@link StrictMath} keeps a seed's output byte-identical on any JVM, which the
 * committed sample's drift test relies on.
 */
final class Draws {
    private Draws() {
    }

    /** Uniform in [0, 1), 53 random bits. */
    static double uniform(SplittableRandom random) {
        return (random.nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) by multiply-shift on 32 random bits; the bias is below bound / 2^32. */
    static int below(SplittableRandom random, int bound) {
        return (int) (((random.nextLong() >>> 32) * bound) >>> 32);
    }

    /** True with probability {@code p}. */
    static boolean chance(SplittableRandom random, double p) {
        return uniform(random) < p;
    }

    /**
     * Standard normal by Box–Muller: {@code Z = sqrt(-2 ln U1) cos(2 pi U2)} with U1 in (0, 1].
     * The sine partner is discarded so that every call consumes exactly two longs.
     */
    static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - uniform(random);
        double u2 = uniform(random);
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** Lognormal with the given median ({@code exp(mu)}) and sigma; exactly the median when sigma is 0. */
    static double logNormal(SplittableRandom random, double median, double sigma) {
        if (sigma == 0.0) {
            return median;
        }
        return median * StrictMath.exp(sigma * gaussian(random));
    }
}
