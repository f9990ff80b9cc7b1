package dev.reprise.cli;

import dev.reprise.model.ModelBuildSummary;
import dev.reprise.model.ModelParams;
import dev.reprise.model.Store;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reprise model}: derive the workload model from the raw layer. */
@Command(name = "model", description = "Build the workload model from the loaded requests.",
        subcommands = ModelCommand.Build.class)
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

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ModelParams params;
            try {
                params = new ModelParams(sessionGap, bucket, minTransitionSamples, segments, botPattern,
                        spikeMinDuration, spikeWindow, spikeMads);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage());
            }
            try (Store store = parent.root.openStore()) {
                ModelBuildSummary s = store.buildModel(params);
                out.println("model built from " + Formats.count(s.requests()) + " requests in "
                        + Formats.decimal(s.buildMillis() / 1000.0, 1) + " s: "
                        + Formats.count(s.endpoints()) + " endpoints, " + Formats.count(s.sessions()) + " sessions, "
                        + Formats.count(s.transitions()) + " transitions, " + Formats.count(s.thinkTimeDistributions())
                        + " think-time distributions, " + Formats.count(s.arrivalBuckets()) + " arrival buckets");
                out.println("look at it: reprise sql \"SELECT method, template, requests, share FROM endpoints "
                        + "ORDER BY share DESC LIMIT 15\"");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
