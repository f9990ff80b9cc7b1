package dev.reprise.replay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Combines the run directories of shards ({@code --shard k/N}) into one report: request counts and
 * rates add up, and the histograms of every interval add up (HdrHistograms merge losslessly), so
 * the merged percentiles are those of the whole load, not an average of percentiles. Intervals are
 * aligned by their offset from each shard's own start, in whole seconds.
 *
 * <pre>{@code
 * ShardMerge.Merged m = ShardMerge.merge(List.of(Path.of("runs/a"), Path.of("runs/b")), Path.of("runs/all"));
 * }</pre>
 */
public final class ShardMerge {

    private static final String HLOG = "latency.hlog";
    private static final String SUMMARY = "summary.json";

    private ShardMerge() {
    }

    /**
     * The merged figures; histograms in µs.
     *
     * @param runs      how many run directories were merged
     * @param intervals intervals in the merged log
     */
    public record Merged(int runs, long sent, long completed, long errors, long dropped, double targetPerSecond,
                         double achievedPerSecond, Histogram latency, Histogram service, Histogram lateness,
                         int intervals) {
    }

    /** Merges {@code runDirectories} and writes {@code latency.hlog} and {@code summary.json} to {@code out}. */
    public static Merged merge(List<Path> runDirectories, Path out) {
        if (runDirectories.isEmpty()) {
            throw new ReplayException("nothing to merge: give the run directories of the shards");
        }
        long sent = 0;
        long completed = 0;
        long errors = 0;
        long dropped = 0;
        double target = 0;
        double achieved = 0;
        JsonArray sources = new JsonArray();
        // tag (null = latency) -> second -> histogram
        TreeMap<Long, Histogram[]> bySecond = new TreeMap<>();
        // second -> ep-<endpoint_id> tag -> latency histogram
        TreeMap<Long, TreeMap<String, Histogram>> endpointsBySecond = new TreeMap<>();
        long startMillis = Long.MAX_VALUE;
        for (Path dir : runDirectories) {
            JsonObject summary = readSummary(dir);
            JsonObject requests = summary.getJsonObject("requests");
            sent += requests.getLong("sent");
            completed += requests.getLong("completed");
            errors += requests.getLong("errors");
            dropped += requests.getLong("dropped");
            JsonObject rate = summary.getJsonObject("rate");
            target += rate.getDouble("target_per_s", 0.0);
            achieved += rate.getDouble("achieved_per_s", 0.0);
            sources.add(new JsonObject().put("run_id", summary.getString("run_id")).put("directory", dir.toString())
                    .put("shard", summary.getJsonObject("options", new JsonObject()).getString("shard")));
            startMillis = Math.min(startMillis, readLog(dir.resolve(HLOG), bySecond, endpointsBySecond));
        }
        Histogram latency = new Histogram(3);
        Histogram service = new Histogram(3);
        Histogram lateness = new Histogram(3);
        for (Histogram[] h : bySecond.values()) {
            latency.add(h[0]);
            service.add(h[1]);
            lateness.add(h[2]);
        }
        writeLog(out.resolve(HLOG), startMillis, bySecond, endpointsBySecond);
        Merged merged = new Merged(runDirectories.size(), sent, completed, errors, dropped, target, achieved, latency,
                service, lateness, bySecond.size());
        writeSummary(out.resolve(SUMMARY), merged, sources);
        return merged;
    }

    private static JsonObject readSummary(Path dir) {
        Path file = dir.resolve(SUMMARY);
        try {
            return new JsonObject(Files.readString(file));
        } catch (IOException e) {
            throw new ReplayException("cannot read " + file + ": " + e.getMessage()
                    + " (give run directories written by `reprise replay --out DIR`)", e);
        } catch (RuntimeException e) {
            throw new ReplayException(file + " is not a Reprise summary: " + e.getMessage(), e);
        }
    }

