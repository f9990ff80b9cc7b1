package dev.reprise.replay;

import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.ArrivalCurve;
import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Segment;
import dev.reprise.model.WorkloadModel.SlotValues;
import dev.reprise.model.WorkloadModel.ThinkLevel;
import dev.reprise.model.WorkloadModel.ThinkTimeDistribution;
import dev.reprise.model.WorkloadModel.Transition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Hand-built workload models for replay tests (replay never reads the store). */
public final class TestModels {
    public static final long T0_MICROS = 1_773_446_400_000_000L;

    private TestModels() {
    }

    /**
     * A chain START -> /a -> (/b 50% | EXIT) ; /b -> (/c/{id} 50% | EXIT) ; /c/{id} -> EXIT, so the
     * expected mix is /a 4/7, /b 2/7, /c 1/7. Constant think time; {@code sessionsPerSecond[i]}
     * sessions start in second i.
     */
    public static WorkloadModel chain(double thinkMillis, long[] sessionsPerSecond) {
        List<Endpoint> endpoints = List.of(
                new Endpoint(1, "GET", "/a", 4, 4 / 7.0, 4 / 7.0, List.of()),
                new Endpoint(2, "GET", "/b", 2, 2 / 7.0, 2 / 7.0, List.of(
                        new SlotValues("query", List.of("", "q=1"), new long[] {3, 1}))),
                new Endpoint(3, "POST", "/c/{id}", 1, 1 / 7.0, 1 / 7.0, List.of(
                        new SlotValues("path:1", List.of("7", "8", "9"), new long[] {8, 1, 1}))));
        List<Transition> transitions = List.of(
                new Transition(0, 1, 1, 1, 1),
                new Transition(1, 2, 1, 0.5, 0.5),
                new Transition(1, -1, 1, 0.5, 0.5),
                new Transition(2, 3, 1, 0.5, 0.5),
                new Transition(2, -1, 1, 0.5, 0.5),
                new Transition(3, -1, 1, 1, 1));
        return model(endpoints, transitions, thinkMillis, sessionsPerSecond);
    }

    /** One endpoint, sessions of exactly one request. */
    public static WorkloadModel single(String path, long[] sessionsPerSecond) {
        return model(List.of(new Endpoint(1, "GET", path, 1, 1, 1, List.of())),
                List.of(new Transition(0, 1, 1, 1, 1), new Transition(1, -1, 1, 1, 1)), 0, sessionsPerSecond);
    }

    public static WorkloadModel model(List<Endpoint> endpoints, List<Transition> transitions, double thinkMillis,
                                      long[] sessionsPerSecond) {
        double[] quantiles = new double[101];
        Arrays.fill(quantiles, thinkMillis);
        return model(endpoints, transitions, quantiles, sessionsPerSecond);
    }

    /** {@link #chain} with think times uniform between {@code fromMillis} and {@code toMillis}. */
    public static WorkloadModel chainWithThinkRange(double fromMillis, double toMillis, long[] sessionsPerSecond) {
        WorkloadModel chain = chain(0, sessionsPerSecond);
        double[] quantiles = new double[101];
        for (int q = 0; q <= 100; q++) {
            quantiles[q] = fromMillis + (toMillis - fromMillis) * q / 100.0;
        }
        return model(chain.endpoints(), chain.segments().get(0).transitions(), quantiles, sessionsPerSecond);
    }

    static WorkloadModel model(List<Endpoint> endpoints, List<Transition> transitions, double[] quantiles,
                               long[] sessionsPerSecond) {
        long[] starts = new long[sessionsPerSecond.length];
        long[] requests = new long[sessionsPerSecond.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = T0_MICROS + i * 1_000_000L;
        }
        long sessions = Arrays.stream(sessionsPerSecond).sum();
        double meanLength = endpoints.stream().mapToDouble(Endpoint::share).sum() > 0
                ? expectedVisits(endpoints.size(), transitions) : 1;
        ArrivalCurve curve = new ArrivalCurve(1_000_000L, starts[0], starts[starts.length - 1] + 1_000_000L, starts,
                sessionsPerSecond, requests);
        return new WorkloadModel(endpoints,
                List.of(new Segment(1, "all", sessions, 1, 1, transitions)),
                List.of(new ThinkTimeDistribution(1, ThinkLevel.GLOBAL, WorkloadModel.ANY, WorkloadModel.ANY, 100,
                        quantiles)),
                curve, Duration.ofMinutes(30), 30, Math.round(sessions * meanLength), sessions);
    }

    /** Three segments with the given weights; segment i's sessions request endpoint i once. */
    public static WorkloadModel threeSegments(double w1, double w2, double w3) {
        List<Endpoint> endpoints = List.of(new Endpoint(1, "GET", "/one", 1, w1, w1, List.of()),
                new Endpoint(2, "GET", "/two", 1, w2, w2, List.of()),
                new Endpoint(3, "GET", "/three", 1, w3, w3, List.of()));
        double[] weights = {w1, w2, w3};
        List<Segment> segments = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            segments.add(new Segment(i, "s" + i, 1, weights[i - 1], weights[i - 1],
                    List.of(new Transition(0, i, 1, 1, 1), new Transition(i, -1, 1, 1, 1))));
        }
        WorkloadModel base = single("/one", new long[] {1});
        return new WorkloadModel(endpoints, segments, base.thinkTimes(), base.arrivals(), Duration.ofMinutes(30), 30,
                3, 3);
    }

    /** Expected requests per session of an absorbing chain, by iterating the visit equations. */
    static double expectedVisits(int endpointCount, List<Transition> transitions) {
        double[] visits = new double[endpointCount + 1];
        for (int iteration = 0; iteration < 1000; iteration++) {
            double[] next = new double[endpointCount + 1];
            for (Transition t : transitions) {
                if (t.toEndpoint() > 0) {
                    double from = t.fromEndpoint() == 0 ? 1 : visits[t.fromEndpoint()];
                    next[t.toEndpoint()] += from * t.weight();
                }
            }
            visits = next;
        }
        return Arrays.stream(visits).sum();
    }
}
