package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.RunRecord;
import dev.reprise.model.WorkloadModel;
import dev.reprise.replay.demo.DemoTarget;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayTest {
    private Vertx serverVertx;
    private final Map<String, LongAdder> received = new ConcurrentHashMap<>();
    private final AtomicLong stallStartNanos = new AtomicLong();

    @BeforeEach
    void startServerVertx() {
        serverVertx = Vertx.vertx();
    }

    @AfterEach
    void stopServerVertx() throws Exception {
        serverVertx.close().await(10, TimeUnit.SECONDS);
    }

    /** A loopback server that counts requests by method + path; /stall answers 1 s late once. */
    private URI startServer() throws Exception {
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            received.computeIfAbsent(request.method() + " " + request.path(), k -> new LongAdder()).increment();
            if (request.path().equals("/stall") && stallStartNanos.compareAndSet(0, System.nanoTime())) {
                // The first /stall request is held for 1 s; with one connection, all others queue behind it,
                // as they would behind a stalled server.
                serverVertx.setTimer(1000, id -> request.response().end("late"));
            } else {
                request.response().end("ok");
            }
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @Test
    void sendsTheModelsMixAndStartsTheExpectedNumberOfSessions() throws Exception {
        URI target = startServer();
        long[] perSecond = new long[10];
        java.util.Arrays.fill(perSecond, 100);
        WorkloadModel model = TestModels.chain(100, perSecond);
        ReplayOptions options = ReplayOptions.defaults(target).withSpeed(4).withSeed(42);

        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        RunRecord run = result.run();
        // 1,000 recorded sessions at x1: Poisson, so within 4 standard deviations (4 x sqrt(1000))
        assertThat(run.sessions()).isCloseTo(1000, within(127L));
        assertThat(run.errors()).isZero();
        assertThat(run.dropped()).isZero();
        assertThat(run.completed()).isEqualTo(run.sent());
        long served = received.values().stream().mapToLong(LongAdder::sum).sum();
        assertThat(served).isEqualTo(run.sent());
        assertThat(result.sentMixDistance()).isLessThan(0.05);
        assertThat(received.keySet()).containsOnly("GET /a", "GET /b", "POST /c/7", "POST /c/8", "POST /c/9");
        // the 10 s recorded curve at speed 4 lasts 2.5 s
        assertThat(Duration.between(run.startedAt(), run.finishedAt()).toMillis()).isBetween(2_400L, 4_000L);
        assertThat(run.intervals()).isNotEmpty();
        assertThat(run.intervals().stream().mapToLong(RunRecord.Interval::sent).sum()).isEqualTo(run.sent());
    }

    @Test
    void latencyFromTheIntendedTimeIncludesAStallThatServiceTimeHides() throws Exception {
        URI target = startServer();
        WorkloadModel model = TestModels.single("/stall", new long[] {100, 100, 100});
        ReplayOptions options = ReplayOptions.defaults(target).withEventLoops(1).withConnectionsPerLoop(1)
                .withSeed(7);

        ReplayResult result = Replay.run(model, options, List.of(Threshold.parse("p(99)<500ms")),
                ReplayListener.NONE);

        // ~100 requests were due during the 1 s stall: corrected latency sees all of them wait
        long lateOnes = result.overallLatency().getCountBetweenValues(500_000, Long.MAX_VALUE);
        long slowServiceOnes = result.overallService().getCountBetweenValues(500_000, Long.MAX_VALUE);
        assertThat(result.overallLatency().getMaxValue()).isGreaterThanOrEqualTo(1_000_000L);
        assertThat(lateOnes).isGreaterThan(30);
        assertThat(slowServiceOnes).isLessThanOrEqualTo(1);
        assertThat(result.run().latencyMs().p99()).isGreaterThan(500);
        assertThat(result.run().serviceTimeMs().p99()).isLessThan(100);
        assertThat(result.thresholds()).singleElement().satisfies(t -> assertThat(t.ok()).isFalse());
    }

    @Test
    void classifiesARefusedConnectionAndKeepsGoing() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        WorkloadModel model = TestModels.single("/x", new long[] {20, 20});
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + port)).withSpeed(2);

        ReplayResult result = Replay.run(model, options, List.of(Threshold.parse("rate_errors<0.01")),
                ReplayListener.NONE);

        assertThat(result.run().sent()).isPositive();
        assertThat(result.run().errors()).isEqualTo(result.run().sent());
        assertThat(result.errorClasses()).containsOnlyKeys("connect_refused");
        assertThat(result.thresholdsOk()).isFalse();
    }

    @Test
    void theDemoTargetServesTheSampleSitesEndpointsWithDifferentLatencies() {
        try (DemoTarget demo = DemoTarget.start()) {
            List<WorkloadModel.Endpoint> endpoints = List.of(
                    new WorkloadModel.Endpoint(1, "GET", "/", 1, 0.5, 0.5, List.of()),
                    new WorkloadModel.Endpoint(2, "GET", "/search", 1, 0.5, 0.5, List.of()));
            List<WorkloadModel.Transition> transitions = List.of(
                    new WorkloadModel.Transition(0, 1, 1, 0.5, 0.5), new WorkloadModel.Transition(0, 2, 1, 0.5, 0.5),
                    new WorkloadModel.Transition(1, -1, 1, 1, 1), new WorkloadModel.Transition(2, -1, 1, 1, 1));
            WorkloadModel model = TestModels.model(endpoints, transitions, 0, new long[] {50, 50});
            ReplayResult result = Replay.run(model, ReplayOptions.defaults(demo.uri()), List.of(), ReplayListener.NONE);
            RunRecord.EndpointRun home = result.run().endpoints().get(0);
            RunRecord.EndpointRun search = result.run().endpoints().get(1);
            assertThat(result.run().errors()).isZero();
            assertThat(search.serviceTimeMs().p50()).isGreaterThan(3 * home.serviceTimeMs().p50());
        }
    }
}
