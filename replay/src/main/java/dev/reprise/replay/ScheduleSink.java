package dev.reprise.replay;

/** Receives a dry run's schedule, one request at a time in intended-time order. */
@FunctionalInterface
public interface ScheduleSink {
    /**
     * @param offsetMillis intended send time, milliseconds after the run's start
     * @param session      the session id the request carries in the session header
     * @param method       HTTP method
     * @param uri          request target (path and query), without the target URL's base path
     */
    void request(double offsetMillis, long session, String method, String uri);
}
