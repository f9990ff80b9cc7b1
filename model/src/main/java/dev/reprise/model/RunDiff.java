package dev.reprise.model;

import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Percentiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two runs compared endpoint by endpoint, the candidate against the baseline: latency p50, p95 and
 * p99 (from the intended send time) and the error rate, with a verdict per endpoint and overall.
 *
 * <p>A latency percentile regresses when the candidate's is more than {@code tolerance} above the
 * baseline's <em>and</em> more than {@code minDeltaMs} above it in absolute terms (sub-millisecond
 * jitter of a fast endpoint is not a regression); the error rate regresses when it rises by more
 * than {@code errorRateTolerance} (an absolute difference of rates). Endpoints with fewer than
 * {@code minRequests} completed requests in either run are listed but not judged: their high
 * percentiles are a handful of samples.
 *
 * <pre>{@code
 * RunDiff diff = RunDiff.compare(baseline, candidate, RunDiff.Options.defaults().withTolerance(0.10));
 * if (diff.regressed()) { ... }
 * }</pre>
 */
public record RunDiff(String baselineRunId, String candidateRunId, Options options, Row overall, List<Row> endpoints,
                      boolean regressed) {
    public RunDiff {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * How strict the comparison is.
     *
     * @param tolerance          relative latency increase allowed (0.10 = 10%)
     * @param minDeltaMs         absolute latency increase (ms) below which nothing regresses
     * @param errorRateTolerance absolute error-rate increase allowed (0.01 = one percentage point)
     * @param minRequests        completed requests an endpoint needs in both runs to be judged
     */
    public record Options(double tolerance, double minDeltaMs, double errorRateTolerance, long minRequests) {
        public Options {
            if (!(tolerance >= 0) || !(minDeltaMs >= 0) || !(errorRateTolerance >= 0) || minRequests < 0) {
                throw new IllegalArgumentException("diff tolerances must not be negative: tolerance " + tolerance
                        + ", min delta " + minDeltaMs + " ms, error rate " + errorRateTolerance
                        + ", min requests " + minRequests);
            }
        }

        /** 10% latency, 1 ms, one percentage point of errors, 50 requests. */
        public static Options defaults() {
            return new Options(0.10, 1.0, 0.01, 50);
        }

        public Options withTolerance(double value) {
            return new Options(value, minDeltaMs, errorRateTolerance, minRequests);
        }

        public Options withMinDeltaMs(double value) {
            return new Options(tolerance, value, errorRateTolerance, minRequests);
        }

        public Options withErrorRateTolerance(double value) {
            return new Options(tolerance, minDeltaMs, value, minRequests);
        }

        public Options withMinRequests(long value) {
            return new Options(tolerance, minDeltaMs, errorRateTolerance, value);
        }
    }

    /** How one endpoint (or the whole run) fared. */
    public enum Verdict {
        /** Within the tolerances. */
        OK,
        /** At least one figure beyond its tolerance; {@link Row#reasons()} says which. */
        REGRESSION,
        /** Too few requests in one of the runs to judge. */
        TOO_FEW,
        /** Sent in only one of the two runs. */
        MISSING
    }

    /**
     * One endpoint ({@code "METHOD template"}, or {@code "all"} for the run): requests, latency
     * percentiles (ms, NaN when unmeasured) and error rates of both runs, the verdict and its reasons.
     */
    public record Row(String endpoint, long baselineRequests, long candidateRequests,
                      double[] baselineMs, double[] candidateMs, double baselineErrorRate,
                      double candidateErrorRate, Verdict verdict, List<String> reasons) {
        /** The percentiles compared, in the order of the latency arrays. */
        public static final List<String> PERCENTILES = List.of("p50", "p95", "p99");

        public Row {
            baselineMs = baselineMs.clone();
            candidateMs = candidateMs.clone();
            reasons = List.copyOf(reasons);
        }

        /** Relative change of percentile {@code i} (0.3 = 30% slower); NaN when unmeasured. */
        public double relativeChange(int i) {
            return baselineMs[i] > 0 ? candidateMs[i] / baselineMs[i] - 1 : Double.NaN;
        }
    }

    /** Compares {@code candidate} with {@code baseline}. */
    public static RunDiff compare(RunRecord baseline, RunRecord candidate, Options options) {
        Map<String, EndpointRun> before = byName(baseline);
        Map<String, EndpointRun> after = byName(candidate);
        List<String> names = new ArrayList<>(before.keySet());
        after.keySet().stream().filter(n -> !before.containsKey(n)).forEach(names::add);
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            EndpointRun a = before.get(name);
            EndpointRun b = after.get(name);
            if ((a == null || a.sent() == 0) && (b == null || b.sent() == 0)) {
                rows.add(new Row(name, 0, 0, nan(), nan(), Double.NaN, Double.NaN, Verdict.TOO_FEW,
                        List.of("sent in neither run")));
                continue;
            }
            if (a == null || b == null || a.sent() == 0 || b.sent() == 0) {
                rows.add(new Row(name, a == null ? 0 : a.completed(), b == null ? 0 : b.completed(),
                        a == null ? nan() : latencies(a.latencyMs()), b == null ? nan() : latencies(b.latencyMs()),
                        a == null ? Double.NaN : rate(a.errors(), a.sent()), b == null ? Double.NaN : rate(b.errors(), b.sent()),
                        Verdict.MISSING, List.of("sent only in the " + (a == null || a.sent() == 0 ? "candidate" : "baseline"))));
                continue;
            }
            rows.add(judge(name, a.completed(), b.completed(), latencies(a.latencyMs()), latencies(b.latencyMs()),
                    rate(a.errors(), a.sent()), rate(b.errors(), b.sent()), options));
        }
        Row overall = judge("all", baseline.completed(), candidate.completed(), latencies(baseline.latencyMs()),
                latencies(candidate.latencyMs()), rate(baseline.errors(), baseline.sent()),
                rate(candidate.errors(), candidate.sent()), options);
        boolean regressed = overall.verdict() == Verdict.REGRESSION
                || rows.stream().anyMatch(r -> r.verdict() == Verdict.REGRESSION);
        return new RunDiff(baseline.runId(), candidate.runId(), options, overall, rows, regressed);
    }

    private static Row judge(String name, long requestsA, long requestsB, double[] a, double[] b, double errorsA,
                             double errorsB, Options o) {
        if (requestsA < o.minRequests() || requestsB < o.minRequests()) {
            return new Row(name, requestsA, requestsB, a, b, errorsA, errorsB, Verdict.TOO_FEW,
                    List.of("fewer than " + o.minRequests() + " completed requests"));
        }
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            double delta = b[i] - a[i];
            if (delta > o.minDeltaMs() && delta > a[i] * o.tolerance()) {
                reasons.add(String.format(java.util.Locale.ROOT, "%s %+.0f%% (%.2f -> %.2f ms)",
                        Row.PERCENTILES.get(i), 100 * (b[i] / a[i] - 1), a[i], b[i]));
            }
        }
        if (errorsB - errorsA > o.errorRateTolerance()) {
            reasons.add(String.format(java.util.Locale.ROOT, "errors %.2f%% -> %.2f%%", 100 * errorsA, 100 * errorsB));
        }
        return new Row(name, requestsA, requestsB, a, b, errorsA, errorsB,
                reasons.isEmpty() ? Verdict.OK : Verdict.REGRESSION, reasons);
    }

    private static Map<String, EndpointRun> byName(RunRecord run) {
        Map<String, EndpointRun> map = new LinkedHashMap<>();
        run.endpoints().stream()
                .sorted(java.util.Comparator.comparingLong(EndpointRun::sent).reversed())
                .forEach(e -> map.put(e.method() + " " + e.template(), e));
        return map;
    }

    private static double[] latencies(Percentiles p) {
        return new double[] {p.p50(), p.p95(), p.p99()};
    }

    private static double[] nan() {
        return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }

    private static double rate(long errors, long sent) {
        return sent == 0 ? 0 : (double) errors / sent;
    }
}
