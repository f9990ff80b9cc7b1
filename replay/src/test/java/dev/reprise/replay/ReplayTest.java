package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.RecordedTraffic;
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
        // every endpoint of this small model has its own interval rows, and they add up to its totals
        java.util.Set<Double> intervalEnds = new java.util.HashSet<>();
        run.intervals().forEach(i -> intervalEnds.add(i.tSeconds()));
        for (RunRecord.EndpointRun e : run.endpoints()) {
            List<RunRecord.EndpointInterval> rows = run.endpointIntervals().stream()
                    .filter(i -> i.endpointId() == e.endpointId()).toList();
            assertThat(rows).as(e.template()).isNotEmpty();
            assertThat(rows.stream().mapToLong(RunRecord.EndpointInterval::sent).sum()).isEqualTo(e.sent());
            assertThat(rows.stream().mapToLong(RunRecord.EndpointInterval::completed).sum()).isEqualTo(e.completed());
            assertThat(rows).allSatisfy(i -> assertThat(intervalEnds).contains(i.tSeconds()));
            assertThat(rows.stream().mapToDouble(RunRecord.EndpointInterval::latencyMaxMs).filter(Double::isFinite).max()
                    .orElseThrow()).isEqualTo(e.latencyMs().max());
        }
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
    void mixModeSendsStatelessRequestsAtTheRequestedRateDrawnByEndpointWeight() throws Exception {
        URI target = startServer();
        long[] perSecond = new long[60];
        java.util.Arrays.fill(perSecond, 10);
        WorkloadModel model = TestModels.chain(100, perSecond);
        ReplayOptions options = ReplayOptions.defaults(target).withMode(Mode.MIX).withRate(Rate.parse("2000/s"))
                .withDuration(Duration.ofSeconds(5)).withSeed(3);

        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        RunRecord run = result.run();
        assertThat(run.mode()).isEqualTo("mix");
        assertThat(run.targetRatePerSecond()).isEqualTo(2000.0);
        // Poisson(10,000): within 4 standard deviations (4 x 100)
        assertThat(run.sent()).isCloseTo(10_000L, within(400L));
        assertThat(run.achievedRatePerSecond()).isCloseTo(2000.0, within(80.0));
        assertThat(run.errors()).isZero();
        assertThat(run.dropped()).isZero();
        long served = received.values().stream().mapToLong(LongAdder::sum).sum();
        assertThat(served).isEqualTo(run.sent());
        assertThat(result.sentMixDistance()).isLessThan(0.02);
    }

    /**
     * The coordinated-omission acceptance of issue 5: 1,000 req/s for 20 s; from 5 s to 7 s the target
     * holds every request it receives for 1 s. A tool that measures from the actual send sees only the
     * requests that were on a connection during the stall; measured from the intended time, every
     * request due during the stall carries it, so p99 is at least 1 s.
     */
    @Test
    void issue5StallOfTwoSecondsShowsInLatencyP99ButInServiceTimeOnlyForTheRequestsInFlight() throws Exception {
        AtomicLong firstRequestNanos = new AtomicLong();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            long now = System.nanoTime();
            firstRequestNanos.compareAndSet(0, now);
            long sinceStart = now - firstRequestNanos.get();
            if (sinceStart >= 5_000_000_000L && sinceStart < 7_000_000_000L) {
                serverVertx.setTimer(1000, id -> request.response().end("late"));
            } else {
                request.response().end("ok");
            }
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        int loops = 2;
        int connectionsPerLoop = 8;
        WorkloadModel model = TestModels.single("/stall", new long[] {1, 1});
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("1000/s")).withDuration(Duration.ofSeconds(20))
                .withEventLoops(loops).withConnectionsPerLoop(connectionsPerLoop).withSeed(11);

        ReplayResult result = Replay.run(model, options, List.of(Threshold.parse("p(99)<1s")), ReplayListener.NONE);

        RunRecord run = result.run();
        assertThat(run.errors()).isZero();
        assertThat(run.sent()).isCloseTo(20_000L, within(600L));
        assertThat(run.latencyMs().p99()).isGreaterThanOrEqualTo(1000.0);
        // every request due during the stall waits until it ends at 7 s, so those due in its first second
        // (about 1,000) wait at least 1 s, and the rest of the stall's 2,000 wait less
        assertThat(result.overallLatency().getCountBetweenValues(1_000_000, Long.MAX_VALUE)).isBetween(800L, 2_200L);
        // only requests on a connection during the stall are slow in service time: each connection carries at
        // most one held request per second of the stall, plus one caught at its edge
        long slowService = result.overallService().getCountBetweenValues(999_000, Long.MAX_VALUE);
        assertThat(slowService).isPositive().isLessThanOrEqualTo((long) loops * connectionsPerLoop * 3);
        assertThat(run.serviceTimeMs().p99()).isLessThan(1000.0);
        assertThat(result.thresholds()).singleElement().satisfies(t -> assertThat(t.ok()).isFalse());
    }

    /** 24 recorded seconds with a 4 s spike; second s holds perSecond[s] requests spread evenly over it. */
    private static long[] exactProfile() {
        long[] perSecond = new long[24];
        for (int sec = 0; sec < perSecond.length; sec++) {
            perSecond[sec] = sec >= 10 && sec < 14 ? 600 : 40 + (sec * 37) % 120;
        }
        return perSecond;
    }

    private static RecordedTraffic recording(long[] perSecond) {
        int n = (int) java.util.Arrays.stream(perSecond).sum();
        long[] offsets = new long[n];
        int[] endpoints = new int[n];
        String[] targets = new String[n];
        String[] agents = new String[n];
        long[] sessions = new long[n];
        int i = 0;
        for (int sec = 0; sec < perSecond.length; sec++) {
            for (int k = 0; k < perSecond[sec]; k++) {
                offsets[i] = sec * 1_000_000L + k * 1_000_000L / perSecond[sec];
                endpoints[i] = 1;
                targets[i] = "/x?i=" + i;
                agents[i] = i % 2 == 0 ? "Recorded-UA/1" : "Recorded-UA/2";
                sessions[i] = i % 100;
                i++;
            }
        }
        return new RecordedTraffic(TestModels.T0_MICROS, TestModels.T0_MICROS + perSecond.length * 1_000_000L,
                offsets, endpoints, targets, agents, sessions);
    }

    @Test
    void exactModeSendsEveryRecordedRequestAndReproducesThePerSecondCountsTimeCompressed() throws Exception {
        java.util.Queue<Long> arrivalNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Map<String, LongAdder> agents = new ConcurrentHashMap<>();
        java.util.Set<String> uris = ConcurrentHashMap.newKeySet();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            arrivalNanos.add(System.nanoTime());
            agents.computeIfAbsent(request.getHeader("User-Agent"), k -> new LongAdder()).increment();
            uris.add(request.uri());
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        long[] perSecond = exactProfile();
        RecordedTraffic recorded = recording(perSecond);
        WorkloadModel model = TestModels.single("/x", perSecond);
        // a recorded second lasts 333 ms: long enough that a scheduling hiccup of a loaded CI machine moves
        // few requests across a bucket boundary, short enough for an 8 s test
        double speed = 3;
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withMode(Mode.EXACT).withSpeed(speed);

        ReplayResult result = Replay.run(model, recorded, options, List.of(), ReplayListener.NONE);

        assertThat(result.run().mode()).isEqualTo("exact");
        assertThat(result.run().sent()).isEqualTo(recorded.size());
        assertThat(result.run().errors()).isZero();
        assertThat(arrivalNanos).hasSize(recorded.size());
        assertThat(uris).hasSize(recorded.size()).contains("/x?i=0", "/x?i=" + (recorded.size() - 1));
        assertThat(agents.keySet()).containsOnly("Recorded-UA/1", "Recorded-UA/2");
        // per recorded second, counted by the target
        long first = arrivalNanos.stream().mapToLong(Long::longValue).min().orElseThrow();
        double[] received = new double[perSecond.length];
        for (long t : arrivalNanos) {
            int bucket = (int) ((t - first) * speed / 1e9);
            received[Math.min(bucket, received.length - 1)]++;
        }
        double[] expected = java.util.Arrays.stream(perSecond).asDoubleStream().toArray();
        assertThat(pearson(expected, received)).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void exactModeLoopsTheWindowForTheWholeDuration() throws Exception {
        URI target = startServer();
        long[] perSecond = {50, 10, 30, 20};
        RecordedTraffic recorded = recording(perSecond);
        WorkloadModel model = TestModels.single("/x", perSecond);
        // 4 recorded seconds at speed 4 last 1 s; looped for 3 s: three passes
        ReplayOptions options = ReplayOptions.defaults(target).withMode(Mode.EXACT).withSpeed(4).withLoop(true)
                .withDuration(Duration.ofSeconds(3));

        ReplayResult result = Replay.run(model, recorded, options, List.of(), ReplayListener.NONE);

        assertThat(result.run().sent()).isEqualTo(3L * recorded.size());
        assertThat(received.get("GET /x").sum()).isEqualTo(3L * recorded.size());
    }

    @Test
    void exactModeRefusesARateBecauseItSendsTheRecordingAsItWas() {
        long[] perSecond = {5, 5};
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:9")).withMode(Mode.EXACT)
                .withRate(Rate.parse("x3"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Replay.run(TestModels.single("/x", perSecond),
                        recording(perSecond), options, List.of(), ReplayListener.NONE))
                .isInstanceOf(ReplayException.class).hasMessageContaining("use --speed");
    }

    private static double pearson(double[] x, double[] y) {
        double mx = java.util.Arrays.stream(x).average().orElseThrow();
        double my = java.util.Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    @Test
    void everyRequestCarriesItsSessionIdAndTheExtraHeadersSoTheTargetCanTraceSessions() throws Exception {
        Map<String, java.util.List<String>> pathsBySession = new ConcurrentHashMap<>();
        java.util.Set<String> tokens = ConcurrentHashMap.newKeySet();
        LongAdder withoutSession = new LongAdder();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            String session = request.getHeader("X-Trace-Visit");
            if (session == null) {
                withoutSession.increment();
            } else {
                pathsBySession.computeIfAbsent(session, k -> java.util.Collections.synchronizedList(
                        new java.util.ArrayList<>())).add(request.path());
            }
            tokens.add(String.valueOf(request.getHeader("Authorization")));
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        URI target = URI.create("http://127.0.0.1:" + server.actualPort());
        WorkloadModel model = TestModels.chain(10, new long[] {100, 100});
        ReplayOptions options = ReplayOptions.defaults(target).withSpeed(2).withSeed(5)
                .withSessionHeader("X-Trace-Visit").withExtraHeaders(Map.of("Authorization", "Bearer t0k"));

        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        assertThat(withoutSession.sum()).isZero();
        assertThat(tokens).containsOnly("Bearer t0k");
        // one id per session, and each session's requests walk the chain from /a
        assertThat((long) pathsBySession.size()).isEqualTo(result.run().sessions());
        assertThat(pathsBySession.values()).allSatisfy(paths -> assertThat(paths.get(0)).isEqualTo("/a"));
        assertThat(pathsBySession.values().stream().mapToInt(List::size).max().orElseThrow()).isGreaterThan(1);

        pathsBySession.clear();
        Replay.run(model, options.withSessionHeader(null), List.of(), ReplayListener.NONE);
        assertThat(pathsBySession).isEmpty();
        assertThat(withoutSession.sum()).isPositive();
    }

    /**
     * Issue 5 faults: a burst of 503s, connections reset mid-request, responses slower than --timeout,
     * then the target killed: the run goes on to its end, every failure is classified, and the thresholds
     * give the verdict.
     */
    @Test
    void issue5SurvivesAndClassifiesA5xxBurstResetsSlowResponsesAndTheTargetDyingMidRun() throws Exception {
        AtomicLong firstNanos = new AtomicLong();
        HttpServer server = serverVertx.createHttpServer();
        server.requestHandler(request -> {
            long now = System.nanoTime();
            if (firstNanos.compareAndSet(0, now)) {
                // killed 2.2 s after its first request: open connections close, new ones are refused
                serverVertx.setTimer(2200, id -> server.close());
            }
            long ms = (now - firstNanos.get()) / 1_000_000;
            if (ms < 500) {
                request.response().setStatusCode(503).end("busy");
            } else if (ms < 1000) {
                request.connection().close(); // reset: no response at all
            } else if (ms < 1500) {
                serverVertx.setTimer(2000, id -> request.response().end("too late"));
            } else {
                request.response().end("ok");
            }
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        URI target = URI.create("http://127.0.0.1:" + server.actualPort());
        WorkloadModel model = TestModels.single("/x", new long[] {1, 1});
        ReplayOptions options = ReplayOptions.defaults(target).withMode(Mode.MIX).withRate(Rate.parse("200/s"))
                .withDuration(Duration.ofSeconds(4)).withTimeout(Duration.ofMillis(300)).withSeed(2);

        ReplayResult result = Replay.run(model, options, List.of(Threshold.parse("rate_errors<0.01"),
                Threshold.parse("p(50)<10s")), ReplayListener.NONE);

        RunRecord run = result.run();
        assertThat(run.sent()).isCloseTo(800L, within(120L));
        assertThat(result.errorClasses()).containsKeys("http_503", "timeout", "connect_refused");
        assertThat(result.errorClasses().keySet()).anyMatch(c -> c.equals("connection_closed") || c.equals("reset"));
        assertThat(result.errorClasses().keySet()).noneMatch(c -> c.startsWith("other:"));
        assertThat(result.errorClasses().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(run.errors());
        // the run went to its end: requests were sent in the last second, to a dead target (summed over the
        // intervals ending after 3 s: when the loops finish just after the reporter's 4 s sample, the run's
        // last interval is a few milliseconds long and empty)
        assertThat(run.intervals().stream().filter(i -> i.tSeconds() > 3.05).mapToLong(RunRecord.Interval::sent).sum())
                .isPositive();
        assertThat(result.thresholds()).extracting(ThresholdResult::ok).containsExactly(false, true);
    }

    @Test
    void shardsSendDisjointSharesThatTogetherAreTheWholeSchedule() throws Exception {
        Map<String, java.util.Set<String>> idsByShard = new ConcurrentHashMap<>();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            idsByShard.computeIfAbsent(request.getHeader("X-Shard"), k -> ConcurrentHashMap.newKeySet())
                    .add(request.getHeader("X-Reprise-Session"));
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        WorkloadModel model = TestModels.single("/x", new long[] {1, 1});
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("600/s")).withDuration(Duration.ofSeconds(2)).withSeed(8)
                .withWarmUpRequests(0);

        for (String shard : List.of("1/3", "2/3", "3/3", "1/1")) {
            ReplayResult r = Replay.run(model, options.withShard(Shard.parse(shard))
                    .withExtraHeaders(Map.of("X-Shard", shard)), List.of(), ReplayListener.NONE);
            assertThat(r.run().targetRatePerSecond()).isEqualTo(600.0 / Shard.parse(shard).count());
        }

        java.util.Set<String> whole = idsByShard.get("1/1");
        java.util.Set<String> union = new java.util.HashSet<>();
        long total = 0;
        for (String shard : List.of("1/3", "2/3", "3/3")) {
            assertThat(idsByShard.get(shard).size()).isCloseTo(whole.size() / 3, within(whole.size() / 10));
            union.addAll(idsByShard.get(shard));
            total += idsByShard.get(shard).size();
        }
        assertThat(total).isEqualTo(union.size()); // disjoint
        assertThat(union).isEqualTo(whole);        // together, the whole schedule
    }

    @Test
    void aDryRunListsExactlyTheRequestsARunWithTheSameSeedSends() throws Exception {
        java.util.Set<String> sent = ConcurrentHashMap.newKeySet();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            sent.add(request.getHeader("X-Reprise-Session") + " " + request.method() + " " + request.uri());
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        // think times of 10 ms and a curve that ends 1 s before the duration: no session is cut
        WorkloadModel model = TestModels.chain(10, new long[] {60, 60, 0});
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withSeed(21).withSpeed(1).withWarmUpRequests(0);
        java.util.List<String> planned = new java.util.ArrayList<>();
        java.util.List<Double> offsets = new java.util.ArrayList<>();

        long count = Replay.dryRun(model, null, options, (offset, session, segment, method, uri) -> {
            planned.add(session + " " + method + " " + uri);
            offsets.add(offset);
        });
        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        assertThat(count).isEqualTo(planned.size()).isEqualTo(result.run().sent());
        assertThat(offsets).isSorted();
        assertThat(new java.util.HashSet<>(planned)).isEqualTo(sent);
        java.util.List<String> again = new java.util.ArrayList<>();
        Replay.dryRun(model, null, options, (offset, session, segment, method, uri) -> again.add(session + " " + method + " " + uri));
        assertThat(again).isEqualTo(planned);
        java.util.List<String> otherSeed = new java.util.ArrayList<>();
        Replay.dryRun(model, null, options.withSeed(22), (o, session, segment, method, uri) -> otherSeed.add(session + " " + method + " " + uri));
        assertThat(otherSeed).isNotEqualTo(planned);
    }

    @Test
    void speaksHttp2InClearTextWhenAsked() throws Exception {
        Map<String, LongAdder> versions = new ConcurrentHashMap<>();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            versions.computeIfAbsent(request.version().name(), k -> new LongAdder()).increment();
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("300/s")).withDuration(Duration.ofSeconds(1)).withHttp2(true)
                .withWarmUpRequests(0);

        ReplayResult result = Replay.run(TestModels.single("/x", new long[] {1, 1}), options, List.of(),
                ReplayListener.NONE);

        assertThat(result.run().errors()).isZero();
        assertThat(result.run().sent()).isPositive();
        assertThat(versions).containsOnlyKeys("HTTP_2");
        assertThat(versions.get("HTTP_2").sum()).isEqualTo(result.run().sent());
    }

    /**
     * Model-mode fidelity of issue 5: the endpoint mix sent is within TVD 0.02 of the model's weights,
     * and session arrivals per recorded second follow the curve x rate within Poisson noise, both as
     * the target sees them.
     */
    @Test
    void issue5ModelModeFollowsTheWeightsAndTheArrivalCurveAsTheTargetSeesThem() throws Exception {
        Map<String, Long> firstSeenMillis = new ConcurrentHashMap<>();
        Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            firstSeenMillis.putIfAbsent(request.getHeader("X-Reprise-Session"), System.currentTimeMillis());
            String path = request.path().startsWith("/c/") ? "/c/{id}" : request.path();
            byEndpoint.computeIfAbsent(path, k -> new LongAdder()).increment();
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        long[] perSecond = new long[30];
        for (int i = 0; i < perSecond.length; i++) {
            perSecond[i] = 100 + (i * 53) % 200; // 100..299 sessions per recorded second
        }
        WorkloadModel model = TestModels.chain(50, perSecond);
        double speed = 6; // a recorded second lasts 167 ms
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withSpeed(speed).withSeed(17);

        ReplayResult result = Replay.run(model, options, List.of(), ReplayListener.NONE);

        long total = byEndpoint.values().stream().mapToLong(LongAdder::sum).sum();
        assertThat(total).isEqualTo(result.run().sent());
        double tvd = 0;
        for (WorkloadModel.Endpoint e : model.endpoints()) {
            LongAdder n = byEndpoint.get(e.template());
            tvd += Math.abs((n == null ? 0 : n.sum()) / (double) total - e.weight());
        }
        assertThat(tvd / 2).as("TVD between model weights and the mix the target received").isLessThan(0.02);

        long startMillis = result.run().startedAt().toEpochMilli();
        long[] observed = new long[perSecond.length];
        for (long t : firstSeenMillis.values()) {
            int bucket = (int) Math.floor((t - startMillis) * speed / 1000.0);
            observed[Math.max(0, Math.min(bucket, observed.length - 1))]++;
        }
        double chiSquare = 0;
        for (int i = 0; i < perSecond.length; i++) {
            // Poisson: each recorded second's count within 5 standard deviations (plus a few for edge jitter)
            assertThat((double) observed[i]).as("sessions in recorded second " + i)
                    .isCloseTo(perSecond[i], within(5 * Math.sqrt(perSecond[i]) + 5));
            chiSquare += Math.pow(observed[i] - perSecond[i], 2) / perSecond[i];
        }
        // 30 degrees of freedom: mean 30, standard deviation 7.7; a 5-sigma bound
        assertThat(chiSquare).isLessThan(30 + 5 * Math.sqrt(60));
    }

    /** Think times as the target sees them: next request's arrival minus the previous response. */
    @Test
    void issue5ThinkTimesMeasuredByTheTargetMatchTheModelsMedianWithinTenPercent() throws Exception {
        Map<String, Long> lastResponseNanos = new ConcurrentHashMap<>();
        java.util.Queue<Double> gapsMillis = new java.util.concurrent.ConcurrentLinkedQueue<>();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            String session = request.getHeader("X-Reprise-Session");
            Long previous = lastResponseNanos.get(session);
            if (previous != null) {
                gapsMillis.add((System.nanoTime() - previous) / 1e6);
            }
            request.response().end("ok");
            lastResponseNanos.put(session, System.nanoTime());
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        // think times uniform in [100, 200] ms: median 150 ms. About 1,000 gaps, so the sample median has a
        // standard error of 100 / (2 sqrt(1000)) = 1.6 ms and the 10% band (15 ms) is about 9 of them
        WorkloadModel model = TestModels.chainWithThinkRange(100, 200, new long[] {450, 450, 450, 0});
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withSeed(3).withWarmUpRequests(0);

        Replay.run(model, options, List.of(), ReplayListener.NONE);

        double[] gaps = gapsMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertThat(gaps.length).isGreaterThan(800);
        assertThat(gaps[gaps.length / 2]).isCloseTo(150.0, within(15.0));
    }

    /**
     * Targets end keep-alive connections on their own (nginx after keepalive_requests, 1,000 by default):
     * a response with {@code Connection: close} must retire its connection, not leave it to fail the
     * next request.
     */
    @Test
    void aTargetClosingKeepAliveConnectionsAfterAResponseCausesNoErrors() throws Exception {
        LongAdder received = new LongAdder();
        HttpServer server = serverVertx.createHttpServer().requestHandler(request -> {
            received.increment();
            if (received.sum() % 5 == 0) {
                request.response().putHeader("Connection", "close");
            }
            request.response().end("ok");
        });
        server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:" + server.actualPort()))
                .withMode(Mode.MIX).withRate(Rate.parse("1000/s")).withDuration(Duration.ofSeconds(2))
                .withConnectionsPerLoop(2).withWarmUpRequests(0);

        ReplayResult result = Replay.run(TestModels.single("/x", new long[] {1, 1}), options, List.of(),
                ReplayListener.NONE);

        assertThat(result.run().sent()).isGreaterThan(1500);
        assertThat(result.errorClasses()).isEmpty();
        assertThat(result.run().errors()).isZero();
        assertThat(received.sum()).isEqualTo(result.run().sent());
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
