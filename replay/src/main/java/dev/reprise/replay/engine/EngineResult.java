package dev.reprise.replay.engine;

import dev.reprise.model.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Raw measurements of a finished run, per endpoint index (position in the model's endpoint list).
 * Histograms are in microseconds. {@code endpointIntervals} holds, per reporting interval, a row for each
 * endpoint with its own .hlog entries (at most {@code HistogramLog.MAX_TAGGED_ENDPOINTS}) that had traffic.
 */
public record EngineResult(
        Instant startedAt,
        Instant finishedAt,
        double elapsedSeconds,
        long sessionsStarted,
        long sessionsCut,
        long[] sent,
        long[] completed,
        long[] errors,
        Histogram[] latency,
        Histogram[] serviceTime,
        Histogram lateness,
        long dropped,
        long clampedValues,
        Map<String, Long> errorClasses,
        Map<Integer, Long> statuses,
        List<RunRecord.Interval> intervals,
        List<RunRecord.EndpointInterval> endpointIntervals) {
}
