package dev.reprise.replay;

import dev.reprise.model.RunRecord;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Percentiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The machine-readable outcome of a run, written as {@code summary.json} in the run directory. The
 * schema is documented in docs/replay.md ("summary.json"); fields are only ever added. Milliseconds
 * everywhere; a figure with nothing measured is {@code null}, never NaN (which JSON cannot hold).
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("summary.json"), RunSummary.toJson(result, "latency.hlog"));
 * }</pre>
 */
public final class RunSummary {
    /** Version of the summary.json layout; bumped when a field changes meaning (additions do not). */
    public static final int SCHEMA_VERSION = 1;

    /**
     * Prefix of the per-endpoint latency tags in the run's .hlog: tag {@code ep-42} holds the latency of
     * the endpoint whose {@code endpoints[].endpoint_id} is 42 (untagged = all endpoints).
     */
    public static final String ENDPOINT_TAG_PREFIX = "ep-";

    private RunSummary() {
    }

    /**
     * The summary as pretty-printed JSON.
     *
     * @param histogramLogName the .hlog file name relative to the run directory, or null when none
     */
    public static String toJson(ReplayResult result, String histogramLogName) {
        return toJsonObject(result, histogramLogName).encodePrettily();
    }

    /**
     * The summary with the run's timeline ({@code intervals} with their targets, {@code spikes}), which
     * the HTML report draws.
     */
    public static String toJson(ReplayResult result, String histogramLogName, RunTimeline timeline) {
        JsonObject json = toJsonObject(result, histogramLogName);
        putTimeline(json, timeline);
        return json.encodePrettily();
    }

    static JsonObject toJsonObject(ReplayResult result, String histogramLogName) {
        JsonObject json = toJsonObjectWithoutTimeline(result, histogramLogName);
        putTimeline(json, RunTimeline.of(result.run()));
        return json;
    }

    private static void putTimeline(JsonObject json, RunTimeline timeline) {
        JsonArray intervals = new JsonArray();
        for (RunTimeline.Point p : timeline.intervals()) {
            intervals.add(new JsonObject()
                    .put("from_s", number(p.fromSeconds()))
                    .put("to_s", number(p.toSeconds()))
                    .put("sent", p.sent())
                    .put("completed", p.completed())
                    .put("errors", p.errors())
                    .put("dropped", p.dropped())
                    .put("target_per_s", number(p.targetPerSecond()))
                    .put("latency_ms", new JsonObject()
                            .put("p50", number(p.latencyP50Ms()))
                            .put("p99", number(p.latencyP99Ms()))
                            .put("max", number(p.latencyMaxMs()))));
        }
        json.put("intervals", intervals);
        JsonArray spikes = new JsonArray();
        for (RunTimeline.SpikeWindow w : timeline.spikes()) {
            spikes.add(new JsonObject()
                    .put("spike_id", w.spikeId())
                    .put("from_s", number(w.fromSeconds()))
                    .put("to_s", number(w.toSeconds()))
                    .put("factor", number(w.factor())));
        }
        json.put("spikes", spikes);
    }

    private static JsonObject toJsonObjectWithoutTimeline(ReplayResult result, String histogramLogName) {
        RunRecord run = result.run();
        JsonObject json = new JsonObject()
                .put("schema_version", SCHEMA_VERSION)
                .put("run_id", run.runId())
                .put("mode", run.mode())
                .put("target", run.target())
                .put("started_at", run.startedAt().toString())
                .put("finished_at", run.finishedAt().toString())
                .put("elapsed_s", number(java.time.Duration.between(run.startedAt(), run.finishedAt()).toMillis() / 1000.0))
                .put("options", new JsonObject(run.optionsJson()))
                .put("sessions", new JsonObject()
                        .put("started", run.sessions())
                        .put("cut", result.sessionsCut()))
                .put("requests", new JsonObject()
                        .put("sent", run.sent())
                        .put("completed", run.completed())
                        .put("errors", run.errors())
                        .put("dropped", run.dropped()))
                .put("rate", new JsonObject()
                        .put("target_per_s", number(run.targetRatePerSecond()))
                        .put("achieved_per_s", number(run.achievedRatePerSecond())))
                .put("latency_ms", percentiles(run.latencyMs()))
                .put("service_time_ms", percentiles(run.serviceTimeMs()))
                .put("lateness_ms", lateness(result.lateness()))
                .put("errors_by_class", counts(result.errorClasses()))
                .put("statuses", counts(result.statuses()))
                .put("sent_mix_distance", number(result.sentMixDistance()))
                .put("clamped_values", result.clampedValues());
        JsonArray endpoints = new JsonArray();
        for (EndpointRun e : run.endpoints()) {
            endpoints.add(new JsonObject()
                    .put("endpoint_id", e.endpointId())
                    .put("method", e.method())
                    .put("template", e.template())
                    .put("model_share", number(e.modelShare()))
                    .put("sent", e.sent())
                    .put("completed", e.completed())
                    .put("errors", e.errors())
                    .put("latency_ms", percentiles(e.latencyMs()))
                    .put("service_time_ms", percentiles(e.serviceTimeMs())));
        }
        json.put("endpoints", endpoints);
        JsonArray thresholds = new JsonArray();
        for (ThresholdResult t : result.thresholds()) {
            thresholds.add(new JsonObject()
                    .put("expression", t.threshold().expression())
                    .put("value", number(t.value()))
                    .put("unit", t.threshold().isLatency() ? "ms" : "fraction")
                    .put("ok", t.ok())
                    .put("note", t.note()));
        }
        json.put("thresholds", thresholds);
        json.put("thresholds_ok", run.thresholdsOk());
        json.put("files", new JsonObject().put("hlog", histogramLogName));
        return json;
    }

    private static JsonObject percentiles(Percentiles p) {
        return new JsonObject()
                .put("p50", number(p.p50()))
                .put("p90", number(p.p90()))
                .put("p95", number(p.p95()))
                .put("p99", number(p.p99()))
                .put("p999", number(p.p999()))
                .put("max", number(p.max()));
    }

    /** p50 .. max in ms of a µs histogram; nulls when it is empty. */
    static JsonObject percentilesOf(Histogram micros) {
        return percentiles(Replay.percentiles(micros));
    }

    private static JsonObject lateness(Histogram micros) {
        boolean any = micros.getTotalCount() > 0;
        return new JsonObject()
                .put("p50", any ? micros.getValueAtPercentile(50) / 1000.0 : null)
                .put("p99", any ? micros.getValueAtPercentile(99) / 1000.0 : null)
                .put("max", any ? micros.getMaxValue() / 1000.0 : null);
    }

    private static JsonObject counts(Map<?, Long> counts) {
        JsonObject json = new JsonObject();
        counts.forEach((k, v) -> json.put(String.valueOf(k), v));
        return json;
    }

    private static Double number(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
