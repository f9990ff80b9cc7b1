package dev.reprise.replay.engine;

import dev.reprise.replay.ReplayListener;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Before the real run, runs the same plan for a few seconds against an in-process server on
 * 127.0.0.1, so that the JIT has compiled the whole hot path (scheduler, sampling, HTTP client,
 * recorders) when the real schedule starts. Without it the first seconds of a run at thousands of
 * requests per second run in the interpreter and the scheduler falls behind: measured at 5,000 req/s
 * over 30 s, lateness p99 was 85 to 340 ms, all of it from the first 4 s. The target receives none of
 * these requests, their measurements are discarded, and the run's clock starts after the warm-up.
 *
 * <p>On a busy machine the compiler threads get less CPU and C2 was still compiling the hot path 10 s
 * into a run at 5,000 req/s, taking as much CPU as the event loop itself. So after the first round
 * the warm-up goes on in rounds of one second while the JIT spent more than a tenth of the last
 * round compiling (as {@link CompilationMXBean} reports), for at most {@link #MAX_TOTAL_NANOS}.
 */
final class WarmUp {
    private static final long MIN_NANOS = 1_000_000_000L;
    private static final long MAX_NANOS = 3_000_000_000L;
    private static final long EXTRA_ROUND_NANOS = 1_000_000_000L;
    private static final long MAX_TOTAL_NANOS = 10_000_000_000L;
    /** The JIT has settled when it compiled for less than this share of the last round's wall time. */
    private static final double SETTLED_COMPILE_SHARE = 0.1;
    /**
     * The warm-up takes interval histograms 50 times a second, into a throw-away .hlog, so that the
     * reporter's code (percentiles of up to 100 endpoints, the .hlog's encoding) is compiled before the run
     * too: at the run's once a second it was not, and C2 compiled it during the run (98 compilations in a
     * 15 s step at 40,000 req/s), taking CPU from the event loop on a 2-core machine.
     */
    private static final java.time.Duration REPORT_INTERVAL = java.time.Duration.ofMillis(20);

    private WarmUp() {
    }

    /**
     * The warm-up server's answers look like a real target's, so that the JIT compiles the response
     * parser for them: with a bare {@code 200 ok} the parser had never seen a {@code Connection} header
     * (nginx sends one on every response), a chunked body or an error status, and at the run's first
     * nginx responses its compiled code was thrown away (six methods "made not entrant" in
     * {@code -XX:+PrintCompilation}) and ran in the interpreter while C2 compiled it again; at 70,000
     * req/s the loop fell 20 ms behind in the first 200 ms. Most answers are nginx's usual head with a
     * {@code Content-Length}; one in eight is chunked, one in 64 a 404 and one in 64 a 503.
     */
    private static final class TargetLikeResponses implements io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> {
        private long served;

        @Override
        public void handle(io.vertx.core.http.HttpServerRequest request) {
            long n = served++;
            io.vertx.core.http.HttpServerResponse response = request.response()
                    .putHeader("Server", "nginx/1.22.1")
                    .putHeader("Date", "Tue, 24 Nov 2026 12:00:00 GMT")
                    .putHeader("Content-Type", "text/plain")
                    .putHeader("Connection", "keep-alive");
            if (n % 64 == 13) {
                response.setStatusCode(404).end("not found");
            } else if (n % 64 == 29) {
                response.setStatusCode(503).end("unavailable");
            } else if (n % 8 == 7) {
                response.setChunked(true).write("o");
                response.end("k");
            } else {
                response.end("ok");
            }
        }
    }

    /** The plan of one warm-up round: the same schedule for {@code nanos}, sent to {@code loopback}. */
    private static EnginePlan round(EnginePlan plan, URI loopback, long nanos, java.nio.file.Path histogramLog) {
        return new EnginePlan(plan.model(),
                plan.options().withTarget(loopback).withHistogramLog(histogramLog).withReportInterval(REPORT_INTERVAL)
                        .withWarmUpRequests(0).withTimeout(java.time.Duration.ofSeconds(2)),
                plan.windowStartMicros(), plan.windowEndMicros(), plan.rateMultiplier(),
                nanos, plan.targetRatePerSecond(), 0L, plan.recording(), plan.recordedEndpoints());
    }

    /** Runs the warm-up of {@code plan}; returns when it is over. Does nothing when warm-up is off. */
    static void run(EnginePlan plan) {
        int requests = plan.options().warmUpRequests();
        if (requests == 0) {
            return;
        }
        Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        java.nio.file.Path histogramLog = null;
        try {
            histogramLog = java.nio.file.Files.createTempFile("reprise-warm-up-", ".hlog");
            HttpServer server = serverVertx.createHttpServer().requestHandler(new TargetLikeResponses());
            int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
            double rate = Math.max(1, plan.targetRatePerSecond());
            long nanos = Math.max(MIN_NANOS, Math.min(MAX_NANOS, (long) (requests / rate * 1e9)));
            URI loopback = URI.create("http://127.0.0.1:" + port);
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            boolean canWatchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
            long started = System.nanoTime();
            long roundNanos = nanos;
            while (true) {
                long compiledBefore = canWatchJit ? jit.getTotalCompilationTime() : 0;
                long roundStart = System.nanoTime();
                Engine.run(round(plan, loopback, Math.min(roundNanos, plan.durationNanos()), histogramLog),
                        ReplayListener.NONE);
                long roundWallMillis = (System.nanoTime() - roundStart) / 1_000_000;
                long compiledMillis = canWatchJit ? jit.getTotalCompilationTime() - compiledBefore : 0;
                if (compiledMillis <= SETTLED_COMPILE_SHARE * roundWallMillis
                        || System.nanoTime() - started + EXTRA_ROUND_NANOS > MAX_TOTAL_NANOS) {
                    break;
                }
                roundNanos = EXTRA_ROUND_NANOS;
            }
            // The warm-up (and loading the model) leave a heap full of short-lived garbage that the first
            // young collections of the run would copy, pausing the loops for 10-25 ms (measured with
            // -Xlog:gc at 10,000 req/s). One explicit collection now, before offset 0, is not measured.
            System.gc();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the loopback warm-up server did not start within 10 s", e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create the warm-up's temporary histogram log", e);
        } finally {
            serverVertx.close();
            if (histogramLog != null) {
                try {
                    java.nio.file.Files.deleteIfExists(histogramLog);
                } catch (java.io.IOException ignored) {
                    // a temporary file; the OS cleans its temporary directory
                }
            }
        }
    }
}
