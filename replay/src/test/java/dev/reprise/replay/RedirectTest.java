package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.WorkloadModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 5: redirects are answers, never followed — least of all to another host. */
class RedirectTest {
    private Vertx vertx;
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private int listen(String name, java.util.function.Function<String, String> locationForPath) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            received.computeIfAbsent(name + " " + request.path(), k -> new LongAdder()).increment();
            String location = locationForPath.apply(request.path());
            if (location == null) {
                request.response().end("landed");
            } else {
                request.response().setStatusCode(request.path().equals("/moved") ? 301 : 302)
                        .putHeader("Location", location).end();
            }
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    @Test
    void neitherACrossHostNorASameHostRedirectIsFollowedAndEachCountsAsItsStatus() throws Exception {
        int other = listen("other", path -> null);
        int target = listen("target", path -> switch (path) {
            case "/go" -> "http://localhost:" + other + "/landed";
            case "/moved" -> "/landed";
            default -> null;
        });
        long[] perSecond = {50, 50};
        for (String path : List.of("/go", "/moved")) {
            WorkloadModel model = TestModels.single(path, perSecond);
            ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + target)).withSpeed(2)
                    .withWarmUpRequests(0);

            ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

            int status = path.equals("/go") ? 302 : 301;
            assertThat(result.run().errors()).isZero();
            assertThat(result.statuses()).containsOnlyKeys(status);
            assertThat(result.statuses().get(status)).isEqualTo(result.run().sent()).isPositive();
            assertThat(received.get("target " + path).sum()).isEqualTo(result.run().sent());
        }
        assertThat(received.keySet()).containsOnly("target /go", "target /moved");
    }
}
