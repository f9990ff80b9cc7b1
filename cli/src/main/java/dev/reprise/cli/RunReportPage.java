package dev.reprise.cli;

import dev.reprise.cli.RunDirectory.IntervalLatency;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The HTML report of one run: what it was asked to do, what it measured and whether it passed. Every
 * section is an {@link HtmlReport} call, so another view of the run (a fidelity scorecard, a diff) is
 * one more {@code page.table(title, headers, rows)} before {@link HtmlReport#render()}.
 */
final class RunReportPage {
    /** Endpoints drawn in the per-endpoint latency chart (by requests sent); all are in the table. */
    static final int MAX_ENDPOINT_SERIES = 8;

    /** Intervals shorter than this (the drain at the end) are left out of the rate charts. */
    static final double MIN_RATE_INTERVAL_SECONDS = 0.2;

    private static final String NOT_IN_SUMMARY = "Not available: the summary this report was made from does not have it.";

    private RunReportPage() {
    }

    /** The report page of {@code run}, ready for further sections. */
    static HtmlReport of(RunDirectory run) {
        JsonObject s = run.summary();
        HtmlReport page = new HtmlReport("Reprise run " + run.runId());
        page.text("Run", overview(s));
        if (run.isFromStore()) {
            page.text("Source", List.of("Read from the store (tables runs, run_endpoints, run_intervals) because the "
                    + "run directory is not here: errors by class, statuses, the thresholds' values, per-endpoint "
                    + "p90/p99.9 and the histograms (latency distribution, per-endpoint latency over time) are only "
                    + "in the run directory's summary.json and latency.hlog."));
        }
        page.table("Thresholds", s.containsKey("thresholds") ? "Pass/fail criteria given with --threshold (k6 syntax); "
                + "a broken one makes the replay exit with code 99." : NOT_IN_SUMMARY, List.of("threshold", "measured", "result", "note"), thresholdRows(run));
        page.chart("Latency over time", "latency", "Per reporting interval, from the intended send time "
                + "(coordinated omission corrected), from the .hlog.");
        page.data("latency", latencyOverTime(run));
        page.chart("Latency over time per endpoint", "endpoint-latency", "p99 per interval of the "
                + MAX_ENDPOINT_SERIES + " endpoints with the most requests.");
        page.data("endpoint-latency", endpointLatencyOverTime(run));
        page.chart("Throughput: sent vs target", "throughput", "Requests per second in each interval; the target "
                + "is the schedule's mean rate there. Shaded: spikes of the model, in run time.");
        page.data("throughput", throughput(run));
        page.chart("Error rate over time", "error-rate", "Errors (transport failures and 5xx) per request sent, "
                + "per interval.");
        page.data("error-rate", errorRate(run));
        page.table("Errors by class", s.containsKey("errors_by_class") ? null : NOT_IN_SUMMARY,
                List.of("class", "requests", "share of sent"), errorRows(s));
        page.table("Responses by status", s.containsKey("statuses") ? null : NOT_IN_SUMMARY,
                List.of("status", "responses", "share of completed"), statusRows(s));
        page.chart("Latency distribution", "distribution", "HdrHistogram percentile plot of the whole run "
                + "(both axes logarithmic): the latency under which that share of requests completed.");
        page.data("distribution", distribution(run));
        page.table("Endpoints", "Model share = the endpoint's weight in the model; sent share = its part of the "
                + "requests sent. Latency in ms from the intended send time.", List.of("endpoint", "requests",
                "model share", "sent share", "p50", "p95", "p99", "max", "errors"), endpointRows(run));
        List<List<String>> fidelity = fidelityRows(run);
        page.table("Fidelity (from the run itself)", fidelity.isEmpty()
                ? "Not available: the run directory has no " + FidelityCommand.RUN_FILE + " (written by reprise replay "
                        + "when the store has the run); reprise fidelity --run " + run.runId() + " scores it."
                : "What the run sent against the recording it replayed (docs/fidelity.md). Transitions, think times, "
                        + "session lengths and statuses need the target's own log: reprise fidelity --replayed STORE.",
                List.of("metric", "value", "limit", "result", "detail"), fidelity);
        page.table("Run parameters", null, List.of("parameter", "value"), parameterRows(s));
        return page;
    }

    /** The rows of the run's fidelity.json (FidelityCommand#json), or none when the file is not there. */
    private static List<List<String>> fidelityRows(RunDirectory run) {
        java.nio.file.Path file = run.directory().resolve(FidelityCommand.RUN_FILE);
        if (run.isFromStore() || !java.nio.file.Files.isRegularFile(file)) {
            return List.of();
        }
        JsonObject card;
        try {
            card = new JsonObject(java.nio.file.Files.readString(file));
        } catch (java.io.IOException | io.vertx.core.json.DecodeException e) {
            throw new UserException("cannot read " + file + ": " + e.getMessage());
        }
        List<List<String>> rows = new ArrayList<>();
        for (Object o : card.getJsonArray("metrics", new JsonArray())) {
            JsonObject m = (JsonObject) o;
            Object value = m.getValue("value");
            Boolean ok = m.getBoolean("ok");
            rows.add(List.of(m.getString("name", ""),
                    value instanceof Number n ? Formats.decimal(n.doubleValue(), 4) : "-",
                    ("min".equals(m.getString("direction")) ? ">= " : "<= ") + m.getValue("limit"),
                    ok == null ? "n/a" : ok ? "pass" : "FAIL", m.getString("detail", "")));
        }
        return rows;
    }

    private static List<String> overview(JsonObject s) {
        List<String> lines = new ArrayList<>();
        if (s.getString("target") != null) {
            lines.add(s.getString("mode", "?") + " mode against " + s.getString("target") + ", "
                    + s.getString("started_at", "?") + " .. " + s.getString("finished_at", "?") + " ("
                    + seconds(s.getValue("elapsed_s")) + ")");
        }
        JsonArray merged = s.getJsonArray("merged_from");
        if (merged != null) {
            lines.add("merged from " + merged.size() + " run directories: " + merged.encode());
        }
        JsonObject r = s.getJsonObject("requests", new JsonObject());
        lines.add("requests: " + count(r.getValue("sent")) + " sent, " + count(r.getValue("completed")) + " completed, "
                + count(r.getValue("errors")) + " errors, " + count(r.getValue("dropped")) + " dropped");
        JsonObject rate = s.getJsonObject("rate", new JsonObject());
        lines.add("rate: " + perSecond(rate.getValue("achieved_per_s")) + " achieved, "
                + perSecond(rate.getValue("target_per_s")) + " target");
        JsonObject l = s.getJsonObject("latency_ms", new JsonObject());
        lines.add("latency (from intended send time): p50 " + ms(l.getValue("p50")) + ", p90 " + ms(l.getValue("p90"))
                + ", p95 " + ms(l.getValue("p95")) + ", p99 " + ms(l.getValue("p99")) + ", p99.9 "
                + ms(l.getValue("p999")) + ", max " + ms(l.getValue("max")));
        if (s.getValue("sent_mix_distance") != null) {
            lines.add("endpoint mix: total variation distance between model and sent = "
                    + Formats.decimal(s.getDouble("sent_mix_distance"), 4));
        }
        Boolean ok = s.getBoolean("thresholds_ok");
        lines.add(ok == null ? "thresholds: none given" : ok ? "thresholds: all met" : "thresholds: BROKEN");
        return lines;
    }

    private static List<List<String>> thresholdRows(RunDirectory run) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonObject t : run.thresholds()) {
            rows.add(List.of(t.getString("expression", ""), thresholdValue(t), t.getBoolean("ok", false) ? "pass" : "FAIL",
                    t.getString("note") == null ? "" : t.getString("note")));
        }
        return rows;
    }

    /** The measured value as the threshold reads it: ms for latency thresholds, a fraction otherwise. */
    static String thresholdValue(JsonObject t) {
        Object v = t.getValue("value");
        if (!(v instanceof Number n)) {
            return "n/a";
        }
        // summaries before "unit" was added: latency thresholds are those not on a rate_ metric (Threshold.isLatency)
        String unit = t.getString("unit", t.getString("expression", "").contains("rate_") ? "fraction" : "ms");
        return "ms".equals(unit) ? Formats.millis(n.doubleValue()) + " ms" : Formats.decimal(n.doubleValue(), 4);
    }

    private static JsonObject latencyOverTime(RunDirectory run) {
        List<IntervalLatency> overall = run.overall();
        if (!overall.isEmpty()) {
            return line("seconds", "ms", times(overall), List.of(
                    series("p50", overall.stream().map(IntervalLatency::p50).toList()),
                    series("p90", overall.stream().map(IntervalLatency::p90).toList()),
                    series("p99", overall.stream().map(IntervalLatency::p99).toList()),
                    series("max", overall.stream().map(IntervalLatency::max).toList())));
        }
        List<JsonObject> intervals = run.intervals();
        if (intervals.isEmpty()) {
            return unavailable("unavailable: the run directory has no histogram log and summary.json no intervals");
        }
        JsonArray t = new JsonArray();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> max = new ArrayList<>();
        for (JsonObject i : intervals) {
            t.add(i.getValue("to_s"));
            JsonObject l = i.getJsonObject("latency_ms", new JsonObject());
            p50.add(number(l.getValue("p50")));
            p99.add(number(l.getValue("p99")));
            max.add(number(l.getValue("max")));
        }
        return line("seconds", "ms", t, List.of(series("p50", p50), series("p99", p99), series("max", max)));
    }

    private static JsonObject endpointLatencyOverTime(RunDirectory run) {
        Map<Integer, List<IntervalLatency>> byEndpoint = run.byEndpoint();
        if (byEndpoint.isEmpty()) {
            return unavailable(run.isFromStore()
                    ? "unavailable: the store has no run_endpoint_intervals rows for this run (written since issue 7b)"
                    : "unavailable: this run's histogram log has no per-endpoint histograms (tags ep-<endpoint_id>)");
        }
        // the x axis: the hlog's overall intervals, aligned by start; from the store, the run's intervals by end
        List<IntervalLatency> overall = run.overall();
        boolean byEnd = overall.isEmpty();
        List<Double> axis = byEnd ? run.intervals().stream().map(i -> i.getDouble("to_s", 0.0)).toList()
                : overall.stream().map(IntervalLatency::fromSeconds).toList();
        JsonArray t = new JsonArray();
        (byEnd ? axis : overall.stream().map(IntervalLatency::toSeconds).toList()).forEach(t::add);
        List<JsonObject> endpoints = run.endpoints().stream()
                .filter(e -> e.getInteger("endpoint_id") != null && byEndpoint.containsKey(e.getInteger("endpoint_id")))
                .sorted(Comparator.comparingLong((JsonObject e) -> e.getLong("sent", 0L)).reversed())
                .limit(MAX_ENDPOINT_SERIES).toList();
        List<JsonObject> series = new ArrayList<>();
        for (JsonObject e : endpoints) {
            Map<Long, Double> p99ByTime = new java.util.HashMap<>();
            for (IntervalLatency i : byEndpoint.get(e.getInteger("endpoint_id"))) {
                p99ByTime.put(Math.round((byEnd ? i.toSeconds() : i.fromSeconds()) * 1000), i.p99());
            }
            List<Double> values = axis.stream().map(x -> p99ByTime.getOrDefault(Math.round(x * 1000), Double.NaN))
                    .toList();
            series.add(series(e.getString("method", "") + " " + e.getString("template", "") + " p99", values));
        }
        if (series.isEmpty()) {
            return unavailable("unavailable: the per-endpoint latencies match no endpoint of the run");
        }
        return line("seconds", "ms", t, series);
    }

    private static JsonObject throughput(RunDirectory run) {
        List<JsonObject> intervals = run.intervals();
        if (intervals.isEmpty()) {
            return unavailable("unavailable: summary.json has no intervals (written by replays of this version on)");
        }
        JsonArray t = new JsonArray();
        List<Double> sent = new ArrayList<>();
        List<Double> target = new ArrayList<>();
        List<Double> dropped = new ArrayList<>();
        for (JsonObject i : intervals) {
            double seconds = i.getDouble("to_s", 0.0) - i.getDouble("from_s", 0.0);
            t.add(i.getValue("to_s"));
            // the last interval is often the few milliseconds of the final drain: as a rate it means nothing
            boolean meaningful = seconds >= MIN_RATE_INTERVAL_SECONDS;
            sent.add(meaningful ? i.getLong("sent", 0L) / seconds : null);
            target.add(meaningful ? number(i.getValue("target_per_s")) : null);
            dropped.add(meaningful ? i.getLong("dropped", 0L) / seconds : null);
        }
        JsonObject chart = line("seconds", "requests/s", t, List.of(series("sent/s", sent), series("target/s", target),
                series("dropped/s", dropped)));
        JsonArray bands = new JsonArray();
        for (JsonObject spike : run.spikes()) {
            bands.add(new JsonObject().put("from", spike.getValue("from_s")).put("to", spike.getValue("to_s"))
                    .put("label", "spike " + spike.getValue("spike_id") + " (x"
                            + Formats.decimal(spike.getDouble("factor", Double.NaN), 1) + ")"));
        }
        return chart.put("bands", bands);
    }

    private static JsonObject errorRate(RunDirectory run) {
        List<JsonObject> intervals = run.intervals();
        if (intervals.isEmpty()) {
            return unavailable("unavailable: summary.json has no intervals");
        }
        JsonArray t = new JsonArray();
        List<Double> rate = new ArrayList<>();
        for (JsonObject i : intervals) {
            t.add(i.getValue("to_s"));
            long sent = i.getLong("sent", 0L);
            rate.add(sent == 0 ? Double.NaN : (double) i.getLong("errors", 0L) / sent);
        }
        return line("seconds", "errors / sent", t, List.of(series("error rate", rate))).put("yMin", 0.0)
                .put("yMaxAtLeast", 0.01);
    }

    /** Percentile plot: x = 1 / (1 - percentile/100) on a log axis labelled with percentiles, as HdrHistogram's plotter. */
    private static JsonObject distribution(RunDirectory run) {
        Histogram total = run.total();
        if (total == null || total.getTotalCount() == 0) {
            return unavailable("unavailable: no latency was recorded (no histogram log, or no response)");
        }
        JsonArray x = new JsonArray();
        List<Double> y = new ArrayList<>();
        double last = -1;
        double maxX = total.getTotalCount();
        for (HistogramIterationValue v : total.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100.0;
            double position = p >= 1 ? maxX : Math.min(maxX, 1 / (1 - p));
            if (position <= last) {
                continue;
            }
            last = position;
            x.add(position);
            y.add(total.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
        }
        return line("percentile", "ms", x, List.of(series("latency", y))).put("logX", true).put("logY", true)
                .put("xTicks", "percentile");
    }

    private static List<List<String>> errorRows(JsonObject s) {
        JsonObject classes = s.getJsonObject("errors_by_class", new JsonObject());
        long sent = s.getJsonObject("requests", new JsonObject()).getLong("sent", 0L);
        List<List<String>> rows = new ArrayList<>();
        for (String k : classes.fieldNames()) {
            long n = classes.getLong(k, 0L);
            rows.add(List.of(k, Formats.count(n), sent == 0 ? "" : Formats.percent((double) n / sent)));
        }
        return rows;
    }

    private static List<List<String>> statusRows(JsonObject s) {
        JsonObject statuses = s.getJsonObject("statuses", new JsonObject());
        long completed = s.getJsonObject("requests", new JsonObject()).getLong("completed", 0L);
        List<List<String>> rows = new ArrayList<>();
        for (String k : statuses.fieldNames()) {
            long n = statuses.getLong(k, 0L);
            rows.add(List.of(k, Formats.count(n), completed == 0 ? "" : Formats.percent((double) n / completed)));
        }
        return rows;
    }

    private static List<List<String>> endpointRows(RunDirectory run) {
        long sent = Math.max(1, run.summary().getJsonObject("requests", new JsonObject()).getLong("sent", 0L));
        List<List<String>> rows = new ArrayList<>();
        for (JsonObject e : run.endpoints().stream()
                .sorted(Comparator.comparingLong((JsonObject e) -> e.getLong("sent", 0L)).reversed()).toList()) {
            JsonObject l = e.getJsonObject("latency_ms", new JsonObject());
            Object share = e.getValue("model_share");
            rows.add(List.of(e.getString("method", "") + " " + e.getString("template", ""),
                    Formats.count(e.getLong("sent", 0L)),
                    share instanceof Number n ? Formats.percent(n.doubleValue()) : "",
                    Formats.percent((double) e.getLong("sent", 0L) / sent),
                    ms(l.getValue("p50")), ms(l.getValue("p95")), ms(l.getValue("p99")), ms(l.getValue("max")),
                    Formats.count(e.getLong("errors", 0L))));
        }
        return rows;
    }

    private static List<List<String>> parameterRows(JsonObject s) {
        List<List<String>> rows = new ArrayList<>();
        for (String k : List.of("run_id", "mode", "target", "started_at", "finished_at")) {
            if (s.getValue(k) != null) {
                rows.add(List.of(k, String.valueOf(s.getValue(k))));
            }
        }
        JsonObject options = s.getJsonObject("options", new JsonObject());
        for (String k : options.fieldNames()) {
            rows.add(List.of(k, String.valueOf(options.getValue(k))));
        }
        return rows;
    }

    private static JsonObject line(String xLabel, String yLabel, JsonArray x, List<JsonObject> series) {
        return new JsonObject().put("xLabel", xLabel).put("yLabel", yLabel).put("x", x)
                .put("series", new JsonArray(new ArrayList<>(series))).put("logX", false).put("logY", false);
    }

    private static JsonObject series(String label, List<Double> values) {
        JsonArray v = new JsonArray();
        values.forEach(d -> v.add(d == null || !Double.isFinite(d) ? null : d));
        return new JsonObject().put("label", label).put("values", v);
    }

    private static JsonArray times(List<IntervalLatency> intervals) {
        JsonArray t = new JsonArray();
        intervals.forEach(i -> t.add(i.toSeconds()));
        return t;
    }

    private static JsonObject unavailable(String why) {
        return new JsonObject().put("unavailable", why);
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    private static String ms(Object v) {
        return v instanceof Number n ? Formats.millis(n.doubleValue()) : "";
    }

    private static String count(Object v) {
        return v instanceof Number n ? Formats.count(n.longValue()) : "?";
    }

    private static String perSecond(Object v) {
        return v instanceof Number n ? Formats.rate(n.doubleValue()) : "?";
    }

    private static String seconds(Object v) {
        return v instanceof Number n ? Formats.decimal(n.doubleValue(), 1) + " s" : "?";
    }
}
