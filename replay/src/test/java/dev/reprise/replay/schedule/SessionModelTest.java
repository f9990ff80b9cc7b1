package dev.reprise.replay.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.WorkloadModel;
import dev.reprise.model.WorkloadModel.Endpoint;
import dev.reprise.model.WorkloadModel.SlotValues;
import dev.reprise.model.WorkloadModel.Transition;
import dev.reprise.replay.TestModels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionModelTest {
    @Test
    void walksFollowTheChainSoTheMixMatchesExpectedVisits() {
        SessionModel model = SessionModel.of(TestModels.chain(100, new long[] {1}));
        SplittableRandom random = new SplittableRandom(11);
        long[] visits = new long[3];
        int sessions = 100_000;
        for (int s = 0; s < sessions; s++) {
            int segment = model.pickSegment(s, 11);
            int state = SessionModel.START;
            while (true) {
                int next = model.edgeTarget(segment, model.pickEdge(segment, state, random));
                if (next == SessionModel.EXIT) {
                    break;
                }
                visits[next]++;
                state = next;
            }
        }
        long total = visits[0] + visits[1] + visits[2];
        assertThat(visits[0] / (double) total).isCloseTo(4 / 7.0, within(0.005));
        assertThat(visits[1] / (double) total).isCloseTo(2 / 7.0, within(0.005));
        assertThat(visits[2] / (double) total).isCloseTo(1 / 7.0, within(0.005));
        assertThat(total / (double) sessions).isCloseTo(1.75, within(0.02));
    }

    @Test
    void fillsSlotsWithProductionSkew() {
        SessionModel model = SessionModel.of(TestModels.chain(100, new long[] {1}));
        SplittableRandom random = new SplittableRandom(3);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(model.sampleUri(2, random), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("/c/7", "/c/8", "/c/9");
        assertThat(counts.get("/c/7") / 10_000.0).isCloseTo(0.8, within(0.02));
        Map<String, Integer> queries = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            queries.merge(model.sampleUri(1, random), 1, Integer::sum);
        }
        assertThat(queries).containsOnlyKeys("/b", "/b?q=1");
        assertThat(queries.get("/b?q=1") / 10_000.0).isCloseTo(0.25, within(0.02));
    }

    @Test
    void fillsQueryParameterPlaceholdersByNameAndAppendsTheRestOfTheQuery() {
        SessionModel model = SessionModel.of(TestModels.model(List.of(
                new Endpoint(1, "GET", "/p/{id}/search?cat={cat}&q={q}", 1, 1, 1, List.of(
                        new SlotValues("path:1", List.of("5"), new long[] {1}),
                        new SlotValues("query:q", List.of("shoes", "hats"), new long[] {3, 1}),
                        new SlotValues("query:cat", List.of("7"), new long[] {1}),
                        new SlotValues("query", List.of("", "page=2"), new long[] {1, 1})))),
                List.of(new Transition(0, 1, 1, 1, 1), new Transition(1, -1, 1, 1, 1)), 0, new long[] {1}));
        SplittableRandom random = new SplittableRandom(5);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(model.sampleUri(0, random), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("/p/5/search?cat=7&q=shoes", "/p/5/search?cat=7&q=hats",
                "/p/5/search?cat=7&q=shoes&page=2", "/p/5/search?cat=7&q=hats&page=2");
        double shoes = (counts.get("/p/5/search?cat=7&q=shoes") + counts.get("/p/5/search?cat=7&q=shoes&page=2"))
                / 10_000.0;
        assertThat(shoes).isCloseTo(0.75, within(0.02));
    }

    @Test
    void refusesAQueryPlaceholderWithoutValuesNamingTheSlot() {
        WorkloadModel broken = TestModels.model(List.of(new Endpoint(1, "GET", "/search?q={q}", 1, 1, 1, List.of())),
                List.of(new Transition(0, 1, 1, 1, 1), new Transition(1, -1, 1, 1, 1)), 0, new long[] {1});
        assertThatThrownBy(() -> SessionModel.of(broken))
                .hasMessageContaining("has placeholder {q} but endpoint_values has no values for slot 'query:q'");
    }

    @Test
    void samplesThinkTimesFromTheQuantiles() {
        SessionModel model = SessionModel.of(TestModels.chain(250, new long[] {1}));
        SplittableRandom random = new SplittableRandom(1);
        int edge;
        do {
            edge = model.pickEdge(0, 0, random); // from /a, until the walk continues to /b
        } while (model.edgeTarget(0, edge) == SessionModel.EXIT);
        assertThat(model.sampleThinkMillis(0, edge, random)).isEqualTo(250.0);
    }

    @Test
    void assignsSegmentsInProportionToTheirWeightsWithoutDrift() {
        SessionModel model = SessionModel.of(TestModels.threeSegments(0.6, 0.3, 0.1));
        int[] counts = new int[3];
        for (long index = 0; index < 1000; index++) {
            counts[model.pickSegment(index, 42)]++;
            if (index == 99) {
                // already after 100 sessions each count is within 2 of its share
                assertThat(counts[0]).isBetween(58, 62);
                assertThat(counts[1]).isBetween(28, 32);
                assertThat(counts[2]).isBetween(8, 12);
            }
        }
        assertThat(counts[0]).isBetween(598, 602);
        assertThat(counts[1]).isBetween(298, 302);
        assertThat(counts[2]).isBetween(98, 102);
        assertThat(model.pickSegment(7, 42)).isEqualTo(model.pickSegment(7, 42));
    }

    @Test
    void userAgentsAreDrawnPerSessionBySessionCountDeterministicallyWithNoneForASegmentWithout() {
        dev.reprise.model.WorkloadModel base = TestModels.threeSegments(0.5, 0.3, 0.2);
        java.util.List<dev.reprise.model.WorkloadModel.Segment> segments = new java.util.ArrayList<>();
        for (dev.reprise.model.WorkloadModel.Segment s : base.segments()) {
            java.util.List<dev.reprise.model.WorkloadModel.UserAgent> agents = switch (s.id()) {
                case 1 -> java.util.List.of(new dev.reprise.model.WorkloadModel.UserAgent("Firefox", 3),
                        new dev.reprise.model.WorkloadModel.UserAgent("Chrome", 1),
                        new dev.reprise.model.WorkloadModel.UserAgent("Switched-off", 0));
                case 2 -> java.util.List.of(new dev.reprise.model.WorkloadModel.UserAgent("Googlebot", 5));
                default -> java.util.List.of();
            };
            segments.add(new dev.reprise.model.WorkloadModel.Segment(s.id(), s.name(), s.sessions(), s.share(),
                    s.weight(), s.transitions(), agents));
        }
        SessionModel model = SessionModel.of(new dev.reprise.model.WorkloadModel(base.endpoints(), segments,
                base.thinkTimes(), base.arrivals(), base.sessionGap(), 30, 3, 3));

        Map<String, Integer> counts = new HashMap<>();
        int sessions = 40_000;
        for (int s = 0; s < sessions; s++) {
            counts.merge(model.pickUserAgent(0, s, 9), 1, Integer::sum);
        }
        // Binomial(40,000, 0.75): standard deviation about 87, so 4 of them is 0.009 of the share
        assertThat(counts.keySet()).containsExactlyInAnyOrder("Firefox", "Chrome");
        assertThat(counts.get("Firefox") / (double) sessions).isCloseTo(0.75, within(0.009));
        assertThat(model.pickUserAgent(1, 123, 9)).isEqualTo("Googlebot");
        assertThat(model.pickUserAgent(2, 123, 9)).isNull();
        for (int s = 0; s < 100; s++) {
            assertThat(model.pickUserAgent(0, s, 9)).isEqualTo(model.pickUserAgent(0, s, 9));
        }
        long differ = java.util.stream.IntStream.range(0, 100)
                .filter(s -> !model.pickUserAgent(0, s, 9).equals(model.pickUserAgent(0, s, 10))).count();
        assertThat(differ).as("another seed draws other agents").isPositive();
    }
}
