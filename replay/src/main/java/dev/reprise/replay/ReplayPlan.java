package dev.reprise.replay;

import java.time.Duration;
import java.time.Instant;

/**
 * What a replay will do, worked out from the model and the options before anything is sent.
 *
 * @param windowStart         recorded time that maps to the start of the run
 * @param windowEnd           recorded time after which no session arrives
 * @param duration            how long the run lasts (replay time)
 * @param rateMultiplier      multiplier of the recorded session-arrival curve
 * @param expectedSessions    mean number of sessions the schedule starts
 * @param targetRatePerSecond mean request rate the schedule asks for
 */
public record ReplayPlan(Instant windowStart, Instant windowEnd, Duration duration, double rateMultiplier,
                         double expectedSessions, double targetRatePerSecond) {
}
