package dev.reprise.replay.schedule;

import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Segment;
import dev.reprise.model.WorkloadModel.SlotValues;
import dev.reprise.model.WorkloadModel.ThinkTimeDistribution;
import dev.reprise.model.WorkloadModel.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The workload model compiled for sampling on the hot path: segment choice, Markov steps, think times
 * and URIs, all from flat arrays and a caller's seeded random, with no allocation but the URI string.
 *
 * <p>States: {@link #START} or an endpoint index {@code 0..endpointCount()-1} (position in
 * {@link WorkloadModel#endpoints()}); {@link #pickEdge} returns an edge whose target is an endpoint
 * index or {@link #EXIT}. Immutable after construction and safe to share between event loops.
 */
public final class SessionModel {
    public static final int START = -2;
    public static final int EXIT = -1;
    /** (√5 − 1) / 2: the Weyl step with the most even spread (three-distance theorem). */
    private static final double GOLDEN_RATIO_FRACTION = 0.6180339887498949;

    private final WorkloadModel model;
    private final double[] segmentCumulative;
    private final int[] segmentIds;
    /** [segment][state + 1] -> first edge index and edge count in the segment's edge arrays. */
    private final int[][] edgeStart;
    private final int[][] edgeCount;
    private final double[][] edgeCumulative;
    private final int[][] edgeTarget;
    private final double[][][] edgeThinkQuantiles;
    private final UriTemplate[] uris;
    /** Cumulative endpoint weights, for stateless picks in mix mode. */
    private final double[] endpointCumulative;
    /** [segment] -> its recorded user agents and their cumulative session counts; empty when none. */
    private final String[][] agents;
    private final double[][] agentCumulative;

    private SessionModel(WorkloadModel model) {
        this.model = model;
        List<Endpoint> endpoints = model.endpoints();
        Map<Integer, Integer> indexById = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            indexById.put(endpoints.get(i).id(), i);
        }
        List<Segment> segments = model.segments();
        segmentIds = new int[segments.size()];
        segmentCumulative = new double[segments.size()];
        edgeStart = new int[segments.size()][];
        edgeCount = new int[segments.size()][];
        edgeCumulative = new double[segments.size()][];
        edgeTarget = new int[segments.size()][];
        edgeThinkQuantiles = new double[segments.size()][][];
        agents = new String[segments.size()][];
        agentCumulative = new double[segments.size()][];
        double cumulative = 0;
        for (int s = 0; s < segments.size(); s++) {
            Segment segment = segments.get(s);
            segmentIds[s] = segment.id();
            compileAgents(s, segment);
            cumulative += segment.weight();
            segmentCumulative[s] = cumulative;
            compileEdges(s, segment, indexById, endpoints.size());
        }
        uris = new UriTemplate[endpoints.size()];
        endpointCumulative = new double[endpoints.size()];
        double endpointSum = 0;
        for (int i = 0; i < endpoints.size(); i++) {
            uris[i] = UriTemplate.of(endpoints.get(i));
            endpointSum += endpoints.get(i).weight();
            endpointCumulative[i] = endpointSum;
        }
    }

    /** Compiles a loaded, validated model. */
    public static SessionModel of(WorkloadModel model) {
        return new SessionModel(model);
    }

    public WorkloadModel model() {
        return model;
    }

    public int endpointCount() {
        return uris.length;
    }

    /**
     * The segment of session {@code sessionIndex}, in proportion to the segment weights. Sessions take
     * their segment from a golden-ratio (Weyl) sequence rather than an independent draw: the sequence
     * is equidistributed, so after n sessions every segment's count is within O(log n) of its weight
     * times n, while an independent draw wanders by √n. Long sessions (bots send tens of requests
     * each) make that wander visible in the endpoint mix of short runs; this keeps the behaviour mix
     * exact without favouring any time of the run. Deterministic in (index, seed), so shards and event
     * loops agree.
     *
     * @return the segment's position in {@link WorkloadModel#segments()}
     */
    public int pickSegment(long sessionIndex, long seed) {
        double offset = (SessionArrivals.mix(seed, -1) >>> 11) * 0x1.0p-53;
        double u = offset + sessionIndex * GOLDEN_RATIO_FRACTION;
        u -= Math.floor(u);
        double target = u * segmentCumulative[segmentCumulative.length - 1];
        for (int s = 0; s < segmentCumulative.length; s++) {
            if (segmentCumulative[s] > target) {
                return s;
            }
        }
        return segmentCumulative.length - 1;
    }

    /** The {@code segments.segment_id} of the segment at position {@code segment}. */
    public int segmentId(int segment) {
        return segmentIds[segment];
    }

    /**
     * The user agent session {@code sessionIndex} of segment {@code segment} sends on all its requests:
     * drawn from the segment's recorded agents in proportion to their sessions, or null when the
     * segment has none (the engine then sends its own). Deterministic in (index, seed) and drawn from
     * its own random stream, so it does not change the session's path, think times or URIs.
     */
    public String pickUserAgent(int segment, long sessionIndex, long seed) {
        String[] names = agents[segment];
        if (names.length == 0) {
            return null;
        }
        if (names.length == 1) {
            return names[0];
        }
        SplittableRandom random = new SplittableRandom(SessionArrivals.mix(seed ^ 0xA6E575L, sessionIndex));
        return names[pick(agentCumulative[segment], 0, names.length, random)];
    }

    /** Picks an endpoint index by {@code endpoints.weight} alone (mix mode: no sessions, no chain). */
    public int pickEndpoint(SplittableRandom random) {
        return pick(endpointCumulative, 0, endpointCumulative.length, random);
    }

    /** Picks the edge out of {@code state} by weight; -1 when the state has no way out. */
    public int pickEdge(int segment, int state, SplittableRandom random) {
        int slot = state == START ? 0 : state + 1;
        int count = edgeCount[segment][slot];
        if (count == 0) {
            return -1;
        }
        return pick(edgeCumulative[segment], edgeStart[segment][slot], count, random);
    }

    /** The endpoint index an edge leads to, or {@link #EXIT}; edge -1 (no way out) leads to EXIT. */
    public int edgeTarget(int segment, int edge) {
        return edge < 0 ? EXIT : edgeTarget[segment][edge];
    }

    /**
     * A think time for the edge in milliseconds, by inverse-transform sampling of the empirical
     * quantiles with linear interpolation between them; 0 when the model has no think times.
     */
    public double sampleThinkMillis(int segment, int edge, SplittableRandom random) {
        double[] q = edge < 0 ? null : edgeThinkQuantiles[segment][edge];
        if (q == null) {
            return 0;
        }
        double position = random.nextDouble() * (q.length - 1);
        int i = (int) position;
        double fraction = position - i;
        return i + 1 < q.length ? q[i] + fraction * (q[i + 1] - q[i]) : q[i];
    }

    /** The request target (path and query) for endpoint {@code index}, slots filled by production skew. */
    public String sampleUri(int index, SplittableRandom random) {
        return uris[index].sample(random);
    }

    public Endpoint endpoint(int index) {
        return model.endpoints().get(index);
    }

    private void compileAgents(int s, Segment segment) {
        List<String> names = new ArrayList<>();
        List<Double> cumulative = new ArrayList<>();
        double sum = 0;
        for (WorkloadModel.UserAgent agent : segment.agents()) {
            if (agent.sessions() > 0) {
                sum += agent.sessions();
                names.add(agent.userAgent());
                cumulative.add(sum);
            }
        }
        agents[s] = names.toArray(String[]::new);
        agentCumulative[s] = cumulative.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private void compileEdges(int s, Segment segment, Map<Integer, Integer> indexById, int endpointCount) {
        int states = endpointCount + 1;
        List<List<Transition>> byState = new ArrayList<>(states);
        for (int i = 0; i < states; i++) {
            byState.add(new ArrayList<>());
        }
        for (Transition t : segment.transitions()) {
            if (t.weight() <= 0) {
                continue;
            }
            int slot = t.fromEndpoint() == WorkloadModel.START ? 0 : indexById.get(t.fromEndpoint()) + 1;
            byState.get(slot).add(t);
        }
        int edges = byState.stream().mapToInt(List::size).sum();
        edgeStart[s] = new int[states];
        edgeCount[s] = new int[states];
        edgeCumulative[s] = new double[edges];
        edgeTarget[s] = new int[edges];
        edgeThinkQuantiles[s] = new double[edges][];
        int e = 0;
        for (int slot = 0; slot < states; slot++) {
            edgeStart[s][slot] = e;
            edgeCount[s][slot] = byState.get(slot).size();
            double cumulative = 0;
            for (Transition t : byState.get(slot)) {
                cumulative += t.weight();
                edgeCumulative[s][e] = cumulative;
                edgeTarget[s][e] = t.toEndpoint() == WorkloadModel.EXIT ? EXIT : indexById.get(t.toEndpoint());
                if (t.fromEndpoint() != WorkloadModel.START && t.toEndpoint() != WorkloadModel.EXIT) {
                    ThinkTimeDistribution d = model.thinkTime(segment.id(), t.fromEndpoint(), t.toEndpoint());
                    edgeThinkQuantiles[s][e] = d == null ? null : d.quantilesMillis();
                }
                e++;
            }
        }
    }

    /** Index in [from, from + count) whose cumulative weight first exceeds a uniform draw. */
    private static int pick(double[] cumulative, int from, int count, SplittableRandom random) {
        double total = cumulative[from + count - 1];
        double u = random.nextDouble() * total;
        int lo = from;
        int hi = from + count - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * A template such as {@code /products/{id}/reviews} or {@code /search?q={q}} split into literals and
     * slot samplers: a placeholder in the path fills from slot {@code path:N} (N-th path placeholder),
     * one in the query (after {@code ?}, when the model was built with query parameters) from slot
     * {@code query:NAME}; the slot {@code query} then adds the rest of the query string.
     */
    static final class UriTemplate {
        private final String[] literals;
        private final ValueSampler[] slots;
        private final ValueSampler query;
        /** '?' before the rest of the query string, or '&' when the template already has a query. */
        private final char querySeparator;

        private UriTemplate(String[] literals, ValueSampler[] slots, ValueSampler query, char querySeparator) {
            this.literals = literals;
            this.slots = slots;
            this.query = query;
            this.querySeparator = querySeparator;
        }

        static UriTemplate of(Endpoint endpoint) {
            Map<String, ValueSampler> samplers = new HashMap<>();
            for (SlotValues slot : endpoint.slots()) {
                samplers.put(slot.slot(), new ValueSampler(slot));
            }
            List<String> literals = new ArrayList<>();
            List<ValueSampler> slots = new ArrayList<>();
            String template = endpoint.template();
            int queryStart = template.indexOf('?');
            int pathSlots = 0;
            int pos = 0;
            while (true) {
                int open = template.indexOf('{', pos);
                int close = open < 0 ? -1 : template.indexOf('}', open);
                if (open < 0 || close < 0) {
                    literals.add(template.substring(pos));
                    break;
                }
                literals.add(template.substring(pos, open));
                String slotName = queryStart >= 0 && open > queryStart
                        ? "query:" + template.substring(open + 1, close)
                        : "path:" + (++pathSlots);
                ValueSampler sampler = samplers.get(slotName);
                if (sampler == null) {
                    throw new IllegalArgumentException("endpoint " + endpoint.id() + " (" + endpoint.method() + " "
                            + template + ") has placeholder " + template.substring(open, close + 1)
                            + " but endpoint_values has no values for slot '" + slotName + "'");
                }
                slots.add(sampler);
                pos = close + 1;
            }
            return new UriTemplate(literals.toArray(String[]::new), slots.toArray(ValueSampler[]::new),
                    samplers.get("query"), queryStart >= 0 ? '&' : '?');
        }

        String sample(SplittableRandom random) {
            if (slots.length == 0 && query == null) {
                return literals[0];
            }
            StringBuilder sb = new StringBuilder(64);
            for (int i = 0; i < slots.length; i++) {
                sb.append(literals[i]).append(slots[i].sample(random));
            }
            sb.append(literals[slots.length]);
            if (query != null) {
                String q = query.sample(random);
                if (!q.isEmpty()) {
                    sb.append(querySeparator).append(q);
                }
            }
            return sb.toString();
        }
    }

    /** Draws observed values in proportion to their counts (hot keys stay hot). */
    static final class ValueSampler {
        private final String[] values;
        private final double[] cumulative;

        ValueSampler(SlotValues slot) {
            values = slot.values().toArray(String[]::new);
            cumulative = new double[values.length];
            double sum = 0;
            for (int i = 0; i < values.length; i++) {
                sum += slot.counts()[i];
                cumulative[i] = sum;
            }
        }

        String sample(SplittableRandom random) {
            return values.length == 1 ? values[0] : values[pick(cumulative, 0, values.length, random)];
        }
    }
}
