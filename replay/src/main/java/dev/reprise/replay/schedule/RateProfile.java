package dev.reprise.replay.schedule;

import java.util.Arrays;

/**
 * A load factor over replay time that multiplies the arrival intensity: a piecewise-linear level
 * (ramps and holds, contiguous from offset 0; after the last one the level stays where it ended)
 * times the factors of the spikes that cover the instant (overlapping spikes multiply). Offsets are
 * nanoseconds since the run start. Immutable and thread-safe.
 *
 * <p>Arrivals follow it by thinning (Lewis and Shedler): a bucket's candidates are drawn at the
 * bucket's peak factor and each is kept with probability factor(t) / peak, which gives exactly a
 * Poisson process of intensity base(t) x factor(t).
 */
public final class RateProfile {
    /** Factor 1 everywhere: no shaping. */
    public static final RateProfile FLAT = new RateProfile(new long[0], new long[0], new double[0], new double[0],
            new long[0], new long[0], new double[0]);

    private final long[] segmentStart;
    private final long[] segmentEnd;
    private final double[] segmentFrom;
    private final double[] segmentTo;
    private final long[] spikeStart;
    private final long[] spikeEnd;
    private final double[] spikeFactor;
    /** Every instant where the factor may jump or change slope, sorted. */
    private final long[] breakpoints;

    /**
     * @param segmentStart contiguous level segments, the first starting at 0: [start, end) ramps linearly
     *                     from {@code segmentFrom} to {@code segmentTo}
     * @param spikeStart   spikes [start, end) multiply the level by {@code spikeFactor}
     */
    public RateProfile(long[] segmentStart, long[] segmentEnd, double[] segmentFrom, double[] segmentTo,
                       long[] spikeStart, long[] spikeEnd, double[] spikeFactor) {
        this.segmentStart = segmentStart.clone();
        this.segmentEnd = segmentEnd.clone();
        this.segmentFrom = segmentFrom.clone();
        this.segmentTo = segmentTo.clone();
        this.spikeStart = spikeStart.clone();
        this.spikeEnd = spikeEnd.clone();
        this.spikeFactor = spikeFactor.clone();
        for (int i = 0; i < segmentStart.length; i++) {
            if (segmentEnd[i] < segmentStart[i] || (i > 0 && segmentStart[i] != segmentEnd[i - 1])
                    || (i == 0 && segmentStart[0] != 0) || !(segmentFrom[i] >= 0) || !(segmentTo[i] >= 0)) {
                throw new IllegalArgumentException("segments must be contiguous from 0 with factors >= 0");
            }
        }
        for (int i = 0; i < spikeStart.length; i++) {
            if (spikeEnd[i] <= spikeStart[i] || !(spikeFactor[i] >= 0)) {
                throw new IllegalArgumentException("spikes must have a positive length and a factor >= 0");
            }
        }
        long[] all = new long[2 * segmentStart.length + 2 * spikeStart.length];
        int n = 0;
        for (int i = 0; i < segmentStart.length; i++) {
            all[n++] = segmentStart[i];
            all[n++] = segmentEnd[i];
        }
        for (int i = 0; i < spikeStart.length; i++) {
            all[n++] = spikeStart[i];
            all[n++] = spikeEnd[i];
        }
        this.breakpoints = Arrays.stream(all).sorted().distinct().toArray();
    }

    public boolean isFlat() {
        return segmentStart.length == 0 && spikeStart.length == 0;
    }

    /** The factor at {@code offsetNanos}. */
    public double factorAt(long offsetNanos) {
        double f = levelAt(offsetNanos);
        for (int i = 0; i < spikeStart.length; i++) {
            if (offsetNanos >= spikeStart[i] && offsetNanos < spikeEnd[i]) {
                f *= spikeFactor[i];
            }
        }
        return f;
    }

    private double levelAt(long t) {
        if (segmentStart.length == 0) {
            return 1.0;
        }
        int i = Arrays.binarySearch(segmentStart, t);
        i = i >= 0 ? i : -i - 2;
        if (i < 0) {
            return segmentFrom[0];
        }
        // zero-length segments (a jump) share a start with the next one: take the last that starts at t
        while (i + 1 < segmentStart.length && segmentStart[i + 1] <= t) {
            i++;
        }
        if (t >= segmentEnd[i]) {
            return segmentTo[i];
        }
        double share = (t - segmentStart[i]) / (double) (segmentEnd[i] - segmentStart[i]);
        return segmentFrom[i] + (segmentTo[i] - segmentFrom[i]) * share;
    }

    /**
     * The largest factor on [fromNanos, toNanos): the level is linear between breakpoints, so its maximum
     * is at an end of the interval or on either side of a breakpoint inside it.
     */
    public double maxFactor(long fromNanos, long toNanos) {
        double max = factorAt(fromNanos);
        if (toNanos > fromNanos) {
            max = Math.max(max, factorAt(toNanos - 1));
        }
        for (long p : breakpoints) {
            if (p > fromNanos && p < toNanos) {
                max = Math.max(max, Math.max(factorAt(p), factorAt(p - 1)));
            }
        }
        return max;
    }

    /** The mean factor over [fromNanos, toNanos): exact, by the trapezoid rule between breakpoints. */
    public double meanFactor(long fromNanos, long toNanos) {
        if (toNanos <= fromNanos) {
            return factorAt(fromNanos);
        }
        double integral = 0;
        long a = fromNanos;
        for (long p : breakpoints) {
            if (p > a && p < toNanos) {
                integral += (factorAt(a) + factorAt(p - 1)) / 2 * (p - a);
                a = p;
            }
        }
        integral += (factorAt(a) + factorAt(toNanos - 1)) / 2 * (toNanos - a);
        return integral / (toNanos - fromNanos);
    }
}
