package dev.reprise.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.reprise.model.FidelityOptions;
import dev.reprise.model.Scorecard;
import dev.reprise.model.Scorecard.Metric;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code reprise fidelity --replayed OTHER.duckdb | --run RUN_ID}: how faithfully a replay reproduced its source. */
@Command(name = "fidelity", description = "Score how faithfully a replay reproduced the source traffic.",
        footer = {"", "The source is the store (--db); the replay is the target's own access log, ingested into",
                "another store with the session header as session id and its model built:",
                "  reprise --db replayed.duckdb ingest nginx target.log --format '...' --session-from '$http_x_reprise_session'",
                "  reprise --db replayed.duckdb model build",
                "  reprise fidelity --replayed replayed.duckdb --speed 60 --from 12h30m",
                "or, without the target's log, from what a run of the store sent (mix and arrivals only):",
                "  reprise fidelity --run 20260314-120000-ab12",
                "", "Exit codes: 0 every metric within its limit, 1 failure, 99 a metric broke its limit.",
                "See docs/fidelity.md for the metrics and their limits."})
final class FidelityCommand implements Callable<Integer> {
    /** The run's own scorecard in its run directory (what the run sent against the recording), for the report. */
    static final String RUN_FILE = "fidelity.json";

    @ParentCommand
    RepriseCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--replayed", paramLabel = "STORE",
            description = "Store holding the target's access log of the replay, with its model built.")
    Path replayed;

    @Option(names = "--run", paramLabel = "RUN_ID",
            description = "Instead of --replayed: what run RUN_ID of the store sent (endpoint mix, request curve, "
                    + "spikes; the rest is not recorded by a run). Its speed and window come from the run.")
    String run;

    @Option(names = "--speed", defaultValue = "1", paramLabel = "FACTOR",
            description = "The replay's --speed, to undo its time compression. Default: ${DEFAULT-VALUE}.")
    double speed;

    @Option(names = "--from", paramLabel = "TIME",
            description = "The replay's --from: an instant or an offset into the recording (12h). Default: the recording's start.")
    String from;

    @Option(names = "--bucket", paramLabel = "DURATION",
            description = "Arrival-curve bucket, in source time. Default: the compared window / 30.")
    Duration bucket;

    @Option(names = "--limit", paramLabel = "METRIC=VALUE",
            description = "Replace a metric's limit, e.g. --limit transition_tvd=0.05. Repeatable.")
    Map<String, Double> limits = new LinkedHashMap<>();

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "text (a scorecard) or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserException("invalid --format '" + format + "': expected text or json");
        }
        FidelityOptions options;
        try {
            options = FidelityOptions.defaults().withSpeed(speed).withBucket(bucket).withLimits(limits);
            if (from != null) {
                options = withFrom(options, from.strip());
            }
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if ((replayed == null) == (run == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give either --replayed STORE (the target's access log, end to end) or --run RUN_ID (what a run sent)");
        }
        Scorecard card;
        try (Store store = root.openStore()) {
            card = replayed != null ? store.compareFidelity(replayed, options) : store.compareFidelityWithRun(run, options);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? json(card) : text(card));
        out.flush();
        return card.ok() ? ExitCodes.OK : ExitCodes.THRESHOLDS_BROKEN;
    }

    /**
     * Scores what run {@code runId} sent against the recording and writes it as {@link #RUN_FILE} into
     * the run directory, where the HTML report finds it; a run that cannot be scored says why.
     */
    static void writeRunScorecard(PrintWriter out, Store store, String runId, Path runDirectory) {
        Scorecard card;
        try {
            card = store.compareFidelityWithRun(runId, FidelityOptions.defaults());
        } catch (dev.reprise.model.StoreException e) {
            out.println("fidelity   not scored: " + e.getMessage());
            return;
        }
        Path file = runDirectory.resolve(RUN_FILE);
        try {
            java.nio.file.Files.writeString(file, json(card));
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static FidelityOptions withFrom(FidelityOptions options, String text) {
        try {
            return options.withFrom(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException notAnInstant) {
            try {
                return options.withFromOffset(DurationConverter.parse(text));
            } catch (RuntimeException notADuration) {
                throw new UserException("invalid --from '" + text + "': expected an instant such as "
                        + "2026-03-14T12:00:00Z or an offset into the recording such as 2h30m");
            }
        }
    }

    /** The scorecard as a table: metric, value, limit, verdict, detail; then the overall verdict. */
    static String text(Scorecard card) {
        TextTable table = new TextTable(List.of("metric", "value", "limit", "result", "detail"),
                false, true, true, false, false);
        for (Metric m : card.metrics()) {
            table.add(List.of(m.name(), m.value() == null ? "-" : Formats.decimal(m.value(), 4),
                    m.direction().symbol() + " " + Formats.decimal(m.limit(), m.limit() == Math.rint(m.limit()) ? 0 : 2),
                    m.ok() == null ? "n/a" : m.ok() ? "pass" : "FAIL", m.detail()));
        }
        StringWriter sw = new StringWriter();
        PrintWriter w = new PrintWriter(sw);
        table.print(w);
        long failed = card.metrics().stream().filter(m -> Boolean.FALSE.equals(m.ok())).count();
        w.println();
        w.println(card.ok() ? "fidelity: pass (every measured metric within its limit)"
                : "fidelity: FAIL (" + failed + " of " + card.metrics().size() + " metrics beyond their limits)");
        w.flush();
        return sw.toString();
    }

    /** {"ok": bool, "metrics": [{"name", "value", "limit", "direction", "ok", "detail"}]} (docs/fidelity.md). */
    static String json(Scorecard card) {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(sw)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeBooleanField("ok", card.ok());
            g.writeArrayFieldStart("metrics");
            for (Metric m : card.metrics()) {
                g.writeStartObject();
                g.writeStringField("name", m.name());
                if (m.value() == null) {
                    g.writeNullField("value");
                } else {
                    g.writeNumberField("value", m.value());
                }
                g.writeNumberField("limit", m.limit());
                g.writeStringField("direction", m.direction() == Scorecard.Direction.BELOW ? "max" : "min");
                if (m.ok() == null) {
                    g.writeNullField("ok");
                } else {
                    g.writeBooleanField("ok", m.ok());
                }
                g.writeStringField("detail", m.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.append(System.lineSeparator()).toString();
    }
}
