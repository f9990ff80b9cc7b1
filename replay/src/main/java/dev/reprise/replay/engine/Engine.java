package dev.reprise.replay.engine;

import dev.reprise.replay.ReplayException;
import dev.reprise.replay.ReplayListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a plan on a private Vert.x instance: one {@link LoopDriver} per event loop, an
 * {@link IntervalReporter} on its own thread, and returns when every loop has finished. Blocking;
 * call it from a plain thread, never from an event loop.
 */
public final class Engine {
    /** Time the loops get to deploy before offset 0, so that every loop starts on the same schedule. */
    private static final long START_DELAY_NANOS = 200_000_000L;

    private Engine() {
    }

    public static EngineResult run(EnginePlan plan, ReplayListener listener) {
        WarmUp.run(plan);
        int loops = plan.options().eventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        ScheduledExecutorService reporterThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reprise-reporter");
            t.setDaemon(true);
            return t;
        });
        HistogramLog histogramLog = null;
        try {
            long runStart = System.nanoTime() + START_DELAY_NANOS;
            EnginePlan timed = plan.startingAt(runStart);
            LoopMetrics[] metrics = new LoopMetrics[loops];
            List<LoopDriver> drivers = new ArrayList<>(loops);
            for (int i = 0; i < loops; i++) {
                metrics[i] = new LoopMetrics(plan.model().endpointCount());
                drivers.add(new LoopDriver(i, timed, metrics[i]));
            }
            List<Future<?>> deployed = new ArrayList<>();
            for (LoopDriver driver : drivers) {
                deployed.add(vertx.deployVerticle(driver));
            }
            await(Future.all(deployed), 30_000, "start the event loops");
            Instant startedAt = Instant.now().plusNanos(Math.max(0, runStart - System.nanoTime()));
            Path hlogFile = plan.options().histogramLog();
            histogramLog = hlogFile == null ? null : HistogramLog.create(hlogFile, startedAt);
            double durationSeconds = plan.durationNanos() / 1e9;
            IntervalReporter reporter = new IntervalReporter(metrics, taggedEndpointIds(plan),
                    plan.targetRatePerSecond(), durationSeconds, listener, histogramLog);
            long intervalNanos = plan.options().reportInterval().toNanos();
            long firstReport = runStart + intervalNanos - System.nanoTime();
            reporterThread.scheduleAtFixedRate(() -> reporter.sample((System.nanoTime() - runStart) / 1e9),
                    firstReport, intervalNanos, TimeUnit.NANOSECONDS);

            List<Future<?>> finished = new ArrayList<>();
            drivers.forEach(d -> finished.add(d.finished()));
            // Bounded: the loops stop scheduling at the end of the duration and every request has a timeout.
            long waitMillis = plan.durationNanos() / 1_000_000 + START_DELAY_NANOS / 1_000_000
                    + 2 * plan.options().timeout().toMillis() + 10_000;
            await(Future.all(finished), waitMillis, "finish the run");
            reporterThread.shutdown();
            awaitTermination(reporterThread);
            double elapsed = (System.nanoTime() - runStart) / 1e9;
            reporter.sample(elapsed);
            EngineResult result = reporter.result(startedAt, Instant.now(), elapsed);
            if (histogramLog != null) {
                HistogramLog log = histogramLog;
                histogramLog = null;
                log.close();
            }
            return result;
        } finally {
            reporterThread.shutdownNow();
            if (histogramLog != null) {
                histogramLog.close();
            }
            try {
                vertx.close().await(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // The run's results are complete; a slow shutdown of idle connections changes nothing.
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IllegalStateException("closing Vert.x failed", e);
            }
        }
    }

    /**
     * Per endpoint index, the id its .hlog latency entries are tagged with, or -1 for none: the
     * {@link HistogramLog#MAX_TAGGED_ENDPOINTS} endpoints of largest model weight (ties: lower id), so
     * the log of a long run against a model of thousands of endpoints stays bounded.
     */
    static int[] taggedEndpointIds(EnginePlan plan) {
        int n = plan.model().endpointCount();
        Integer[] order = new Integer[n];
        for (int e = 0; e < n; e++) {
            order[e] = e;
        }
        java.util.Arrays.sort(order, java.util.Comparator
                .comparingDouble((Integer e) -> -plan.model().endpoint(e).weight())
                .thenComparingInt(e -> plan.model().endpoint(e).id()));
        int[] ids = new int[n];
        java.util.Arrays.fill(ids, -1);
        for (int rank = 0; rank < Math.min(n, HistogramLog.MAX_TAGGED_ENDPOINTS); rank++) {
            ids[order[rank]] = plan.model().endpoint(order[rank]).id();
        }
        return ids;
    }

    private static void await(Future<?> future, long millis, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplayException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new ReplayException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the engine did not " + what + " within " + millis
                    + " ms although every request has a timeout", e);
        }
    }

    private static void awaitTermination(ScheduledExecutorService executor) {
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the interval reporter did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
