package dev.reprise.replay.engine;

import dev.reprise.replay.ScheduleSink;
import dev.reprise.replay.Shard;
import dev.reprise.replay.schedule.Arrivals;
import dev.reprise.replay.schedule.RecordedArrivals;
import dev.reprise.replay.schedule.SessionArrivals;
import dev.reprise.replay.schedule.SessionModel;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The schedule a plan would send, computed without sending: the same arrivals, the same per-session
 * randoms and the same order of draws as {@link LoopDriver}, so with the same seed it is the schedule
 * of a real run, except that a real session's next request waits for the previous response (here
 * responses take no time, so later requests of a session come as early as they can).
 */
public final class DryRun {
    private DryRun() {
    }

    /** Streams the schedule of {@code plan} to {@code sink}; returns the number of requests. */
    public static long schedule(EnginePlan plan, ScheduleSink sink) {
        SessionModel model = plan.model();
        Arrivals arrivals = plan.newArrivals();
        Shard shard = plan.options().shard();
        long end = plan.durationNanos();
        double speed = plan.options().speed();
        // sessions waiting for their next request, by intended time: [intendedNanos, session state]
        PriorityQueue<Pending> due = new PriorityQueue<>((a, b) -> Long.compare(a.intendedNanos, b.intendedNanos));
        long count = 0;
        while (arrivals.hasNext() || !due.isEmpty()) {
            long nextArrival = arrivals.hasNext() ? arrivals.peekOffsetNanos() : Long.MAX_VALUE;
            if (!due.isEmpty() && due.peek().intendedNanos <= nextArrival) {
                Pending p = due.poll();
                emit(sink, p.intendedNanos, p.index, model.segmentId(p.segment), model, p.endpoint,
                        model.sampleUri(p.endpoint, p.random));
                count++;
                advance(model, p, speed, end, due);
                continue;
            }
            long index = arrivals.next();
            if (!shard.owns(index)) {
                continue;
            }
            if (plan.isExact()) {
                int recorded = ((RecordedArrivals) arrivals).requestOf(index);
                emit(sink, nextArrival, plan.recording().sessionIds()[recorded], ScheduleSink.NO_SEGMENT, model,
                        plan.recordedEndpoints()[recorded], plan.recording().targets()[recorded]);
                count++;
                continue;
            }
            SplittableRandom random = new SplittableRandom(SessionArrivals.mix(plan.options().seed() ^ 0x5E5510L, index));
            if (plan.isMix()) {
                int endpoint = model.pickEndpoint(random);
                emit(sink, nextArrival, index, ScheduleSink.NO_SEGMENT, model, endpoint, model.sampleUri(endpoint, random));
                count++;
                continue;
            }
            int segment = model.pickSegment(index, plan.options().seed());
            int first = model.edgeTarget(segment, model.pickEdge(segment, SessionModel.START, random));
            if (first != SessionModel.EXIT) {
                due.add(new Pending(index, random, segment, first, nextArrival));
            }
        }
        return count;
    }

    private static void advance(SessionModel model, Pending p, double speed, long end, PriorityQueue<Pending> due) {
        int edge = model.pickEdge(p.segment, p.endpoint, p.random);
        int next = model.edgeTarget(p.segment, edge);
        if (next == SessionModel.EXIT) {
            return;
        }
        long intended = p.intendedNanos + (long) (model.sampleThinkMillis(p.segment, edge, p.random) * 1_000_000 / speed);
        if (intended >= end) {
            return;
        }
        p.endpoint = next;
        p.intendedNanos = intended;
        due.add(p);
    }

    private static void emit(ScheduleSink sink, long offsetNanos, long session, int segmentId, SessionModel model,
                             int endpoint, String uri) {
        sink.request(offsetNanos / 1e6, session, segmentId, model.endpoint(endpoint).method(), uri);
    }

    private static final class Pending {
        final long index;
        final SplittableRandom random;
        final int segment;
        int endpoint;
        long intendedNanos;

        Pending(long index, SplittableRandom random, int segment, int endpoint, long intendedNanos) {
            this.index = index;
            this.random = random;
            this.segment = segment;
            this.endpoint = endpoint;
            this.intendedNanos = intendedNanos;
        }
    }
}
