package dev.reprise.replay.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.WorkloadModel.ArrivalCurve;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SessionArrivalsTest {
    private static final long T0 = 1_773_446_400_000_000L;

    /** 60 one-second buckets: 10 sessions each, except 100 in bucket 30 (a spike). */
    private static ArrivalCurve curve() {
        long[] starts = new long[60];
        long[] sessions = new long[60];
        for (int i = 0; i < 60; i++) {
            starts[i] = T0 + i * 1_000_000L;
            sessions[i] = i == 30 ? 100 : 10;
        }
        return new ArrivalCurve(1_000_000L, T0, T0 + 60_000_000L, starts, sessions, new long[60]);
    }

    private static List<Long> offsets(SessionArrivals arrivals) {
        List<Long> out = new ArrayList<>();
        while (arrivals.hasNext()) {
            out.add(arrivals.peekOffsetNanos());
            arrivals.next();
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameSchedule() {
        assertThat(offsets(SessionArrivals.overWholeCurve(curve(), 1, 1, 7)))
                .isEqualTo(offsets(SessionArrivals.overWholeCurve(curve(), 1, 1, 7)))
                .isNotEqualTo(offsets(SessionArrivals.overWholeCurve(curve(), 1, 1, 8)));
    }

    @Test
    void arrivalsAreInTimeOrderAndFollowTheCurve() {
        long total = 0;
        long inSpike = 0;
        for (long seed = 1; seed <= 200; seed++) {
            List<Long> o = offsets(SessionArrivals.overWholeCurve(curve(), 1, 1, seed));
            assertThat(o).isSorted();
            total += o.size();
            inSpike += o.stream().filter(t -> t >= 30_000_000_000L && t < 31_000_000_000L).count();
        }
        // mean per run 690, spike 100: 200 runs average within a few standard errors
        assertThat(total / 200.0).isCloseTo(690, within(690 * 0.02));
        assertThat(inSpike / 200.0).isCloseTo(100, within(3.0));
    }

    @Test
    void speedCompressesTimeAndRateScalesCount() {
        List<Long> o = offsets(SessionArrivals.overWholeCurve(curve(), 3, 10, 1));
        assertThat(o.get(o.size() - 1)).isLessThan(6_000_000_000L);
        long n = 0;
        for (long seed = 1; seed <= 50; seed++) {
            n += offsets(SessionArrivals.overWholeCurve(curve(), 3, 10, seed)).size();
        }
        assertThat(n / 50.0).isCloseTo(2070, within(2070 * 0.02));
    }

    @Test
    void aWindowKeepsOnlyItsArrivals() {
        SessionArrivals window = new SessionArrivals(curve(), 1, 1, 3, T0 + 30_000_000L, T0 + 31_000_000L);
        List<Long> o = offsets(window);
        assertThat(o).allMatch(t -> t >= 0 && t < 1_000_000_000L);
        assertThat(SessionArrivals.expectedSessions(curve(), 1, T0 + 30_000_000L, T0 + 31_000_000L)).isEqualTo(100);
    }

    @Test
    void poissonSamplesHaveTheRightMeanAndVariance() {
        SplittableRandom random = new SplittableRandom(5);
        for (double mean : new double[] {0.3, 4, 75}) {
            int n = 20_000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                long k = Poisson.sample(mean, random);
                sum += k;
                sumSq += (double) k * k;
            }
            double m = sum / n;
            double variance = sumSq / n - m * m;
            assertThat(m).isCloseTo(mean, within(5 * Math.sqrt(mean / n)));
            assertThat(variance).isCloseTo(mean, within(mean * 0.06 + 0.01));
        }
    }
}
