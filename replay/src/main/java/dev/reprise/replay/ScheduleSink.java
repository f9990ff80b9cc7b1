package dev.reprise.replay;

/** Receives a dry run's schedule, one request at a time in intended-time order. */
@FunctionalInterface
public interface ScheduleSink {
    /** The segment of a request that belongs to none (mix and exact mode); segment ids start at 1. */
    int NO_SEGMENT = 0;

    /**
     * @param offsetMillis intended send time, milliseconds after the run's start
     * @param session      the session id the request carries in the session header
     * @param segmentId    the {@code segments.segment_id} the session walks (model mode), else {@link #NO_SEGMENT}
     * @param method       HTTP method
     * @param uri          request target (path and query), without the target URL's base path
     */
    void request(double offsetMillis, long session, int segmentId, String method, String uri);
}
