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
        // the recorded day compressed into 4 s
        String[] args = {"--db", db, "replay", "--target", target.toString(), "--speed", "21600", "--duration", "4s",
                "--seed", "9"};
        double expectedSessions;
        try (Store store = Store.open(Path.of(db))) {
            ReplayPlan plan = Replay.plan(store.loadModel(), ReplayOptions.defaults(target).withSpeed(21600)
                    .withDuration(java.time.Duration.ofSeconds(4)));
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
        }
    }

    @Test
    void latencyOfAStalledTargetIncludesTheStall() throws Exception {
        String db = prepareStore();
        URI target = startServer();
        stallAfterFirstRequest = true; // the target freezes for 1 s, 1 s into the run

        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--speed", "21600",
                "--duration", "4s", "--connections", "4", "--threshold", "p(99)<200ms");

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
