package dev.reprise.cli;

import dev.reprise.model.RecordedTraffic;
import dev.reprise.model.Store;
import dev.reprise.model.WorkloadModel;
import dev.reprise.replay.Rate;
import dev.reprise.replay.Replay;
import dev.reprise.replay.ReplayOptions;
import dev.reprise.replay.ScheduleSink;
import dev.reprise.replay.ReplayPlan;
import dev.reprise.replay.ReplayResult;
import dev.reprise.replay.Threshold;
import dev.reprise.replay.Mode;
import dev.reprise.replay.RequestBodies;
import dev.reprise.replay.RunSummary;
import dev.reprise.replay.Scenario;
import dev.reprise.replay.Shape;
import dev.reprise.replay.RunTimeline;
import dev.reprise.replay.Shard;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reprise replay}: send the modelled traffic to a target. */
@Command(name = "replay", description = "Replay the model against a target: open model, honest latency.",
        footer = {"", "Examples:",
                "  reprise replay --target http://127.0.0.1:8080 --speed 60 --duration 5m",
                "  reprise replay --target http://staging:8080 --rate x3 --threshold 'p(95)<300ms' --threshold 'rate_errors<0.01'",
                "  reprise replay --target http://127.0.0.1:8080 --mode mix --rate 5000/s --duration 30s --out runs/mix",
                "  reprise replay --target http://127.0.0.1:8080 --mode exact --from 12h --to 12h30m --speed 10",
                "  reprise replay --target http://127.0.0.1:8080 --scenario samples/scenarios/black-friday.yaml",
                "  reprise replay --target http://127.0.0.1:8080 --mode mix --rate 500/s --shape 'ramp 0->x1 over 1m, hold 5m, spike x3 at 3m for 30s'",
                "", "Latency is measured from each request's intended send time, so a stalled target cannot hide",
                "behind a slowed-down load generator (coordinated omission). Exit code 99 when a threshold breaks."})
final class ReplayCommand implements Callable<Integer> {
    static final String SUMMARY_FILE = "summary.json";
    static final String HLOG_FILE = "latency.hlog";
    static final String SCHEDULE_FILE = "schedule.csv";
    static final String SCENARIO_FILE = "scenario.yaml";

