package dev.reprise.replay;

import dev.reprise.model.RecordedTraffic;
import dev.reprise.model.RunRecord;
import dev.reprise.model.RunRecord.EndpointRun;
import dev.reprise.model.RunRecord.Percentiles;
import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.ArrivalCurve;
import dev.reprise.replay.engine.DryRun;
import dev.reprise.replay.engine.Engine;
import dev.reprise.replay.engine.EnginePlan;
import dev.reprise.replay.engine.EngineResult;
import dev.reprise.replay.schedule.RateProfile;
import dev.reprise.replay.schedule.SessionArrivals;
import dev.reprise.replay.schedule.SessionModel;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * Replays a workload model against a target in model mode: sessions arrive as a non-homogeneous
 * Poisson process following the recorded arrival curve (scaled by the rate, compressed by the speed),
 * walk their segment's Markov chain and pause for sampled think times. Latency is measured from each
 * request's intended send time (coordinated-omission corrected), service time from the actual send.
 *
 * <pre>{@code
 * WorkloadModel model = store.loadModel();
 * ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:8080")).withSpeed(60);
 * ReplayResult result = Replay.run(model, options, List.of(Threshold.parse("p(99)<500ms")), ReplayListener.NONE);
 * store.saveRun(result.run());
 * }</pre>
 */
public final class Replay {
    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private Replay() {
    }

    /** Works out the window, rate multiplier and expected load without sending anything. */
    public static ReplayPlan plan(WorkloadModel model, ReplayOptions options) {
        return new Planner(model, options).plan();
    }

    /** Runs the replay in model or mix mode; blocking, bounded by the duration plus the request timeout. */
    public static ReplayResult run(WorkloadModel model, ReplayOptions options, List<Threshold> thresholds,
                                   ReplayListener listener) {
        if (options.mode() == Mode.EXACT) {
            throw new ReplayException("exact mode needs the recorded requests: load them with "
                    + "Store.loadRecording for the plan's window and call run(model, recording, ...)");
        }
        return run(model, null, options, thresholds, listener);
    }

    /**
     * Runs the replay; in exact mode {@code recording} holds the recorded requests of the plan's window
     * ({@link #plan}: windowStart .. windowEnd), in the other modes it is null.
     */
    public static ReplayResult run(WorkloadModel model, RecordedTraffic recording, ReplayOptions options,
                                   List<Threshold> thresholds, ReplayListener listener) {
        if ((recording != null) != (options.mode() == Mode.EXACT)) {
            throw new IllegalArgumentException("a recording is needed in exact mode and only there");
        }
        SessionModel sessions;
        try {
            sessions = SessionModel.of(model);
        } catch (IllegalArgumentException e) {
            throw new ReplayException("the model cannot be replayed: " + e.getMessage()
                    + "; fix the rows with `reprise sql` or rebuild with `reprise model build`", e);
        }
        Planner planner = new Planner(model, options);
        planner.recording = recording;
        ReplayPlan plan = planner.plan();
        int[] recordedEndpoints = recording == null ? null : endpointIndexes(model, recording);
        EnginePlan enginePlan = new EnginePlan(sessions, options, planner.windowStartMicros, planner.windowEndMicros,
                plan.rateMultiplier(), plan.duration().toNanos(), plan.targetRatePerSecond(), 0L, recording,
                recordedEndpoints);
        EngineResult result = Engine.run(enginePlan, listener);
        return summarize(model, options, plan, result, thresholds);
    }

    /**
     * Computes the schedule without sending anything (--dry-run): the requests a run with the same
     * options and seed would send, in intended-time order, assuming instant responses. Returns the count.
     */
    public static long dryRun(WorkloadModel model, RecordedTraffic recording, ReplayOptions options, ScheduleSink sink) {
        SessionModel sessions;
        try {
            sessions = SessionModel.of(model);
        } catch (IllegalArgumentException e) {
            throw new ReplayException("the model cannot be replayed: " + e.getMessage(), e);
        }
        Planner planner = new Planner(model, options);
        planner.recording = recording;
        ReplayPlan plan = planner.plan();
        EnginePlan enginePlan = new EnginePlan(sessions, options, planner.windowStartMicros, planner.windowEndMicros,
                plan.rateMultiplier(), plan.duration().toNanos(), plan.targetRatePerSecond(), 0L, recording,
                recording == null ? null : endpointIndexes(model, recording));
        return DryRun.schedule(enginePlan, sink);
    }

