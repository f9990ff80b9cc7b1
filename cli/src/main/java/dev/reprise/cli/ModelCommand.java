package dev.reprise.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.reprise.model.ModelBuildSummary;
import dev.reprise.model.ModelCheck;
import dev.reprise.model.ModelParams;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reprise model}: derive the workload model from the raw layer. */
@Command(name = "model", description = "Build the workload model from the loaded requests.",
        subcommands = {ModelCommand.Build.class, ModelCommand.Check.class, ModelCommand.Show.class,
                ModelCommand.Export.class, ModelCommand.Import.class})
final class ModelCommand {
    @ParentCommand
    RepriseCommand root;

    /** {@code reprise model build} */
    @Command(name = "build", description = "Rebuild the model tables from the loaded requests, in one transaction.")
    static final class Build implements Callable<Integer> {
        @ParentCommand
        ModelCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--session-gap", defaultValue = "30m", paramLabel = "DURATION",
                description = "Inactivity that ends a session. Default: ${DEFAULT-VALUE}.")
        Duration sessionGap;

        @Option(names = "--bucket", defaultValue = "1s", paramLabel = "DURATION",
                description = "Resolution of the arrivals curve. Default: ${DEFAULT-VALUE}.")
        Duration bucket;

        @Option(names = "--min-transition-samples", defaultValue = "30", paramLabel = "N",
                description = "Think-time samples a transition needs for its own distribution. Default: ${DEFAULT-VALUE}.")
        int minTransitionSamples;

        @Option(names = "--segments", defaultValue = "0", paramLabel = "N",
                description = "Human behaviour segments to cluster sessions into (bots always get their own); "
                        + "0 chooses between 2 and " + ModelParams.MAX_AUTO_SEGMENTS + ". Default: ${DEFAULT-VALUE}.")
        int segments;

        @Option(names = "--bot-pattern", paramLabel = "REGEX",
                description = "Regular expression on the user agent that marks bots, crawlers and scanners. "
                        + "Default: a list of well-known crawlers, scanners and HTTP libraries.")
        String botPattern = ModelParams.DEFAULT_BOT_PATTERN;

        @Option(names = "--spike-min-duration", defaultValue = "1m", paramLabel = "DURATION",
                description = "Shortest burst of session arrivals reported as a spike. Default: ${DEFAULT-VALUE}.")
        Duration spikeMinDuration;

        @Option(names = "--spike-window", defaultValue = "1h", paramLabel = "DURATION",
                description = "Width of the rolling median a burst is compared with. Default: ${DEFAULT-VALUE}.")
        Duration spikeWindow;

        @Option(names = "--spike-mads", defaultValue = "6", paramLabel = "X",
                description = "Robust deviations above the rolling median that make a spike. Default: ${DEFAULT-VALUE}.")
        double spikeMads;

        @Option(names = "--query-params", paramLabel = "NAMES", defaultValue = "",
                description = "Query parameter names (comma-separated, or '*' for all) that distinguish endpoints: "
                        + "with q,category, /search?q=shoes and /search?category=3 become GET /search?q={q} and "
                        + "GET /search?category={category}. Default: none (the query string never splits an endpoint).")
        String queryParams;

        @Option(names = "--timings", description = "Print how long each build step took.")
        boolean verbose;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelParams params;
            try {
                params = new ModelParams(sessionGap, bucket, minTransitionSamples, segments, botPattern,
                        spikeMinDuration, spikeWindow, spikeMads, queryParams);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            try (Store store = parent.root.openStore()) {
                ModelBuildSummary s = store.buildModel(params);
                out.println("model built from " + Formats.count(s.requests()) + " requests in "
                        + Formats.decimal(s.buildMillis() / 1000.0, 1) + " s: "
                        + Formats.count(s.endpoints()) + " endpoints, " + Formats.count(s.sessions()) + " sessions, "
                        + Formats.count(s.transitions()) + " transitions, " + Formats.count(s.thinkTimeDistributions())
                        + " think-time distributions, " + Formats.count(s.arrivalBuckets()) + " arrival buckets, "
                        + Formats.count(s.segments()) + " segments, " + Formats.count(s.spikes()) + " spikes");
                if (verbose) {
                    s.stepMillis().forEach((step, millis) -> out.println("  " + step + ": " + millis + " ms"));
                }
                out.println("look at it: reprise sql \"SELECT method, template, requests, share FROM endpoints "
                        + "ORDER BY share DESC LIMIT 15\"");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code reprise model check} */
    @Command(name = "check", description = {
            "Validate the model after SQL edits (as replay does on load) and print the endpoint mix the "
                    + "chains are expected to send against the mix the weights ask for.",
            "Exit code 1 names every invalid row (negative or NULL weight, dangling transition, unreachable "
                    + "exit, ...)."})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        ModelCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
                description = "table (default) or json (one object: valid, rebalanced, tvd, endpoints, segments, warnings).")
        CheckFormat format;

