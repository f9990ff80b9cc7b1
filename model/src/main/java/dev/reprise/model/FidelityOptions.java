package dev.reprise.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * How {@link Store#compareFidelity} lines up a replay with its source and what it accepts.
 *
 * @param speed  the replay's time compression (--speed): replayed durations are multiplied by it
 * @param bucket width of the arrival-curve buckets in source time; null = the compared window divided
 *               into {@link #DEFAULT_BUCKETS}, in whole seconds
 * @param from   the source instant the replay started from (replay --from); null = see fromOffset
 * @param fromOffset where the replay started as an offset into the recording (replay --from 12h), used
 *               when {@code from} is null; null (and from null) = the start of the recording
 * @param limits the limit of each metric by name; see {@link #DEFAULT_LIMITS}
 */
public record FidelityOptions(double speed, Duration bucket, Instant from, Duration fromOffset,
                              Map<String, Double> limits) {
    /**
     * Limits that a faithful replay of some thousands of sessions meets (docs/fidelity.md has the
     * reasoning): distances must stay below, the arrival correlation above.
     */
    public static final Map<String, Double> DEFAULT_LIMITS = Map.of(
            "endpoint_mix_tvd", 0.02,
            "transition_tvd", 0.10,
            "think_time_ks", 0.05,
            "session_length_ks", 0.10,
            "arrival_correlation", 0.95,
            "spike_peak_offset_buckets", 2.0,
            "status_mix_tvd", 0.05);

    /** Buckets over the compared window when no bucket width is given. */
    public static final int DEFAULT_BUCKETS = 30;

    public FidelityOptions {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, got " + speed);
        }
        if (bucket != null && (bucket.isNegative() || bucket.isZero())) {
            throw new IllegalArgumentException("the arrival bucket must be positive, got " + bucket);
        }
        for (String name : limits.keySet()) {
            if (!DEFAULT_LIMITS.containsKey(name)) {
                throw new IllegalArgumentException("no fidelity metric '" + name + "'; the metrics are "
                        + String.join(", ", new java.util.TreeSet<>(DEFAULT_LIMITS.keySet())));
            }
        }
        java.util.Map<String, Double> all = new java.util.HashMap<>(DEFAULT_LIMITS);
        all.putAll(limits);
        limits = Map.copyOf(all);
    }

    /** Speed 1, {@link #DEFAULT_BUCKETS} buckets, from the start of the recording, the default limits. */
    public static FidelityOptions defaults() {
        return new FidelityOptions(1, null, null, null, Map.of());
    }

    public FidelityOptions withSpeed(double newSpeed) {
        return new FidelityOptions(newSpeed, bucket, from, fromOffset, limits);
    }

    public FidelityOptions withBucket(Duration newBucket) {
        return new FidelityOptions(speed, newBucket, from, fromOffset, limits);
    }

    public FidelityOptions withFrom(Instant newFrom) {
        return new FidelityOptions(speed, bucket, newFrom, null, limits);
    }

    /** The replay started this far into the recording (as replay --from 12h). */
    public FidelityOptions withFromOffset(Duration offset) {
        if (offset.isNegative()) {
            throw new IllegalArgumentException("the offset into the recording must not be negative, got " + offset);
        }
        return new FidelityOptions(speed, bucket, null, offset, limits);
    }

    /** These options with some limits replaced (names as in {@link #DEFAULT_LIMITS}). */
    public FidelityOptions withLimits(Map<String, Double> changed) {
        java.util.Map<String, Double> all = new java.util.HashMap<>(limits);
        all.putAll(changed);
        return new FidelityOptions(speed, bucket, from, fromOffset, all);
    }

    double limit(String name) {
        return limits.get(name);
    }
}