    /** Per recorded request, the position of its endpoint in the model's endpoint list. */
    private static int[] endpointIndexes(WorkloadModel model, RecordedTraffic recording) {
        java.util.Map<Integer, Integer> indexById = new java.util.HashMap<>();
        for (int i = 0; i < model.endpoints().size(); i++) {
            indexById.put(model.endpoints().get(i).id(), i);
        }
        int[] out = new int[recording.size()];
        for (int r = 0; r < out.length; r++) {
            Integer index = indexById.get(recording.endpointIds()[r]);
            if (index == null) {
                throw new ReplayException("recorded request " + recording.targets()[r] + " has endpoint "
                        + recording.endpointIds()[r] + ", which the model does not have; rebuild with `reprise model build`");
            }
            out[r] = index;
        }
        return out;
    }

    private static ReplayResult summarize(WorkloadModel model, ReplayOptions options, ReplayPlan plan,
                                          EngineResult r, List<Threshold> thresholds) {
        List<WorkloadModel.Endpoint> endpoints = model.endpoints();
        Histogram overallLatency = new Histogram(3);
        Histogram overallService = new Histogram(3);
        List<EndpointRun> endpointRuns = new ArrayList<>();
        long sent = 0;
        long completed = 0;
        long errors = 0;
        for (int e = 0; e < endpoints.size(); e++) {
            overallLatency.add(r.latency()[e]);
            overallService.add(r.serviceTime()[e]);
            sent += r.sent()[e];
            completed += r.completed()[e];
            errors += r.errors()[e];
        }
        double tvd = 0;
        for (int e = 0; e < endpoints.size(); e++) {
            WorkloadModel.Endpoint endpoint = endpoints.get(e);
            double sentShare = sent == 0 ? 0 : (double) r.sent()[e] / sent;
            tvd += Math.abs(sentShare - endpoint.weight());
            if (r.sent()[e] > 0 || endpoint.weight() > 0) {
                endpointRuns.add(new EndpointRun(endpoint.id(), endpoint.method(), endpoint.template(),
                        endpoint.weight(), r.sent()[e], r.completed()[e], r.errors()[e],
                        percentiles(r.latency()[e]), percentiles(r.serviceTime()[e])));
            }
        }
        List<ThresholdResult> judged = Thresholds.judge(thresholds, model, r, overallLatency, sent, errors);
        boolean ok = judged.stream().allMatch(ThresholdResult::ok);
        // the sending window: the run's duration, or less when the schedule ran out earlier; the drain of the
        // last responses after it is not sending time
        double sendingSeconds = Math.min(r.elapsedSeconds(), plan.duration().toNanos() / 1e9);
        String runId = options.runId() != null ? options.runId() : newRunId(r.startedAt());
        RunRecord run = new RunRecord(runId, r.startedAt(), r.finishedAt(), options.mode().label(),
                options.target().toString(), optionsJson(options, plan), r.sessionsStarted(), sent, completed,
                errors, r.dropped(), plan.targetRatePerSecond(), sendingSeconds > 0 ? sent / sendingSeconds : 0,
                percentiles(overallLatency), percentiles(overallService),
                r.lateness().getTotalCount() == 0 ? Double.NaN : r.lateness().getValueAtPercentile(99) / 1000.0,
                thresholds.isEmpty() ? null : ok, endpointRuns, r.intervals(), r.endpointIntervals());
        return new ReplayResult(run, overallLatency, overallService, r.lateness(), tvd / 2, r.sessionsCut(),
                r.clampedValues(), r.errorClasses(), r.statuses(), judged);
    }

