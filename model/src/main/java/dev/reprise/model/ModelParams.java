package dev.reprise.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parameters of {@code model build}; they are written to {@code model_params} so every model says
 * how it was made.
 *
 * @param sessionGap           inactivity that ends a session (visit)
 * @param bucket               resolution of the {@code arrivals} curve
 * @param minTransitionSamples think-time samples a transition needs for its own distribution;
 *                             below it, replay falls back to the endpoint or global distribution
 * @param segments             human behaviour segments to cluster sessions into; 0 chooses the number
 *                             automatically between 2 and {@link #MAX_AUTO_SEGMENTS} (best silhouette)
 * @param botPattern           regular expression (RE2 syntax, as DuckDB's {@code regexp_matches}) on
 *                             the user agent that marks bot, crawler and scanner sessions
 * @param spikeMinDuration     shortest burst reported as a spike; also the detection block length
 * @param spikeWindow          width of the rolling median and MAD that a burst is compared with
 * @param spikeMads            how many robust standard deviations (1.4826 MAD, at least the Poisson
 *                             deviation) above the rolling median a block must be
 * @param queryParams          query parameter names (comma-separated, or {@code *} for all) whose
 *                             presence distinguishes endpoints: {@code /search?q={q}} and
 *                             {@code /search?category={category}} become two endpoints; empty (the
 *                             default) keeps the query string out of the endpoint signature
 */
public record ModelParams(Duration sessionGap, Duration bucket, int minTransitionSamples, int segments,
                          String botPattern, Duration spikeMinDuration, Duration spikeWindow, double spikeMads,
                          String queryParams) {
    /** Upper end of the automatic choice of the number of human segments. */
    public static final int MAX_AUTO_SEGMENTS = 8;

    /** Bots, crawlers, scanners and HTTP libraries, case-insensitive. */
    public static final String DEFAULT_BOT_PATTERN = "(?i)(bot\\b|bot/|crawl|spider|slurp|scan|zgrab|masscan|nmap|nikto"
            + "|sqlmap|python-requests|python-urllib|go-http-client|curl/|wget/|libwww|okhttp|apache-httpclient"
            + "|java/|headlesschrome|phantomjs|facebookexternalhit|ahrefs|semrush|petalbot|yandex|baiduspider)";

    /**
     * Most common user agents kept per segment in {@code segment_agents} (model_params
     * {@code agents_per_segment}); model-mode replay draws each session's agent from them.
     */
    public static final int AGENTS_PER_SEGMENT = 20;

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
        if (segments < 0 || segments > 50) {
            throw new IllegalArgumentException("segments must be between 1 and 50 (or 0 = choose automatically), got "
                    + segments);
        }
        try {
            Pattern.compile(botPattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bot pattern is not a valid regular expression: " + e.getDescription());
        }
        if (spikeMinDuration.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("spike minimum duration (" + spikeMinDuration
                    + ") must be at least the arrival bucket (" + bucket + ")");
        }
        if (spikeWindow.compareTo(spikeMinDuration.multipliedBy(10)) < 0) {
            throw new IllegalArgumentException("spike window (" + spikeWindow
                    + ") must be at least 10 times the spike minimum duration (" + spikeMinDuration + ")");
        }
        if (!(spikeMads > 0)) {
            throw new IllegalArgumentException("spike MADs must be positive, got " + spikeMads);
        }
        queryParams = queryParams == null ? "" : queryParams.strip();
        for (String name : queryParams.isEmpty() ? new String[0] : queryParams.split(",", -1)) {
            if (name.isBlank() || name.contains("{") || name.contains("}") || name.contains("&")
                    || name.contains("=")) {
                throw new IllegalArgumentException("query parameters must be comma-separated names without "
                        + "'{', '}', '&' or '=' (or '*' for all), got '" + queryParams + "'");
            }
        }
    }

    /** All but the query parameters, which stay out of the endpoint signature. */
    public ModelParams(Duration sessionGap, Duration bucket, int minTransitionSamples, int segments,
                       String botPattern, Duration spikeMinDuration, Duration spikeWindow, double spikeMads) {
        this(sessionGap, bucket, minTransitionSamples, segments, botPattern, spikeMinDuration, spikeWindow,
                spikeMads, "");
    }

    /** The first three parameters, the rest at their defaults. */
    public ModelParams(Duration sessionGap, Duration bucket, int minTransitionSamples) {
        this(sessionGap, bucket, minTransitionSamples, 0, DEFAULT_BOT_PATTERN, Duration.ofMinutes(1),
                Duration.ofHours(1), 6.0);
    }

    /** 30 min session gap, 1 s buckets, 30 samples per transition, automatic segments, 1 min spikes. */
    public static ModelParams defaults() {
        return new ModelParams(Duration.ofMinutes(30), Duration.ofSeconds(1), 30);
    }

    public ModelParams withSessionGap(Duration gap) {
        return new ModelParams(gap, bucket, minTransitionSamples, segments, botPattern, spikeMinDuration,
                spikeWindow, spikeMads, queryParams);
    }

    public ModelParams withBucket(Duration newBucket) {
        return new ModelParams(sessionGap, newBucket, minTransitionSamples, segments, botPattern, spikeMinDuration,
                spikeWindow, spikeMads, queryParams);
    }

    /** {@code n} human segments, or 0 to choose automatically. */
    public ModelParams withSegments(int n) {
        return new ModelParams(sessionGap, bucket, minTransitionSamples, n, botPattern, spikeMinDuration,
                spikeWindow, spikeMads, queryParams);
    }

    public ModelParams withBotPattern(String pattern) {
        return new ModelParams(sessionGap, bucket, minTransitionSamples, segments, pattern, spikeMinDuration,
                spikeWindow, spikeMads, queryParams);
    }

    public ModelParams withSpikeMinDuration(Duration duration) {
        return new ModelParams(sessionGap, bucket, minTransitionSamples, segments, botPattern, duration,
                spikeWindow, spikeMads, queryParams);
    }

    /** {@code names}: comma-separated query parameter names, {@code *} for all, empty for none. */
    public ModelParams withQueryParams(String names) {
        return new ModelParams(sessionGap, bucket, minTransitionSamples, segments, botPattern, spikeMinDuration,
                spikeWindow, spikeMads, names);
    }

    /** The rows of {@code model_params}. */
    Map<String, String> asRows() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("session_gap_s", Double.toString(sessionGap.toNanos() / 1e9));
        rows.put("bucket_s", Double.toString(bucket.toNanos() / 1e9));
        rows.put("min_transition_samples", Integer.toString(minTransitionSamples));
        rows.put("segments", segments == 0 ? "auto" : Integer.toString(segments));
        rows.put("bot_pattern", botPattern);
        rows.put("spike_min_duration_s", Double.toString(spikeMinDuration.toNanos() / 1e9));
        rows.put("spike_window_s", Double.toString(spikeWindow.toNanos() / 1e9));
        rows.put("spike_mads", Double.toString(spikeMads));
        rows.put("agents_per_segment", Integer.toString(AGENTS_PER_SEGMENT));
        if (!queryParams.isEmpty()) {
            // only when configured, so that a default model is the same as before query parameters existed
            rows.put("query_params", queryParams.replace(" ", ""));
        }
        return rows;
    }
}
