package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scenario files and --shape through the CLI, on a store of the bundled sample day. */
class ScenarioCommandTest {
    /** The scenarios shipped in the repository. */
    static final Path SHIPPED = Path.of("..", "samples", "scenarios");

    @TempDir
    static Path dir;
    static String db;
    static Vertx vertx;
    static URI target;
    static final Map<String, AtomicLong> headerValues = new ConcurrentHashMap<>();
    /** POST requests by method, path, Content-Type and body. */
    static final Map<String, AtomicLong> posts = new ConcurrentHashMap<>();

    @BeforeAll
    static void buildStoreAndTarget() throws Exception {
        Path log = dir.resolve("access.log.gz");
        try (InputStream in = SampleGenerator.bundledLog()) {
            Files.copy(in, log);
        }
        db = dir.resolve("sample.duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build");
        assertThat(build.exitCode()).as(build.err()).isZero();
        vertx = Vertx.vertx();
        var server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String loadTest = request.getHeader("X-Load-Test");
            if (request.getHeader("X-Reprise-Session") != null) {
                headerValues.computeIfAbsent("session header " + loadTest, k -> new AtomicLong()).incrementAndGet();
            }
            headerValues.computeIfAbsent(loadTest == null ? "-" : loadTest, k -> new AtomicLong()).incrementAndGet();
            String key = request.method() + " " + request.path() + " " + request.getHeader("Content-Type") + " " + body;
            if (request.method().name().equals("POST")) {
                posts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            }
            request.response().end("ok");
        }));
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        target = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterAll
    static void stopTarget() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    static Stream<Path> shippedScenarios() throws IOException {
        assertThat(SHIPPED).as("the shipped scenarios (run from the cli module)").isDirectory();
        List<Path> files;
        try (Stream<Path> list = Files.list(SHIPPED)) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files.stream().map(p -> p.getFileName().toString()))
                .contains("steady.yaml", "black-friday.yaml", "soak.yaml");
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("shippedScenarios")
    void everyShippedScenarioParsesAndDryRuns(Path scenario) throws IOException {
        Path out = dir.resolve("dry-" + scenario.getFileName());
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", scenario.toString(), "--target", target.toString(),
                "--dry-run", "--out", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("dry run: ");
        long rows;
        try (Stream<String> lines = Files.lines(out.resolve("schedule.csv"))) {
            rows = lines.count() - 1;
        }
        assertThat(rows).isGreaterThan(10_000);
        assertThat(Files.readString(out.resolve("scenario.yaml"))).isEqualTo(Files.readString(scenario));
    }

    @Test
    void blackFridaySendsThreeTimesTheDayWithItsSpike() throws IOException {
        Path out = dir.resolve("bf");
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", SHIPPED.resolve("black-friday.yaml").toString(),
                "--target", target.toString(), "--dry-run", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("scenario " + SHIPPED.resolve("black-friday.yaml") + ": 3x the recorded day")
                .contains("for 24m").contains("shape: ramp x0.2->x1 over 4m, hold 20m, spike x2 at 18:00 for 1m");
        long[] perMinute = perMinute(out.resolve("schedule.csv"), 24);
        // the spike: 18:00 of the recording at speed 60 is 18 minutes in; it doubles the level
        assertThat((double) perMinute[18]).isGreaterThan(1.6 * (perMinute[17] + perMinute[19]) / 2);
        // the ramp: the first minute runs at about a quarter of the level the hold keeps
        assertThat(perMinute[0]).isLessThan(perMinute[8] / 2);
    }

    @Test
    void theSoakLoopsTheRecordedDayInModelModeUntilItsDuration() throws IOException {
        Path out = dir.resolve("soak");
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", SHIPPED.resolve("soak.yaml").toString(),
                "--target", target.toString(), "--dry-run", "--out", out.toString(), "--duration", "5h");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // the day at speed 12 lasts 2 h: 5 h are two passes and a quarter of a third, each with fresh draws
        long[] perHour = perMinute(out.resolve("schedule.csv"), 300);
        long firstPass = 0;
        long secondPass = 0;
        long afterSecond = 0;
        for (int m = 0; m < 300; m++) {
            if (m < 120) {
                firstPass += perHour[m];
            } else if (m < 240) {
                secondPass += perHour[m];
            } else {
                afterSecond += perHour[m];
            }
        }
        assertThat((double) secondPass).isCloseTo(firstPass, within(firstPass * 0.1));
        assertThat(afterSecond).isPositive();
        // the recorded night (00:00-06:00 -> the first 30 minutes of a pass) is quieter than its evening
        long night = java.util.stream.LongStream.of(perHour).limit(30).sum();
        long evening = java.util.stream.LongStream.of(perHour).skip(90).limit(30).sum();
        assertThat(night).isLessThan(evening / 2);
        assertThat(Cli.run("--db", db, "replay", "--target", target.toString(), "--mode", "mix", "--loop", "--dry-run",
                "--out", dir.resolve("mix-loop").toString()).err()).contains("--loop applies to exact and model modes");
    }

    @Test
    void flagsOverrideTheFileAndShapeReplacesItsStages() throws IOException {
        Path base = dir.resolve("steady-base");
        Path fast = dir.resolve("steady-override");
        assertThat(Cli.run("--db", db, "replay", "--scenario", SHIPPED.resolve("steady.yaml").toString(),
                "--target", target.toString(), "--dry-run", "--out", base.toString()).exitCode()).isZero();
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", SHIPPED.resolve("steady.yaml").toString(),
                "--target", target.toString(), "--dry-run", "--out", fast.toString(), "--rate", "50/s",
                "--shape", "hold 2m");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("for 2m").contains("shape: hold 2m");
        long[] perMinute = perMinute(fast.resolve("schedule.csv"), 2);
        assertThat((double) perMinute[0]).isCloseTo(3000, within(5 * Math.sqrt(3000)));
        assertThat(perMinute(base.resolve("schedule.csv"), 10)[5]).isGreaterThan(10_000);
    }

    @Test
    void aShortScenarioRunSendsItsHeadersAndJudgesItsThresholds() throws IOException {
        Path scenario = dir.resolve("short.yaml");
        Files.writeString(scenario, """
                mode: mix
                rate: 200/s
                target: %s
                stages:
                  - ramp: x0 -> x1
                    over: 1s
                  - hold: 2s
                headers:
                  X-Load-Test: short
                bodies: short-bodies
                session_header: false
                thresholds:
                  - rate_errors<0.01
                  - max>3600s
                """.formatted(target));
        Files.createDirectories(dir.resolve("short-bodies"));
        Files.writeString(dir.resolve("short-bodies").resolve("POST_cart_items.json"), "{\"sku\":\"B-7\"}");
        Path out = dir.resolve("short-run");
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", scenario.toString(), "--out", out.toString());
        // a loopback target answers without errors, and no latency is over an hour: one kept, one broken
        JsonObject summary = new JsonObject(Files.readString(out.resolve("summary.json")));
        assertThat(summary.getJsonArray("thresholds").stream().map(t -> ((JsonObject) t).getBoolean("ok")))
                .containsExactly(true, false);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.THRESHOLDS_BROKEN);
        assertThat(r.out()).contains("max>3600s");
        assertThat(summary.getJsonObject("options").getString("shape")).isEqualTo("ramp x0->x1 over 1s, hold 2s");
        long sent = summary.getJsonObject("requests").getLong("sent");
        // 200/s x (0.5 s of ramp average + 2 s) = 500 requests, Poisson
        assertThat((double) sent).isCloseTo(500, within(5 * Math.sqrt(500)));
        assertThat(headerValues.get("short").get()).isEqualTo(sent);
        assertThat(headerValues).doesNotContainKey("session header short");
        assertThat(Files.readString(out.resolve("scenario.yaml"))).contains("X-Load-Test: short");
        // the bodies directory is relative to the scenario file; every POST /cart/items carries its body
        long cartPosts = summary.getJsonArray("endpoints").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("method").equals("POST") && e.getString("template").equals("/cart/items"))
                .mapToLong(e -> e.getLong("sent")).sum();
        assertThat(cartPosts).isPositive();
        assertThat(posts.get("POST /cart/items application/json {\"sku\":\"B-7\"}").get()).isEqualTo(cartPosts);
        assertThat(posts.keySet()).allMatch(k -> !k.startsWith("POST /cart/items ") || k.endsWith("{\"sku\":\"B-7\"}"));
    }

    @Test
    void aBadScenarioIsAnErrorNamingFileLineAndKey() throws IOException {
        Path scenario = dir.resolve("typo.yaml");
        Files.writeString(scenario, "rate: x2\nspeeed: 60\n");
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", scenario.toString(), "--target", target.toString(),
                "--dry-run");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains(scenario + ":2: unknown key 'speeed'").doesNotContain("Exception");
    }

    @Test
    void withoutATargetAnywhereItIsAUsageError() throws IOException {
        Path scenario = dir.resolve("no-target.yaml");
        Files.writeString(scenario, "rate: x2\n");
        Cli.Result r = Cli.run("--db", db, "replay", "--scenario", scenario.toString(), "--dry-run");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--target");
    }

    @Test
    void aShapeDoesNotApplyToExactMode() {
        Cli.Result r = Cli.run("--db", db, "replay", "--target", target.toString(), "--mode", "exact",
                "--shape", "hold 1m", "--dry-run", "--out", dir.resolve("exact").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("--shape").contains("exact mode");
    }

    private static long[] perMinute(Path csv, int minutes) throws IOException {
        long[] counts = new long[minutes];
        try (Stream<String> lines = Files.lines(csv)) {
            lines.skip(1).forEach(line -> {
                int m = (int) (Double.parseDouble(line.substring(0, line.indexOf(','))) / 60_000);
                if (m < minutes) {
                    counts[m]++;
                }
            });
        }
        return counts;
    }
}
