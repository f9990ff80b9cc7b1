package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.Store;
import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 acceptance: an analyst's weight edit is honoured by the next model-mode replay, and a broken
 * edit is refused naming the table, the row and the problem.
 */
class ModelEditReplayTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private URI target;

    @BeforeEach
    void startTarget() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().end("ok"));
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        target = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stopTarget() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private String buildStore() throws Exception {
        Path log = dir.resolve("day.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(50_000).withSeed(11), log,
                dir.resolve("day.truth.json"));
        String db = dir.resolve("edit.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build");
        assertThat(build.exitCode()).as(build.err()).isZero();
        return db;
    }

    /**
     * The recorded day, twice over, compressed into 16 s: about 100,000 requests to loopback at some
     * 6,000/s, well within what two cores send without dropping.
     */
    private Map<String, double[]> replay(String db, int runNumber) {
        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--speed", "5400",
                "--duration", "16s", "--rate", "x2", "--seed", "3");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        Map<String, double[]> shares = new HashMap<>();
        try (Store store = Store.open(Path.of(db))) {
            List<List<Object>> run = store.queryRows("SELECT sent, dropped FROM runs ORDER BY run_id DESC LIMIT 1");
            System.out.println("issue-4 edit replay run " + runNumber + ": sent " + run.get(0).get(0) + ", dropped "
                    + run.get(0).get(1));
            assertThat(((Number) run.get(0).get(0)).longValue()).isGreaterThan(60_000);
            for (List<Object> row : store.queryRows("SELECT method || ' ' || template, model_share, "
                    + "sent / sum(sent) OVER () FROM run_endpoints WHERE run_id = (SELECT max(run_id) FROM runs)")) {
                shares.put((String) row.get(0), new double[] {((Number) row.get(1)).doubleValue(),
                        ((Number) row.get(2)).doubleValue()});
            }
        }
        return shares;
    }

    private static double tvd(Map<String, double[]> shares) {
        return shares.values().stream().mapToDouble(s -> Math.abs(s[0] - s[1])).sum() / 2;
    }

    @Test
    void tripledCheckoutWeightIsHonouredByTheNextReplay() throws Exception {
        String db = buildStore();
        Map<String, double[]> before = replay(db, 1);

        Cli.Result edit = Cli.run("--db", db, "sql", "UPDATE endpoints SET weight = weight * 3 WHERE template = '/checkout'");
        assertThat(edit.exitCode()).as(edit.err()).isZero();
        Cli.Result check = Cli.run("--db", db, "model", "check");
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.out()).contains("re-balanced toward them");
        Map<String, double[]> after = replay(db, 2);

        double ratio = after.get("GET /checkout")[1] / before.get("GET /checkout")[1];
        double postRatio = after.get("POST /checkout")[1] / before.get("POST /checkout")[1];
        System.out.printf("issue-4 edit replay: TVD sent vs weights before %.4f, after %.4f; sent share GET /checkout "
                + "%.4f -> %.4f (x%.2f), POST /checkout %.4f -> %.4f (x%.2f)%n", tvd(before), tvd(after),
                before.get("GET /checkout")[1], after.get("GET /checkout")[1], ratio,
                before.get("POST /checkout")[1], after.get("POST /checkout")[1], postRatio);
        // the sent mix follows the edited weights (model_share is the normalized weight) ...
        assertThat(tvd(after)).as("TVD sent vs edited weights").isLessThanOrEqualTo(0.02);
        // ... and checkout really went up against the unedited run. Not all the way to x3 for GET: it is
        // reached only from the cart (and after a login), whose own weight holds it back; the
        // re-balancing trades that off within the TVD above (see docs/model.md, "Tuning the mix")
        assertThat(ratio).isBetween(2.0, 3.6);
        assertThat(postRatio).isBetween(2.0, 3.6);
    }

    @Test
    void refusesABrokenEditNamingTableRowAndProblem() throws Exception {
        String db = buildStore();
        Cli.run("--db", db, "sql", "UPDATE endpoints SET weight = -1 WHERE endpoint_id = 3");
        Cli.run("--db", db, "sql", "INSERT INTO transitions VALUES (1, 2, 999, 5, 0.1, 0.1)");

        Cli.Result check = Cli.run("--db", db, "model", "check");

        assertThat(check.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(check.err())
                .contains("endpoints row (endpoint_id=3, ")
                .contains("weight is negative (-1.0)")
                .contains("transitions row (segment_id=1, from_endpoint=2, to_endpoint=999): to_endpoint 999 is not in endpoints");
        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--duration", "1s");
        assertThat(replay.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(replay.err()).contains("weight is negative");
    }
}
