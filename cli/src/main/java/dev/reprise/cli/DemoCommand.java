package dev.reprise.cli;

import dev.reprise.ingest.IngestReport;
import dev.reprise.ingest.NginxIngest;
import dev.reprise.ingest.NginxOptions;
import dev.reprise.model.ModelBuildSummary;
import dev.reprise.model.ModelParams;
import dev.reprise.model.Store;
import dev.reprise.model.WorkloadModel;
import dev.reprise.replay.Rate;
import dev.reprise.replay.Replay;
import dev.reprise.replay.ReplayOptions;
import dev.reprise.replay.ReplayPlan;
import dev.reprise.replay.ReplayResult;
import dev.reprise.replay.RunSummary;
import dev.reprise.replay.RunTimeline;
import dev.reprise.replay.demo.DemoTarget;
import dev.reprise.samples.SampleGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code reprise demo}: the whole pipeline on the bundled sample log, against an embedded demo API on
 * 127.0.0.1, in a temporary store. Wiring only: each stage is one entry point of its module.
 */
@Command(name = "demo", description = "Run the whole pipeline on the bundled sample against a demo API.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "20s", paramLabel = "DURATION",
            description = "How long the replay runs; the whole recorded day is compressed into it. Default: ${DEFAULT-VALUE}.")
    Duration duration;

    @Option(names = "--rate", defaultValue = "300/s", paramLabel = "RATE",
            description = "Average request rate of the replay. Default: ${DEFAULT-VALUE}.")
    String rate;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory for the replay's summary.json, latency.hlog and report.html (default: runs/<run id>/).")
    Path outDirectory;

    @Option(names = "--keep", description = "Keep the demo store and print its path, to explore it with `reprise sql`.")
    boolean keep;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Terminal terminal = new Terminal(spec.commandLine().getErr(), Terminal.detectInteractive());
        Path dir = Files.createTempDirectory("reprise-demo-");
        Path storeFile = dir.resolve("demo.duckdb");
        try {
            out.println("Reprise demo: the bundled sample log (one day of an e-commerce site) -> workload model -> "
                    + "replay against an embedded API on 127.0.0.1");
            out.println();
            Path log = dir.resolve("access.log.gz");
            try (InputStream in = SampleGenerator.bundledLog()) {
                Files.copy(in, log);
            }
            try (Store store = Store.open(storeFile)) {
                IngestReport ingested = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults(),
                        new IngestCommand.ProgressView(terminal));
                terminal.clearStatus();
                out.println("[1/4] ingest  " + IngestCommand.Nginx.describe(ingested.files().get(0))
                        .replace(log.toString(), "samples/access.log.gz"));
                out.flush();

                ModelBuildSummary built = store.buildModel(ModelParams.defaults());
                out.println("[2/4] model   " + Formats.count(built.endpoints()) + " endpoints, "
                        + Formats.count(built.sessions()) + " sessions, " + Formats.count(built.transitions())
                        + " transitions, " + Formats.count(built.thinkTimeDistributions())
                        + " think-time distributions (" + Formats.decimal(built.buildMillis() / 1000.0, 1) + " s)");
                out.flush();

                WorkloadModel model = store.loadModel();
                try (DemoTarget target = DemoTarget.start()) {
                    out.println("[3/4] target  demo API listening on " + target.uri()
                            + " (each endpoint has its own latency)");
                    double recordedSeconds = model.arrivals().durationMicros() / 1e6;
                    double speed = recordedSeconds / (duration.toNanos() / 1e9);
                    String runId = Replay.newRunId(java.time.Instant.now());
                    Path runDirectory = outDirectory != null ? outDirectory : Path.of("runs", runId);
                    Files.createDirectories(runDirectory);
                    ReplayOptions options = ReplayOptions.defaults(target.uri()).withSpeed(speed)
                            .withRate(Rate.parse(rate)).withDuration(duration).withSeed(1).withRunId(runId)
                            .withHistogramLog(runDirectory.resolve(ReplayCommand.HLOG_FILE));
                    ReplayPlan plan = Replay.plan(model, options);
                    out.println("[4/4] replay  the recorded " + DurationConverter.format(Duration.ofSeconds(
                            Math.round(recordedSeconds))) + " in " + DurationConverter.format(duration) + " (--speed "
                            + Formats.decimal(speed, 0) + "), " + Formats.percent(plan.rateMultiplier())
                            + " of its sessions (--rate " + rate + "): about " + Formats.count(Math.round(plan.expectedSessions()))
                            + " sessions");
                    out.flush();
                    ReplayResult result = Replay.run(model, options, List.of(), ReplayReport.liveView(terminal));
                    terminal.clearStatus();
                    store.saveRun(result.run());
                    Files.writeString(runDirectory.resolve(RunDirectory.SUMMARY_FILE), RunSummary.toJson(result,
                            ReplayCommand.HLOG_FILE, RunTimeline.of(model, options, plan, result.run(), store.spikes()))
                            + System.lineSeparator());
                    ReplayReport.print(out, result);
                    out.println(result.sentMixDistance() < 0.05
                            ? "  (below 0.05: the load sent has the production mix)"
                            : "  (0.05 or more: the mix sent drifted from the model; a longer --duration evens it out)");
                    out.println();
                    FidelityCommand.writeRunScorecard(out, store, result.run().runId(), runDirectory);
                    ReportCommand.writeOutputs(out, RunDirectory.read(runDirectory),
                            runDirectory.resolve(RunDirectory.REPORT_FILE), null, null);
                    out.println("           open it in a browser: charts of latency, throughput and errors over time");
                }
            }
            out.println();
            printNextSteps(out, storeFile);
            out.flush();
            return ExitCodes.OK;
        } finally {
            if (!keep) {
                deleteRecursively(dir);
            }
        }
    }

    private void printNextSteps(PrintWriter out, Path storeFile) {
        out.println("What to try next:");
        if (keep) {
            out.println("  reprise --db " + storeFile + " sql \"SELECT * FROM transition_paths ORDER BY count DESC LIMIT 10\"");
        }
        out.println("  reprise ingest nginx /var/log/nginx/access.log          # your own log into ./reprise.duckdb");
        out.println("  reprise model build                                     # endpoints, sessions, navigation, think times");
        out.println("  reprise sql \"SELECT method, template, share FROM endpoints ORDER BY share DESC LIMIT 10\"");
        out.println("  reprise replay --target http://127.0.0.1:8080 --speed 60 --duration 5m --threshold 'p(99)<500ms'");
        out.println("  reprise demo --keep                                     # keep this demo's store to explore it");
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the demo's temporary directory " + dir, e);
        }
    }
}
