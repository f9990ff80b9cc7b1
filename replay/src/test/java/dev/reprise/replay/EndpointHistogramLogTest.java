package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.WorkloadModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .hlog's per-endpoint latency entries (tag ep-<endpoint_id>), as the HTML report reads them. */
class EndpointHistogramLogTest {
    @TempDir
    Path dir;

    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void theHlogHasOneLatencyEntryPerEndpointAndIntervalTaggedWithItsIdThatHistogramLogProcessorReads()
            throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"));
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        long[] perSecond = new long[3];
        java.util.Arrays.fill(perSecond, 40);
        WorkloadModel model = TestModels.chain(10, perSecond);
        Path hlog = dir.resolve("latency.hlog");
        // sessions start in the first 3 s; the 10 s duration lets them finish even on a loaded machine
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withSeed(5).withHistogramLog(hlog).withWarmUpRequests(0).withDuration(java.time.Duration.ofSeconds(10));

        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        // counts per tag over the whole log, read back with HdrHistogram's own reader
        Map<String, Long> countByTag = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            while (reader.hasNext()) {
                EncodableHistogram h = reader.nextIntervalHistogram();
                String tag = h.getTag() == null ? "" : h.getTag();
                countByTag.merge(tag, ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
            }
        }
        long overall = countByTag.get("");
        long perEndpointSum = 0;
        JsonObject summary = RunSummary.toJsonObject(result, "latency.hlog");
        JsonArray endpoints = summary.getJsonArray("endpoints");
        int measured = 0;
        for (EndpointRun e : result.run().endpoints()) {
            long tagged = countByTag.getOrDefault(RunSummary.ENDPOINT_TAG_PREFIX + e.endpointId(), 0L);
            assertThat(tagged).as(e.method() + " " + e.template()).isEqualTo(e.completed());
            perEndpointSum += tagged;
            if (tagged > 0) {
                measured++;
            }
        }
        assertThat(measured).as(result.run().endpoints().toString()).isGreaterThanOrEqualTo(3);
        assertThat(perEndpointSum).isEqualTo(overall).isEqualTo(result.run().completed());
        // summary.json maps each tag to its method and template
        assertThat(endpoints.stream().map(o -> ((JsonObject) o).getInteger("endpoint_id")).toList())
                .containsExactlyElementsOf(result.run().endpoints().stream().map(EndpointRun::endpointId).toList());

        // HistogramLogProcessor, the reference hlog tool, selects one endpoint by its tag
        EndpointRun busiest = result.run().endpoints().stream()
                .max(java.util.Comparator.comparingLong(EndpointRun::completed)).orElseThrow();
        Path out = dir.resolve("busiest");
        new HistogramLogProcessor(new String[] {"-i", hlog.toString(), "-tag",
                RunSummary.ENDPOINT_TAG_PREFIX + busiest.endpointId(), "-o", out.toString()}).run();
        String hgrm = Files.readString(Path.of(out + ".hgrm"));
        Matcher total = Pattern.compile("Total count\\s*=\\s*(\\d+)").matcher(hgrm);
        assertThat(total.find()).as(hgrm).isTrue();
        assertThat(Long.parseLong(total.group(1))).isEqualTo(busiest.completed());
    }

    @Test
    void mergingShardsAddsUpEachEndpointsTaggedLatency() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"));
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        long[] perSecond = {40, 40};
        WorkloadModel model = TestModels.chain(10, perSecond);
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withSeed(3).withWarmUpRequests(0).withDuration(java.time.Duration.ofSeconds(8));
        Map<String, Long> expected = new HashMap<>();
        List<Path> shards = new java.util.ArrayList<>();
        for (String shard : List.of("1/2", "2/2")) {
            Path runDir = Files.createDirectories(dir.resolve("shard-" + shard.charAt(0)));
            ReplayResult r = Replay.run(model, options.withShard(Shard.parse(shard))
                    .withHistogramLog(runDir.resolve("latency.hlog")), List.of(), ReplayListener.NONE);
            Files.writeString(runDir.resolve("summary.json"), RunSummary.toJson(r, "latency.hlog"));
            r.run().endpoints().forEach(e -> expected.merge(RunSummary.ENDPOINT_TAG_PREFIX + e.endpointId(),
                    e.completed(), Long::sum));
            shards.add(runDir);
        }
        expected.values().removeIf(n -> n == 0);

        ShardMerge.merge(shards, Files.createDirectories(dir.resolve("merged")));

        Map<String, Long> merged = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(dir.resolve("merged/latency.hlog").toFile())) {
            while (reader.hasNext()) {
                EncodableHistogram h = reader.nextIntervalHistogram();
                if (h.getTag() != null && h.getTag().startsWith(RunSummary.ENDPOINT_TAG_PREFIX)) {
                    merged.merge(h.getTag(), ((org.HdrHistogram.Histogram) h).getTotalCount(), Long::sum);
                }
            }
        }
        assertThat(merged).isEqualTo(expected).hasSizeGreaterThanOrEqualTo(2);
    }
}
