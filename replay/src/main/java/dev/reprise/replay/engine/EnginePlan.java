package dev.reprise.replay.engine;

import dev.reprise.replay.Mode;
import dev.reprise.replay.ReplayOptions;
import dev.reprise.model.RecordedTraffic;
import dev.reprise.replay.schedule.Arrivals;
import dev.reprise.replay.schedule.RateProfile;
import dev.reprise.replay.schedule.RecordedArrivals;
import dev.reprise.replay.schedule.SessionArrivals;
import dev.reprise.replay.schedule.SessionModel;
import java.net.URI;

/**
 * What the engine runs: the compiled model, the options, the recorded window that maps to replay
 * time, the rate multiplier of the arrival curve, and how long to run.
 *
 * @param windowStartMicros   recorded time (epoch µs) at replay offset 0
 * @param windowEndMicros     recorded time after which no session arrives
 * @param durationNanos       replay time after which nothing more is sent
 * @param targetRatePerSecond the average request rate this generator (its shard) is expected to produce
 * @param runStartNanos       System.nanoTime of replay offset 0 (set by the engine just before start)
 * @param recording           exact mode: the recorded requests; null in the other modes
 * @param recordedEndpoints   exact mode: per recorded request, its endpoint index in the model; else null
 */
public record EnginePlan(SessionModel model, ReplayOptions options, long windowStartMicros, long windowEndMicros,
                         double rateMultiplier, long durationNanos, double targetRatePerSecond, long runStartNanos,
                         RecordedTraffic recording, int[] recordedEndpoints) {
    static final String USER_AGENT = "Reprise/0.1 (+replay)";

    EnginePlan startingAt(long nanos) {
        return new EnginePlan(model, options, windowStartMicros, windowEndMicros, rateMultiplier, durationNanos,
                targetRatePerSecond, nanos, recording, recordedEndpoints);
    }

    Arrivals newArrivals() {
        if (isExact()) {
            return new RecordedArrivals(recording.offsetMicros(), windowEndMicros - windowStartMicros, options.speed(),
                    durationNanos, options.loop());
        }
        RateProfile profile = profile();
        if (isMix()) {
            // the whole load's arrivals: every shard generates the same sequence and keeps its share; the
            // target rate is the shaped average, the base rate is what factor 1 means
            double meanFactor = profile.isFlat() ? 1.0 : profile.meanFactor(0, durationNanos);
            double baseRate = meanFactor > 0 ? targetRatePerSecond / meanFactor : 0;
            return SessionArrivals.constantRate(baseRate * options.shard().count(), durationNanos,
                    options.seed(), profile);
        }
        return new SessionArrivals(model.model().arrivals(), rateMultiplier, options.speed(), options.seed(),
                windowStartMicros, windowEndMicros, profile, durationNanos, options.loop());
    }

    /** The shape's factor over replay time (flat without a shape). */
    RateProfile profile() {
        return options.shape().isNone() ? RateProfile.FLAT : options.shape().profile(windowStartMicros, options.speed());
    }

    /** Mix mode: every arrival is one stateless request whose endpoint is drawn by weight. */
    boolean isMix() {
        return options.mode() == Mode.MIX;
    }

    /** Exact mode: every arrival is one recorded request. */
    boolean isExact() {
        return options.mode() == Mode.EXACT;
    }

    long endNanos() {
        return runStartNanos + durationNanos;
    }

    int loops() {
        return options.eventLoops();
    }

    boolean isHttps() {
        return "https".equalsIgnoreCase(options.target().getScheme());
    }

    String host() {
        return options.target().getHost();
    }

    int port() {
        URI t = options.target();
        return t.getPort() > 0 ? t.getPort() : isHttps() ? 443 : 80;
    }

    /** The target URL's path without a trailing slash, prefixed to every request path. */
    String basePath() {
        String p = options.target().getRawPath();
        if (p == null || p.isEmpty() || p.equals("/")) {
            return "";
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
