package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.model.RunRecord;
import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestBodiesTest {
    @TempDir
    Path dir;

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(1, "GET", "/a", 1, 0.5, 0.5, List.of()),
            new Endpoint(2, "POST", "/api/cart/{id}/items", 1, 0.25, 0.25, List.of()),
            new Endpoint(3, "PUT", "/", 1, 0.25, 0.25, List.of()));

    @ParameterizedTest
    @CsvSource({"POST, /api/cart/{id}/items, POST_api_cart_{id}_items", "put, /, PUT_", "DELETE, /a/b, DELETE_a_b"})
    void namesTheFileByMethodAndTemplate(String method, String template, String stem) {
        assertThat(RequestBodies.fileStem(method, template)).isEqualTo(stem);
    }

    @Test
    void readsOneFilePerEndpointWithItsContentTypeByExtension() throws Exception {
        Files.writeString(dir.resolve("POST_api_cart_{id}_items.json"), "{\"qty\":1}");
        Files.writeString(dir.resolve("PUT_.form"), "a=1&b=2");
        Files.writeString(dir.resolve(".hidden"), "ignored");
        RequestBodies bodies = RequestBodies.load(dir, ENDPOINTS);
        assertThat(bodies.body(0)).isNull();
        assertThat(new String(bodies.body(1), StandardCharsets.UTF_8)).isEqualTo("{\"qty\":1}");
        assertThat(bodies.contentType(1)).isEqualTo("application/json");
        assertThat(new String(bodies.body(2), StandardCharsets.UTF_8)).isEqualTo("a=1&b=2");
        assertThat(bodies.contentType(2)).isEqualTo("application/x-www-form-urlencoded");
        assertThat(bodies.files()).containsOnlyKeys(1, 2);
    }

    @Test
    void aFileThatMatchesNoEndpointIsAnErrorListingTheExpectedNames() throws Exception {
        Files.writeString(dir.resolve("POST_api_cart_items.json"), "{}");
        assertThatThrownBy(() -> RequestBodies.load(dir, ENDPOINTS)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("POST_api_cart_items.json matches no endpoint")
                .hasMessageContaining("POST_api_cart_{id}_items.*, PUT_.*");
    }

    @Test
    void twoFilesForOneEndpointAreAnError() throws Exception {
        Files.writeString(dir.resolve("PUT_.json"), "{}");
        Files.writeString(dir.resolve("PUT_.xml"), "<a/>");
        assertThatThrownBy(() -> RequestBodies.load(dir, ENDPOINTS)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("are both bodies of PUT /");
    }

    @Test
    void endpointsThatShareAFileNameAreAnError() {
        List<Endpoint> clash = List.of(new Endpoint(1, "POST", "/a/b", 1, 0.5, 0.5, List.of()),
                new Endpoint(2, "POST", "/a_b", 1, 0.5, 0.5, List.of()));
        assertThatThrownBy(() -> RequestBodies.load(dir, clash)).isInstanceOf(ReplayException.class)
                .hasMessageContaining("POST /a/b and POST /a_b share the body file name POST_a_b");
    }

    @Test
    void aMissingDirectoryIsAnError() {
        assertThatThrownBy(() -> RequestBodies.load(dir.resolve("nope"), ENDPOINTS))
                .isInstanceOf(ReplayException.class).hasMessageContaining("is not a directory");
    }

    @Test
    void everyRequestOfAnEndpointWithABodyCarriesItAndTheOthersNone() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Map<String, LongAdder> seen = new ConcurrentHashMap<>();
            HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                String key = request.method() + " " + request.path().replaceAll("[0-9]+$", "N") + " "
                        + request.getHeader("Content-Type") + " " + body.toString(StandardCharsets.UTF_8);
                seen.computeIfAbsent(key, k -> new LongAdder()).increment();
                request.response().end("ok");
            }));
            server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            long[] perSecond = new long[4];
            java.util.Arrays.fill(perSecond, 100);
            WorkloadModel model = TestModels.chain(20, perSecond);
            Files.writeString(dir.resolve("POST_c_{id}.json"), "{\"sku\":\"A-1\",\"qty\":2}");
            ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                    .withSpeed(2).withWarmUpRequests(0).withBodies(RequestBodies.load(dir, model.endpoints()));

            RunRecord run = Replay.run(model, options, List.of(), ReplayListener.NONE).run();

            assertThat(run.errors()).isZero();
            long posts = run.endpoints().stream().filter(e -> e.method().equals("POST")).mapToLong(RunRecord.EndpointRun::sent).sum();
            assertThat(posts).isGreaterThan(20);
            assertThat(seen.keySet()).containsOnly("GET /a null ", "GET /b null ",
                    "POST /c/N application/json {\"sku\":\"A-1\",\"qty\":2}");
            assertThat(seen.get("POST /c/N application/json {\"sku\":\"A-1\",\"qty\":2}").sum()).isEqualTo(posts);
            assertThat(run.optionsJson()).contains("POST_c_{id}.json");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
