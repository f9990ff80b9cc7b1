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

/** {@code reprise report ...}: reports over finished runs. */
@Command(name = "report", description = "Reports over finished runs.",
        subcommands = {ReportCommand.Merge.class, ReportDiff.class})
final class ReportCommand {
    @picocli.CommandLine.ParentCommand
    RepriseCommand root;

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
