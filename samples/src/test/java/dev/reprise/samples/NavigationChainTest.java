package dev.reprise.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NavigationChainTest {
    @ParameterizedTest
    @EnumSource(Segment.class)
    void walksHaveTheLengthTheChainPredicts(Segment segment) {
        SplittableRandom random = new SplittableRandom(1);
        long visits = 20_000;
        long requests = 0;
        for (int i = 0; i < visits; i++) {
            SessionWalk walk = new SessionWalk(segment, random.split(), Integer.MAX_VALUE);
            while (walk.advance()) {
                requests++;
            }
        }
        double expected = segment.chain.expectedRequests();
        assertThat((double) requests / visits).isCloseTo(expected, within(expected * 0.05));
    }

    @Test
    void aWalkCutShortIsAPrefixOfTheFullWalk() {
        for (long seed = 0; seed < 200; seed++) {
            SessionWalk full = new SessionWalk(Segment.BUYER, new SplittableRandom(seed), Integer.MAX_VALUE);
            SessionWalk cut = new SessionWalk(Segment.BUYER, new SplittableRandom(seed), 3);
            int steps = 0;
            while (cut.advance()) {
                assertThat(full.advance()).isTrue();
                assertThat(cut.endpoint()).isEqualTo(full.endpoint());
                assertThat(cut.thinkMillis()).isEqualTo(full.thinkMillis());
                steps++;
            }
            assertThat(steps).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void thinkTimesAreLognormalAroundTheSegmentMedianAndCapped() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 100_000;
        int belowMedian = 0;
        long max = 0;
        for (int i = 0; i < n; i++) {
            long think = Segment.BROWSER.thinkMillis(Endpoint.PRODUCT, random);
            belowMedian += think < 12_000 ? 1 : 0;
            max = Math.max(max, think);
        }
        assertThat((double) belowMedian / n).isCloseTo(0.5, within(0.01));
        assertThat(max).isLessThanOrEqualTo(Segment.THINK_CAP_MILLIS);
        assertThat(Segment.BUYER.thinkMillis(Endpoint.CHECKOUT_SUBMIT, random)).isLessThan(5_000);
    }

    @Test
    void rejectsARowThatDoesNotSumToOne() {
        assertThatThrownBy(() -> NavigationChain.builder().fromStart().to(Endpoint.HOME, 0.5)
                .from(Endpoint.HOME).toExit(1.0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("transitions from START sum to 0.5, expected 1");
    }

    @Test
    void rejectsAReachableStateWithoutTransitions() {
        assertThatThrownBy(() -> NavigationChain.builder().fromStart().to(Endpoint.HOME, 1.0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("GET / is reachable but has no transitions");
    }
}
