package dev.reprise.cli;

import dev.reprise.model.RunDiff;
import dev.reprise.model.RunDiff.Row;
import dev.reprise.model.RunDiff.Verdict;
import dev.reprise.model.RunRecord;
import dev.reprise.model.Store;
import dev.reprise.replay.RunSummary;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reprise report diff RUN_A RUN_B}: the candidate run against a baseline, endpoint by endpoint. */
@Command(name = "diff", description = "Compare a run with a baseline run: per-endpoint latency and error deltas, "
        + "with a verdict for regressions beyond the tolerance.",
        footer = {"", "RUN is a run directory (with summary.json) or a run id saved in the store.",
                "Example:",
                "  reprise report diff runs/20260314-120000-ab12 runs/20260315-120000-cd34 --tolerance 10%",
                "", "Exit codes: 0 no regression, 1 failure (unknown run, unreadable summary), 99 a regression."})
final class ReportDiff implements Callable<Integer> {
    @ParentCommand
    ReportCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "The baseline: run directory or run id.")
    String baseline;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "The candidate: run directory or run id.")
    String candidate;

    @Option(names = "--tolerance", defaultValue = "10%", paramLabel = "PERCENT",
            description = "Latency increase (p50, p95, p99) allowed before it is a regression. Default: ${DEFAULT-VALUE}.")
    String tolerance;

    @Option(names = "--min-delta", defaultValue = "1ms", paramLabel = "DURATION",
            description = "Latency increases smaller than this are never regressions. Default: ${DEFAULT-VALUE}.")
    Duration minDelta;

    @Option(names = "--error-tolerance", defaultValue = "1%", paramLabel = "PERCENT",
            description = "Rise of the error rate (percentage points) allowed. Default: ${DEFAULT-VALUE}.")
    String errorTolerance;

    @Option(names = "--min-requests", defaultValue = "50", paramLabel = "N",
            description = "Completed requests an endpoint needs in both runs to be judged. Default: ${DEFAULT-VALUE}.")
    long minRequests;

    @Override
    public Integer call() {
        RunDiff.Options options;
        try {
            options = new RunDiff.Options(percent("--tolerance", tolerance), minDelta.toNanos() / 1e6,
                    percent("--error-tolerance", errorTolerance), minRequests);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        RunRecord a = load(baseline);
        RunRecord b = load(candidate);
        RunDiff diff = RunDiff.compare(a, b, options);
        print(spec.commandLine().getOut(), diff);
        return diff.regressed() ? ExitCodes.THRESHOLDS_BROKEN : ExitCodes.OK;
    }

    /** "10%" or "0.1". */
    static double percent(String option, String text) {
        String t = text.strip();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new UserException("invalid " + option + " '" + text + "': expected a percentage such as 10% or a fraction such as 0.1");
        }
    }

    private RunRecord load(String run) {
        Path dir = Path.of(run);
        if (Files.isDirectory(dir)) {
            return RunSummary.read(dir);
        }
        Path storeFile = parent.root.storeFile();
        if (!Files.isRegularFile(storeFile)) {
            throw new UserException("'" + run + "' is not a run directory, and there is no store " + storeFile
                    + " to look it up as a run id (--db)");
        }
        try (Store store = Store.open(storeFile)) {
            return store.loadRun(run).orElseThrow(() -> new UserException("'" + run + "' is neither a run directory "
                    + "nor a run id in " + storeFile + "; list the runs with: reprise sql \"SELECT run_id, started_at "
                    + "FROM runs ORDER BY started_at\""));
        }
    }

    static void print(PrintWriter out, RunDiff diff) {
        RunDiff.Options o = diff.options();
        out.println("baseline " + diff.baselineRunId() + "  vs  candidate " + diff.candidateRunId()
                + "  (tolerance " + Formats.decimal(o.tolerance() * 100, 1) + "% and " + Formats.millis(o.minDeltaMs())
                + " ms, errors +" + Formats.decimal(o.errorRateTolerance() * 100, 2) + " pp)");
        out.println();
        TextTable table = new TextTable(List.of("endpoint", "requests", "p50 ms", "p95 ms", "p99 ms", "errors", "verdict"),
                false, true, true, true, true, true, false);
        List<Row> rows = new ArrayList<>();
        rows.add(diff.overall());
        rows.addAll(diff.endpoints());
        for (Row r : rows) {
            table.add(List.of(r.endpoint(), Formats.count(r.baselineRequests()) + " -> " + Formats.count(r.candidateRequests()),
                    latency(r, 0), latency(r, 1), latency(r, 2),
                    Formats.percent(r.baselineErrorRate()) + " -> " + Formats.percent(r.candidateErrorRate()),
                    verdict(r)));
        }
        table.print(out);
        out.println();
        List<Row> regressions = rows.stream().filter(r -> r.verdict() == Verdict.REGRESSION).toList();
        if (regressions.isEmpty()) {
            out.println("no regression beyond the tolerance");
        } else {
            out.println("REGRESSION in " + regressions.size() + (regressions.size() == 1 ? " row:" : " rows:"));
            for (Row r : regressions) {
                out.println("  " + r.endpoint() + ": " + String.join(", ", r.reasons()));
            }
        }
        out.flush();
    }

    private static String latency(Row r, int i) {
        double change = r.relativeChange(i);
        return Formats.millis(r.baselineMs()[i]) + " -> " + Formats.millis(r.candidateMs()[i])
                + (Double.isNaN(change) ? "" : String.format(java.util.Locale.ROOT, " (%+.0f%%)", change * 100));
    }

    private static String verdict(Row r) {
        return switch (r.verdict()) {
            case OK -> "ok";
            case REGRESSION -> "REGRESSION";
            case TOO_FEW -> "too few";
            case MISSING -> r.reasons().get(0);
        };
    }
}
