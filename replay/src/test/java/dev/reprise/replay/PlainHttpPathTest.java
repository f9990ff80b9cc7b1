package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Transition;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5: plain {@code http://} targets are spoken to through the engine's own HTTP/1.1 path
 * (PlainHttpConnection); every framing a server may use must end the request at the right byte, and
 * a target that does not speak HTTP must be classified, not hang the run.
 */
class PlainHttpPathTest {
    private Vertx vertx;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void everyResponseFramingEndsItsRequestOnAReusedConnection() throws Exception {
        Map<String, LongAdder> received = new ConcurrentHashMap<>();
        Map<String, String> userAgents = new ConcurrentHashMap<>();
        Map<String, String> hosts = new ConcurrentHashMap<>();
        LongAdder connectionsOpened = new LongAdder();
        HttpServer server = vertx.createHttpServer().connectionHandler(c -> connectionsOpened.increment())
                .requestHandler(request -> {
                    String key = request.method() + " " + request.path();
                    received.computeIfAbsent(key, k -> new LongAdder()).increment();
                    userAgents.put(key, String.valueOf(request.getHeader("User-Agent")));
                    hosts.put(key, String.valueOf(request.getHeader("Host")));
                    var response = request.response();
                    switch (request.path()) {
                        case "/chunked" -> {
                            response.setChunked(true);
                            response.write("first chunk ");
                            vertx.setTimer(2, t -> response.end(Buffer.buffer("x".repeat(5000))));
                        }
                        case "/empty" -> response.setStatusCode(204).end();
                        case "/cached" -> response.setStatusCode(304).putHeader("ETag", "\"v1\"").end();
                        case "/head" -> response.putHeader("Content-Length", "3001").end();
                        case "/big" -> response.end(Buffer.buffer(new byte[70_000]));
                        case "/missing" -> response.setStatusCode(404).end("no such page");
                        default -> response.setStatusCode(500).end("unexpected " + request.path());
                    }
                });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        List<Endpoint> endpoints = List.of(
                new Endpoint(1, "GET", "/chunked", 1, 1, 1, List.of()),
                new Endpoint(2, "GET", "/empty", 1, 1, 1, List.of()),
                new Endpoint(3, "GET", "/cached", 1, 1, 1, List.of()),
                new Endpoint(4, "HEAD", "/head", 1, 1, 1, List.of()),
                new Endpoint(5, "GET", "/big", 1, 1, 1, List.of()),
                new Endpoint(6, "GET", "/missing", 1, 1, 1, List.of()));
        List<Transition> transitions = new ArrayList<>();
        for (int e = 1; e <= endpoints.size(); e++) {
            transitions.add(new Transition(0, e, 1, 1.0 / endpoints.size(), 1.0 / endpoints.size()));
            transitions.add(new Transition(e, -1, 1, 1, 1));
        }
        WorkloadModel model = TestModels.model(endpoints, transitions, 0, new long[] {1, 1});
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("600/s")).withDuration(Duration.ofSeconds(2))
                .withConnectionsPerLoop(4).withEventLoops(1).withWarmUpRequests(0);

        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        assertThat(result.run().sent()).isGreaterThan(1000);
        assertThat(result.errorClasses()).isEmpty();
        assertThat(result.run().errors()).isZero();
        assertThat(result.run().completed()).isEqualTo(result.run().sent());
        assertThat(result.statuses()).containsOnlyKeys(200, 204, 304, 404);
        assertThat(received.keySet()).containsOnly("GET /chunked", "GET /empty", "GET /cached", "HEAD /head",
                "GET /big", "GET /missing");
        assertThat(received.values().stream().mapToLong(LongAdder::sum).sum()).isEqualTo(result.run().sent());
        assertThat(connectionsOpened.sum()).as("keep-alive: the 4 connections carry every request").isEqualTo(4);
        assertThat(userAgents.values()).containsOnly("Reprise/0.1 (+replay)");
        assertThat(hosts.values()).containsOnly("127.0.0.1:" + server.actualPort());
    }

    /** A body without a length ends at the close; a reply that is not HTTP is a protocol error. */
    @Test
    void aBodyEndedByTheCloseIsAnAnswerAndGarbageIsAProtocolError() throws Exception {
        NetServer untilClose = vertx.createNetServer().connectHandler(socket -> socket.handler(request ->
                socket.end(Buffer.buffer("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe body runs to the close"))));
        untilClose.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        NetServer garbage = vertx.createNetServer().connectHandler(socket -> socket.handler(request ->
                socket.write(Buffer.buffer("SSH-2.0-OpenSSH_9.2\r\n"))));
        garbage.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        WorkloadModel model = TestModels.single("/x", new long[] {1, 1});

        ReplayResult closed = Replay.run(model, ReplayOptions.defaults(URI.create("http://127.0.0.1:" + untilClose.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("200/s")).withDuration(Duration.ofSeconds(1))
                .withWarmUpRequests(0), List.of(), ReplayListener.NONE);
        ReplayResult refused = Replay.run(model, ReplayOptions.defaults(URI.create("http://127.0.0.1:" + garbage.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("200/s")).withDuration(Duration.ofSeconds(1))
                .withWarmUpRequests(0), List.of(), ReplayListener.NONE);

        assertThat(closed.run().sent()).isGreaterThan(150);
        assertThat(closed.run().errors()).isZero();
        assertThat(closed.statuses()).containsOnlyKeys(200);
        assertThat(refused.run().sent()).isGreaterThan(150);
        assertThat(refused.run().errors()).isEqualTo(refused.run().sent());
        assertThat(refused.errorClasses()).containsOnlyKeys("protocol_error");
    }
}
