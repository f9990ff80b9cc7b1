package dev.reprise.replay.engine;

import dev.reprise.model.RunRecord;
import dev.reprise.replay.LiveStatus;
import dev.reprise.replay.ReplayListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Swaps every loop's recorders once per interval (the HdrHistogram Recorder pattern: take the interval
 * histogram, fold it into the run totals, hand it back for recycling), so memory stays constant
 * however long the run. Runs on its own thread; {@code synchronized} because the final collection
 * happens on the caller's thread after the loops have finished.
 *
 * <p>An interval's work is a few milliseconds of CPU (2.3 ms at 22 endpoints: about 0.9 ms taking and
 * adding histograms, 1.3 ms compressing the {@code .hlog} entries), and the scheduler lets a running
 * thread finish its slice before a thread it woke gets the core: on a machine with as many busy
 * threads as cores, an event loop whose timer fired while the reporter ran on its core waited for the
 * whole of it (2.1-2.2 ms once a second at 50,000 req/s, seen with {@code perf sched timehist}). So the
 * reporter gives its core back ({@link #yieldToLoops()}) after each endpoint and each {@code .hlog} entry:
 * a loop waits for one piece of work, tens of microseconds, and the reporter's thread, with nothing
 * to wait for, loses nothing.
 */
final class IntervalReporter {
    private final LoopMetrics[] loops;
    private final int endpoints;
    private final double targetRatePerSecond;
    private final double durationSeconds;
    private final ReplayListener listener;
    private final Histogram[] latencyTotals;
    private final Histogram[] serviceTotals;
    private final Histogram latenessTotal = LoopMetrics.newHistogram();
    /** [loop][endpoint] histograms handed back to the recorders for reuse. */
    private final Histogram[][] latencyRecycle;
    private final Histogram[][] serviceRecycle;
    private final Histogram[] latenessRecycle;
    /**
     * [loop][endpoint] recorders replaced at the previous interval ({@link #take}): sampled once more, for a
     * value a loop may have been writing into one as it was replaced, then dropped.
     */
    private final SingleWriterRecorder[][] retiredLatency;
    private final SingleWriterRecorder[][] retiredService;
    /** Intervals taken so far. */
    private long samples;
    /** Sums of the loops' interval histograms; replaced every {@link LoopMetrics#RENEW_EVERY_INTERVALS}. */
    private Histogram intervalLatency = LoopMetrics.newHistogram();
    private Histogram intervalService = LoopMetrics.newHistogram();
    private Histogram intervalLateness = LoopMetrics.newHistogram();
    /** Null when no .hlog is written. */
    private final HistogramLog histogramLog;
    /** The model's endpoint id of each endpoint index, for the .hlog's per-endpoint tags; -1 = untagged. */
    private final int[] endpointIds;
    /** Per tagged endpoint, its latency over the current interval across loops; created on first use. */
    private final Histogram[] intervalLatencyByEndpoint;
    private final List<RunRecord.Interval> intervals = new ArrayList<>();
    /**
     * Per interval, one row per tagged endpoint with traffic in it (at most MAX_TAGGED_ENDPOINTS rows an
     * interval): the same endpoints and histograms as the .hlog's {@code ep-} entries, for the store.
     */
    private final EndpointIntervalSpill endpointIntervals = new EndpointIntervalSpill();
    /** Per endpoint, the counters at the previous interval (kept for tagged endpoints only). */
    private final long[] lastSentByEndpoint;
    private final long[] lastCompletedByEndpoint;
    private final long[] lastErrorsByEndpoint;
    /** Per endpoint, the counters of the interval being sampled (reused). */
    private final long[] sentNow;
    private final long[] completedNow;
    private final long[] errorsNow;
    private long lastSent;
    private long lastCompleted;
    private long lastErrors;
    private long lastDropped;
    private double lastElapsed;

    IntervalReporter(LoopMetrics[] loops, int[] endpointIds, double targetRatePerSecond, double durationSeconds,
                     ReplayListener listener, HistogramLog histogramLog) {
        this.histogramLog = histogramLog;
        this.endpointIds = endpointIds.clone();
        int endpoints = endpointIds.length;
        this.intervalLatencyByEndpoint = new Histogram[endpoints];
        this.lastSentByEndpoint = new long[endpoints];
        this.lastCompletedByEndpoint = new long[endpoints];
        this.lastErrorsByEndpoint = new long[endpoints];
        this.sentNow = new long[endpoints];
        this.completedNow = new long[endpoints];
        this.errorsNow = new long[endpoints];
        this.loops = loops;
        this.endpoints = endpoints;
        this.targetRatePerSecond = targetRatePerSecond;
        this.durationSeconds = durationSeconds;
        this.listener = listener;
        latencyTotals = new Histogram[endpoints];
        serviceTotals = new Histogram[endpoints];
        for (int e = 0; e < endpoints; e++) {
            latencyTotals[e] = LoopMetrics.newHistogram();
            serviceTotals[e] = LoopMetrics.newHistogram();
        }
        latencyRecycle = new Histogram[loops.length][endpoints];
        serviceRecycle = new Histogram[loops.length][endpoints];
        latenessRecycle = new Histogram[loops.length];
        retiredLatency = new SingleWriterRecorder[loops.length][endpoints];
        retiredService = new SingleWriterRecorder[loops.length][endpoints];
    }

    /** Takes one interval ending at {@code elapsedSeconds} since the run start. */
    synchronized void sample(double elapsedSeconds) {
        // the interval sums are reset, and renewed now and then like the recorders (see LoopMetrics), so
        // that they are no larger than recent intervals need
        boolean renew = renewsNow(0);
        if (renew) {
            intervalLatency = LoopMetrics.newHistogram();
            intervalService = LoopMetrics.newHistogram();
            intervalLateness = LoopMetrics.newHistogram();
        } else {
            intervalLatency.reset();
            intervalService.reset();
            intervalLateness.reset();
        }
        for (int e = 0; e < endpoints; e++) {
            if (renewsNow(e)) {
                intervalLatencyByEndpoint[e] = null; // made again when the endpoint has traffic
            } else if (intervalLatencyByEndpoint[e] != null) {
                intervalLatencyByEndpoint[e].reset();
            }
        }
        for (int l = 0; l < loops.length; l++) {
            LoopMetrics m = loops[l];
            for (int e = 0; e < endpoints; e++) {
                Histogram h = take(m.latency, l, e, latencyRecycle, retiredLatency);
                if (h != null) {
                    latencyTotals[e].add(h);
                    intervalLatency.add(h);
                    if (endpointIds[e] >= 0 && h.getTotalCount() > 0) {
                        if (intervalLatencyByEndpoint[e] == null) {
                            intervalLatencyByEndpoint[e] = LoopMetrics.newHistogram();
                        }
                        intervalLatencyByEndpoint[e].add(h);
                    }
                }
                h = take(m.serviceTime, l, e, serviceRecycle, retiredService);
                if (h != null) {
                    serviceTotals[e].add(h);
                    intervalService.add(h);
                }
                yieldToLoops();
            }
            Histogram lateness = m.lateness.getIntervalHistogram(latenessRecycle[l]);
            latenessTotal.add(lateness);
            intervalLateness.add(lateness);
            latenessRecycle[l] = lateness;
        }
        samples++;
        // each counter is read once per interval, and the run-wide figures are the sums of the per-endpoint
        // ones, so an interval's endpoint rows add up to its run-wide row while the loops keep counting
        readCounters();
        long sent = java.util.Arrays.stream(sentNow).sum();
        long completed = java.util.Arrays.stream(completedNow).sum();
        long errors = java.util.Arrays.stream(errorsNow).sum();
        long dropped = 0;
        long inflight = 0;
        for (LoopMetrics m : loops) {
            dropped += m.dropped.get();
            inflight += m.inflight.get();
        }
        boolean any = intervalLatency.getTotalCount() > 0;
        double p50 = any ? intervalLatency.getValueAtPercentile(50) / 1000.0 : Double.NaN;
        double p99 = any ? intervalLatency.getValueAtPercentile(99) / 1000.0 : Double.NaN;
        double max = any ? intervalLatency.getMaxValue() / 1000.0 : Double.NaN;
        if (histogramLog != null) {
            histogramLog.write(lastElapsed, elapsedSeconds, intervalLatency, intervalService, intervalLateness,
                    intervalLatencyByEndpoint, endpointIds, IntervalReporter::yieldToLoops);
        }
        intervals.add(new RunRecord.Interval(elapsedSeconds, sent - lastSent, completed - lastCompleted,
                errors - lastErrors, dropped - lastDropped, p50, p99, max));
        sampleEndpoints(elapsedSeconds);
        double seconds = Math.max(1e-9, elapsedSeconds - lastElapsed);
        listener.onInterval(new LiveStatus(elapsedSeconds, durationSeconds, (sent - lastSent) / seconds,
                targetRatePerSecond, inflight, p99, sent, errors, dropped));
        lastSent = sent;
        lastCompleted = completed;
        lastErrors = errors;
        lastDropped = dropped;
        lastElapsed = elapsedSeconds;
    }

    /**
     * Adds this interval's row of each tagged endpoint that sent, completed or failed a request in it.
     * The counters are read once per interval, so over a run the rows of an endpoint add up to its totals.
     */
    private void sampleEndpoints(double elapsedSeconds) {
        for (int e = 0; e < endpoints; e++) {
            if (endpointIds[e] < 0) {
                continue;
            }
            long sent = sentNow[e];
            long completed = completedNow[e];
            long errors = errorsNow[e];
            Histogram latency = intervalLatencyByEndpoint[e];
            boolean measured = latency != null && latency.getTotalCount() > 0;
            if (sent != lastSentByEndpoint[e] || completed != lastCompletedByEndpoint[e]
                    || errors != lastErrorsByEndpoint[e] || measured) {
                endpointIntervals.add(new RunRecord.EndpointInterval(elapsedSeconds, endpointIds[e],
                        sent - lastSentByEndpoint[e], completed - lastCompletedByEndpoint[e],
                        errors - lastErrorsByEndpoint[e],
                        measured ? latency.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                        measured ? latency.getValueAtPercentile(95) / 1000.0 : Double.NaN,
                        measured ? latency.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                        measured ? latency.getMaxValue() / 1000.0 : Double.NaN));
            }
            lastSentByEndpoint[e] = sent;
            lastCompletedByEndpoint[e] = completed;
            lastErrorsByEndpoint[e] = errors;
        }
    }

    /**
     * The interval histogram of loop {@code l}'s recorder for endpoint {@code e} (null when it has none
     * yet), with what was left in the recorder it replaced. Every {@link LoopMetrics#RENEW_EVERY_INTERVALS}
     * intervals (staggered over endpoints and loops) the recorder is replaced by a fresh one, whose small
     * histograms grow only as far as the values of the intervals since; see {@link LoopMetrics}. The loop
     * picks the new recorder up at its next value (it reads the reference for each value).
     */
    private Histogram take(java.util.concurrent.atomic.AtomicReferenceArray<SingleWriterRecorder> recorders, int l, int e,
                           Histogram[][] recycle, SingleWriterRecorder[][] retired) {
        SingleWriterRecorder recorder = recorders.get(e);
        if (recorder == null) {
            return null;
        }
        Histogram h = recorder.getIntervalHistogram(recycle[l][e]);
        if (retired[l][e] != null) {
            h.add(retired[l][e].getIntervalHistogram());
            retired[l][e] = null;
        }
        if (renewsNow(e + l)) {
            retired[l][e] = recorder;
            recorders.set(e, LoopMetrics.newRecorder());
            recycle[l][e] = null;
        } else {
            recycle[l][e] = h;
        }
        return h;
    }

    /**
     * Lets a thread waiting for this core run now (an event loop woken by its timer) instead of after the
     * rest of the interval's work; returns at once when none waits. See the class comment.
     */
    static void yieldToLoops() {
        Thread.yield();
    }

    /**
     * Whether this interval renews what is staggered by {@code stagger} (an endpoint and loop index, 0 for
     * the interval sums): each renews once every {@link LoopMetrics#RENEW_EVERY_INTERVALS}, not all at once.
     */
    private boolean renewsNow(long stagger) {
        return (samples + stagger) % LoopMetrics.RENEW_EVERY_INTERVALS == LoopMetrics.RENEW_EVERY_INTERVALS - 1;
    }

    /** The run totals; call after the loops have stopped and a last {@link #sample(double)}. */
    synchronized EngineResult result(java.time.Instant startedAt, java.time.Instant finishedAt, double elapsedSeconds) {
        long[] sent = new long[endpoints];
        long[] completed = new long[endpoints];
        long[] errors = new long[endpoints];
        long sessions = 0;
        long cut = 0;
        long dropped = 0;
        long clamped = 0;
        Map<String, Long> errorClasses = new TreeMap<>();
        Map<Integer, Long> statuses = new TreeMap<>();
        for (LoopMetrics m : loops) {
            for (int e = 0; e < endpoints; e++) {
                sent[e] += m.sent.get(e);
                completed[e] += m.completed.get(e);
                errors[e] += m.errors.get(e);
            }
            sessions += m.sessionsStarted.get();
            cut += m.sessionsCut.get();
            dropped += m.dropped.get();
            clamped += m.clamped.get();
            m.errorClasses.forEach((k, v) -> errorClasses.merge(k, v.sum(), Long::sum));
            for (int code = 0; code < m.statuses.length(); code++) {
                long n = m.statuses.get(code);
                if (n > 0) {
                    statuses.merge(code, n, Long::sum);
                }
            }
        }
        return new EngineResult(startedAt, finishedAt, elapsedSeconds, sessions, cut, sent, completed, errors,
                latencyTotals, serviceTotals, latenessTotal, dropped, clamped, errorClasses, statuses,
                List.copyOf(intervals), endpointIntervals.rows());
    }

    /** Per endpoint, the loops' counters summed into {@link #sentNow}, {@link #completedNow}, {@link #errorsNow}. */
    private void readCounters() {
        java.util.Arrays.fill(sentNow, 0);
        java.util.Arrays.fill(completedNow, 0);
        java.util.Arrays.fill(errorsNow, 0);
        for (LoopMetrics m : loops) {
            for (int e = 0; e < endpoints; e++) {
                sentNow[e] += m.sent.get(e);
                completedNow[e] += m.completed.get(e);
                errorsNow[e] += m.errors.get(e);
            }
        }
    }
}
