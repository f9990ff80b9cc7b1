package dev.reprise.cli;

import dev.reprise.replay.ShardMerge;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reprise report RUN ...}: the HTML report, JUnit XML and CSV of a finished run; and reports over several runs. */
@Command(name = "report", description = "Reports of a finished run: HTML, JUnit XML (thresholds), CSV (endpoints).",
        subcommands = {ReportCommand.Merge.class, ReportDiff.class},
        footer = {"", "Examples:",
                "  reprise report runs/20260314-093000-a1b2 --html report.html",
                "  reprise report 20260314-093000-a1b2 --junit thresholds.xml --csv endpoints.csv",
                "", "RUN is a run directory (summary.json and latency.hlog, as written by reprise replay), a run id",
                "whose directory is runs/<run id>, or else a run id of the store (--db; the report then has what the",
                "run tables keep). Without --html, --junit or --csv the HTML report is written as report.html in the",
                "run directory. Exit code 99 when the run broke a threshold."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    RepriseCommand root;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "Run directory, or run id (directory runs/<run id>).")
    String run;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the self-contained HTML report (opens offline).")
    Path html;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML: one test case per threshold, a failure for each broken one.")
    Path junit;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the per-endpoint results as CSV.")
    Path csv;

    @Override
    public Integer call() {
        if (run == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Missing RUN: a run directory or run id (or a subcommand such as 'merge')");
        }
        RunDirectory runDirectory = load(run);
        Path htmlFile = html == null && junit == null && csv == null
                ? runDirectory.directory().resolve(runDirectory.isFromStore() ? "report-" + run + ".html"
                        : RunDirectory.REPORT_FILE) : html;
        PrintWriter out = spec.commandLine().getOut();
        writeOutputs(out, runDirectory, htmlFile, junit, csv);
        out.flush();
        return Boolean.FALSE.equals(runDirectory.summary().getBoolean("thresholds_ok"))
                ? ExitCodes.THRESHOLDS_BROKEN : ExitCodes.OK;
    }

    /**
     * The run named by {@code run}: that directory, else runs/<run id>, else the run of that id in the
     * store (with what its tables keep; the report goes to the working directory).
     */
    private RunDirectory load(String run) {
        Path direct = Path.of(run);
        if (Files.isDirectory(direct)) {
            return RunDirectory.read(direct);
        }
        Path byId = Path.of("runs", run);
        boolean isId = !run.contains("/") && !run.contains(java.io.File.separator);
        if (isId && Files.isDirectory(byId)) {
            return RunDirectory.read(byId);
        }
        Path storeFile = root.storeFile();
        if (isId && Files.isRegularFile(storeFile)) {
            try (dev.reprise.model.Store store = root.openStore()) {
                java.util.Optional<dev.reprise.model.RunRecord> stored = store.loadRun(run);
                if (stored.isPresent()) {
                    return RunDirectory.fromStore(stored.get(), Path.of(""));
                }
            }
        }
        throw new UserException("no run directory " + run + (isId ? ", no " + byId + " and no run " + run + " in "
                + storeFile : "") + "; pass the run directory of a replay (its --out, by default runs/<run id>) or "
                + "a run id of the store: reprise sql \"SELECT run_id, started_at, target FROM runs ORDER BY started_at\"");
    }

    /** Writes whichever of the HTML report, JUnit XML and CSV is asked for (null = not) and says where. */
    static void writeOutputs(PrintWriter out, RunDirectory run, Path htmlFile, Path junitFile, Path csvFile) {
        if (htmlFile != null) {
            write(htmlFile, RunReportPage.of(run).render());
            out.println("report     " + htmlFile);
        }
        if (junitFile != null) {
            JUnitThresholds.write(junitFile, run);
            out.println("junit      " + junitFile + " (" + run.thresholds().size() + " thresholds)");
        }
        if (csvFile != null) {
            long rows = EndpointCsv.write(csvFile, run);
            out.println("csv        " + csvFile + " (" + rows + " endpoints)");
        }
    }

    private static void write(Path file, String text) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** {@code reprise report merge DIR...}: one report from the run directories of shards. */
    @Command(name = "merge", description = "Merge the run directories of shards (--shard k/N) into one report.",
            footer = {"", "Example:",
                    "  reprise report merge runs/shard-1 runs/shard-2 runs/shard-3 --out runs/all",
                    "", "Histograms add up interval by interval, so the merged percentiles are those of the whole load."})
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories (each with summary.json and latency.hlog).")
        List<Path> runs;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Where the merged summary.json and latency.hlog go.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            ShardMerge.Merged m = ShardMerge.merge(runs, out);
            PrintWriter w = spec.commandLine().getOut();
            w.println("merged " + m.runs() + " runs (" + m.intervals() + " intervals) into " + out);
            w.println("  requests   " + Formats.count(m.sent()) + " sent, " + Formats.count(m.completed()) + " completed, "
                    + Formats.count(m.errors()) + " errors, " + Formats.count(m.dropped()) + " dropped");
            w.println("  rate       " + Formats.rate(m.achievedPerSecond()) + " achieved, "
                    + Formats.rate(m.targetPerSecond()) + " target");
            w.println("  latency    " + line(m.latency()) + " (from intended send time)");
            w.println("  service    " + line(m.service()));
            w.println("  lateness   " + line(m.lateness()));
            w.flush();
            return ExitCodes.OK;
        }

        private static String line(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return "nothing measured";
            }
            return "p50 " + ms(micros, 50) + "  p90 " + ms(micros, 90) + "  p99 " + ms(micros, 99) + "  p99.9 "
                    + ms(micros, 99.9) + "  max " + Formats.millis(micros.getMaxValue() / 1000.0) + " ms";
        }

        private static String ms(Histogram micros, double percentile) {
            return Formats.millis(micros.getValueAtPercentile(percentile) / 1000.0);
        }
    }
}
