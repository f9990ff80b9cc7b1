package dev.reprise.replay.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Everything one event loop measures. Written only by its loop (single writer); read by the reporter
 * thread, which is why counters are atomics (plain increments by one writer, visible to the reader)
 * and recorders are HdrHistogram {@link SingleWriterRecorder}s that the reporter swaps each interval.
 * Values are microseconds, clamped to {@link #MAX_RECORDABLE_MICROS}; clamped values are counted.
 *
 * <p>Memory follows the values of recent intervals, not the largest value of the run. An auto-resizing
 * histogram keeps the counts array of the largest value it ever held (57 KB for 35 ms, 120 KB for the
 * 10 s timeout, 184 KB for the one-hour clamp), and the recorders' histograms are recycled every interval,
 * so in a 10-minute soak at 2,000 req/s their {@code long[]}s grew from 7.5 to 9.9 MB as rare slow
 * responses reached one histogram after another (about 20 histograms per endpoint): a heap that rose as
 * long as the run found new maxima. So the reporter replaces each per-endpoint recorder, and its own
 * interval sums, with fresh ones every {@link #RENEW_EVERY_INTERVALS} intervals (IntervalReporter#take);
 * only the run totals (two histograms per endpoint) keep the range of the whole run.
 *
 * <p>Packed histograms (memory by distinct values) were tried and dropped: as recorders, lateness p99 at
 * 40,000 req/s went to 8-39 ms against 2-3 ms (a packed array reorganises itself as new values arrive, on
 * the loop thread); as the reporter's sums, the JIT compiled their code during the run (compiler threads
 * 1.7 against 0.2-0.5 us of CPU per request at 10,000 req/s), taking CPU from the loop on a 2-core machine.
 */
final class LoopMetrics {
    /** One hour: a latency above it is recorded as one hour and counted in {@link #clamped}. */
    static final long MAX_RECORDABLE_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;

    /** Per endpoint, created lazily by the loop on first use (real logs can have thousands of endpoints). */
    final AtomicReferenceArray<SingleWriterRecorder> latency;
    final AtomicReferenceArray<SingleWriterRecorder> serviceTime;
    final SingleWriterRecorder lateness = newRecorder();
    final AtomicLongArray sent;
    final AtomicLongArray completed;
    final AtomicLongArray errors;
    /** Responses by HTTP status code (index = code, 0..599). */
    final AtomicLongArray statuses = new AtomicLongArray(600);
    final Map<String, LongAdder> errorClasses = new ConcurrentHashMap<>();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong inflight = new AtomicLong();
    final AtomicLong sessionsStarted = new AtomicLong();
    final AtomicLong sessionsCut = new AtomicLong();
    final AtomicLong clamped = new AtomicLong();

    LoopMetrics(int endpoints) {
        latency = new AtomicReferenceArray<>(endpoints);
        serviceTime = new AtomicReferenceArray<>(endpoints);
        sent = new AtomicLongArray(endpoints);
        completed = new AtomicLongArray(endpoints);
        errors = new AtomicLongArray(endpoints);
    }

    /** Loop thread only. */
    void recordLatency(int endpoint, long latencyMicros, long serviceMicros) {
        recorder(latency, endpoint).recordValue(clamp(latencyMicros));
        recorder(serviceTime, endpoint).recordValue(clamp(serviceMicros));
    }

    /** Loop thread only. */
    void recordLateness(long latenessMicros) {
        lateness.recordValue(clamp(latenessMicros));
    }

    /** Loop thread only: one writer, so get-then-set cannot lose an increment. */
    static void increment(AtomicLongArray counters, int index) {
        counters.lazySet(index, counters.get(index) + 1);
    }

    static void increment(AtomicLong counter) {
        counter.lazySet(counter.get() + 1);
    }

    void countError(String errorClass) {
        errorClasses.computeIfAbsent(errorClass, k -> new LongAdder()).increment();
    }

    private long clamp(long micros) {
        if (micros < 0) {
            return 0;
        }
        if (micros > MAX_RECORDABLE_MICROS) {
            increment(clamped);
            return MAX_RECORDABLE_MICROS;
        }
        return micros;
    }

    private static SingleWriterRecorder recorder(AtomicReferenceArray<SingleWriterRecorder> recorders, int endpoint) {
        SingleWriterRecorder r = recorders.get(endpoint);
        if (r == null) {
            r = newRecorder();
            recorders.set(endpoint, r);
        }
        return r;
    }

    /** Intervals between two renewals of a per-endpoint recorder (see the class comment). */
    static final int RENEW_EVERY_INTERVALS = 60;

    /** A recorder of the loop's interval histograms (plain, see the class comment). */
    static SingleWriterRecorder newRecorder() {
        return new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    }

    /** A histogram for sums of the recorders' interval histograms. */
    static Histogram newHistogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }
}