    @ParentCommand
    RepriseCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--target", paramLabel = "URL",
            description = "Base URL of the system under test, e.g. http://127.0.0.1:8080 (required, here or in the scenario).")
    String target;

    @Option(names = "--scenario", paramLabel = "FILE.yaml",
            description = "Scenario file: options, stages, spikes, thresholds, target and headers (docs/scenario.md); flags given here override it. Copied into the run directory.")
    Path scenarioFile;

    @Option(names = "--shape", paramLabel = "SHAPE",
            description = "Ramps, holds and spikes over the rate, e.g. 'ramp 0->x2 over 5m, hold 10m, spike x5 at 14:00 for 2m' (docs/scenario.md). Replaces the scenario's stages and spikes.")
    String shape;

    @Option(names = "--mode", defaultValue = "model", paramLabel = "MODE",
            description = "model = sessions walking the model's navigation chains; mix = stateless requests drawn by endpoint weight at a Poisson rate; exact = every recorded request at its recorded offset / --speed. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory for summary.json and latency.hlog (default: runs/<run id>/).")
    Path outDirectory;

    @Option(names = "--from", paramLabel = "TIME",
            description = "Start of the recorded window to replay: an instant (2026-03-14T12:00:00Z) or an offset into the recording (2h30m).")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End of the recorded window (exclusive), same forms as --from.")
    String to;

    @Option(names = "--loop", description = "Exact and model modes: play the window (its requests, or its arrival curve) again until --duration is over (soaks).")
    boolean loop;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "FACTOR",
            description = "Time compression of the recorded timeline, think times included. Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--rate", defaultValue = "x1", paramLabel = "RATE",
            description = "x3 = three times the recorded sessions; 1200/s = that many requests per second on average. Default: ${DEFAULT-VALUE}.")
    String rate;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "How long to run (default: the recorded timeline divided by --speed).")
    Duration duration;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the schedule: the same store, options and seed give the same schedule. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--max-inflight", defaultValue = "10000", paramLabel = "N",
            description = "Requests in flight before new ones are dropped (and counted). Default: ${DEFAULT-VALUE}.")
    int maxInflight;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "Per-request timeout. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--connections", defaultValue = "64", paramLabel = "N",
            description = "Keep-alive connections per event loop. Default: ${DEFAULT-VALUE}.")
    int connections;

    @Option(names = "--event-loops", paramLabel = "N",
            description = "Event loops (threads) sending load. Default: the number of processors.")
    Integer eventLoops;

    @Option(names = "--header", paramLabel = "'NAME: VALUE'",
            description = "Header added to every request, e.g. 'Authorization: Bearer ...'. Repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--session-header", defaultValue = "X-Reprise-Session", paramLabel = "NAME",
            description = "Header carrying each request's session id, so the target's logs can be sessionized and traced. Default: ${DEFAULT-VALUE}.")
    String sessionHeader;

    @Option(names = "--no-session-header", description = "Send no session header.")
    boolean noSessionHeader;

    @Option(names = "--shard", defaultValue = "1/1", paramLabel = "k/N",
            description = "Send only shard k of N: a disjoint, deterministic share of the sessions, so N generators with the same options and seed together send the whole load. Default: ${DEFAULT-VALUE}.")
    String shard;

    @Option(names = "--bodies", paramLabel = "DIR",
            description = "Request bodies for non-GET endpoints: DIR/POST_cart_items.json is the body of POST /cart/items; the extension gives the Content-Type (docs/replay.md).")
    Path bodiesDirectory;

    @Option(names = "--http2", description = "Speak HTTP/2: h2c (prior knowledge) to http:// targets, ALPN over https://.")
    boolean http2;

    @Option(names = "--dry-run",
            description = "Send nothing: write the schedule (offset_ms, session, method, uri, segment) to schedule.csv in the run directory.")
    boolean dryRun;

    @Option(names = "--threshold", paramLabel = "EXPR",
            description = "Pass/fail criterion, k6 syntax: 'p(95)<300ms', 'rate_errors<0.01', 'endpoint:/checkout p(99)<1s'. Repeatable.")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write the thresholds as JUnit XML (one test case per threshold) for CI.")
    Path junit;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the per-endpoint results as CSV.")
    Path csv;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Scenario scenario = scenarioFile == null ? null : Scenario.load(scenarioFile);
        if (scenario != null) {
            applyScenario(scenario);
        }
        if (target == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Missing required option: '--target=URL' (or 'target:' in the scenario)");
        }
        List<Threshold> parsedThresholds = new ArrayList<>(thresholds.stream().map(Threshold::parse).toList());
        if (scenario != null && !given("--threshold")) {
            parsedThresholds.addAll(scenario.thresholds());
        }
        String runId = Replay.newRunId(Instant.now());
        Path runDirectory = outDirectory != null ? outDirectory : Path.of("runs", runId);
        ReplayOptions options = ReplayOptions.defaults(parseTarget(target)).withMode(Mode.parse(mode)).withRunId(runId)
                .withHistogramLog(runDirectory.resolve(HLOG_FILE)).withSpeed(speed).withRate(Rate.parse(rate)).withDuration(duration).withSeed(seed)
                .withMaxInflight(maxInflight).withTimeout(timeout).withConnectionsPerLoop(connections);
        if (eventLoops != null) {
            options = options.withEventLoops(eventLoops);
        }
        java.util.Map<String, String> extraHeaders = new java.util.LinkedHashMap<>();
        if (scenario != null) {
            extraHeaders.putAll(scenario.headers());
        }
        extraHeaders.putAll(parseHeaders(headers));
        Shape parsedShape = shape != null ? Shape.parse(shape) : scenario != null ? scenario.shape() : Shape.NONE;
        options = options.withHttp2(http2).withShard(Shard.parse(shard)).withSessionHeader(noSessionHeader ? null : sessionHeader)
                .withExtraHeaders(extraHeaders).withShape(parsedShape);
        try (Store store = root.openStore()) {
            WorkloadModel model = store.loadModel();
            long recordingStart = model.arrivals().firstEpochMicros();
            options = options.withLoop(loop).withWindow(windowBound("--from", from, recordingStart),
                    windowBound("--to", to, recordingStart));
            if (bodiesDirectory != null) {
                options = options.withBodies(RequestBodies.load(bodiesDirectory, model.endpoints()));
            }
            ReplayPlan plan = Replay.plan(model, options);
            RecordedTraffic recording = null;
            if (options.mode() == Mode.EXACT) {
                recording = store.loadRecording(micros(plan.windowStart()), micros(plan.windowEnd()));
                if (recording.size() == 0) {
                    throw new UserException("no recorded requests between " + plan.windowStart() + " and "
                            + plan.windowEnd() + "; check --from and --to");
                }
            }
            createDirectory(runDirectory);
            if (scenarioFile != null) {
                copyScenario(scenarioFile, runDirectory.resolve(SCENARIO_FILE));
            }
            if (scenario != null) {
                out.println("scenario " + scenarioFile + (scenario.description() != null ? ": " + scenario.description() : ""));
            }
            ReplayReport.printPlan(out, plan, target);
            if (!parsedShape.isNone()) {
                out.println("shape: " + parsedShape);
                out.flush();
            }
            if (dryRun) {
                Path csv = runDirectory.resolve(SCHEDULE_FILE);
                long n = writeSchedule(csv, model, recording, options);
                out.println("dry run: " + Formats.count(n) + " requests written to " + csv + "; nothing was sent");
                out.flush();
                return ExitCodes.OK;
            }
            Terminal terminal = new Terminal(spec.commandLine().getErr(), Terminal.detectInteractive());
            ReplayResult result = Replay.run(model, recording, options, parsedThresholds,
                    ReplayReport.liveView(terminal));
            terminal.clearStatus();
            store.saveRun(result.run());
            RunTimeline timeline = RunTimeline.of(model, options, plan, result.run(), store.spikes());
            writeSummary(runDirectory.resolve(SUMMARY_FILE), RunSummary.toJson(result, HLOG_FILE, timeline));
            ReplayReport.print(out, result);
            out.println();
            out.println("saved as run " + result.run().runId() + " in " + store.name()
                    + " (tables runs, run_endpoints, run_intervals, run_endpoint_intervals) and in " + runDirectory
                    + " (" + SUMMARY_FILE + ", " + HLOG_FILE + ", " + RunDirectory.REPORT_FILE
                    + (scenarioFile != null ? ", " + SCENARIO_FILE : "") + ")");
            FidelityCommand.writeRunScorecard(out, store, result.run().runId(), runDirectory);
            ReportCommand.writeOutputs(out, RunDirectory.read(runDirectory),
                    runDirectory.resolve(RunDirectory.REPORT_FILE), junit, csv);
            out.flush();
            return result.thresholdsOk() ? ExitCodes.OK : ExitCodes.THRESHOLDS_BROKEN;
        }
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Takes every value the scenario sets that the command line does not (flags override the file). */
    private void applyScenario(Scenario s) {
        if (s.target() != null && !given("--target")) {
            target = s.target();
        }
        if (s.mode() != null && !given("--mode")) {
            mode = s.mode().label();
        }
        if (s.rate() != null && !given("--rate")) {
            rate = s.rate().toString();
        }
        if (s.speed() != null && !given("--speed")) {
            speed = s.speed();
        }
        if (s.duration() != null && !given("--duration")) {
            duration = s.duration();
        }
        if (s.seed() != null && !given("--seed")) {
            seed = s.seed();
        }
        if (s.loop() != null && !given("--loop")) {
            loop = s.loop();
        }
        if (s.from() != null && !given("--from")) {
            from = s.from();
        }
        if (s.to() != null && !given("--to")) {
            to = s.to();
        }
        if (s.timeout() != null && !given("--timeout")) {
            timeout = s.timeout();
        }
        if (s.maxInflight() != null && !given("--max-inflight")) {
            maxInflight = s.maxInflight();
        }
        if (s.connections() != null && !given("--connections")) {
            connections = s.connections();
        }
        if (s.http2() != null && !given("--http2")) {
            http2 = s.http2();
        }
        if (s.bodies() != null && !given("--bodies")) {
            bodiesDirectory = s.bodies();
        }
        if (s.sessionHeader() != null && !given("--session-header") && !given("--no-session-header")) {
            noSessionHeader = s.sessionHeader().get().isEmpty();
            if (!noSessionHeader) {
                sessionHeader = s.sessionHeader().get();
            }
        }
    }

    private static void copyScenario(Path from, Path to) {
        try {
            if (!Files.exists(to) || !Files.isSameFile(from, to)) {
                Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserException("cannot copy the scenario to " + to + ": " + e.getMessage());
        }
    }

    private static long writeSchedule(Path file, WorkloadModel model, RecordedTraffic recording, ReplayOptions options) {
        try (java.io.Writer writer = Files.newBufferedWriter(file);
             org.apache.commons.csv.CSVPrinter csv = org.apache.commons.csv.CSVFormat.RFC4180.builder()
                     .setHeader("offset_ms", "session", "method", "uri", "segment").get().print(writer)) {
            return Replay.dryRun(model, recording, options, (offset, session, segment, method, uri) -> {
                try {
                    csv.printRecord(String.format(java.util.Locale.ROOT, "%.3f", offset), session, method, uri,
                            segment == ScheduleSink.NO_SEGMENT ? "" : segment);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
                }
            });
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** 'Name: value' pairs; a later header of the same name wins. */
    static java.util.Map<String, String> parseHeaders(List<String> texts) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String text : texts) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                throw new UserException("invalid --header '" + text + "': expected 'Name: value'");
            }
            out.put(text.substring(0, colon).strip(), text.substring(colon + 1).strip());
        }
        return out;
    }

    /** An ISO instant, or an offset into the recording such as {@code 2h30m}; null stays null. */
    static Long windowBound(String option, String text, long recordingStartMicros) {
        if (text == null) {
            return null;
        }
        try {
            return micros(Instant.parse(text.strip()));
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            try {
                return recordingStartMicros + DurationConverter.parse(text.strip()).toNanos() / 1000;
            } catch (RuntimeException notADuration) {
                throw new UserException("invalid " + option + " '" + text + "': expected an instant such as "
                        + "2026-03-14T12:00:00Z or an offset into the recording such as 2h30m");
            }
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UserException("cannot create the run directory " + directory + ": " + e
                    + " (choose another with --out)");
        }
    }

    private static void writeSummary(Path file, String json) {
        try {
            Files.writeString(file, json + System.lineSeparator());
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e + " (the run is saved in the store)");
        }
    }

    static URI parseTarget(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new UserException("invalid --target '" + text + "': " + e.getMessage()
                    + " (expected a URL such as http://127.0.0.1:8080)");
        }
    }
}
