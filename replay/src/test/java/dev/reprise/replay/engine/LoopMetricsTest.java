package dev.reprise.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * A run's histograms take memory for the values they hold, not for the largest value they ever held:
 * a soak's heap must not climb each time a rare slow response reaches another histogram.
 */
class LoopMetricsTest {

    @Test
    void recycledIntervalHistogramsStaySmallAfterRareOutliersAndGiveTheSamePercentiles() {
        LoopMetrics metrics = new LoopMetrics(1);
        Histogram plain = new Histogram(LoopMetrics.SIGNIFICANT_DIGITS);
        Histogram total = LoopMetrics.newHistogram();
        Histogram recycle = null;
        SplittableRandom random = new SplittableRandom(5);
        long largestFootprint = 0;
        for (int interval = 0; interval < 200; interval++) {
            for (int i = 0; i < 2_000; i++) {
                long latency = 150 + random.nextInt(300);
                if (i == 0 && interval % 10 == 3) {
                    latency = 2_000_000 + interval * 50_000L; // seconds-long outliers, each one larger
                }
                if (i == 0 && interval == 150) {
                    latency = 2 * LoopMetrics.MAX_RECORDABLE_MICROS; // clamped to one hour, counted
                }
                metrics.recordLatency(0, latency, latency);
                plain.recordValue(Math.min(latency, LoopMetrics.MAX_RECORDABLE_MICROS));
            }
            // as IntervalReporter#sample does: the interval histogram goes back to its recorder
            Histogram h = metrics.latency.get(0).getIntervalHistogram(recycle);
            assertThat(h.getTotalCount()).isEqualTo(2_000);
            largestFootprint = Math.max(largestFootprint, h.getEstimatedFootprintInBytes());
            total.add(h);
            recycle = h;
        }

        // a plain auto-resizing histogram that once held one hour keeps 23,552 counts (184 KB) for good
        assertThat(plain.getEstimatedFootprintInBytes()).isGreaterThan(180_000);
        assertThat(largestFootprint).isLessThan(16_384);
        assertThat(total.getEstimatedFootprintInBytes()).isLessThan(16_384);
        assertThat(metrics.clamped.get()).isEqualTo(2); // latency and service time
        assertThat(total.getTotalCount()).isEqualTo(plain.getTotalCount());
        for (double percentile : new double[] {50, 90, 99, 99.9, 99.99, 100}) {
            assertThat(total.getValueAtPercentile(percentile)).as("p" + percentile)
                    .isEqualTo(plain.getValueAtPercentile(percentile));
        }
    }
}