    /** Recorded requests in the window, from the arrival curve's per-bucket request counts. */
    private static double recordedRequests(ArrivalCurve curve, long fromMicros, long toMicros) {
        double sum = 0;
        long[] starts = curve.bucketStartEpochMicros();
        for (int i = 0; i < starts.length; i++) {
            long overlap = Math.min(starts[i] + curve.bucketMicros(), toMicros) - Math.max(starts[i], fromMicros);
            if (overlap > 0) {
                sum += curve.requests()[i] * overlap / (double) curve.bucketMicros();
            }
        }
        return sum;
    }

    /** Percentiles in milliseconds of a µs histogram. */
    static Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return Percentiles.EMPTY;
        }
        return new Percentiles(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                h.getValueAtPercentile(95) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** A new run id: the UTC start time and 4 random hex digits, e.g. {@code 20260314-093000-a1b2}. */
    public static String newRunId(Instant startedAt) {
        byte[] suffix = new byte[2];
        ThreadLocalRandom.current().nextBytes(suffix);
        return RUN_ID_TIME.format(startedAt) + "-" + HexFormat.of().formatHex(suffix);
    }

    private static String optionsJson(ReplayOptions o, ReplayPlan plan) {
        return new JsonObject()
                .put("mode", o.mode().label())
                .put("target", o.target().toString())
                .put("speed", o.speed())
                .put("rate", o.rate().toString())
                .put("rate_multiplier", plan.rateMultiplier())
                .put("duration_s", plan.duration().toNanos() / 1e9)
                .put("seed", o.seed())
                .put("max_inflight", o.maxInflight())
                .put("timeout_ms", o.timeout().toMillis())
                .put("connections_per_loop", o.connectionsPerLoop())
                .put("event_loops", o.eventLoops())
                .put("window_start", plan.windowStart().toString())
                .put("window_end", plan.windowEnd().toString())
                .put("loop", o.loop())
                .put("shape", o.shape().isNone() ? null : o.shape().toString())
                .put("bodies", o.bodies().isEmpty() ? null
                        : new io.vertx.core.json.JsonArray(new ArrayList<>(o.bodies().files().values())))
                .put("shard", o.shard().toString())
                .put("warm_up_requests", o.warmUpRequests())
                .encode();
    }

    /** Derives the plan from the model and the options (shared by {@link #plan} and {@link #run}). */
    private static final class Planner {
        private final WorkloadModel model;
        private final ReplayOptions options;
        private final long windowStartMicros;
        private final long windowEndMicros;
        /** --duration, else the length of the shape's stages; null = the window divided by the speed. */
        private final Duration duration;
        /** Exact mode, once loaded; null before and in the other modes. */
        private RecordedTraffic recording;

        Planner(WorkloadModel model, ReplayOptions options) {
            this.model = model;
            this.options = options;
            ArrivalCurve curve = model.arrivals();
            if (curve.totalSessions() == 0) {
                throw new ReplayException("the model's arrivals curve has no sessions; nothing to replay");
            }
            if (options.mode() == Mode.EXACT && !options.rate().equals(Rate.RECORDED)) {
                throw new ReplayException("--rate " + options.rate() + " does not apply to exact mode, which sends "
                        + "the recorded requests as they were; use --speed to compress time, or --mode model/mix");
            }
            if (options.loop() && options.mode() == Mode.MIX) {
                throw new ReplayException("--loop applies to exact and model modes; mix mode runs at its rate for "
                        + "--duration");
            }
            if (!options.shape().isNone() && options.mode() == Mode.EXACT) {
                throw new ReplayException("--shape (stages, spikes) applies to model and mix modes; exact mode sends "
                        + "the recorded requests as they were");
            }
            long from = options.fromEpochMicros() != null ? options.fromEpochMicros() : curve.firstEpochMicros();
            long to = options.toEpochMicros() != null ? options.toEpochMicros() : curve.endEpochMicros();
            from = Math.max(from, curve.firstEpochMicros());
            to = Math.min(to, curve.endEpochMicros());
            if (to <= from) {
                throw new ReplayException("the window " + Instant.ofEpochSecond(0, from * 1000) + " .. "
                        + Instant.ofEpochSecond(0, to * 1000) + " is empty or outside the recording ("
                        + Instant.ofEpochSecond(0, curve.firstEpochMicros() * 1000) + " .. "
                        + Instant.ofEpochSecond(0, curve.endEpochMicros() * 1000) + "); check --from and --to");
            }
            this.windowStartMicros = from;
            long recordedMicros = to - from;
            this.duration = options.duration() != null ? options.duration()
                    : options.shape().stages().isEmpty() ? null : options.shape().stagesLength();
            if (duration != null && !options.loop()) {
                double coveredMicros = duration.toNanos() / 1000.0 * options.speed();
                recordedMicros = (long) Math.min(recordedMicros, Math.ceil(coveredMicros));
            }
            this.windowEndMicros = windowStartMicros + recordedMicros;
        }

        ReplayPlan plan() {
            ArrivalCurve curve = model.arrivals();
            double windowReplaySeconds = (windowEndMicros - windowStartMicros) / 1e6 / options.speed();
            double recordedSessionsInWindow = SessionArrivals.expectedSessions(curve, 1.0, windowStartMicros,
                    windowEndMicros);
            double meanLength = model.meanSessionLength();
            double recordedRatePerReplaySecond = recordedSessionsInWindow * meanLength / windowReplaySeconds;
            double multiplier = options.rate().multiplierFor(recordedRatePerReplaySecond);
            double expectedSessions = recordedSessionsInWindow * multiplier;
            Duration duration = this.duration != null ? this.duration
                    : Duration.ofNanos((long) (windowReplaySeconds * 1e9));
            double targetRate = expectedSessions * meanLength / windowReplaySeconds;
            if (options.mode() != Mode.EXACT && (options.loop() || !options.shape().isNone())) {
                RateProfile profile = options.shape().profile(windowStartMicros, options.speed());
                long durationNanos = duration.toNanos();
                if (options.mode() == Mode.MIX) {
                    double factor = profile.meanFactor(0, durationNanos);
                    expectedSessions *= factor;
                    targetRate *= factor;
                } else {
                    expectedSessions = shapedSessions(curve, multiplier, profile, durationNanos);
                    double sendingSeconds = options.loop() ? durationNanos / 1e9
                            : Math.min(durationNanos / 1e9, windowReplaySeconds);
                    targetRate = expectedSessions * meanLength / sendingSeconds;
                }
            }
            if (options.mode() == Mode.EXACT) {
                double requests = recording != null ? recording.size()
                        : recordedRequests(curve, windowStartMicros, windowEndMicros);
                targetRate = requests / windowReplaySeconds;
            }
            // a shard sends 1/count of the whole
            int shards = options.shard().count();
            return new ReplayPlan(Instant.ofEpochSecond(0, windowStartMicros * 1000),
                    Instant.ofEpochSecond(0, windowEndMicros * 1000), duration, multiplier, expectedSessions / shards,
                    targetRate / shards);
        }

        /**
         * Expected sessions over the run with the shape's factor and, with --loop, the window played again
         * until the duration: per bucket and pass, its recorded sessions times the multiplier times the mean
         * factor over the replay time it covers.
         */
        private double shapedSessions(ArrivalCurve curve, double multiplier, RateProfile profile, long durationNanos) {
            double speed = options.speed();
            long passNanos = (long) ((windowEndMicros - windowStartMicros) * 1000.0 / speed);
            long[] starts = curve.bucketStartEpochMicros();
            double sum = 0;
            for (long pass = 0; pass * passNanos < durationNanos; pass++) {
                long shift = pass * passNanos;
                for (int i = 0; i < starts.length; i++) {
                    long a = Math.max(starts[i], windowStartMicros);
                    long b = Math.min(starts[i] + curve.bucketMicros(), windowEndMicros);
                    if (b <= a) {
                        continue;
                    }
                    long from = shift + (long) ((a - windowStartMicros) * 1000.0 / speed);
                    long to = Math.min(durationNanos, shift + (long) ((b - windowStartMicros) * 1000.0 / speed));
                    if (to <= from) {
                        continue;
                    }
                    double share = (to - from) / ((b - a) * 1000.0 / speed) * (b - a) / curve.bucketMicros();
                    sum += curve.sessions()[i] * multiplier * share * profile.meanFactor(from, to);
                }
                if (!options.loop() || passNanos <= 0) {
                    break;
                }
            }
            return sum;
        }
    }
}
