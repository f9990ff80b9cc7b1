package dev.reprise.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.Segment;
import dev.reprise.model.WorkloadModel.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 4: re-balancing the chains to the analyst's endpoint weights. */
class MixBalancerTest {
    private static Endpoint endpoint(int id, double share, double weight) {
        return new Endpoint(id, "GET", "/e" + id, 100, share, weight, List.of());
    }

    private static Transition t(int from, int to, double weight) {
        return new Transition(from, to, 10, weight, weight);
    }

    /** START -> 1; 1 -> 2 (0.5) | EXIT; 2 -> 3 (0.5) | 1 (0.2) | EXIT; 3 -> EXIT. */
    private static Segment chain(double weight) {
        return new Segment(1, "all", 10, 1, weight, List.of(
                t(0, 1, 1.0),
                t(1, 2, 0.5), t(1, -1, 0.5),
                t(2, 3, 0.5), t(2, 1, 0.2), t(2, -1, 0.3),
                t(3, -1, 1.0)));
    }

    @Test
    void expectedVisitsFollowTheAbsorbingChain() {
        List<Endpoint> endpoints = List.of(endpoint(1, 0.5, 0.5), endpoint(2, 0.3, 0.3), endpoint(3, 0.2, 0.2));
        // v1 = 1 + 0.2 v2, v2 = 0.5 v1  =>  v1 = 1/0.9, v2 = 0.5/0.9, v3 = 0.25/0.9
        double[] mix = MixBalancer.expectedMix(endpoints, List.of(chain(1)));
        double total = 1.75 / 0.9;
        assertThat(mix[0]).isCloseTo(1 / 0.9 / total, within(1e-9));
        assertThat(mix[1]).isCloseTo(0.5 / 0.9 / total, within(1e-9));
        assertThat(mix[2]).isCloseTo(0.25 / 0.9 / total, within(1e-9));
    }

    @Test
    void meetsReachableWeightsKeepingOnlyRecordedPaths() {
        List<Endpoint> endpoints = List.of(endpoint(1, 0.57, 0.4), endpoint(2, 0.29, 0.35), endpoint(3, 0.14, 0.25));
        assertThat(MixBalancer.weightsEdited(endpoints)).isTrue();

        MixBalancer.Result result = MixBalancer.rebalance(endpoints, List.of(chain(1)));

        double[] mix = MixBalancer.expectedMix(endpoints, result.segments());
        assertThat(mix[0]).isCloseTo(0.4, within(1e-4));
        assertThat(mix[1]).isCloseTo(0.35, within(1e-4));
        assertThat(mix[2]).isCloseTo(0.25, within(1e-4));
        assertThat(result.unreachable()).isEmpty();
        // same edges as recorded, still a probability distribution per from-state
        assertThat(result.segments().get(0).transitions()).hasSize(7);
        for (int from : new int[] {0, 1, 2, 3}) {
            double sum = result.segments().get(0).transitions().stream().filter(x -> x.fromEndpoint() == from)
                    .mapToDouble(Transition::weight).sum();
            assertThat(sum).isCloseTo(1, within(1e-9));
        }
    }

    @Test
    void reportsAWeightNoPathLeadsTo() {
        List<Endpoint> endpoints = List.of(endpoint(1, 0.5, 0.4), endpoint(2, 0.3, 0.2), endpoint(3, 0.2, 0.2),
                endpoint(4, 0, 0.2));

        MixBalancer.Result result = MixBalancer.rebalance(endpoints, List.of(chain(1)));

        assertThat(result.unreachable()).extracting(Endpoint::id).containsExactly(4);
    }

    @Test
    void leavesUneditedWeightsAlone() {
        List<Endpoint> endpoints = List.of(endpoint(1, 0.5, 0.5), endpoint(2, 0.3, 0.3), endpoint(3, 0.2, 0.2));
        assertThat(MixBalancer.weightsEdited(endpoints)).isFalse();
    }

    /**
     * Issue 7: a segment's counts are rounded, so a cycle it never enters can lose its exit move (on a
     * real log: 2,735 endpoints, and check ran for minutes at the series' term cap every round).
     */
    @Test
    void aCycleTheSegmentNeverEntersDoesNotEnterTheDownstreamRatios() {
        Segment withCycle = new Segment(1, "all", 10, 1, 1, List.of(
                t(0, 1, 1.0),
                t(1, 2, 0.5), t(1, -1, 0.5),
                t(2, 3, 0.5), t(2, 1, 0.2), t(2, -1, 0.3),
                t(3, -1, 1.0),
                t(4, 5, 1.0), t(5, 4, 1.0)));
        List<Endpoint> endpoints = List.of(endpoint(1, 0.5, 0.5), endpoint(2, 0.3, 0.3), endpoint(3, 0.2, 0.2),
                endpoint(4, 0, 0), endpoint(5, 0, 0));
        java.util.Map<Integer, Integer> index = java.util.Map.of(1, 0, 2, 1, 3, 2, 4, 3, 5, 4);
        double[] ratio = {1.2, 0.9, 0.7, 3.0, 0.1};

        double[] withIt = MixBalancer.downstreamRatios(withCycle, ratio, index);
        double[] without = MixBalancer.downstreamRatios(chain(1), ratio, index);

        assertThat(withIt).containsExactly(without, within(1e-12));
        // the unreachable states keep their own ratio: no walk of this segment reaches them to average over
        assertThat(withIt[3]).isEqualTo(3.0);
        assertThat(withIt[4]).isEqualTo(0.1);
        List<Endpoint> edited = List.of(endpoint(1, 0.57, 0.4), endpoint(2, 0.29, 0.35), endpoint(3, 0.14, 0.25),
                endpoint(4, 0, 0), endpoint(5, 0, 0));
        MixBalancer.Result result = MixBalancer.rebalance(edited, List.of(withCycle));
        assertThat(result.maxError()).isLessThan(1e-4);
    }

    /**
     * A segment the analyst switched off (weight 0, "no bots") sends nothing, so re-balancing leaves its
     * chain as it is. On the secrepo log (2,735 endpoints, crawler walks thousands of requests long) scaling
     * the switched-off bots' chain ran the series to its term cap every round: check took over 9 minutes,
     * 7 s without it.
     */
    @Test
    void aSegmentOfWeightZeroIsLeftAsItIs() {
        // a walk that almost never ends: the series would need about 10^6 terms
        Segment crawler = new Segment(2, "bots", 10, 0.5, 0, List.of(
                t(0, 1, 1.0), t(1, 1, 0.999_999), t(1, -1, 0.000_001)));
        List<Endpoint> edited = List.of(endpoint(1, 0.57, 0.4), endpoint(2, 0.29, 0.35), endpoint(3, 0.14, 0.25));

        MixBalancer.Result result = MixBalancer.rebalance(edited, List.of(chain(1), crawler));

        assertThat(result.segments().get(1)).isSameAs(crawler);
        assertThat(result.maxError()).isLessThan(1e-4);
        double[] mix = MixBalancer.expectedMix(edited, result.segments());
        assertThat(mix[0]).isCloseTo(0.4, within(1e-4));
    }
}
