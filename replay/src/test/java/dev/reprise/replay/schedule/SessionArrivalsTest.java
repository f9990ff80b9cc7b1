package dev.reprise.replay.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.WorkloadModel.ArrivalCurve;
import java.util.ArrayList;
import java.util.List;
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

    /** 60 one-second buckets of 100 sessions each. */
    private static ArrivalCurve flat() {
        long[] starts = new long[60];
        long[] sessions = new long[60];
        for (int i = 0; i < 60; i++) {
            starts[i] = T0 + i * 1_000_000L;
            sessions[i] = 100;
        }
        return new ArrivalCurve(1_000_000L, T0, T0 + 60_000_000L, starts, sessions, new long[60]);
    }

    @Test
    void aShapedProcessFollowsTheFactorWithinPoissonNoise() {
        // level ramps 0 -> 2 over 20 s, then holds 2; a x3 spike over [40 s, 45 s)
        RateProfile profile = new RateProfile(new long[] {0, 20_000_000_000L}, new long[] {20_000_000_000L, 60_000_000_000L},
                new double[] {0, 2}, new double[] {2, 2}, new long[] {40_000_000_000L}, new long[] {45_000_000_000L},
                new double[] {3});
        long[] perFiveSeconds = new long[12];
        int runs = 40;
        for (long seed = 1; seed <= runs; seed++) {
            List<Long> o = offsets(new SessionArrivals(flat(), 1, 1, seed, T0, T0 + 60_000_000L, profile,
                    60_000_000_000L, false));
            assertThat(o).isSorted();
            o.forEach(t -> perFiveSeconds[(int) (t / 5_000_000_000L)]++);
        }
        // expected per 5 s: 500 x mean factor; ramp quarters 0.25, 0.75, 1.25, 1.75; hold 2; spike 6
        double[] factor = {0.25, 0.75, 1.25, 1.75, 2, 2, 2, 2, 6, 2, 2, 2};
        for (int i = 0; i < 12; i++) {
            double expected = 500 * factor[i] * runs;
            assertThat((double) perFiveSeconds[i]).as("5 s slot " + i)
                    .isCloseTo(expected, within(5 * Math.sqrt(expected)));
        }
    }

    @Test
    void anUnshapedProcessIsTheSameWithAFlatProfile() {
        assertThat(offsets(new SessionArrivals(curve(), 1, 1, 9, T0, T0 + 60_000_000L, RateProfile.FLAT, Long.MAX_VALUE,
                false))).isEqualTo(offsets(SessionArrivals.overWholeCurve(curve(), 1, 1, 9)));
    }

    @Test
    void loopingPlaysTheCurveAgainUntilTheHorizonWithFreshDraws() {
        // the 60 s curve at speed 2 is 30 s long; a 100 s horizon gives 3 passes and a third of a fourth
        List<Long> looped = offsets(new SessionArrivals(curve(), 1, 2, 4, T0, T0 + 60_000_000L, RateProfile.FLAT,
                100_000_000_000L, true));
        List<Long> once = offsets(new SessionArrivals(curve(), 1, 2, 4, T0, T0 + 60_000_000L));
        assertThat(looped).isSorted();
        assertThat(looped.subList(0, once.size())).isEqualTo(once);
        assertThat(looped.get(looped.size() - 1)).isLessThan(100_000_000_000L).isGreaterThan(90_000_000_000L);
        // each pass has its spike (bucket 30 -> 15 s into each pass)
        for (int pass = 0; pass < 3; pass++) {
            long spikeStart = pass * 30_000_000_000L + 15_000_000_000L;
            long inSpike = looped.stream().filter(t -> t >= spikeStart && t < spikeStart + 500_000_000L).count();
            assertThat(inSpike).as("pass " + pass).isBetween(60L, 140L);
        }
        List<Long> secondPass = looped.stream().filter(t -> t >= 30_000_000_000L && t < 60_000_000_000L)
                .map(t -> t - 30_000_000_000L).toList();
        assertThat(secondPass).isNotEqualTo(once);
        assertThat((double) secondPass.size()).isCloseTo(690, within(5 * Math.sqrt(690)));
    }

    @Test
    void bucketCountsArePoissonWithTheCurvesMean() {
        // one 10-second bucket of 10 recorded sessions, scaled to means 0.3, 4 and 75: a Poisson count has
        // variance equal to its mean, which a fixed or binomial count would not
        ArrivalCurve one = new ArrivalCurve(10_000_000L, T0, T0 + 10_000_000L, new long[] {T0}, new long[] {10},
                new long[1]);
        for (double mean : new double[] {0.3, 4, 75}) {
            int n = 20_000;
            double sum = 0;
            double sumSq = 0;
            for (long seed = 0; seed < n; seed++) {
                long k = offsets(SessionArrivals.overWholeCurve(one, mean / 10, 1, seed)).size();
                sum += k;
                sumSq += (double) k * k;
            }
            double m = sum / n;
            double variance = sumSq / n - m * m;
            assertThat(m).as("mean " + mean).isCloseTo(mean, within(5 * Math.sqrt(mean / n)));
            assertThat(variance).as("variance at mean " + mean).isCloseTo(mean, within(mean * 0.06 + 0.01));
        }
    }

    @Test
    void arrivalsWithinABucketAreUniform() {
        // 200,000 arrivals over one 10-second bucket: each of its ten seconds gets a tenth, within 5 standard
        // deviations (about 3.5%), and together they pass a chi-square test of uniformity (9 degrees of freedom)
        ArrivalCurve one = new ArrivalCurve(10_000_000L, T0, T0 + 10_000_000L, new long[] {T0}, new long[] {10},
                new long[1]);
        long[] perSecond = new long[10];
        List<Long> o = offsets(SessionArrivals.overWholeCurve(one, 20_000, 1, 11));
        assertThat(o).isSorted();
        o.forEach(t -> perSecond[(int) (t / 1_000_000_000L)]++);
        for (int i = 0; i < 10; i++) {
            assertThat((double) perSecond[i]).as("second " + i)
                    .isCloseTo(o.size() / 10.0, within(5 * Math.sqrt(o.size() / 10.0)));
        }
        double chiSquare = 0;
        for (long count : perSecond) {
            double expected = o.size() / 10.0;
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 27.9 is the 99.9th percentile of chi-square with 9 degrees of freedom
        assertThat(chiSquare).isLessThan(27.9);
        assertThat((double) o.size()).isCloseTo(200_000, within(5 * Math.sqrt(200_000)));
    }
}
