package dev.reprise.samples;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The session arrival intensity over one day, relative to its diurnal mean, and sampling of
 * session start times from it.
 *
 * <p>The diurnal factor is a piecewise cosine with a trough of {@value #TROUGH_FACTOR} at
 * {@value #TROUGH_HOUR}:00 and a peak of {@value #PEAK_FACTOR} at {@value #PEAK_HOUR}:00 (h in
 * hours since midnight):
 * <pre>
 *   d(h) = 1 - A cos(pi (h - 4) / 16)        for 4 &lt;= h &lt; 20   (16 hours rising)
 *   d(h) = 1 + A cos(pi ((h - 20) mod 24) / 8)   otherwise         (8 hours falling)
 * </pre>
 * with {@code A = 0.8}. Each half is a half period of a cosine, so each averages 1 and the daily
 * mean is exactly 1; the curve and its slope are continuous. On top of it, the flash sale
 * multiplies the intensity by {@value #SPIKE_FACTOR} from {@code SPIKE_START_MINUTE} for
 * {@code SPIKE_MINUTES} minutes.
 *
 * <p>Given the number of sessions, the start times of a non-homogeneous Poisson process are i.i.d.
 * with density proportional to the intensity; the intensity is evaluated at each minute's midpoint
 * and held constant within the minute.
 */
final class ArrivalCurve {
    static final int TROUGH_HOUR = 4;
    static final int PEAK_HOUR = 20;
    static final double TROUGH_FACTOR = 0.2;
    static final double PEAK_FACTOR = 1.8;
    static final double AMPLITUDE = (PEAK_FACTOR - TROUGH_FACTOR) / 2;
    /** 13:00. */
    static final int SPIKE_START_MINUTE = 13 * 60;
    static final int SPIKE_MINUTES = 10;
    static final double SPIKE_FACTOR = 6.0;

    static final int MINUTES_PER_DAY = 24 * 60;
    static final long MILLIS_PER_MINUTE = 60_000L;
    static final long MILLIS_PER_DAY = MINUTES_PER_DAY * MILLIS_PER_MINUTE;

    private final double[] cumulative = new double[MINUTES_PER_DAY];
    private final double total;

    ArrivalCurve() {
        double sum = 0;
        for (int minute = 0; minute < MINUTES_PER_DAY; minute++) {
            sum += intensity(minute);
            cumulative[minute] = sum;
        }
        total = sum;
    }

    /** The diurnal factor at {@code hour} (fractional hours since midnight). */
    static double diurnalFactor(double hour) {
        if (hour >= TROUGH_HOUR && hour < PEAK_HOUR) {
            return 1 - AMPLITUDE * StrictMath.cos(StrictMath.PI * (hour - TROUGH_HOUR) / (PEAK_HOUR - TROUGH_HOUR));
        }
        double sincePeak = hour >= PEAK_HOUR ? hour - PEAK_HOUR : hour + 24 - PEAK_HOUR;
        return 1 + AMPLITUDE * StrictMath.cos(StrictMath.PI * sincePeak / (24 - PEAK_HOUR + TROUGH_HOUR));
    }

    /** The intensity of {@code minute} (0..1439), relative to the diurnal mean, spike included. */
    static double intensity(int minute) {
        double factor = diurnalFactor((minute + 0.5) / 60.0);
        return isSpikeMinute(minute) ? factor * SPIKE_FACTOR : factor;
    }

    static boolean isSpikeMinute(int minute) {
        return minute >= SPIKE_START_MINUTE && minute < SPIKE_START_MINUTE + SPIKE_MINUTES;
    }

    static boolean isInSpike(long millisOfDay) {
        return isSpikeMinute((int) (millisOfDay / MILLIS_PER_MINUTE));
    }

    /** The sum over the day's minutes of {@link #intensity}: sessions / this = sessions per minute at factor 1. */
    double totalIntensityMinutes() {
        return total;
    }

    /** A session start, in milliseconds since midnight. */
    long sampleStartMillis(SplittableRandom random) {
        double u = Draws.uniform(random) * total;
        int i = Arrays.binarySearch(cumulative, u);
        int minute = Math.min(i >= 0 ? i + 1 : -i - 1, MINUTES_PER_DAY - 1);
        return minute * MILLIS_PER_MINUTE + Draws.below(random, (int) MILLIS_PER_MINUTE);
    }
}