    /** Adds the log's intervals into {@code bySecond}; returns the log's start time (epoch ms). */
    private static long readLog(Path file, TreeMap<Long, Histogram[]> bySecond,
                                TreeMap<Long, TreeMap<String, Histogram>> endpointsBySecond) {
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(file.toFile());
        } catch (FileNotFoundException e) {
            throw new ReplayException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (reader) {
            while (reader.hasNext()) {
                EncodableHistogram h = reader.nextIntervalHistogram();
                if (!(h instanceof Histogram histogram)) {
                    throw new ReplayException(file + ": expected integer histograms, found " + h.getClass().getSimpleName());
                }
                String tag = histogram.getTag();
                int slot = tag == null ? 0 : tag.equals("service") ? 1 : tag.equals("lateness") ? 2 : -1;
                long second = Math.round((histogram.getStartTimeStamp() - reader.getStartTimeSec() * 1000) / 1000.0);
                if (slot < 0) {
                    // per-endpoint latency (ep-<endpoint_id>): shards of one store share endpoint ids
                    if (tag.startsWith(RunSummary.ENDPOINT_TAG_PREFIX)) {
                        endpointsBySecond.computeIfAbsent(second, k -> new TreeMap<>())
                                .computeIfAbsent(tag, k -> new Histogram(3)).add(histogram);
                    }
                    continue;
                }
                Histogram[] slots = bySecond.computeIfAbsent(second,
                        k -> new Histogram[] {new Histogram(3), new Histogram(3), new Histogram(3)});
                slots[slot].add(histogram);
            }
            return (long) (reader.getStartTimeSec() * 1000);
        } catch (RuntimeException e) {
            if (e instanceof ReplayException) {
                throw e;
            }
            throw new ReplayException(file + " is not a readable HdrHistogram log: " + e.getMessage(), e);
        }
    }

    private static void writeLog(Path file, long startMillis, TreeMap<Long, Histogram[]> bySecond,
                                 TreeMap<Long, TreeMap<String, Histogram>> endpointsBySecond) {
        try (PrintStream stream = new PrintStream(file.toFile(), StandardCharsets.US_ASCII)) {
            HistogramLogWriter writer = new HistogramLogWriter(stream);
            writer.outputComment("Reprise: merged shards; untagged = latency from intended send time (us), "
                    + "tag=service = service time (us), tag=lateness = scheduler lateness (us), "
                    + "tag=" + RunSummary.ENDPOINT_TAG_PREFIX + "<endpoint_id> = one endpoint's latency (us)");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startMillis);
            writer.outputLegend();
            String[] tags = {null, "service", "lateness"};
            for (var e : bySecond.entrySet()) {
                for (int i = 0; i < 3; i++) {
                    Histogram h = e.getValue()[i];
                    h.setTag(tags[i]);
                    writer.outputIntervalHistogram(e.getKey(), e.getKey() + 1, h, 1000.0);
                }
                for (var ep : endpointsBySecond.getOrDefault(e.getKey(), new TreeMap<>()).entrySet()) {
                    ep.getValue().setTag(ep.getKey());
                    writer.outputIntervalHistogram(e.getKey(), e.getKey() + 1, ep.getValue(), 1000.0);
                }
            }
            if (stream.checkError()) {
                throw new ReplayException("writing " + file + " failed");
            }
        } catch (IOException e) {
            throw new ReplayException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeSummary(Path file, Merged m, JsonArray sources) {
        JsonObject json = new JsonObject()
                .put("schema_version", RunSummary.SCHEMA_VERSION)
                .put("merged_from", sources)
                .put("requests", new JsonObject().put("sent", m.sent()).put("completed", m.completed())
                        .put("errors", m.errors()).put("dropped", m.dropped()))
                .put("rate", new JsonObject().put("target_per_s", m.targetPerSecond())
                        .put("achieved_per_s", m.achievedPerSecond()))
                .put("latency_ms", RunSummary.percentilesOf(m.latency()))
                .put("service_time_ms", RunSummary.percentilesOf(m.service()))
                .put("lateness_ms", RunSummary.percentilesOf(m.lateness()))
                .put("files", new JsonObject().put("hlog", HLOG));
        try {
            Files.writeString(file, json.encodePrettily() + System.lineSeparator());
        } catch (IOException e) {
            throw new ReplayException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
