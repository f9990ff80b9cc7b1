package dev.reprise.replay;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Options of a replay.
 *
 * @param target             base URL; endpoint paths are appended to its path
 * @param speed              time compression of the whole timeline, think times included (2 = twice as fast)
 * @param rate               how much load relative to the recording
 * @param duration           how long to run; null = the recorded timeline divided by speed
 * @param seed               makes the schedule reproducible
 * @param maxInflight        requests in flight across the run before new ones are dropped (counted)
 * @param timeout            per-request timeout; a request that exceeds it is an error of class timeout
 * @param connectionsPerLoop keep-alive connection pool size per event loop
 * @param eventLoops         number of event loops (threads) sending load
 * @param reportInterval     how often interval histograms are taken (live view, run_intervals)
 * @param mode               model (sessions) or mix (stateless requests by endpoint weight)
 * @param histogramLog       where interval histograms are written in HdrHistogram log format (the
 *                           {@code .hlog}, readable by HistogramLogProcessor); null = not written
 * @param runId              the id the run is saved under; null = made from the start time
 * @param warmUpRequests     about how many requests a warm-up run sends, before the real one, to an
 *                           in-process loopback server (never the target), so that the JIT has compiled
 *                           the engine's hot path when the schedule starts; 0 = no warm-up
 * @param fromEpochMicros    start of the recorded window to replay (epoch µs); null = the recording's start
 * @param toEpochMicros      end of the recorded window (exclusive); null = the recording's end
 * @param loop               when the window is over before the duration, play it again (soaks)
 * @param sessionHeader      name of the header that carries each request's session id so the target's
 *                           logs can be sessionized and traced ({@code X-Reprise-Session}); null = none
 * @param extraHeaders       headers added to every request (name -> value), e.g. an auth token
 * @param shard              the share of the sessions this generator sends ({@link Shard#ALL} = all)
 * @param http2              HTTP/2: over TLS negotiated by ALPN, in clear text (h2c) with prior knowledge
 * @param shape              ramps, holds and spikes overlaid on the rate ({@link Shape#NONE} = none)
 * @param bodies             request bodies per endpoint ({@link RequestBodies#NONE} = none)
 */
public record ReplayOptions(URI target, double speed, Rate rate, Duration duration, long seed, int maxInflight,
                            Duration timeout, int connectionsPerLoop, int eventLoops, Duration reportInterval,
                            Mode mode, Path histogramLog, String runId, int warmUpRequests,
                            Long fromEpochMicros, Long toEpochMicros, boolean loop,
                            String sessionHeader, Map<String, String> extraHeaders, Shard shard,
                            boolean http2, Shape shape, RequestBodies bodies) {
    public ReplayOptions {
        Objects.requireNonNull(mode, "mode");
        shape = shape == null ? Shape.NONE : shape;
        bodies = bodies == null ? RequestBodies.NONE : bodies;
        Objects.requireNonNull(shard, "shard");
        extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
        if (sessionHeader != null && !sessionHeader.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new ReplayException("invalid session header name '" + sessionHeader + "': expected an HTTP "
                    + "header name such as X-Reprise-Session");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
            throw new ReplayException("invalid target '" + target + "': expected an http:// or https:// URL "
                    + "such as http://127.0.0.1:8080");
        }
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new ReplayException("--speed must be a positive number, got " + speed);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new ReplayException("--duration must be positive, got " + duration);
        }
        if (maxInflight < 1) {
            throw new ReplayException("--max-inflight must be at least 1, got " + maxInflight);
        }
        if (connectionsPerLoop < 1) {
            throw new ReplayException("--connections must be at least 1, got " + connectionsPerLoop);
        }
        if (warmUpRequests < 0) {
            throw new ReplayException("warm-up requests must be 0 or more, got " + warmUpRequests);
        }
        if (eventLoops < 1) {
            throw new ReplayException("event loops must be at least 1, got " + eventLoops);
        }
    }

    /** The header that carries the session id unless renamed or dropped. */
    public static final String DEFAULT_SESSION_HEADER = "X-Reprise-Session";

    /** Enough loopback requests for C2 to compile the engine's hot path (1 to 3 s of warm-up). */
    public static final int DEFAULT_WARM_UP_REQUESTS = 20_000;

    /** Defaults: speed 1, recorded rate, seed 1, 10,000 in flight, 10 s timeout, 64 connections per loop. */
    public static ReplayOptions defaults(URI target) {
        return new ReplayOptions(target, 1.0, Rate.RECORDED, null, 1L, 10_000, Duration.ofSeconds(10), 64,
                Math.max(1, Runtime.getRuntime().availableProcessors()), Duration.ofSeconds(1), Mode.MODEL, null, null, DEFAULT_WARM_UP_REQUESTS, null, null, false,
                DEFAULT_SESSION_HEADER, Map.of(), Shard.ALL, false, Shape.NONE, RequestBodies.NONE);
    }

    public ReplayOptions withSpeed(double newSpeed) {
        return copy(b -> b.speed = newSpeed);
    }

    public ReplayOptions withRate(Rate newRate) {
        return copy(b -> b.rate = newRate);
    }

    public ReplayOptions withDuration(Duration newDuration) {
        return copy(b -> b.duration = newDuration);
    }

    public ReplayOptions withSeed(long newSeed) {
        return copy(b -> b.seed = newSeed);
    }

    public ReplayOptions withMaxInflight(int newMaxInflight) {
        return copy(b -> b.maxInflight = newMaxInflight);
    }

    public ReplayOptions withTimeout(Duration newTimeout) {
        return copy(b -> b.timeout = newTimeout);
    }

    public ReplayOptions withConnectionsPerLoop(int n) {
        return copy(b -> b.connectionsPerLoop = n);
    }

    public ReplayOptions withEventLoops(int n) {
        return copy(b -> b.eventLoops = n);
    }

    public ReplayOptions withMode(Mode newMode) {
        return copy(b -> b.mode = newMode);
    }

    /** The recorded window [from, to) in epoch µs; either may be null (the recording's start or end). */
    public ReplayOptions withWindow(Long from, Long to) {
        if (from != null && to != null && to <= from) {
            throw new ReplayException("--to must be after --from");
        }
        return copy(b -> { b.fromEpochMicros = from; b.toEpochMicros = to; });
    }

    public ReplayOptions withLoop(boolean newLoop) {
        return copy(b -> b.loop = newLoop);
    }

    /** Renames the session header; null drops it. */
    public ReplayOptions withSessionHeader(String name) {
        return copy(b -> b.sessionHeader = name);
    }

    public ReplayOptions withExtraHeaders(Map<String, String> headers) {
        return copy(b -> b.extraHeaders = headers);
    }

    public ReplayOptions withShard(Shard newShard) {
        return copy(b -> b.shard = newShard);
    }

    public ReplayOptions withHttp2(boolean enabled) {
        return copy(b -> b.http2 = enabled);
    }

    public ReplayOptions withShape(Shape newShape) {
        return copy(b -> b.shape = newShape);
    }

    /** Bodies loaded with {@link RequestBodies#load}. */
    public ReplayOptions withBodies(RequestBodies newBodies) {
        return copy(b -> b.bodies = newBodies);
    }

    public ReplayOptions withTarget(URI newTarget) {
        return copy(b -> b.target = newTarget);
    }

    public ReplayOptions withWarmUpRequests(int n) {
        return copy(b -> b.warmUpRequests = n);
    }

    public ReplayOptions withRunId(String id) {
        return copy(b -> b.runId = id);
    }

    public ReplayOptions withHistogramLog(Path file) {
        return copy(b -> b.histogramLog = file);
    }

    public ReplayOptions withReportInterval(Duration interval) {
        return copy(b -> b.reportInterval = interval);
    }

    /** Applies {@code change} to a copy of these options; the record's checks run on the result. */
    private ReplayOptions copy(java.util.function.Consumer<Copy> change) {
        Copy b = new Copy(this);
        change.accept(b);
        return b.build();
    }

    /** The components of a {@link ReplayOptions} as plain fields, so each {@code withX} names only what it changes. */
    private static final class Copy {
        URI target;
        double speed;
        Rate rate;
        Duration duration;
        long seed;
        int maxInflight;
        Duration timeout;
        int connectionsPerLoop;
        int eventLoops;
        Duration reportInterval;
        Mode mode;
        Path histogramLog;
        String runId;
        int warmUpRequests;
        Long fromEpochMicros;
        Long toEpochMicros;
        boolean loop;
        String sessionHeader;
        Map<String, String> extraHeaders;
        Shard shard;
        boolean http2;
        Shape shape;
        RequestBodies bodies;

        Copy(ReplayOptions o) {
            target = o.target;
            speed = o.speed;
            rate = o.rate;
            duration = o.duration;
            seed = o.seed;
            maxInflight = o.maxInflight;
            timeout = o.timeout;
            connectionsPerLoop = o.connectionsPerLoop;
            eventLoops = o.eventLoops;
            reportInterval = o.reportInterval;
            mode = o.mode;
            histogramLog = o.histogramLog;
            runId = o.runId;
            warmUpRequests = o.warmUpRequests;
            fromEpochMicros = o.fromEpochMicros;
            toEpochMicros = o.toEpochMicros;
            loop = o.loop;
            sessionHeader = o.sessionHeader;
            extraHeaders = o.extraHeaders;
            shard = o.shard;
            http2 = o.http2;
            shape = o.shape;
            bodies = o.bodies;
        }

        ReplayOptions build() {
            return new ReplayOptions(target, speed, rate, duration, seed, maxInflight, timeout, connectionsPerLoop, eventLoops, reportInterval, mode, histogramLog, runId, warmUpRequests, fromEpochMicros, toEpochMicros, loop, sessionHeader, extraHeaders, shard, http2, shape, bodies);
        }
    }
}
