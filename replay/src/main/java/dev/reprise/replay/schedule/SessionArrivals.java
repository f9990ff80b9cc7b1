package dev.reprise.replay.schedule;

import dev.reprise.model.WorkloadModel.ArrivalCurve;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Session arrivals as a non-homogeneous Poisson process that follows a recorded arrival curve:
 * over bucket i (with c_i recorded session starts) the intensity is c_i x rateMultiplier per bucket
 * length, constant, so arrivals are drawn one at a time with exponential gaps of that rate; with a
 * piecewise-constant intensity this is an exact NHPP (the count in bucket i is Poisson(c_i x
 * rateMultiplier)). Recorded time maps to replay time divided by {@code speed}.
 *
 * <p>Lazy (constant memory whatever the curve length and the rate) and deterministic: bucket i draws from
 * a random seeded by (seed, i) only, so every copy of the sequence with the same seed yields the same
 * arrivals, which lets each event loop run its own copy and keep its share of the sessions.
 *
 * <p>One arrival at a time, on purpose: the event loop asks for the next arrival as it sends, so the
 * cost must be small and even. Drawing a bucket's Poisson count, placing that many uniform points and
 * sorting them (how this class worked before) did a whole bucket at once on the loop thread: at 50,000
 * req/s in mix mode (one-second buckets) that was a 3.5 ms sort every second, during which nothing was
 * sent, and the largest source of scheduler lateness (see docs/performance.md).
 *
 * <p>Shaping: a {@link RateProfile} multiplies the intensity over replay time (ramps, holds, spikes);
 * each bucket draws its candidates at the profile's peak over the bucket and keeps each with
 * probability factor / peak (thinning), so the result stays an exact Poisson process.
 *
 * <p>Looping (soaks): when the window is over, its curve is played again, pass {@code k} shifted by
 * k window lengths (in replay time) and drawn from randoms seeded by (seed, k, bucket), until the
 * horizon.
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
    private final RateProfile profile;
    /** Replay time at or after which nothing arrives. */
    private final long horizonNanos;
    /** Replay length of one pass over the window; 0 = no looping. */
    private final long passNanos;
    private final int firstBucket;

    private int bucket;
    private long pass;
    private boolean exhausted;
    private long nextIndex;
    /** The next arrival's replay offset, valid while {@link #pending}. */
    private long pendingOffset;
    private boolean pending;
    /** The bucket being drawn (index into the curve), or -1 between buckets. */
    private int open = -1;
    private SplittableRandom random;
    /** Of the open bucket, in µs since its start: the last arrival and the end of its part of the window. */
    private double atMicros;
    private double endMicros;
    /** Arrivals per µs in the open bucket, at the shape's peak over it (candidates before thinning). */
    private double perMicro;
    private double peak;
    private long shiftNanos;

    /**
     * @param windowStartMicros recorded time (epoch µs) that maps to replay offset 0
     * @param windowEndMicros   recorded time after which no session arrives
     */
    public SessionArrivals(ArrivalCurve curve, double rateMultiplier, double speed, long seed,
                           long windowStartMicros, long windowEndMicros) {
        this(curve, rateMultiplier, speed, seed, windowStartMicros, windowEndMicros, RateProfile.FLAT,
                Long.MAX_VALUE, false);
    }

    /**
     * @param profile      load factor over replay time ({@link RateProfile#FLAT} = none)
     * @param horizonNanos replay time at or after which nothing arrives
     * @param loop         play the window again when it is over, until the horizon
     */
    public SessionArrivals(ArrivalCurve curve, double rateMultiplier, double speed, long seed,
                           long windowStartMicros, long windowEndMicros, RateProfile profile, long horizonNanos,
                           boolean loop) {
        if (!(rateMultiplier >= 0) || !(speed > 0)) {
            throw new IllegalArgumentException("rate multiplier must be >= 0 and speed > 0");
        }
        this.curve = curve;
        this.rateMultiplier = rateMultiplier;
        this.speed = speed;
        this.seed = seed;
        this.windowStartMicros = windowStartMicros;
        this.windowEndMicros = windowEndMicros;
        this.profile = profile;
        this.horizonNanos = horizonNanos;
        long window = (long) ((windowEndMicros - windowStartMicros) * 1000.0 / speed);
        this.passNanos = loop && horizonNanos != Long.MAX_VALUE ? window : 0;
        long[] starts = curve.bucketStartEpochMicros();
        int first = Arrays.binarySearch(starts, windowStartMicros - curve.bucketMicros() + 1);
        this.firstBucket = first >= 0 ? first : -first - 1;
        this.bucket = firstBucket;
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
        return constantRate(ratePerSecond, durationNanos, seed, RateProfile.FLAT);
    }

    /** {@link #constantRate(double, long, long)} shaped by {@code profile}. */
    public static SessionArrivals constantRate(double ratePerSecond, long durationNanos, long seed,
                                               RateProfile profile) {
        long durationMicros = Math.max(1, durationNanos / 1000);
        int buckets = (int) Math.min(Integer.MAX_VALUE - 8, (durationMicros + 999_999) / 1_000_000);
        long[] starts = new long[buckets];
        long[] ones = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            starts[i] = i * 1_000_000L;
            ones[i] = 1;
        }
        ArrivalCurve uniform = new ArrivalCurve(1_000_000L, 0, buckets * 1_000_000L, starts, ones, new long[buckets]);
        return new SessionArrivals(uniform, ratePerSecond, 1.0, seed, 0, durationMicros, profile, durationNanos, false);
    }

    /** True while another arrival exists. */
    public boolean hasNext() {
        fill();
        return pending;
    }

    /** Replay-time offset of the next arrival in nanoseconds since the run start; see {@link #hasNext()}. */
    public long peekOffsetNanos() {
        fill();
        if (!pending) {
            throw new IllegalStateException("no more arrivals");
        }
        return pendingOffset;
    }

    /** Consumes the next arrival and returns its global session index (0, 1, 2, ... in time order). */
    public long next() {
        peekOffsetNanos();
        pending = false;
        return nextIndex++;
    }

    /** Draws the next arrival into {@link #pendingOffset}, opening buckets (and passes) as needed. */
    private void fill() {
        long[] starts = curve.bucketStartEpochMicros();
        boolean flat = profile.isFlat();
        while (!pending && !exhausted) {
            if (open < 0 && !openNextBucket(starts, flat)) {
                continue;
            }
            // exponential gap: 1 - u is in (0, 1], so the logarithm is finite
            atMicros += -Math.log(1.0 - random.nextDouble()) / perMicro;
            if (atMicros >= endMicros) {
                open = -1;
                continue;
            }
            // unshaped runs draw nothing more, so their schedules do not depend on the shaping code
            double thinning = flat ? 0 : random.nextDouble();
            long offset = shiftNanos + toReplayNanos(starts[open] + (long) atMicros);
            if (offset >= horizonNanos) {
                exhausted = true;
                break;
            }
            if (!flat && thinning * peak >= profile.factorAt(offset)) {
                continue;
            }
            pendingOffset = offset;
            pending = true;
        }
    }

    /**
     * Opens the next bucket of the window (starting the next pass when looping), or sets
     * {@link #exhausted}; returns false when there is nothing to draw from it (or nothing more at all).
     */
    private boolean openNextBucket(long[] starts, boolean flat) {
        if (bucket >= starts.length || starts[bucket] >= windowEndMicros) {
            if (passNanos <= 0 || (pass + 1) * passNanos >= horizonNanos) {
                exhausted = true;
                return false;
            }
            pass++;
            bucket = firstBucket;
            return false;
        }
        int i = bucket++;
        long bucketMicros = curve.bucketMicros();
        long from = Math.max(starts[i], windowStartMicros);
        long to = Math.min(starts[i] + bucketMicros, windowEndMicros);
        shiftNanos = pass * passNanos;
        long fromNanos = shiftNanos + toReplayNanos(from);
        if (fromNanos >= horizonNanos) {
            exhausted = true;
            return false;
        }
        long toNanos = shiftNanos + toReplayNanos(to);
        peak = flat ? 1.0 : profile.maxFactor(fromNanos, Math.max(toNanos, fromNanos + 1));
        perMicro = curve.sessions()[i] * rateMultiplier * peak / bucketMicros;
        if (!(perMicro > 0) || to <= from) {
            return false;
        }
        // pass 0 keeps the seeds of an unlooped run, so looping does not change the first pass
        random = new SplittableRandom(pass == 0 ? mix(seed, i) : mix(mix(seed, -1 - pass), i));
        atMicros = from - starts[i];
        endMicros = to - starts[i];
        open = i;
        return true;
    }

    private long toReplayNanos(long recordedMicros) {
        return (long) ((recordedMicros - windowStartMicros) * 1000.0 / speed);
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
