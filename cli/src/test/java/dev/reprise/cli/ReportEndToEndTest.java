package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.Store;
import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: a log line carrying a {@code <script>} payload in its path and user agent goes through ingest,
 * model build and a replay against a loopback server, and ends up escaped in the run's report.html,
 * which a real browser then opens without running it.
 */
class ReportEndToEndTest {
    static final String PATH_PAYLOAD = "/promo/<script>document.title='pwned-by-path'</script>";
    static final String AGENT_PAYLOAD = "Mozilla/5.0 <script>document.title='pwned-by-agent'</script>";

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

    /** A generated day where every 40th request asks for the payload path with the payload user agent. */
    private long replaced;

    private Path hostileLog() throws Exception {
        Path log = dir.resolve("hostile.log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(6_000).withSeed(11), log,
                dir.resolve("hostile.truth.json"));
        Pattern combined = Pattern.compile("^(\\S+ \\S+ \\S+ \\[[^\\]]+\\]) \"(\\S+) \\S+ (\\S+)\" (.*) \"[^\"]*\"$");
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = combined.matcher(line);
            if (m.matches() && n++ % 40 == 0) {
                replaced++;
                line = m.group(1) + " \"GET " + PATH_PAYLOAD + " " + m.group(3) + "\" " + m.group(4) + " \""
                        + AGENT_PAYLOAD + "\"";
            }
            lines.add(line);
        }
        assertThat(n).as("lines of the generated log in combined format").isGreaterThan(5_000);
        Files.write(log, lines);
        return log;
    }

    @Test
    void issue6AScriptPayloadInPathAndUserAgentEndsUpEscapedInTheReport() throws Exception {
        Path log = hostileLog();
        String db = dir.resolve("hostile.duckdb").toString();
        Cli.Result ingest = Cli.run("--db", db, "ingest", "nginx", log.toString());
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build");
        assertThat(build.exitCode()).as(build.err()).isZero();
        try (Store store = Store.open(Path.of(db))) {
            // the payload really is in the store, as the path and as the user agent of its requests
            assertThat(store.queryRows("SELECT count(*) FROM requests WHERE path LIKE '%<script>%' "
                    + "AND user_agent LIKE '%<script>%'").get(0).get(0)).isEqualTo(replaced);
        }
        HttpServer server = vertx.createHttpServer().requestHandler(r -> r.response().end("ok"));
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        Path run = dir.resolve("runs/hostile");

        Cli.Result replay = Cli.run("--db", db, "replay", "--target", "http://127.0.0.1:" + server.actualPort(),
                "--speed", "10800", "--duration", "4s", "--seed", "3", "--out", run.toString(),
                "--threshold", "p(99)<1m", "--junit", dir.resolve("thresholds.xml").toString(),
                "--csv", dir.resolve("endpoints.csv").toString());

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains("report     " + run.resolve("report.html"),
                "junit      " + dir.resolve("thresholds.xml") + " (1 thresholds)",
                "csv        " + dir.resolve("endpoints.csv"));
        JsonObject summary = new JsonObject(Files.readString(run.resolve("summary.json")));
        String template = summary.getJsonArray("endpoints").stream().map(e -> ((JsonObject) e).getString("template"))
                .filter(t -> t.contains("<script>")).findFirst().orElseThrow(() -> new AssertionError(
                        "the payload became no endpoint of the model: " + summary.getJsonArray("endpoints")));
        assertThat(summary.getJsonArray("intervals")).isNotEmpty();
        assertThat(summary.getJsonArray("intervals").getJsonObject(0).getDouble("target_per_s")).isPositive();
        assertThat(SummarySchema.violations(summary)).as("summary.json against docs/summary.schema.json").isEmpty();
        String page = Files.readString(run.resolve("report.html"));
        assertThat(page).as("report.html").doesNotContain("<script>document.title", "pwned-by-agent");
        // in the endpoint table as text (the chart data escaping is ReportTest's, with ep- tags in the log)
        assertThat(page).as("report.html").contains("<td>GET " + HtmlReport.escape(template) + "</td>");
        assertThat(HtmlReport.escape(template)).contains("&lt;script&gt;document.title=&#39;pwned-by-path&#39;");
        assertThat(Files.readString(dir.resolve("endpoints.csv"))).contains(template);

        // issue 6 (fidelity): the run's own scorecard is in the run directory, in the page, and on demand
        io.vertx.core.json.JsonObject card = new io.vertx.core.json.JsonObject(
                Files.readString(run.resolve(FidelityCommand.RUN_FILE)));
        assertThat(card.getJsonArray("metrics")).hasSize(7);
        assertThat(card.getJsonArray("metrics").getJsonObject(0).getDouble("value")).isNotNull();
        assertThat(page).contains("Fidelity (from the run itself)", "endpoint_mix_tvd", "not recorded by a run");
        Cli.Result scored = Cli.run("--db", db, "fidelity", "--run", summary.getString("run_id"), "--format", "json");
        assertThat(scored.exitCode()).as(scored.err()).isIn(ExitCodes.OK, ExitCodes.THRESHOLDS_BROKEN);
        assertThat(new io.vertx.core.json.JsonObject(scored.out()).getJsonArray("metrics"))
                .isEqualTo(card.getJsonArray("metrics"));

        // the same report from the run directory afterwards is the same page
        Path again = dir.resolve("again.html");
        assertThat(Cli.run("report", run.toString(), "--html", again.toString()).exitCode()).isZero();
        assertThat(Files.readString(again)).isEqualTo(page);

        // by run id from the store, the run directory aside: what the tables keep, escaped the same way
        Path fromStore = dir.resolve("from-store.html");
        Cli.Result stored = Cli.run("--db", db, "report", summary.getString("run_id"), "--html", fromStore.toString());
        assertThat(stored.exitCode()).as(stored.err()).isZero();
        String storedPage = Files.readString(fromStore);
        assertThat(storedPage).contains("Read from the store", "<td>GET " + HtmlReport.escape(template) + "</td>")
                .doesNotContain("<script>document.title", "pwned-by-agent");
        assertThat(ReportTest.dataBlock(storedPage).getJsonObject("latency").getJsonArray("x"))
                .hasSize(summary.getJsonArray("intervals").size());
        // per-endpoint latency over time from run_endpoint_intervals, on the run's intervals
        io.vertx.core.json.JsonObject perEndpoint = ReportTest.dataBlock(storedPage).getJsonObject("endpoint-latency");
        assertThat(perEndpoint.getString("unavailable")).as(perEndpoint.encode()).isNull();
        assertThat(perEndpoint.getJsonArray("x")).hasSize(summary.getJsonArray("intervals").size());
        io.vertx.core.json.JsonObject busiest = perEndpoint.getJsonArray("series").getJsonObject(0);
        assertThat(busiest.getJsonArray("values").stream().filter(java.util.Objects::nonNull).count())
                .as(busiest.encode()).isGreaterThan(summary.getJsonArray("intervals").size() / 2L);
        Cli.Result unknown = Cli.run("--db", db, "report", "20990101-000000-ffff");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.err()).contains("no run 20990101-000000-ffff in " + db);

        if (!HeadlessChromium.isRequired()) {
            return; // the page checks above stand; the browser part needs chromium (required under CI=true)
        }
        HeadlessChromium.Page opened = HeadlessChromium.open(run.resolve("report.html"), dir);
        assertThat(opened.consoleMessages()).isEmpty();
        assertThat(opened.dom()).contains("<title>Reprise run ").doesNotContain("pwned-by-path</title>",
                "pwned-by-agent");
        assertThat(Pattern.compile("data-painted-pixels=\"[1-9]\\d{3,}\"").matcher(opened.dom()).results().count())
                .as("charts drawn (per-endpoint over time is unavailable until the .hlog has ep- tags)")
                .isGreaterThanOrEqualTo(4);
    }
}
