package dev.reprise.replay.schedule;

import dev.reprise.model.WorkloadModel.ArrivalCurve;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Session arrivals as a non-homogeneous Poisson process that follows a recorded arrival curve:
 * bucket i (with c_i recorded session starts) receives Poisson(c_i x rateMultiplier) arrivals,
 * spread uniformly over the bucket. With a piecewise-constant intensity this is an exact NHPP.
 * Recorded time maps to replay time divided by {@code speed}.
 *
 * <p>Lazy (constant memory whatever the curve length) and deterministic: bucket i draws from a
 * random seeded by (seed, i) only, so every copy of the sequence with the same seed yields the same
 * arrivals, which lets each event loop run its own copy and keep its share of the sessions.
 *
 * <p>Not thread-safe; one instance per event loop.
 */
public final class SessionArrivals implements Arrivals {
    private final ArrivalCurve curve;
    private final double rateMultiplier;
    private final double speed;
    private final long seed;
    private final long windowStartMicros;
    private final long windowEndMicros;

    private int bucket;
    private long[] pendingOffsets = new long[16];
    private int pendingCount;
    private int pendingNext;
    private long nextIndex;

    /**
     * @param windowStartMicros recorded time (epoch µs) that maps to replay offset 0
     * @param windowEndMicros   recorded time after which no session arrives
     */
    public SessionArrivals(ArrivalCurve curve, double rateMultiplier, double speed, long seed,
                           long windowStartMicros, long windowEndMicros) {
        if (!(rateMultiplier >= 0) || !(speed > 0)) {
            throw new IllegalArgumentException("rate multiplier must be >= 0 and speed > 0");
        }
        this.curve = curve;
        this.rateMultiplier = rateMultiplier;
        this.speed = speed;
        this.seed = seed;
        this.windowStartMicros = windowStartMicros;
        this.windowEndMicros = windowEndMicros;
        long[] starts = curve.bucketStartEpochMicros();
        int first = Arrays.binarySearch(starts, windowStartMicros - curve.bucketMicros() + 1);
        this.bucket = first >= 0 ? first : -first - 1;
    }

    /** Arrivals over the whole recorded curve. */
    public static SessionArrivals overWholeCurve(ArrivalCurve curve, double rateMultiplier, double speed, long seed) {
        return new SessionArrivals(curve, rateMultiplier, speed, seed, curve.firstEpochMicros(), curve.endEpochMicros());
    }

    /**
     * A homogeneous Poisson process of {@code ratePerSecond} over {@code [0, durationNanos)} of replay
     * time, for stateless request arrivals (mix mode). Built as the same piecewise-constant process over
     * one-second buckets of intensity 1 scaled by the rate, so it inherits the laziness and per-bucket
     * determinism above; memory is three longs per second of run.
     */
    public static SessionArrivals constantRate(double ratePerSecond, long durationNanos, long seed) {
        long durationMicros = Math.max(1, durationNanos / 1000);
        int buckets = (int) Math.min(Integer.MAX_VALUE - 8, (durationMicros + 999_999) / 1_000_000);
        long[] starts = new long[buckets];
        long[] ones = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            starts[i] = i * 1_000_000L;
            ones[i] = 1;
        }
        ArrivalCurve uniform = new ArrivalCurve(1_000_000L, 0, buckets * 1_000_000L, starts, ones, new long[buckets]);
        return new SessionArrivals(uniform, ratePerSecond, 1.0, seed, 0, durationMicros);
    }

    /** True while another arrival exists. */
    public boolean hasNext() {
        fill();
        return pendingNext < pendingCount;
    }

    /** Replay-time offset of the next arrival in nanoseconds since the run start; see {@link #hasNext()}. */
    public long peekOffsetNanos() {
        fill();
        if (pendingNext >= pendingCount) {
            throw new IllegalStateException("no more arrivals");
        }
        return pendingOffsets[pendingNext];
    }

    /** Consumes the next arrival and returns its global session index (0, 1, 2, ... in time order). */
    public long next() {
        peekOffsetNanos();
        pendingNext++;
        return nextIndex++;
    }

    private void fill() {
        long[] starts = curve.bucketStartEpochMicros();
        long[] sessions = curve.sessions();
        long bucketMicros = curve.bucketMicros();
        while (pendingNext >= pendingCount && bucket < starts.length && starts[bucket] < windowEndMicros) {
            int i = bucket++;
            SplittableRandom random = new SplittableRandom(mix(seed, i));
            long n = Poisson.sample(sessions[i] * rateMultiplier, random);
            if (n == 0) {
                continue;
            }
            if (n > pendingOffsets.length) {
                pendingOffsets = new long[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, pendingOffsets.length * 2L))];
            }
            int kept = 0;
            for (long k = 0; k < n; k++) {
                long recordedMicros = starts[i] + (long) (random.nextDouble() * bucketMicros);
                if (recordedMicros < windowStartMicros || recordedMicros >= windowEndMicros) {
                    continue;
                }
                pendingOffsets[kept++] = (long) ((recordedMicros - windowStartMicros) * 1000.0 / speed);
            }
            Arrays.sort(pendingOffsets, 0, kept);
            pendingCount = kept;
            pendingNext = 0;
        }
    }

    /** Expected number of sessions in the window (the mean of the process). */
    public static double expectedSessions(ArrivalCurve curve, double rateMultiplier, long windowStartMicros,
                                          long windowEndMicros) {
        double sum = 0;
        long[] starts = curve.bucketStartEpochMicros();
        for (int i = 0; i < starts.length; i++) {
            long start = starts[i];
            long end = start + curve.bucketMicros();
            long overlap = Math.min(end, windowEndMicros) - Math.max(start, windowStartMicros);
            if (overlap > 0) {
                sum += curve.sessions()[i] * rateMultiplier * overlap / (double) curve.bucketMicros();
            }
        }
        return sum;
    }

    /** SplitMix64 finalizer over (seed, index): well-spread seeds for per-bucket and per-session randoms. */
    public static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
