package dev.reprise.model;

import java.time.Duration;
import java.util.List;

/**
 * The immutable workload model a replay runs from, loaded and validated from the model layer by
 * {@link Store#loadModel()}. Weights are normalized at load (per from-state for transitions, over
 * all rows for endpoints and segments), so analysts never have to make them sum to 1.
 *
 * <p>Immutable and safe to share between threads (arrays inside records are never written after load).
 *
 * @param endpoints        sorted by id
 * @param segments         behaviour segments with their navigation chains
 * @param thinkTimes       all think-time distributions; see {@link #thinkTime(int, int, int)}
 * @param arrivals         the recorded session-arrival curve
 * @param recordedRequests requests the model was built from
 * @param recordedSessions sessions the model was built from
 */
public record WorkloadModel(
        List<Endpoint> endpoints,
        List<Segment> segments,
        List<ThinkTimeDistribution> thinkTimes,
        ArrivalCurve arrivals,
        Duration sessionGap,
        int minTransitionSamples,
        long recordedRequests,
        long recordedSessions) {

    /** The pseudo-endpoint every session starts from. */
    public static final int START = 0;
    /** The pseudo-endpoint every session ends in. */
    public static final int EXIT = -1;
    /** Marks "any endpoint" in a fallback think-time distribution. */
    public static final int ANY = Integer.MIN_VALUE;

    public WorkloadModel {
        endpoints = List.copyOf(endpoints);
        segments = List.copyOf(segments);
        thinkTimes = List.copyOf(thinkTimes);
    }

    /** The endpoint with this id; endpoints are sorted by id. */
    public Endpoint endpoint(int id) {
        int lo = 0;
        int hi = endpoints.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int midId = endpoints.get(mid).id();
            if (midId == id) {
                return endpoints.get(mid);
            } else if (midId < id) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        throw new IllegalArgumentException("no endpoint with id " + id);
    }

    /** Mean requests per recorded session. */
    public double meanSessionLength() {
        return recordedSessions == 0 ? 0 : (double) recordedRequests / recordedSessions;
    }

    /**
     * The think-time distribution before moving {@code from -> to} in {@code segment}: the
     * transition's own when it has one, else the from-endpoint's (when it has enough samples), else
     * the segment's global one. Null only when the segment has no think-time samples at all.
     */
    public ThinkTimeDistribution thinkTime(int segment, int from, int to) {
        ThinkTimeDistribution endpointLevel = null;
        ThinkTimeDistribution global = null;
        for (ThinkTimeDistribution d : thinkTimes) {
            if (d.segmentId() != segment) {
                continue;
            }
            switch (d.level()) {
                case TRANSITION -> {
                    if (d.fromEndpoint() == from && d.toEndpoint() == to) {
                        return d;
                    }
                }
                case ENDPOINT -> {
                    if (d.fromEndpoint() == from && d.samples() >= minTransitionSamples) {
                        endpointLevel = d;
                    }
                }
                case GLOBAL -> global = d;
            }
        }
        return endpointLevel != null ? endpointLevel : global;
    }

    /** One endpoint: method + URL template, with the observed values of its slots. */
    public record Endpoint(int id, String method, String template, long requests, double share, double weight,
                           List<SlotValues> slots) {
        public Endpoint {
            slots = List.copyOf(slots);
        }
    }

    /**
     * Observed values of one slot with their counts ({@code counts[i]} times {@code values.get(i)}),
     * most frequent first. Slot names: {@code path:N} for the N-th placeholder, {@code query}.
     */
    public record SlotValues(String slot, List<String> values, long[] counts) {
        public SlotValues {
            values = List.copyOf(values);
            if (values.size() != counts.length) {
                throw new IllegalArgumentException("values and counts differ in length for slot " + slot);
            }
        }
    }

    /**
     * A behaviour segment and its navigation chain; weight normalized over segments. {@code agents}
     * are the segment's recorded user agents (from {@code segment_agents}, most sessions first);
     * empty when it has none, and then replay sends its own user agent.
     */
    public record Segment(int id, String name, long sessions, double share, double weight,
                          List<Transition> transitions, List<UserAgent> agents) {
        public Segment {
            transitions = List.copyOf(transitions);
            agents = List.copyOf(agents);
        }

        /** A segment without recorded user agents. */
        public Segment(int id, String name, long sessions, double share, double weight,
                       List<Transition> transitions) {
            this(id, name, sessions, share, weight, transitions, List.of());
        }
    }

    /** One user agent of a segment and how many of its recorded sessions used it (the draw weight). */
    public record UserAgent(String userAgent, long sessions) {
    }

    /** One edge of a segment's chain; {@code weight} is normalized to sum 1 per from-state. */
    public record Transition(int fromEndpoint, int toEndpoint, long count, double probability, double weight) {
    }

    /** Which fallback level a think-time distribution belongs to. */
    public enum ThinkLevel {
        TRANSITION, ENDPOINT, GLOBAL
    }

    /**
     * An empirical think-time distribution: 101 quantiles in milliseconds, {@code quantilesMillis[0]}
     * the minimum, {@code [50]} the median, {@code [100]} the maximum.
     */
    public record ThinkTimeDistribution(int segmentId, ThinkLevel level, int fromEndpoint, int toEndpoint,
                                        long samples, double[] quantilesMillis) {
        public double medianMillis() {
            return quantilesMillis[quantilesMillis.length / 2];
        }
    }

    /**
     * The recorded session-arrival curve, sparse: bucket i starts at {@code bucketStartEpochMicros[i]}
     * and saw {@code sessions[i]} session starts; buckets not listed had none. Sorted by time.
     *
     * @param firstEpochMicros start of the recorded period (the first bucket)
     * @param endEpochMicros   end of the recorded period (the end of the last bucket)
     */
    public record ArrivalCurve(long bucketMicros, long firstEpochMicros, long endEpochMicros,
                               long[] bucketStartEpochMicros, long[] sessions, long[] requests) {
        public long durationMicros() {
            return endEpochMicros - firstEpochMicros;
        }

        public long totalSessions() {
            long sum = 0;
            for (long s : sessions) {
                sum += s;
            }
            return sum;
        }

        public long totalRequests() {
            long sum = 0;
            for (long r : requests) {
                sum += r;
            }
            return sum;
        }
    }
}