        enum CheckFormat { table, json }

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = parent.root.openStore()) {
                ModelCheck check = store.checkModel();
                if (format == CheckFormat.json) {
                    printJson(out, check);
                    out.flush();
                    return ExitCodes.OK;
                }
                TextTable table = new TextTable(List.of("endpoint", "recorded", "weight", "expected", ""),
                        false, true, true, true, false);
                for (ModelCheck.EndpointMix e : check.endpoints()) {
                    String note = !e.reachable() ? "UNREACHABLE: no path leads here"
                            : Math.abs(e.expectedShare() - e.weight()) > 0.005 ? "off by "
                            + Formats.percent(e.expectedShare() - e.weight()) : "";
                    table.add(List.of(e.method() + " " + e.template(), Formats.percent(e.share()),
                            Formats.percent(e.weight()), Formats.percent(e.expectedShare()), note));
                }
                table.print(out);
                out.println();
                TextTable segments = new TextTable(List.of("segment", "recorded", "weight"), false, true, true);
                for (ModelCheck.SegmentMix g : check.segments()) {
                    segments.add(List.of(g.id() + " " + g.name(), Formats.percent(g.share()), Formats.percent(g.weight())));
                }
                segments.print(out);
                out.println();
                out.println("model is valid; " + (check.rebalanced()
                        ? "endpoint weights differ from the recorded shares, so navigation is re-balanced toward them"
                        : "endpoint weights are the recorded shares") + "; expected mix vs weights: TVD "
                        + Formats.decimal(check.totalVariationDistance(), 4));
                for (ModelCheck.EndpointMix e : check.unreachable()) {
                    out.println("warning: " + unreachableWarning(e));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static String unreachableWarning(ModelCheck.EndpointMix e) {
            return e.method() + " " + e.template() + " has weight " + Formats.percent(e.weight())
                    + " but no transition leads to it in any segment with a positive weight, so replay cannot send it; "
                    + "add a transition into endpoint " + e.id() + " or set its weight to 0";
        }

        /** The check as one JSON object, shares as fractions (an invalid model never gets here: it exits 1). */
        private static void printJson(PrintWriter out, ModelCheck check) throws IOException {
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeBooleanField("valid", true);
                g.writeBooleanField("rebalanced", check.rebalanced());
                g.writeNumberField("tvd", check.totalVariationDistance());
                g.writeArrayFieldStart("endpoints");
                for (ModelCheck.EndpointMix e : check.endpoints()) {
                    g.writeStartObject();
                    g.writeNumberField("endpoint_id", e.id());
                    g.writeStringField("method", e.method());
                    g.writeStringField("template", e.template());
                    g.writeNumberField("recorded", e.share());
                    g.writeNumberField("weight", e.weight());
                    g.writeNumberField("expected", e.expectedShare());
                    g.writeBooleanField("reachable", e.reachable());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("segments");
                for (ModelCheck.SegmentMix s : check.segments()) {
                    g.writeStartObject();
                    g.writeNumberField("segment_id", s.id());
                    g.writeStringField("name", s.name());
                    g.writeNumberField("recorded", s.share());
                    g.writeNumberField("weight", s.weight());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("warnings");
                for (ModelCheck.EndpointMix e : check.unreachable()) {
                    g.writeString(unreachableWarning(e));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            out.println();
        }
    }

    /** {@code reprise model show VIEW} */
    @Command(name = "show", description = "Print a readable view of the model: mix, transitions, think, arrivals "
            + "(per hour), spikes, segments or templates (rules and top raw paths behind each endpoint).")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ModelCommand parent;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "VIEW", defaultValue = "mix",
                description = "mix (default), transitions, think, arrivals, spikes, segments or templates.")
        String view;

        @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
                description = "table (default), csv or json.")
        SqlCommand.Format format;

        @Option(names = "--max-rows", defaultValue = "200", paramLabel = "N",
                description = "Rows shown in table format. Default: ${DEFAULT-VALUE}.")
        int maxRows;

        @Override
        public Integer call() {
            if (!Store.MODEL_VIEWS.contains(view)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown view '" + view
                        + "'; choose one of " + String.join(", ", Store.MODEL_VIEWS));
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = parent.root.openStore()) {
                SqlCommand.RowPrinter printer = SqlCommand.printer(format, out, maxRows);
                store.showModel(view, printer);
                printer.finish();
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code reprise model export DIR} */
    @Command(name = "export", description = {"Write the model tables to DIR as Parquet files with a manifest.json, "
            + "to share a model without the raw logs (requests, sessions and clients stay in the store)."})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        ModelCommand parent;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "DIR", description = "Directory to write (created if missing).")
        java.nio.file.Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = parent.root.openStore()) {
                java.util.Map<String, Long> rows = store.exportModel(dir);
                out.println("exported the model to " + dir + ": " + describe(rows));
                out.println("load it elsewhere with: reprise --db OTHER.duckdb model import " + dir);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code reprise model import DIR} */
    @Command(name = "import", description = {"Replace the model of this store with one written by "
            + "`reprise model export`, in one transaction."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        ModelCommand parent;

        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Parameters(paramLabel = "DIR", description = "Directory written by `reprise model export`.")
        java.nio.file.Path dir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = parent.root.openStore()) {
                java.util.Map<String, Long> rows = store.importModel(dir);
                out.println("imported the model from " + dir + ": " + describe(rows));
                out.println("check it: reprise model check");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static String describe(java.util.Map<String, Long> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach((table, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(table).append(' ')
                .append(Formats.count(n)));
        return sb.toString();
    }
}
