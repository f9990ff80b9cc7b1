package dev.reprise.model;

import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Segment;
import dev.reprise.model.WorkloadModel.Transition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-balances the navigation chains so that the expected endpoint mix of the whole model meets the
 * analyst's {@code endpoints.weight}, keeping the recorded paths.
 *
 * <p>Each segment's chain is absorbing (every walk ends in EXIT); the expected number of visits to
 * endpoint j per session is v = s (I − Q)⁻¹, with s the START row and Q the moves between endpoints,
 * computed as the series v = s + sQ + sQ² + ... . The model's mix is m_j = Σ_g w_g v_g(j) / Σ_g w_g L_g
 * over segments g of weight w_g and mean length L_g = Σ_j v_g(j). Iterative proportional scaling then
 * multiplies every transition into j (from START and from every endpoint, in every segment) by
 * t_j / m_j and renormalizes each from-state, until m meets the targets t (within
 * {@link #TOLERANCE}) or {@link #MAX_ROUNDS} rounds pass. Paths that never occurred never appear;
 * an endpoint no path leads to cannot be reached, and its weight is reported, not silently spread.
 */
final class MixBalancer {
    static final double TOLERANCE = 1e-5;
    static final int MAX_ROUNDS = 500;
    private static final int MAX_SERIES_TERMS = 100_000;

    private MixBalancer() {
    }

    /** The outcome: re-balanced segments, and the endpoints whose positive weight no path can reach. */
    record Result(List<Segment> segments, List<Endpoint> unreachable, int rounds, double maxError) {
    }

    /** True when the analyst changed the endpoint weights away from the recorded shares. */
    static boolean weightsEdited(List<Endpoint> endpoints) {
        double shares = endpoints.stream().mapToDouble(Endpoint::share).sum();
        for (Endpoint e : endpoints) {
            if (Math.abs(e.weight() - e.share() / shares) > 1e-6) {
                return true;
            }
        }
        return false;
    }

    static Result rebalance(List<Endpoint> endpoints, List<Segment> segments) {
        Map<Integer, Integer> index = index(endpoints);
        int n = endpoints.size();
        List<Segment> current = segments;
        double[] mix = expectedMix(endpoints, current);
        List<Endpoint> unreachable = new ArrayList<>();
        double[] target = new double[n];
        double reachableWeight = 0;
        for (int j = 0; j < n; j++) {
            if (mix[j] <= 0 && endpoints.get(j).weight() > 0) {
                unreachable.add(endpoints.get(j));
            } else {
                target[j] = endpoints.get(j).weight();
                reachableWeight += target[j];
            }
        }
        if (reachableWeight <= 0) {
            return new Result(segments, unreachable, 0, Double.NaN);
        }
        for (int j = 0; j < n; j++) {
            target[j] /= reachableWeight;
        }
        int round = 0;
        double maxError = maxError(mix, target);
        while (maxError > TOLERANCE && round < MAX_ROUNDS) {
            double[] ratio = new double[n];
            for (int j = 0; j < n; j++) {
                ratio[j] = mix[j] > 0 ? target[j] / mix[j] : 0;
            }
            List<Segment> scaled = new ArrayList<>(current.size());
            for (Segment segment : current) {
                // a segment of weight 0 sends nothing: its chain is left as it is (and costs no series)
                scaled.add(segment.weight() <= 0 ? segment : scale(segment, downstreamRatios(segment, ratio, index), index));
            }
            current = scaled;
            mix = expectedMix(endpoints, current);
            maxError = maxError(mix, target);
            round++;
        }
        return new Result(current, unreachable, round, maxError);
    }

    /** Expected share of requests per endpoint (in the order of {@code endpoints}) under the segments' weights. */
    static double[] expectedMix(List<Endpoint> endpoints, List<Segment> segments) {
        Map<Integer, Integer> index = index(endpoints);
        double[] mix = new double[endpoints.size()];
        double total = 0;
        for (Segment segment : segments) {
            if (segment.weight() <= 0) {
                continue;
            }
            double[] visits = expectedVisits(segment, index, endpoints.size());
            for (int j = 0; j < visits.length; j++) {
                mix[j] += segment.weight() * visits[j];
                total += segment.weight() * visits[j];
            }
        }
        if (total > 0) {
            for (int j = 0; j < mix.length; j++) {
                mix[j] /= total;
            }
        }
        return mix;
    }

    /** v = s + sQ + sQ² + ...: expected visits per session to each endpoint of one segment's chain. */
    static double[] expectedVisits(Segment segment, Map<Integer, Integer> index, int n) {
        List<Transition> edges = segment.transitions();
        InnerMoves moves = InnerMoves.of(segment, index);
        double[] visits = new double[n];
        double[] wave = new double[n];
        for (Transition t : edges) {
            if (t.fromEndpoint() == WorkloadModel.START && t.toEndpoint() != WorkloadModel.EXIT) {
                wave[index.get(t.toEndpoint())] += t.weight();
            }
        }
        for (int term = 0; term < MAX_SERIES_TERMS; term++) {
            double mass = 0;
            for (int j = 0; j < n; j++) {
                visits[j] += wave[j];
                mass += wave[j];
            }
            if (mass < 1e-12) {
                break;
            }
            double[] next = new double[n];
            for (int m = 0; m < moves.from.length; m++) {
                next[moves.to[m]] += wave[moves.from[m]] * moves.weight[m];
            }
            wave = next;
        }
        return visits;
    }

    /**
     * For each endpoint j, the mean of the target/expected ratios over the visits of a walk from j on
     * (j included): u_j / d_j with u = r + Q u and d = 1 + Q d. Scaling the moves into j by it (rather
     * than by j's own ratio alone) also raises the paths that lead to an endpoint short of its weight,
     * which is how a weight beyond what j's predecessors can carry is met; at the fixed point every
     * ratio is 1, as in plain proportional scaling.
     */
    static double[] downstreamRatios(Segment segment, double[] ratio, Map<Integer, Integer> index) {
        int n = ratio.length;
        InnerMoves moves = InnerMoves.of(segment, index);
        // Only the states a walk can reach matter: the moves into the others never happen. They must also be
        // left out of the series, because an unreachable cycle (its exit move rounded away when the segment's
        // counts were built) never drains, and the series would run to MAX_SERIES_TERMS every round.
        boolean[] reachable = moves.reachableFrom(startTargets(segment, index, n));
        double[] u = new double[n];
        double[] d = new double[n];
        double[] waveU = new double[n];
        double[] waveD = new double[n];
        for (int j = 0; j < n; j++) {
            if (reachable[j]) {
                waveU[j] = ratio[j];
                waveD[j] = 1;
            }
        }
        for (int term = 0; term < MAX_SERIES_TERMS; term++) {
            double mass = 0;
            for (int j = 0; j < n; j++) {
                u[j] += waveU[j];
                d[j] += waveD[j];
                mass += waveD[j];
            }
            if (mass < 1e-9) {
                break;
            }
            double[] nextU = new double[n];
            double[] nextD = new double[n];
            for (int m = 0; m < moves.from.length; m++) {
                nextU[moves.from[m]] += moves.weight[m] * waveU[moves.to[m]];
                nextD[moves.from[m]] += moves.weight[m] * waveD[moves.to[m]];
            }
            waveU = nextU;
            waveD = nextD;
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = d[j] > 0 ? u[j] / d[j] : ratio[j];
        }
        return out;
    }

    /** The endpoints (by position) a session of the segment can start at. */
    private static boolean[] startTargets(Segment segment, Map<Integer, Integer> index, int n) {
        boolean[] start = new boolean[n];
        for (Transition t : segment.transitions()) {
            if (t.fromEndpoint() == WorkloadModel.START && t.toEndpoint() != WorkloadModel.EXIT && t.weight() > 0) {
                start[index.get(t.toEndpoint())] = true;
            }
        }
        return start;
    }

    /** A segment's moves between endpoints (not from START, not to EXIT) as positions and weights. */
    private record InnerMoves(int[] from, int[] to, double[] weight) {
        static InnerMoves of(Segment segment, Map<Integer, Integer> index) {
            List<Transition> inner = segment.transitions().stream()
                    .filter(t -> t.fromEndpoint() != WorkloadModel.START && t.toEndpoint() != WorkloadModel.EXIT)
                    .toList();
            int[] from = new int[inner.size()];
            int[] to = new int[inner.size()];
            double[] weight = new double[inner.size()];
            for (int m = 0; m < inner.size(); m++) {
                from[m] = index.get(inner.get(m).fromEndpoint());
                to[m] = index.get(inner.get(m).toEndpoint());
                weight[m] = inner.get(m).weight();
            }
            return new InnerMoves(from, to, weight);
        }

        /** The states reachable from {@code start} along moves of positive weight (start included). */
        boolean[] reachableFrom(boolean[] start) {
            boolean[] seen = start.clone();
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int m = 0; m < from.length; m++) {
                    if (seen[from[m]] && !seen[to[m]] && weight[m] > 0) {
                        seen[to[m]] = true;
                        grew = true;
                    }
                }
            }
            return seen;
        }
    }

    private static Segment scale(Segment segment, double[] factor, Map<Integer, Integer> index) {
        Map<Integer, Double> rowTotals = new HashMap<>();
        double[] scaled = new double[segment.transitions().size()];
        int i = 0;
        for (Transition t : segment.transitions()) {
            double f = t.toEndpoint() == WorkloadModel.EXIT ? 1 : factor[index.get(t.toEndpoint())];
            scaled[i] = t.weight() * f;
            rowTotals.merge(t.fromEndpoint(), scaled[i], Double::sum);
            i++;
        }
        List<Transition> out = new ArrayList<>(scaled.length);
        i = 0;
        for (Transition t : segment.transitions()) {
            double total = rowTotals.get(t.fromEndpoint());
            // a from-state whose every move was scaled to 0 keeps its old weights rather than trap walks
            double weight = total > 0 ? scaled[i] / total : t.weight();
            out.add(new Transition(t.fromEndpoint(), t.toEndpoint(), t.count(), t.probability(), weight));
            i++;
        }
        return new Segment(segment.id(), segment.name(), segment.sessions(), segment.share(), segment.weight(), out,
                segment.agents());
    }

    private static double maxError(double[] mix, double[] target) {
        double max = 0;
        for (int j = 0; j < mix.length; j++) {
            max = Math.max(max, Math.abs(mix[j] - target[j]));
        }
        return max;
    }

    private static Map<Integer, Integer> index(List<Endpoint> endpoints) {
        Map<Integer, Integer> index = new HashMap<>();
        for (int j = 0; j < endpoints.size(); j++) {
            index.put(endpoints.get(j).id(), j);
        }
        return index;
    }
}
