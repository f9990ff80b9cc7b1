package dev.reprise.replay;

import dev.reprise.model.RunRecord;
import dev.reprise.model.Spike;
import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.ArrivalCurve;
import java.util.ArrayList;
import java.util.List;

/**
 * A run over time, for reports: per reporting interval what was sent next to what the schedule asked
 * for, and the model's spikes mapped into run time. Written into {@code summary.json} ({@code intervals},
 * {@code spikes}) so a report can be drawn from the run directory alone.
 *
 * <p>The target of an interval is the mean rate of the schedule's source over that stretch: the
 * recorded requests (exact mode) or the recorded session arrivals times the rate multiplier and the mean
 * session length (model mode) in the recorded time the interval maps to ({@code window start + t × speed},
 * wrapping around the window with {@code --loop}), divided by the interval's length and the shard count;
 * mix mode asks for a constant rate. Model-mode sessions spread their requests after their arrival, so
 * the sent curve trails the target by about a session's length.
 *
 * <pre>{@code
 * RunTimeline timeline = RunTimeline.of(model, options, plan, result.run(), store.spikes());
 * Files.writeString(dir.resolve("summary.json"), RunSummary.toJson(result, "latency.hlog", timeline));
 * }</pre>
 *
 * @param intervals one point per reporting interval, in time order
 * @param spikes    the model's spikes that fall into the run, in run time
 */
public record RunTimeline(List<Point> intervals, List<SpikeWindow> spikes) {
    public RunTimeline {
        intervals = List.copyOf(intervals);
        spikes = List.copyOf(spikes);
    }

    /**
     * One reporting interval {@code [fromSeconds, toSeconds)} since the run started.
     *
     * @param targetPerSecond the schedule's mean request rate over the interval; NaN when unknown
     */
    public record Point(double fromSeconds, double toSeconds, long sent, long completed, long errors, long dropped,
                        double targetPerSecond, double latencyP50Ms, double latencyP99Ms, double latencyMaxMs) {
    }

    /** A model spike in run time, clipped to the run; {@code factor} is peak over baseline. */
    public record SpikeWindow(int spikeId, double fromSeconds, double toSeconds, double factor) {
    }

    /** The intervals of {@code run} alone: no target, no spikes (a run without its model). */
    public static RunTimeline of(RunRecord run) {
        return new RunTimeline(points(run, t -> Double.NaN), List.of());
    }

    /** The timeline of a run of {@code model} with {@code options}, planned as {@code plan}. */
    public static RunTimeline of(WorkloadModel model, ReplayOptions options, ReplayPlan plan, RunRecord run,
                                 List<Spike> spikes) {
        ArrivalCurve curve = model.arrivals();
        long windowStart = micros(plan.windowStart());
        long windowMicros = Math.max(1, micros(plan.windowEnd()) - windowStart);
        double speed = options.speed();
        double runSeconds = plan.duration().toNanos() / 1e9;
        int shards = options.shard().count();
        double meanLength = model.meanSessionLength();
        Mode mode = options.mode();
        boolean loop = options.loop();
        List<Point> points = points(run, (double[] span) -> {
            if (mode == Mode.MIX) {
                return plan.targetRatePerSecond();
            }
            double seconds = span[1] - span[0];
            if (seconds <= 0) {
                return Double.NaN;
            }
            double from = Math.min(span[0], runSeconds);
            double to = Math.min(span[1], runSeconds);
            double recorded = 0;
            // the interval's stretch of recorded time, in pieces when it wraps around a looped window
            long a = Math.round(from * speed * 1e6);
            long b = Math.round(to * speed * 1e6);
            while (a < b) {
                long offset = loop ? Math.floorMod(a, windowMicros) : a;
                if (offset >= windowMicros) {
                    break;
                }
                long piece = Math.min(b - a, windowMicros - offset);
                long s = windowStart + offset;
                recorded += mode == Mode.EXACT ? overlap(curve, curve.requests(), s, s + piece)
                        : overlap(curve, curve.sessions(), s, s + piece) * plan.rateMultiplier() * meanLength;
                a += piece;
            }
            return recorded / seconds / shards;
        });
        List<SpikeWindow> windows = new ArrayList<>();
        int loops = loop ? (int) Math.ceil(runSeconds * speed * 1e6 / windowMicros) : 1;
        for (int k = 0; k < loops; k++) {
            for (Spike s : spikes) {
                double from = (micros(s.start()) - windowStart + (double) k * windowMicros) / 1e6 / speed;
                double to = (micros(s.end()) - windowStart + (double) k * windowMicros) / 1e6 / speed;
                double windowEnd = (k + 1.0) * windowMicros / 1e6 / speed;
                from = Math.max(from, k * windowMicros / 1e6 / speed);
                to = Math.min(Math.min(to, windowEnd), runSeconds);
                if (to > from) {
                    windows.add(new SpikeWindow(s.spikeId(), from, to, s.factor()));
                }
            }
        }
        windows.sort(java.util.Comparator.comparingDouble(SpikeWindow::fromSeconds));
        return new RunTimeline(points, windows);
    }

    private static List<Point> points(RunRecord run, java.util.function.ToDoubleFunction<double[]> target) {
        List<Point> out = new ArrayList<>(run.intervals().size());
        double previous = 0;
        for (RunRecord.Interval i : run.intervals()) {
            out.add(new Point(previous, i.tSeconds(), i.sent(), i.completed(), i.errors(), i.dropped(),
                    target.applyAsDouble(new double[] {previous, i.tSeconds()}), i.latencyP50Ms(), i.latencyP99Ms(),
                    i.latencyMaxMs()));
            previous = i.tSeconds();
        }
        return out;
    }

    /** Sum of {@code counts} over [from, to), buckets split pro rata. */
    private static double overlap(ArrivalCurve curve, long[] counts, long fromMicros, long toMicros) {
        double sum = 0;
        long[] starts = curve.bucketStartEpochMicros();
        // buckets are sorted: start at the first one that can overlap, stop at the first one past the end
        int first = java.util.Arrays.binarySearch(starts, fromMicros - curve.bucketMicros());
        first = first >= 0 ? first : -first - 1;
        for (int i = first; i < starts.length && starts[i] < toMicros; i++) {
            long o = Math.min(starts[i] + curve.bucketMicros(), toMicros) - Math.max(starts[i], fromMicros);
            if (o > 0) {
                sum += counts[i] * o / (double) curve.bucketMicros();
            }
        }
        return sum;
    }

    private static long micros(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }
}
