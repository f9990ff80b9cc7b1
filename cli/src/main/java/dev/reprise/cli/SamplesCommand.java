package dev.reprise.cli;

import dev.reprise.samples.SampleGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code reprise samples}: make sample logs with known ground truth. */
@Command(name = "samples", description = "Generate sample logs with known ground truth.",
        subcommands = SamplesCommand.Generate.class)
final class SamplesCommand {
    /** {@code reprise samples generate} */
    @Command(name = "generate", description = "Write a seeded e-commerce access log (nginx combined) and its ground truth.",
            footer = {"", "Example:", "  reprise samples generate --lines 2000000 --seed 7 --out big.log.gz"})
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--lines", defaultValue = "50000", paramLabel = "N", description = "Lines to write. Default: ${DEFAULT-VALUE}.")
        long lines;

        @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Random seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--out", defaultValue = "access.log.gz", paramLabel = "FILE",
                description = "The log (gzipped when it ends in .gz). Default: ${DEFAULT-VALUE}.")
        Path out;

        @Option(names = "--truth", paramLabel = "FILE",
                description = "The ground truth JSON (default: next to the log, named *.truth.json).")
        Path truth;

        @Override
        public Integer call() {
            if (lines < 1) {
                throw new UserException("--lines must be at least 1, got " + lines);
            }
            Path truthFile = truth != null ? truth : defaultTruth(out);
            long started = System.nanoTime();
            SampleGenerator.Summary summary;
            try {
                summary = SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(lines).withSeed(seed),
                        out, truthFile);
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + out + ": " + e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            PrintWriter w = spec.commandLine().getOut();
            w.println("wrote " + out + ": " + Formats.count(summary.lines()) + " lines (" + Formats.count(summary.sessions())
                    + " sessions, " + Formats.count(summary.damagedLines()) + " damaged lines) in "
                    + Formats.decimal(seconds, 1) + " s; ground truth in " + truthFile);
            w.flush();
            return ExitCodes.OK;
        }

        static Path defaultTruth(Path log) {
            String name = log.getFileName().toString();
            String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            base = base.endsWith(".log") ? base.substring(0, base.length() - 4) : base;
            return log.resolveSibling(base + ".truth.json");
        }
    }
}
