package dev.reprise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.ModelParams;
import dev.reprise.model.Store;
import dev.reprise.samples.SampleGenerator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 (5c): model build keeps each segment's user agents in segment_agents, they travel with
 * model export/import, model check validates edits, and a model-mode replay sends every synthetic
 * session one agent of its segment, so the target sees the recorded share of bots.
 */
class SegmentAgentsTest {
    private static final Pattern BOT = Pattern.compile(ModelParams.DEFAULT_BOT_PATTERN);

    @TempDir
    Path dir;

    private Vertx vertx;
    private URI target;
    /** Session header value -> the user agents its requests carried. */
    private final Map<String, Set<String>> agentsBySession = new ConcurrentHashMap<>();
    private final AtomicLong withoutSessionHeader = new AtomicLong();

    @BeforeEach
    void startTarget() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            String session = request.getHeader("X-Reprise-Session");
            if (session == null) {
                withoutSessionHeader.incrementAndGet();
            } else {
                agentsBySession.computeIfAbsent(session, k -> ConcurrentHashMap.newKeySet())
                        .add(String.valueOf(request.getHeader("User-Agent")));
            }
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        target = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stopTarget() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private String buildStore(String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        SampleGenerator.generate(SampleGenerator.Options.defaults().withLines(20_000).withSeed(5), log,
                dir.resolve(name + ".truth.json"));
        String db = dir.resolve(name + ".duckdb").toString();
        assertThat(Cli.run("--db", db, "ingest", "nginx", log.toString()).exitCode()).isZero();
        Cli.Result build = Cli.run("--db", db, "model", "build");
        assertThat(build.exitCode()).as(build.err()).isZero();
        return db;
    }

    private static List<List<Object>> rows(String db, String sql) {
        try (Store store = Store.open(Path.of(db))) {
            return store.queryRows(sql);
        }
    }

    @Test
    void buildKeepsEachSegmentsAgentsAndTheBotSegmentHasBotAgents() throws Exception {
        String db = buildStore("agents");

        List<List<Object>> agents = rows(db, "SELECT g.name, a.user_agent, a.sessions FROM segment_agents a "
                + "JOIN segments g USING (segment_id) ORDER BY g.segment_id, a.sessions DESC");
        assertThat(agents).isNotEmpty();
        Map<String, Integer> perSegment = new HashMap<>();
        for (List<Object> row : agents) {
            String segment = (String) row.get(0);
            String agent = (String) row.get(1);
            perSegment.merge(segment, 1, Integer::sum);
            assertThat(((Number) row.get(2)).longValue()).isPositive();
            // bot sessions, and only those, are in the bots segment: so are their agents
            assertThat(BOT.matcher(agent).find()).as(segment + ": " + agent).isEqualTo(segment.equals("bots"));
        }
        long segments = ((Number) rows(db, "SELECT count(*) FROM segments").get(0).get(0)).longValue();
        assertThat(perSegment).hasSize((int) segments).containsKey("bots");
        assertThat(perSegment.values()).allSatisfy(n -> assertThat(n).isBetween(1, ModelParams.AGENTS_PER_SEGMENT));
        assertThat(perSegment.get("bots")).as("the sample has several crawlers").isGreaterThan(1);
        // the kept agents account for no more sessions than their segment has
        assertThat(rows(db, "SELECT g.segment_id FROM segments g JOIN segment_agents a USING (segment_id) "
                + "GROUP BY g.segment_id, g.sessions HAVING sum(a.sessions) > g.sessions")).isEmpty();
        assertThat(rows(db, "SELECT value FROM model_params WHERE name = 'agents_per_segment'"))
                .containsExactly(List.of(Integer.toString(ModelParams.AGENTS_PER_SEGMENT)));
    }

    @Test
    void modelModeReplaySendsEachSessionOneAgentOfItsSegmentInTheBotSegmentsShare() throws Exception {
        String db = buildStore("replay");
        double botWeight = ((Number) rows(db, "SELECT weight / (SELECT sum(weight) FROM segments) FROM segments "
                + "WHERE name = 'bots'").get(0).get(0)).doubleValue();
        Set<String> modelAgents = new HashSet<>();
        rows(db, "SELECT user_agent FROM segment_agents").forEach(r -> modelAgents.add((String) r.get(0)));

        // the recorded day compressed into 8 s at four times its sessions: some 1,700 sessions to loopback
        Cli.Result replay = Cli.run("--db", db, "replay", "--target", target.toString(), "--speed", "5400",
                "--duration", "8s", "--rate", "x4", "--seed", "3");
        assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();

        assertThat(withoutSessionHeader.get()).isZero();
        int sessions = agentsBySession.size();
        assertThat(sessions).isGreaterThan(1000);
        long bots = 0;
        for (Set<String> agents : agentsBySession.values()) {
            assertThat(agents).as("one user agent per session").hasSize(1);
            String agent = agents.iterator().next();
            assertThat(modelAgents).contains(agent);
            if (BOT.matcher(agent).find()) {
                bots++;
            }
        }
        double botShare = (double) bots / sessions;
        // segments are assigned by an equidistributed sequence, so the share is close; allow 4 binomial
        // standard deviations anyway (a few sessions end before their first request)
        double sigma = Math.sqrt(botWeight * (1 - botWeight) / sessions);
        System.out.printf("issue-5c: %d sessions seen, bot share %.4f, bots segment weight %.4f%n", sessions,
                botShare, botWeight);
        assertThat(botWeight).isGreaterThan(0.01);
        assertThat(Math.abs(botShare - botWeight)).isLessThan(4 * sigma + 0.005);
    }

    @Test
    void agentsTravelWithExportImportAndCheckRefusesBadEdits() throws Exception {
        String db = buildStore("edit");
        long kept = ((Number) rows(db, "SELECT count(*) FROM segment_agents").get(0).get(0)).longValue();
        Path exported = dir.resolve("exported");
        assertThat(Cli.run("--db", db, "model", "export", exported.toString()).exitCode()).isZero();
        String other = dir.resolve("other.duckdb").toString();
        Cli.Result imported = Cli.run("--db", other, "model", "import", exported.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(rows(other, "SELECT count(*) FROM segment_agents").get(0).get(0)).isEqualTo(kept);
        assertThat(rows(other, "SELECT * FROM segment_agents ORDER BY ALL"))
                .isEqualTo(rows(db, "SELECT * FROM segment_agents ORDER BY ALL"));

        Cli.run("--db", other, "sql", "UPDATE segment_agents SET sessions = -3 WHERE segment_id = "
                + "(SELECT segment_id FROM segments WHERE name = 'bots')");
        Cli.run("--db", other, "sql", "INSERT INTO segment_agents VALUES (99, 'Lost/1.0', 4)");
        Cli.Result check = Cli.run("--db", other, "model", "check");
        assertThat(check.exitCode()).isNotZero();
        assertThat(check.err()).contains("segment_agents row (segment_id=", "sessions is negative (-3)")
                .contains("segment_agents rows (segment_id=99): no such segment in segments");
    }
}
