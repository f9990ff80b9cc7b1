package dev.reprise.replay;

/**
 * One reporting interval as the live view shows it.
 *
 * @param elapsedSeconds     since the run started
 * @param sentPerSecond      requests sent in the interval, per second
 * @param targetPerSecond    the average rate the schedule asks for
 * @param inflight           requests in flight at the end of the interval
 * @param latencyP99Ms       p99 latency (from intended time) of requests completed in the interval
 * @param errors             errors so far
 * @param dropped            dropped requests so far
 */
public record LiveStatus(double elapsedSeconds, double durationSeconds, double sentPerSecond, double targetPerSecond,
                         long inflight, double latencyP99Ms, long sent, long errors, long dropped) {
}
