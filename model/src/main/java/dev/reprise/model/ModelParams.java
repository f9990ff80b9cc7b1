package dev.reprise.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parameters of {@code model build}; they are written to {@code model_params} so every model says
 * how it was made.
 *
 * @param sessionGap           inactivity that ends a session (visit)
 * @param bucket               resolution of the {@code arrivals} curve
 * @param minTransitionSamples think-time samples a transition needs for its own distribution;
 *                             below it, replay falls back to the endpoint or global distribution
 */
public record ModelParams(Duration sessionGap, Duration bucket, int minTransitionSamples) {
    public ModelParams {
        if (sessionGap.isNegative() || sessionGap.isZero()) {
            throw new IllegalArgumentException("session gap must be positive, got " + sessionGap);
        }
        if (bucket.isNegative() || bucket.isZero()) {
            throw new IllegalArgumentException("arrival bucket must be positive, got " + bucket);
        }
        if (minTransitionSamples < 1) {
            throw new IllegalArgumentException("min transition samples must be at least 1, got " + minTransitionSamples);
        }
    }

    /** 30 min session gap, 1 s buckets, 30 samples per transition. */
    public static ModelParams defaults() {
        return new ModelParams(Duration.ofMinutes(30), Duration.ofSeconds(1), 30);
    }

    public ModelParams withSessionGap(Duration gap) {
        return new ModelParams(gap, bucket, minTransitionSamples);
    }

    public ModelParams withBucket(Duration newBucket) {
        return new ModelParams(sessionGap, newBucket, minTransitionSamples);
    }

    /** The rows of {@code model_params}. */
    Map<String, String> asRows() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("session_gap_s", Double.toString(sessionGap.toNanos() / 1e9));
        rows.put("bucket_s", Double.toString(bucket.toNanos() / 1e9));
        rows.put("min_transition_samples", Integer.toString(minTransitionSamples));
        return rows;
    }
}
