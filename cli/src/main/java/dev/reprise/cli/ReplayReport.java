package dev.reprise.cli;

import dev.reprise.model.RunRecord;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.replay.LiveStatus;
import dev.reprise.replay.ReplayListener;
import dev.reprise.replay.ReplayPlan;
import dev.reprise.replay.ReplayResult;
import dev.reprise.replay.ThresholdResult;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The terminal summary of a replay, and its live status line. */
final class ReplayReport {
    /** Endpoints listed in the summary table; the rest are counted in one line. */
    static final int MAX_ENDPOINT_ROWS = 25;

    private ReplayReport() {
    }

    static void printPlan(PrintWriter out, ReplayPlan plan, String target) {
        out.println("replaying recorded " + plan.windowStart() + " .. " + plan.windowEnd() + " against " + target
                + " for " + DurationConverter.format(plan.duration()) + ": about "
                + Formats.count(Math.round(plan.expectedSessions())) + " sessions, "
                + Formats.rate(plan.targetRatePerSecond()) + " on average (rate multiplier "
                + Formats.decimal(plan.rateMultiplier(), 3) + ")");
        out.flush();
    }

    static void print(PrintWriter out, ReplayResult result) {
        RunRecord run = result.run();
        double seconds = java.time.Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0;
        out.println();
        out.println("run " + run.runId() + " (" + run.mode() + " mode, " + run.target() + ", "
                + Formats.decimal(seconds, 1) + " s)");
        out.println("  sessions   " + Formats.count(run.sessions()) + " started, "
                + Formats.count(result.sessionsCut()) + " still going at the end");
        out.println("  requests   " + Formats.count(run.sent()) + " sent, " + Formats.count(run.completed())
                + " completed, " + Formats.count(run.errors()) + " errors, " + Formats.count(run.dropped())
                + " dropped");
        out.println("  rate       " + Formats.rate(run.achievedRatePerSecond()) + " achieved, "
                + Formats.rate(run.targetRatePerSecond()) + " target");
        RunRecord.Percentiles l = run.latencyMs();
        out.println("  latency    p50 " + Formats.millis(l.p50()) + "  p90 " + Formats.millis(l.p90()) + "  p95 "
                + Formats.millis(l.p95()) + "  p99 " + Formats.millis(l.p99()) + "  p99.9 " + Formats.millis(l.p999())
                + "  max " + Formats.millis(l.max()) + " ms (from intended send time)");
        RunRecord.Percentiles s = run.serviceTimeMs();
        out.println("  service    p50 " + Formats.millis(s.p50()) + "  p99 " + Formats.millis(s.p99()) + "  max "
                + Formats.millis(s.max()) + " ms (from actual send)");
        out.println("  lateness   p99 " + Formats.millis(run.latenessP99Ms()) + " ms (scheduler)");
        if (!result.errorClasses().isEmpty()) {
            out.println("  errors     " + result.errorClasses().entrySet().stream()
                    .map(e -> e.getKey() + " " + Formats.count(e.getValue())).collect(Collectors.joining(", ")));
        }
        if (result.clampedValues() > 0) {
            out.println("  note       " + Formats.count(result.clampedValues())
                    + " measurements above 1 h were recorded as 1 h");
        }
        out.println();
        printEndpoints(out, run);
        out.println();
        out.println("endpoint mix: total variation distance between model and sent = "
                + Formats.decimal(result.sentMixDistance(), 4));
        if (!result.thresholds().isEmpty()) {
            out.println();
            out.println("thresholds:");
            for (ThresholdResult t : result.thresholds()) {
                String value = Double.isNaN(t.value()) ? "n/a"
                        : t.threshold().isLatency() ? Formats.millis(t.value()) + " ms" : Formats.decimal(t.value(), 4);
                out.println("  " + (t.ok() ? "ok    " : "BROKEN") + "  " + t.threshold().expression() + "  (measured "
                        + value + (t.note() == null ? "" : "; " + t.note()) + ")");
            }
        }
        out.flush();
    }

    private static void printEndpoints(PrintWriter out, RunRecord run) {
        TextTable table = new TextTable(List.of("endpoint", "model", "sent", "requests", "p50 ms", "p99 ms", "errors"),
                false, true, true, true, true, true, true);
        List<EndpointRun> rows = run.endpoints().stream()
                .sorted(Comparator.comparingDouble(EndpointRun::modelShare).reversed()).toList();
        long sent = Math.max(1, run.sent());
        for (EndpointRun e : rows.subList(0, Math.min(MAX_ENDPOINT_ROWS, rows.size()))) {
            table.add(List.of(e.method() + " " + e.template(), Formats.percent(e.modelShare()),
                    Formats.percent((double) e.sent() / sent), Formats.count(e.sent()),
                    Formats.millis(e.latencyMs().p50()), Formats.millis(e.latencyMs().p99()), Formats.count(e.errors())));
        }
        table.print(out);
        if (rows.size() > MAX_ENDPOINT_ROWS) {
            List<EndpointRun> rest = rows.subList(MAX_ENDPOINT_ROWS, rows.size());
            out.println("... " + rest.size() + " more endpoints with " + Formats.count(rest.stream()
                    .mapToLong(EndpointRun::sent).sum()) + " requests: reprise sql \"SELECT * FROM run_endpoints WHERE run_id = '"
                    + run.runId() + "'\"");
        }
    }

    /** The one-line live view: elapsed, rate sent/target, in flight, p99 of the last interval, errors. */
    static ReplayListener liveView(Terminal terminal) {
        if (!terminal.isInteractive()) {
            return ReplayListener.NONE;
        }
        return (LiveStatus s) -> terminal.status(String.format(java.util.Locale.ROOT,
                "%5.0fs/%.0fs  sent %s of %s target  in flight %d  p99 %s ms  errors %s  dropped %s",
                s.elapsedSeconds(), s.durationSeconds(), Formats.rate(s.sentPerSecond()), Formats.rate(s.targetPerSecond()),
                s.inflight(), Formats.millis(s.latencyP99Ms()), Formats.count(s.errors()), Formats.count(s.dropped())));
    }
}
