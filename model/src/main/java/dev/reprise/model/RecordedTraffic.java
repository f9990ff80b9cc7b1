package dev.reprise.model;

import java.util.Objects;

/**
 * The recorded requests of a time window, in time order, as exact-mode replay sends them: column
 * arrays (one entry per request) so a few million requests stay compact. Loaded by
 * {@link Store#loadRecording(long, long)}; immutable by convention (arrays are never written after load)
 * and safe to share between threads.
 *
 * @param windowStartMicros recorded time (epoch µs) the window starts at; offsets are relative to it
 * @param windowEndMicros   recorded time (epoch µs) the window ends at (exclusive)
 * @param offsetMicros      per request: recorded time − windowStartMicros, non-decreasing
 * @param endpointIds       per request: its endpoint ({@code endpoints.endpoint_id})
 * @param targets           per request: path and query as logged ({@code /p?q=1})
 * @param userAgents        per request: the logged user agent ("" when none)
 * @param sessionIds        per request: its session ({@code sessions.session_id})
 */
public record RecordedTraffic(long windowStartMicros, long windowEndMicros, long[] offsetMicros, int[] endpointIds,
                              String[] targets, String[] userAgents, long[] sessionIds) {
    public RecordedTraffic {
        int n = offsetMicros.length;
        if (endpointIds.length != n || targets.length != n || userAgents.length != n || sessionIds.length != n) {
            throw new IllegalArgumentException("recorded traffic columns differ in length");
        }
        Objects.requireNonNull(targets);
    }

    public int size() {
        return offsetMicros.length;
    }
}
