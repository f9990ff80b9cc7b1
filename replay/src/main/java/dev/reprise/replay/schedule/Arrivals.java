package dev.reprise.replay.schedule;

/**
 * A time-ordered sequence of arrivals in replay time. Each arrival has a global index (0, 1, 2, ...)
 * that is the same in every copy of the sequence, which lets each event loop run its own copy and keep
 * the arrivals with {@code index % loops == loop}. Not thread-safe; one instance per event loop.
 */
public interface Arrivals {
    /** True while another arrival exists. */
    boolean hasNext();

    /** Replay-time offset of the next arrival, nanoseconds since the run start; see {@link #hasNext()}. */
    long peekOffsetNanos();

    /** Consumes the next arrival and returns its global index. */
    long next();
}
