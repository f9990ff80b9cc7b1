package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.Store;
import dev.reprise.replay.Replay;
import dev.reprise.replay.ReplayOptions;
import dev.reprise.replay.ReplayPlan;
import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small generated log through ingest, model build and replay against a loopback server, via the CLI. */
class EndToEndTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    /** When set, the server stalls for one second, starting one second after its first request. */
    private volatile boolean stallAfterFirstRequest;
    private final java.util.concurrent.atomic.AtomicLong firstRequestNanos = new java.util.concurrent.atomic.AtomicLong();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Answers everything at once, except that requests arriving during a stall wait for its end. */
    private URI startServer() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            long now = System.nanoTime();
            firstRequestNanos.compareAndSet(0, now);
            long stallFromNanos = firstRequestNanos.get() + 1_000_000_000L;
            long stallUntilNanos = stallFromNanos + 1_000_000_000L;
            if (stallAfterFirstRequest && now >= stallFromNanos && now < stallUntilNanos) {
                vertx.setTimer(Math.max(1, (stallUntilNanos - now) / 1_000_000), id -> request.response().end("ok"));
            } else {
                request.response().end("ok");
            }
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    private String prepareStore() throws Exception {
        Path log = dir.resolve("small.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(6_000).withSeed(5), log,
                dir.resolve("small.truth.json"));
        String db = dir.resolve("e2e.duckdb").toString();
        Cli.Result ingest = Cli.run("--db", db, "ingest", "nginx", log.toString());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build");
        assertThat(build.exitCode()).as(build.err()).isZero();
        return db;
    }

    @Test
    void replaysTheModelsMixAndSessionCountAgainstALoopbackServer() throws Exception {
        String db = prepareStore();
        URI target = startServer();
        // the recorded day compressed into 8 s
        Path runDirectory = dir.resolve("runs/first");
        // 750 requests/s: modest, so that a busy machine does not slow sessions down until the end of the
        // run cuts them (a cut session has sent its first pages but not its last, which skews the mix)
        String[] args = {"--db", db, "replay", "--target", target.toString(), "--speed", "10800", "--duration", "8s",
                "--seed", "9", "--out", runDirectory.toString(), "--threshold", "p(99.9)<1m"};
        double expectedSessions;
        try (Store store = Store.open(Path.of(db))) {
            ReplayPlan plan = Replay.plan(store.loadModel(), ReplayOptions.defaults(target).withSpeed(10800)
                    .withDuration(java.time.Duration.ofSeconds(8)));
            expectedSessions = plan.expectedSessions();
        }

        Cli.Result replay = Cli.run(args);

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("endpoint mix: total variation distance", "GET /products/{id}");
        try (Store store = Store.open(Path.of(db))) {
            List<List<Object>> run = rows(store, "SELECT sessions, sent, errors FROM runs");
            assertThat(run).hasSize(1);
            long sessions = (Long) run.get(0).get(0);
            assertThat((double) sessions).isCloseTo(expectedSessions, within(4 * Math.sqrt(expectedSessions) + 5));
            assertThat((Long) run.get(0).get(2)).isZero();
            Map<String, double[]> shares = new LinkedHashMap<>();
            for (List<Object> row : rows(store, "SELECT method || ' ' || template, model_share, "
                    + "sent / sum(sent) OVER () FROM run_endpoints")) {
                shares.put((String) row.get(0), new double[] {(Double) row.get(1), ((Number) row.get(2)).doubleValue()});
            }
            double tvd = shares.values().stream().mapToDouble(s -> Math.abs(s[0] - s[1])).sum() / 2;
            assertThat(tvd).as("TVD model vs sent").isLessThan(0.05);

            // the run directory: summary.json with the documented fields, and an .hlog HdrHistogram reads back
            io.vertx.core.json.JsonObject summary = new io.vertx.core.json.JsonObject(
                    Files.readString(runDirectory.resolve("summary.json")));
            long sent = (Long) run.get(0).get(1);
            assertThat(summary.getJsonObject("requests").getLong("sent")).isEqualTo(sent);
            assertThat(summary.getJsonObject("requests").getLong("errors")).isZero();
            assertThat(summary.getJsonObject("requests").getLong("dropped")).isZero();
            assertThat(summary.getJsonObject("rate").getDouble("achieved_per_s")).isPositive();
            assertThat(summary.getJsonObject("rate").getDouble("target_per_s")).isPositive();
            assertThat(summary.getJsonObject("latency_ms").fieldNames())
                    .containsExactlyInAnyOrder("p50", "p90", "p95", "p99", "p999", "max");
            assertThat(summary.getJsonObject("service_time_ms").getDouble("p50")).isPositive();
            assertThat(summary.getJsonObject("lateness_ms").fieldNames()).containsExactlyInAnyOrder("p50", "p99", "max");
            assertThat(summary.getJsonArray("endpoints").getJsonObject(0).fieldNames())
                    .contains("method", "template", "sent", "errors", "latency_ms");
            assertThat(summary.getJsonArray("endpoints").stream()
                    .mapToLong(e -> ((io.vertx.core.json.JsonObject) e).getLong("sent")).sum()).isEqualTo(sent);
            io.vertx.core.json.JsonObject threshold = summary.getJsonArray("thresholds").getJsonObject(0);
            assertThat(threshold.getString("expression")).isEqualTo("p(99.9)<1m");
            assertThat(threshold.getBoolean("ok")).isTrue();
            assertThat(threshold.getDouble("value")).isPositive();

            long latencyCount = 0;
            long serviceCount = 0;
            int intervals = 0;
            try (org.HdrHistogram.HistogramLogReader reader =
                         new org.HdrHistogram.HistogramLogReader(runDirectory.resolve("latency.hlog").toFile())) {
                while (reader.hasNext()) {
                    org.HdrHistogram.EncodableHistogram h = reader.nextIntervalHistogram();
                    org.HdrHistogram.Histogram histogram = (org.HdrHistogram.Histogram) h;
                    if (h.getTag() == null) {
                        latencyCount += histogram.getTotalCount();
                        intervals++;
                    } else if (h.getTag().equals("service")) {
                        serviceCount += histogram.getTotalCount();
                    }
                }
            }
            assertThat(intervals).isGreaterThanOrEqualTo(4);
            assertThat(latencyCount).isEqualTo(sent);
            assertThat(serviceCount).isEqualTo(sent);
        }
    }

    @Test
    void latencyOfAStalledTargetIncludesTheStall() throws Exception {
        String db = prepareStore();
        URI target = startServer();
        stallAfterFirstRequest = true; // the target freezes for 1 s, 1 s into the run

        // a steady 400 req/s (mix mode), so that a request is due within a few ms of the stall's start: the
        // model's day compressed 21,600 times has quiet stretches of 100 ms and more, and whether one of them
        // fell at the stall decided the maximum below
        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--mode", "mix",
                "--rate", "400/s", "--duration", "4s", "--connections", "4", "--threshold", "p(99)<200ms",
                "--out", dir.resolve("run").toString());

        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        assertThat(replay.out()).contains("BROKEN  p(99)<200ms");
        try (Store store = Store.open(Path.of(db))) {
            List<Object> run = rows(store, "SELECT latency_max_ms, latency_p99_ms, service_p50_ms FROM runs").get(0);
            // a request due at the start of the stall waits ~1 s for its answer: the latency shows it
            assertThat((Double) run.get(0)).isGreaterThan(900);
            assertThat((Double) run.get(1)).isGreaterThan(200);
            // most requests were served at once: the stall is not smeared into the typical service time
            assertThat((Double) run.get(2)).isLessThan(50);
        }
    }

    @Test
    void exactModeSendsEveryRecordedRequestOfTheWindow() throws Exception {
        String db = prepareStore();
        URI target = startServer();
        long recorded;
        try (Store store = Store.open(Path.of(db))) {
            recorded = (Long) rows(store, "WITH w AS (SELECT min(bucket_start) AS t0 FROM arrivals) "
                    + "SELECT count(*) FROM requests, w WHERE ts >= t0 + INTERVAL 12 HOUR AND ts < t0 + INTERVAL 13 HOUR")
                    .get(0).get(0);
        }

        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--mode", "exact",
                "--from", "12h", "--to", "13h", "--speed", "1200", "--out", dir.resolve("exact").toString());

        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        assertThat(recorded).isPositive();
        try (Store store = Store.open(Path.of(db))) {
            List<Object> run = rows(store, "SELECT mode, sent, errors FROM runs").get(0);
            assertThat(run).containsExactly("exact", recorded, 0L);
        }
    }

    @Test
    void aWindowOutsideTheRecordingIsAClearError() throws Exception {
        String db = prepareStore();
        Cli.Result replay = Cli.run("--db", db, "replay", "--target", "http://127.0.0.1:9", "--mode", "exact",
                "--from", "2020-01-01T00:00:00Z", "--to", "2020-01-02T00:00:00Z", "--out", dir.resolve("x").toString());
        assertThat(replay.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(replay.err()).contains("is empty or outside the recording", "check --from and --to");
    }

    @Test
    void twoShardsMergeIntoOneReportWhoseHistogramsHoldEveryRequest() throws Exception {
        String db = prepareStore();
        URI target = startServer();
        long sent = 0;
        for (String shard : List.of("1/2", "2/2")) {
            Cli.Result run = Cli.run("--db", db, "replay", "--target", target.toString(), "--mode", "mix", "--rate",
                    "400/s", "--duration", "2s", "--shard", shard, "--out", dir.resolve("shard-" + shard.charAt(0)).toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
            sent += new io.vertx.core.json.JsonObject(Files.readString(dir.resolve("shard-" + shard.charAt(0))
                    .resolve("summary.json"))).getJsonObject("requests").getLong("sent");
        }

        Cli.Result merge = Cli.run("report", "merge", dir.resolve("shard-1").toString(), dir.resolve("shard-2").toString(),
                "--out", dir.resolve("all").toString());

        assertThat(merge.exitCode()).as(merge.err()).isZero();
        assertThat(merge.out()).contains("merged 2 runs", "latency    p50");
        io.vertx.core.json.JsonObject merged = new io.vertx.core.json.JsonObject(
                Files.readString(dir.resolve("all/summary.json")));
        assertThat(merged.getJsonObject("requests").getLong("sent")).isEqualTo(sent);
        assertThat(merged.getJsonObject("rate").getDouble("target_per_s")).isEqualTo(400.0);
        long latencyCount = 0;
        try (org.HdrHistogram.HistogramLogReader reader =
                     new org.HdrHistogram.HistogramLogReader(dir.resolve("all/latency.hlog").toFile())) {
            while (reader.hasNext()) {
                org.HdrHistogram.EncodableHistogram h = reader.nextIntervalHistogram();
                if (h.getTag() == null) {
                    latencyCount += ((org.HdrHistogram.Histogram) h).getTotalCount();
                }
            }
        }
        assertThat(latencyCount).isEqualTo(sent);
    }

    @Test
    void reportMergeOfADirectoryWithoutASummaryIsAClearError() {
        Cli.Result merge = Cli.run("report", "merge", dir.resolve("nothing-here").toString(), "--out",
                dir.resolve("m").toString());
        assertThat(merge.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(merge.err()).contains("cannot read", "summary.json").doesNotContain("Exception");
    }

    @Test
    void aDryRunWritesTheScheduleAsCsvAndSendsNothing() throws Exception {
        String db = prepareStore();
        Path out = dir.resolve("dry");

        Cli.Result dry = Cli.run("--db", db, "replay", "--target", "http://127.0.0.1:9", "--mode", "mix", "--rate",
                "100/s", "--duration", "3s", "--seed", "4", "--dry-run", "--out", out.toString());

        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("nothing was sent");
        List<String> lines = Files.readAllLines(out.resolve("schedule.csv"));
        assertThat(lines.get(0)).isEqualTo("offset_ms,session,method,uri,segment");
        // Poisson(300): within 4 standard deviations
        assertThat(lines.size() - 1).isBetween(230, 370);
        assertThat(lines.get(1)).matches("[0-9]+\\.[0-9]{3},[0-9]+,[A-Z]+,/.*,"); // mix mode: no segment
        try (Store store = Store.open(Path.of(db))) {
            assertThat(rows(store, "SELECT count(*) FROM runs")).containsExactly(List.of(0L));
        }
    }

    @Test
    void ingestLoadsADirectoryOfRotatedLogsOldestFirst() throws Exception {
        Path logs = Files.createDirectory(dir.resolve("logs"));
        String[] names = {"access.log", "access.log.1", "access.log.2.gz"};
        for (int i = 0; i < names.length; i++) {
            String line = "203.0.113.9 - - [14/Mar/2026:13:05:1" + i + " +0000] \"GET /" + names[i]
                    + " HTTP/1.1\" 200 512 \"-\" \"UA\"\n";
            byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (names[i].endsWith(".gz")) {
                java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
                try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
                    out.write(bytes);
                }
                bytes = gz.toByteArray();
            }
            Files.write(logs.resolve(names[i]), bytes);
        }
        String db = dir.resolve("d.duckdb").toString();

        Cli.Result r = Cli.run("--db", db, "ingest", "nginx", logs.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("total: 3 lines, 3 loaded, 0 rejected\n");
        try (Store store = Store.open(Path.of(db))) {
            assertThat(rows(store, "SELECT path FROM requests ORDER BY source_id"))
                    .containsExactly(List.of("/access.log.2.gz"), List.of("/access.log.1"), List.of("/access.log"));
        }
    }

    @Test
    void ingestSkipsAFileLoadedBeforeAndReplaceReloadsIt() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, "203.0.113.9 - - [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"UA\"\n");
        String db = dir.resolve("r.duckdb").toString();

        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        Cli.Result skipped = Cli.run("--db", db, "ingest", "nginx", log.toString());
        Cli.Result replaced = Cli.run("--db", db, "ingest", "nginx", "--replace", log.toString());

        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(skipped.out()).contains("skipped", "already loaded as source 1", "--replace reloads it");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("1 lines, 1 loaded, 0 rejected", "replaces source 1");
        try (Store store = Store.open(Path.of(db))) {
            assertThat(rows(store, "SELECT source_id, count(*) FROM requests GROUP BY source_id"))
                    .containsExactly(List.of(2, 1L));
            assertThat(rows(store, "SELECT count(*) FROM sources")).containsExactly(List.of(1L));
        }
    }

    @Test
    void ingestReportsARejectedGarbageLineWithItsNumberAndReason() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, String.join("\n",
                "203.0.113.9 - - [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 512 \"-\" \"UA\"",
                "203.0.113.9 - - [14/Mar/2026:13:05:13 +0000] \"GET /products/12 HTTP/1.1\" 200 512 \"-\" \"UA\"",
                "this line is garbage",
                "203.0.113.9 - - [14/Mar/2026:13:05:20 +0000] \"GET /cart HTTP/1.1\" 200 512 \"-\" \"UA\"") + "\n");
        String db = dir.resolve("g.duckdb").toString();

        Cli.Result r = Cli.run("--db", db, "ingest", "nginx", log.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("4 lines, 3 loaded, 1 rejected").contains("access.log:3: ");
        try (Store store = Store.open(Path.of(db))) {
            assertThat(rows(store, "SELECT count(*) FROM requests")).containsExactly(List.of(3L));
            List<List<Object>> rejects = rows(store, "SELECT line_no, reason, raw FROM rejects");
            assertThat(rejects).hasSize(1);
            assertThat(rejects.get(0).get(0)).isEqualTo(3L);
            assertThat((String) rejects.get(0).get(1)).isNotBlank();
            // the first word stands where a client address would, so it is anonymized like one
            assertThat((String) rejects.get(0).get(2)).endsWith(" line is garbage");
        }
    }

    static List<List<Object>> rows(Store store, String sql) {
        return store.queryRows(sql);
    }
}
