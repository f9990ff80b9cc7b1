package dev.reprise.replay.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Everything one event loop measures. Written only by its loop (single writer); read by the reporter
 * thread, which is why counters are atomics (plain increments by one writer, visible to the reader)
 * and recorders are HdrHistogram {@link SingleWriterRecorder}s that the reporter swaps each interval.
 * Values are microseconds, clamped to {@link #MAX_RECORDABLE_MICROS}; clamped values are counted.
 */
final class LoopMetrics {
    /** One hour: a latency above it is recorded as one hour and counted in {@link #clamped}. */
    static final long MAX_RECORDABLE_MICROS = 3_600_000_000L;
    static final int SIGNIFICANT_DIGITS = 3;

    /** Per endpoint, created lazily by the loop on first use (real logs can have thousands of endpoints). */
    final AtomicReferenceArray<SingleWriterRecorder> latency;
    final AtomicReferenceArray<SingleWriterRecorder> serviceTime;
    final SingleWriterRecorder lateness = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
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
            r = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
            recorders.set(endpoint, r);
        }
        return r;
    }
}
