package dev.reprise.model;

import java.time.Instant;
import java.util.List;

/**
 * A finished replay as it is written to the results layer ({@code runs}, {@code run_endpoints},
 * {@code run_intervals}, {@code run_endpoint_intervals}). All latencies in milliseconds; latency is
 * measured from the intended send time, service time from the actual send.
 *
 * @param optionsJson        the replay options as a JSON object, for the record
 * @param thresholdsOk       null when the run had no thresholds
 * @param endpointIntervals  per reporting interval, one entry per endpoint with traffic in it, for the
 *                           endpoints the replay gives their own interval histograms (at most 100, those
 *                           of largest model weight); in time, then endpoint order. Kept as given, not
 *                           copied: for a long run it is a read-only list backed by a file
 */
public record RunRecord(
        String runId,
        Instant startedAt,
        Instant finishedAt,
        String mode,
        String target,
        String optionsJson,
        long sessions,
        long sent,
        long completed,
        long errors,
        long dropped,
        double targetRatePerSecond,
        double achievedRatePerSecond,
        Percentiles latencyMs,
        Percentiles serviceTimeMs,
        double latenessP99Ms,
        Boolean thresholdsOk,
        List<EndpointRun> endpoints,
        List<Interval> intervals,
        List<EndpointInterval> endpointIntervals) {

    public RunRecord {
        endpoints = List.copyOf(endpoints);
        intervals = List.copyOf(intervals);
        // not copied: a long run's rows are a list read from a file (the replay spills them), read once
        java.util.Objects.requireNonNull(endpointIntervals, "endpointIntervals");
    }

    /** A run without per-endpoint intervals (a merged or summary-only run, a test). */
    public RunRecord(String runId, Instant startedAt, Instant finishedAt, String mode, String target,
                     String optionsJson, long sessions, long sent, long completed, long errors, long dropped,
                     double targetRatePerSecond, double achievedRatePerSecond, Percentiles latencyMs,
                     Percentiles serviceTimeMs, double latenessP99Ms, Boolean thresholdsOk, List<EndpointRun> endpoints,
                     List<Interval> intervals) {
        this(runId, startedAt, finishedAt, mode, target, optionsJson, sessions, sent, completed, errors, dropped,
                targetRatePerSecond, achievedRatePerSecond, latencyMs, serviceTimeMs, latenessP99Ms, thresholdsOk,
                endpoints, intervals, List.of());
    }

    /** Latency percentiles in milliseconds (NaN when nothing was recorded). */
    public record Percentiles(double p50, double p90, double p95, double p99, double p999, double max) {
        public static final Percentiles EMPTY = new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN);
    }

    /** One endpoint's share of a run. */
    public record EndpointRun(int endpointId, String method, String template, double modelShare, long sent,
                              long completed, long errors, Percentiles latencyMs, Percentiles serviceTimeMs) {
    }

    /** One reporting interval; {@code tSeconds} is the end of the interval since the run started. */
    public record Interval(double tSeconds, long sent, long completed, long errors, long dropped,
                           double latencyP50Ms, double latencyP99Ms, double latencyMaxMs) {
    }

    /**
     * One endpoint in one reporting interval: {@code tSeconds} is the end of the interval since the run
     * started (the {@link Interval} it belongs to); the latencies are of its requests completed in the
     * interval, NaN when none completed.
     */
    public record EndpointInterval(double tSeconds, int endpointId, long sent, long completed, long errors,
                                   double latencyP50Ms, double latencyP95Ms, double latencyP99Ms,
                                   double latencyMaxMs) {
    }
}
