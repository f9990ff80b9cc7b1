package dev.reprise.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * A finished run as the reports read it from its run directory: {@code summary.json} and the interval
 * histograms of its {@code .hlog} (read with HdrHistogram's {@link HistogramLogReader}). Untagged
 * histograms are the overall latency from the intended send time, {@code ep-<endpoint_id>} the latency
 * of one endpoint; other tags (service, lateness) are not drawn.
 *
 * @param summary    summary.json as written by the replay (or by report merge, which has fewer fields)
 * @param overall    overall latency per interval, in time order; empty without an hlog
 * @param byEndpoint latency per interval of each endpoint id; empty when the hlog has no ep- tags (from the
 *                   store: its run_endpoint_intervals, with {@code fromSeconds} NaN)
 * @param total      the whole run's latency (µs, sum of the untagged intervals); null without an hlog
 */
record RunDirectory(Path directory, JsonObject summary, List<IntervalLatency> overall,
                    Map<Integer, List<IntervalLatency>> byEndpoint, Histogram total) {
    static final String SUMMARY_FILE = "summary.json";
    static final String REPORT_FILE = "report.html";
    static final String ENDPOINT_TAG_PREFIX = "ep-";

    /** One interval's latency, ms; {@code fromSeconds}/{@code toSeconds} since the run started. */
    record IntervalLatency(double fromSeconds, double toSeconds, long count, double p50, double p90, double p99,
                           double max) {
        static IntervalLatency of(double from, double to, Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new IntervalLatency(from, to, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new IntervalLatency(from, to, micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                    micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                    micros.getMaxValue() / 1000.0);
        }

        /** Only p99 (the rest NaN), for the per-endpoint series. */
        static IntervalLatency p99Of(double from, double to, Histogram micros) {
            double p99 = micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(99) / 1000.0;
            return new IntervalLatency(from, to, micros.getTotalCount(), Double.NaN, Double.NaN, p99, Double.NaN);
        }
    }

    /** Reads {@code directory}; a missing or unreadable file is a user error naming the file. */
    static RunDirectory read(Path directory) {
        Path summaryFile = directory.resolve(SUMMARY_FILE);
        if (!Files.isRegularFile(summaryFile)) {
            throw new UserException(directory + " has no " + SUMMARY_FILE
                    + "; pass the run directory of a replay (its --out, by default runs/<run id>)");
        }
        JsonObject summary;
        try {
            summary = new JsonObject(Files.readString(summaryFile));
        } catch (IOException e) {
            throw new UserException("cannot read " + summaryFile + ": " + e.getMessage());
        } catch (DecodeException e) {
            throw new UserException(summaryFile + " is not valid JSON: " + e.getMessage());
        }
        String hlogName = summary.getJsonObject("files", new JsonObject()).getString("hlog");
        if (hlogName == null || !Files.isRegularFile(directory.resolve(hlogName))) {
            return new RunDirectory(directory, summary, List.of(), Map.of(), null);
        }
        return readHistograms(directory, summary, directory.resolve(hlogName));
    }

    private static RunDirectory readHistograms(Path directory, JsonObject summary, Path hlog) {
        List<IntervalLatency> overall = new ArrayList<>();
        Map<Integer, List<IntervalLatency>> byEndpoint = new TreeMap<>();
        Histogram total = new Histogram(3);
        try {
            HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
            EncodableHistogram next;
            while ((next = readNext(reader, hlog)) != null) {
                if (!(next instanceof Histogram h)) {
                    continue;
                }
                double startSeconds = reader.getStartTimeSec();
                double from = h.getStartTimeStamp() / 1000.0 - startSeconds;
                double to = h.getEndTimeStamp() / 1000.0 - startSeconds;
                String tag = h.getTag();
                if (tag == null) {
                    total.add(h);
                    overall.add(IntervalLatency.of(from, to, h));
                } else if (tag.startsWith(ENDPOINT_TAG_PREFIX)) {
                    int id;
                    try {
                        id = Integer.parseInt(tag.substring(ENDPOINT_TAG_PREFIX.length()));
                    } catch (NumberFormatException e) {
                        throw new UserException(hlog + ": tag '" + tag + "' is not ep-<endpoint_id>");
                    }
                    // the per-endpoint chart draws p99 only: one pass over the counts instead of four
                    byEndpoint.computeIfAbsent(id, k -> new ArrayList<>()).add(IntervalLatency.p99Of(from, to, h));
                }
            }
            reader.close();
        } catch (FileNotFoundException e) {
            throw new UserException("cannot read " + hlog + ": " + e.getMessage());
        }
        return new RunDirectory(directory, summary, List.copyOf(overall),
                Collections.unmodifiableMap(new LinkedHashMap<>(byEndpoint)), total);
    }

    private static EncodableHistogram readNext(HistogramLogReader reader, Path hlog) {
        try {
            return reader.nextIntervalHistogram();
        } catch (RuntimeException e) {
            throw new UserException(hlog + " is not a readable HdrHistogram log: " + e);
        }
    }

    /**
     * A run read back from the store's results layer, for when its run directory is gone: the summary
     * holds what the tables keep (no errors by class, statuses, thresholds, nor histograms), and
     * {@link #isFromStore()} says so. {@code directory} is where outputs go by default.
     */
    static RunDirectory fromStore(dev.reprise.model.RunRecord run, Path directory) {
        Histogram empty = new Histogram(3);
        dev.reprise.replay.ReplayResult result = new dev.reprise.replay.ReplayResult(run, empty, empty, empty, Double.NaN,
                0, 0, Map.of(), Map.of(), List.of());
        JsonObject summary = new JsonObject(dev.reprise.replay.RunSummary.toJson(result, null));
        for (String notInTheStore : List.of("errors_by_class", "statuses", "thresholds", "sessions", "sent_mix_distance",
                "clamped_values", "lateness_ms")) {
            summary.remove(notInTheStore);
        }
        summary.put(FROM_STORE, true);
        // per-endpoint latency over time from run_endpoint_intervals; intervals are known by their end there
        Map<Integer, List<IntervalLatency>> byEndpoint = new TreeMap<>();
        for (dev.reprise.model.RunRecord.EndpointInterval i : run.endpointIntervals()) {
            byEndpoint.computeIfAbsent(i.endpointId(), k -> new ArrayList<>()).add(new IntervalLatency(Double.NaN,
                    i.tSeconds(), i.completed(), i.latencyP50Ms(), Double.NaN, i.latencyP99Ms(), i.latencyMaxMs()));
        }
        return new RunDirectory(directory, summary, List.of(), byEndpoint, null);
    }

    /** Marks a summary read from the store; never written to a file. */
    static final String FROM_STORE = "from_store";

    boolean isFromStore() {
        return summary.getBoolean(FROM_STORE, false);
    }

    /** The {@code endpoints[]} of the summary (empty for a merged summary). */
    List<JsonObject> endpoints() {
        return objects(summary.getJsonArray("endpoints"));
    }

    List<JsonObject> thresholds() {
        return objects(summary.getJsonArray("thresholds"));
    }

    List<JsonObject> intervals() {
        return objects(summary.getJsonArray("intervals"));
    }

    List<JsonObject> spikes() {
        return objects(summary.getJsonArray("spikes"));
    }

    String runId() {
        String id = summary.getString("run_id");
        return id != null ? id : directory.getFileName() == null ? directory.toString() : directory.getFileName().toString();
    }

    private static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> out = new ArrayList<>();
        if (array != null) {
            for (int i = 0; i < array.size(); i++) {
                out.add(array.getJsonObject(i));
            }
        }
        return out;
    }
}
