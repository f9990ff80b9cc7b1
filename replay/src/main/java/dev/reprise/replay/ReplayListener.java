package dev.reprise.replay;

/** Receives progress while a replay runs; called from the reporter thread, never an event loop. */
public interface ReplayListener {
    ReplayListener NONE = status -> { };

    void onInterval(LiveStatus status);
}
