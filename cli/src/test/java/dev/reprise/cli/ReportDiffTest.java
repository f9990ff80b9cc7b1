package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: {@code reprise report diff} over real runs against a loopback target that answers every
 * request after a server-side timer: two runs with the same delays pass, a run where one endpoint
 * answers 30% later is flagged on that endpoint and exits 99.
 */
class ReportDiffTest {
    /**
     * Every answer waits this long, so that scheduler jitter is small beside it: on a machine with a
     * load of 10 on 2 cores, p95 of identical runs differed by up to 140 ms (7% of this).
     */
    private static final long BASE_DELAY_MS = 2000;

    @TempDir
    Path dir;

    private Vertx vertx;
    /** The delay of GET /products/{id}, changed between runs. */
    private volatile long productDelayMs = BASE_DELAY_MS;

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
            long delay = request.path().startsWith("/products/") ? productDelayMs : BASE_DELAY_MS;
            vertx.setTimer(delay, id -> request.response().end("ok"));
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    private String replay(String db, URI target, String name) {
        Path out = dir.resolve("runs").resolve(name);
        // stateless requests by endpoint weight: 320 in 8 s, about half of them GET /products/{id};
        // 80 in flight at a time, within the connection pool
        Cli.Result r = Cli.run("--db", db, "replay", "--target", target.toString(), "--mode", "mix",
                "--rate", "40/s", "--duration", "8s", "--out", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        return out.toString();
    }

    @Test
    void identicalRunsPassAndA30PercentSlowerEndpointIsFlagged() throws Exception {
        Path log = dir.resolve("small.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(6_000).withSeed(5), log,
                dir.resolve("small.truth.json"));
        String db = dir.resolve("diff.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        assertThat(Cli.run("--db", db, "model", "build").exitCode()).isZero();
        URI target = startServer();

        String baseline = replay(db, target, "baseline");
        String again = replay(db, target, "again");
        productDelayMs = Math.round(BASE_DELAY_MS * 1.3);
        String slower = replay(db, target, "slower");

        // 15%: twice the run-to-run noise of a 2 s answer on a busy machine, half the regression
        Cli.Result same = Cli.run("--db", db, "report", "diff", baseline, again, "--tolerance", "15%");
        assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("GET /products/{id}", "no regression beyond the tolerance");

        Cli.Result regressed = Cli.run("--db", db, "report", "diff", baseline, slower, "--tolerance", "15%");
        assertThat(regressed.exitCode()).as(regressed.out() + regressed.err()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        assertThat(regressed.out()).containsPattern("(?m)^GET /products/\\{id\\} .*REGRESSION$");
        // every answer of the endpoint is 600 ms later: p50, p95 and p99 rise by about 30%
        assertThat(regressed.out()).containsPattern("(?m)^  GET /products/\\{id\\}: .*p95 \\+[23][0-9]%");
        // only that endpoint (and the whole run, which it is half of) regressed
        assertThat(regressed.out().lines().filter(l -> l.endsWith("REGRESSION"))
                .map(l -> l.split("\\s{2,}")[0])).contains("GET /products/{id}").isSubsetOf("GET /products/{id}", "all");

        // a run id from the store works as well as a run directory
        String baselineId = new io.vertx.core.json.JsonObject(java.nio.file.Files.readString(
                Path.of(baseline, "summary.json"))).getString("run_id");
        Cli.Result byId = Cli.run("--db", db, "report", "diff", baselineId, slower, "--tolerance", "15%");
        assertThat(byId.exitCode()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        assertThat(byId.out()).contains("baseline " + baselineId);
    }

    @Test
    void anUnknownRunSaysWhatRunIsAndHowToListThem() throws Exception {
        String db = dir.resolve("empty.duckdb").toString();
        dev.reprise.model.Store.open(Path.of(db)).close();
        Cli.Result r = Cli.run("--db", db, "report", "diff", "no-such-run", dir.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("'no-such-run' is neither a run directory nor a run id", "SELECT run_id");
    }
}
