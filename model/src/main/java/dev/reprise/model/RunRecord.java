package dev.reprise.model;

import java.time.Instant;
import java.util.List;

/**
 * A finished replay as it is written to the results layer ({@code runs}, {@code run_endpoints},
 * {@code run_intervals}). All latencies in milliseconds; latency is measured from the intended send
 * time, service time from the actual send.
 *
 * @param optionsJson   the replay options as a JSON object, for the record
 * @param thresholdsOk  null when the run had no thresholds
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
        List<Interval> intervals) {

    public RunRecord {
        endpoints = List.copyOf(endpoints);
        intervals = List.copyOf(intervals);
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
}
