package dev.reprise.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArrivalCurveTest {
    @ParameterizedTest
    @CsvSource({"4, 0.2", "20, 1.8", "12, 1.0", "0, 1.0", "2, 0.4343", "16, 1.5657"})
    void diurnalFactorHasItsTroughAtFourAndPeakAtTwenty(double hour, double factor) {
        assertThat(ArrivalCurve.diurnalFactor(hour)).isCloseTo(factor, within(1e-4));
    }

    @Test
    void diurnalFactorAveragesOneAndIsContinuous() {
        double sum = 0;
        int steps = 24 * 3600;
        double previous = ArrivalCurve.diurnalFactor(0);
        for (int s = 0; s < steps; s++) {
            double factor = ArrivalCurve.diurnalFactor(s / 3600.0);
            sum += factor;
            assertThat(Math.abs(factor - previous)).isLessThan(1e-3);
            previous = factor;
        }
        assertThat(sum / steps).isCloseTo(1.0, within(1e-6));
        assertThat(Math.abs(ArrivalCurve.diurnalFactor(23.9999999) - ArrivalCurve.diurnalFactor(0))).isLessThan(1e-6);
    }

    @Test
    void startsFollowTheIntensityWithTheFlashSaleSixTimesItsSurroundings() {
        ArrivalCurve curve = new ArrivalCurve();
        SplittableRandom random = new SplittableRandom(5);
        long[] perMinute = new long[ArrivalCurve.MINUTES_PER_DAY];
        int n = 2_000_000;
        for (int i = 0; i < n; i++) {
            long start = curve.sampleStartMillis(random);
            assertThat(start).isBetween(0L, ArrivalCurve.MILLIS_PER_DAY - 1);
            perMinute[(int) (start / ArrivalCurve.MILLIS_PER_MINUTE)]++;
        }
        double spike = 0;
        double before = 0;
        for (int m = 13 * 60; m < 13 * 60 + 10; m++) {
            spike += perMinute[m];
            before += perMinute[m - 10];
        }
        assertThat(spike / before).isCloseTo(6.0, within(0.4));
        double troughHour = 0;
        double peakHour = 0;
        for (int m = 0; m < 60; m++) {
            troughHour += perMinute[3 * 60 + 30 + m];
            peakHour += perMinute[19 * 60 + 30 + m];
        }
        assertThat(peakHour / troughHour).isCloseTo(9.0, within(0.5));
    }
}
