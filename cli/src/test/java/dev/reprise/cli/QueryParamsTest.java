package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.Store;
import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4b: query parameter names as part of the endpoint signature ({@code model build --query-params}),
 * on a real shop log and on the sample, and a model-mode replay that sends the parameters with their
 * recorded values; {@code model show templates} names the rule behind each part.
 */
class QueryParamsTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private URI target;
    private final Queue<String> received = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startTarget() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            received.add(request.uri());
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        target = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stopTarget() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** zanbil.ir, 3 minutes of a real shop (nginx `main`): /filter/...?page=N and /filter?f=...&page=N. */
    @Test
    void namedQueryParametersSplitEndpointsOfARealShopLogAndReplaySendsThem() throws Exception {
        Path log = Path.of(QueryParamsTest.class.getResource("/issue-4b/zanbil-shop-xff.log").toURI());
        String db = dir.resolve("shop.duckdb").toString();
        Cli.Result ingest = Cli.run("--db", db, "ingest", "nginx", "--format", "main", log.toString());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        assertThat(Cli.run("--db", db, "model", "build").exitCode()).isZero();
        long defaultEndpoints;
        try (Store store = Store.open(Path.of(db))) {
            defaultEndpoints = count(store, "SELECT count(*) FROM endpoints");
            assertThat(count(store, "SELECT count(*) FROM endpoints WHERE template LIKE '%?%'")).isZero();
        }

        Cli.Result build = Cli.run("--db", db, "model", "build", "--query-params", "page,f");
        assertThat(build.exitCode()).as(build.err()).isZero();
        try (Store store = Store.open(Path.of(db))) {
            assertThat(count(store, "SELECT count(*) FROM endpoints")).isGreaterThan(defaultEndpoints);
            assertThat(count(store, "SELECT sum(requests) FROM endpoints"))
                    .isEqualTo(count(store, "SELECT count(*) FROM requests"));
            // every request whose query carries page= lands on an endpoint whose signature names it
            assertThat(count(store, "SELECT sum(requests) FROM endpoints WHERE template LIKE '%?%page={page}%'"))
                    .isEqualTo(count(store, "SELECT count(*) FROM requests WHERE ('&' || query) LIKE '%&page=%'"));
            assertThat(count(store, "SELECT count(*) FROM endpoints WHERE template = '/filter?f={f}&page={page}'"))
                    .isEqualTo(1);
            // the values of a signature parameter are slots, counted as logged
            assertThat(count(store, "SELECT sum(count) FROM endpoint_values WHERE slot = 'query:page'"))
                    .isEqualTo(count(store, "SELECT count(*) FROM requests WHERE ('&' || query) LIKE '%&page=%'"));
        }
        Cli.Result templates = Cli.run("--db", db, "model", "show", "templates", "--format", "csv");
        assertThat(templates.out()).contains("GET /filter?f={f}&page={page}", "{page} <- query_params 'page,f'",
                "{f} <- query_params 'page,f'", "{id} <- built-in numeric id");

        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--speed", "60",
                "--duration", "3s", "--seed", "3");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
        List<String> sent = List.copyOf(received);
        System.out.println("issue-4b shop replay: " + sent.size() + " requests received, "
                + sent.stream().filter(u -> u.contains("page=")).count() + " with page=");
        assertThat(sent).isNotEmpty().noneMatch(u -> u.contains("{") || u.contains("}"));
        assertThat(sent).anyMatch(u -> u.matches("/filter[^?]*[?]page=[0-9]+"));
    }

    @Test
    void theSampleSearchSplitsByParameterAndKeepsTheTermsSkew() throws Exception {
        Path log = dir.resolve("day.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(20_000).withSeed(5), log,
                dir.resolve("day.truth.json"));
        String db = dir.resolve("sample.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build", "--query-params", "q");
        assertThat(build.exitCode()).as(build.err()).isZero();
        try (Store store = Store.open(Path.of(db))) {
            long searches = count(store, "SELECT count(*) FROM requests WHERE path = '/search'");
            assertThat(searches).isPositive();
            assertThat(count(store, "SELECT sum(requests) FROM endpoints WHERE template = '/search?q={q}'"))
                    .isEqualTo(searches);
            assertThat(count(store, "SELECT count(*) FROM endpoint_values v JOIN endpoints e USING (endpoint_id) "
                    + "WHERE e.template = '/search?q={q}' AND v.slot = 'query' AND v.value <> ''")).isZero();
            // the hottest term keeps its recorded count
            assertThat(count(store, "SELECT max(count) FROM endpoint_values WHERE slot = 'query:q'")).isEqualTo(
                    count(store, "SELECT max(n) FROM (SELECT count(*) AS n FROM requests WHERE path = '/search' "
                            + "GROUP BY query)"));
        }
        Cli.Result bad = Cli.run("--db", db, "model", "build", "--query-params", "q,{x}");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(bad.err()).contains("query parameters must be comma-separated names");
    }

    private static long count(Store store, String sql) {
        return ((Number) store.queryRows(sql).get(0).get(0)).longValue();
    }
}
