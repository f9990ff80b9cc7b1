package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7b: a real replay against a loopback server fills {@code run_endpoint_intervals}, read back the
 * way analysts and notebooks read it ({@code reprise sql --format csv}), consistently with
 * {@code run_endpoints} and {@code run_intervals}.
 */
class RunEndpointIntervalsTest {
    /** The product pages answer after this long (a server-side timer), the rest at once. */
    private static final long SLOW_PRODUCT_MILLIS = 30;

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

    private URI startServer() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().startsWith("/products/")) {
                vertx.setTimer(SLOW_PRODUCT_MILLIS, id -> request.response().end("ok"));
            } else {
                request.response().end("ok");
            }
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    private static List<CSVRecord> sql(String db, String query) throws Exception {
        Cli.Result r = Cli.run("--db", db, "sql", "--format", "csv", query);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(r.out())).getRecords();
    }

    @Test
    void issue7bAReplayFillsRunEndpointIntervalsThatAddUpToRunEndpointsAndRunIntervals() throws Exception {
        Path log = dir.resolve("small.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(6_000).withSeed(11), log,
                dir.resolve("small.truth.json"));
        String db = dir.resolve("store.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        assertThat(Cli.run("--db", db, "model", "build").exitCode()).isZero();
        // fewer endpoints than the replay tags (100), so every endpoint gets its own interval rows
        assertThat(Long.parseLong(sql(db, "SELECT count(*) AS n FROM endpoints").get(0).get("n"))).isLessThan(100);
        URI target = startServer();

        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--speed", "10800",
                "--duration", "6s", "--seed", "3", "--out", dir.resolve("runs/r").toString());
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();

        // per endpoint: the rows over t add up to run_endpoints' totals
        List<CSVRecord> endpoints = sql(db, """
                SELECT e.endpoint_id, e.template, e.sent, e.completed, e.errors,
                       coalesce(sum(i.sent), 0) AS interval_sent, coalesce(sum(i.completed), 0) AS interval_completed,
                       coalesce(sum(i.errors), 0) AS interval_errors, count(i.t) AS rows
                FROM run_endpoints e LEFT JOIN run_endpoint_intervals i USING (run_id, endpoint_id)
                GROUP BY ALL ORDER BY e.sent DESC""");
        assertThat(endpoints).hasSizeGreaterThan(3);
        long total = 0;
        for (CSVRecord e : endpoints) {
            assertThat(e.get("interval_sent")).as(e.get("template")).isEqualTo(e.get("sent"));
            assertThat(e.get("interval_completed")).as(e.get("template")).isEqualTo(e.get("completed"));
            assertThat(e.get("interval_errors")).as(e.get("template")).isEqualTo(e.get("errors"));
            total += Long.parseLong(e.get("sent"));
        }
        assertThat(Long.parseLong(endpoints.get(0).get("rows"))).as("the busiest endpoint has a row a second")
                .isGreaterThanOrEqualTo(4);
        assertThat(total).isPositive();

        // per interval: with every endpoint tagged, the endpoints' rows add up to run_intervals' row of the same t
        List<CSVRecord> intervals = sql(db, """
                SELECT r.t, r.sent, coalesce(sum(i.sent), 0) AS endpoint_sent, count(i.endpoint_id) AS endpoints
                FROM run_intervals r LEFT JOIN run_endpoint_intervals i USING (run_id, t)
                GROUP BY ALL ORDER BY r.t""");
        assertThat(intervals).hasSizeGreaterThanOrEqualTo(6);
        for (CSVRecord i : intervals) {
            assertThat(i.get("endpoint_sent")).as("t = " + i.get("t")).isEqualTo(i.get("sent"));
        }
        assertThat(sql(db, "SELECT count(*) AS orphans FROM run_endpoint_intervals i "
                + "ANTI JOIN run_intervals r USING (run_id, t)").get(0).get("orphans")).isEqualTo("0");

        // the slow endpoint shows as slow in every interval where it completed requests
        List<CSVRecord> products = sql(db, """
                SELECT min(i.latency_p50_ms) AS p50, bool_and(i.latency_p50_ms <= i.latency_p95_ms
                       AND i.latency_p95_ms <= i.latency_p99_ms AND i.latency_p99_ms <= i.latency_max_ms) AS ordered,
                       count(i.latency_p50_ms) AS measured
                FROM run_endpoint_intervals i JOIN endpoints e USING (endpoint_id)
                WHERE e.template = '/products/{id}'""");
        assertThat(Double.parseDouble(products.get(0).get("p50"))).isGreaterThanOrEqualTo(SLOW_PRODUCT_MILLIS - 0.1);
        assertThat(products.get(0).get("ordered")).isEqualTo("true");
        assertThat(Long.parseLong(products.get(0).get("measured"))).isGreaterThanOrEqualTo(4);
    }
}
