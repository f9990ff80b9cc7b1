package dev.reprise.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.replay.ReplayListener;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.junit.jupiter.api.Test;

/**
 * A run's histograms take memory for the values of recent intervals, not for the largest value of the
 * run: a soak's heap must not climb each time a rare slow response reaches another histogram. And
 * renewing the recorders loses no value.
 */
class LoopMetricsTest {

    @Test
    void recordersAreRenewedWithoutLosingAValueAndForgetTheSizeOfOldOutliers() {
        LoopMetrics metrics = new LoopMetrics(2);
        IntervalReporter reporter = new IntervalReporter(new LoopMetrics[] {metrics}, new int[] {10, 11}, 2_000, 200,
                ReplayListener.NONE, null);
        Histogram plain = new Histogram(LoopMetrics.SIGNIFICANT_DIGITS);
        SplittableRandom random = new SplittableRandom(5);
        Map<SingleWriterRecorder, Boolean> recorders = new IdentityHashMap<>();
        int stragglers = 0;
        for (int interval = 0; interval < 200; interval++) {
            for (int i = 0; i < 2_000; i++) {
                long latency = 150 + random.nextInt(300);
                if (i == 0 && interval % 10 == 3 && interval < 170) {
                    latency = 2_000_000 + interval * 50_000L; // seconds-long outliers, each one larger
                }
                if (i == 0 && interval == 150) {
                    latency = 2 * LoopMetrics.MAX_RECORDABLE_MICROS; // clamped to one hour, counted
                }
                metrics.recordLatency(0, latency, latency);
                plain.recordValue(Math.min(latency, LoopMetrics.MAX_RECORDABLE_MICROS));
            }
            SingleWriterRecorder before = metrics.latency.get(0);
            recorders.put(before, true);
            reporter.sample(interval + 1);
            if (metrics.latency.get(0) != before) {
                // a loop that read the old recorder just before the reporter replaced it writes into it
                before.recordValue(777);
                plain.recordValue(777);
                stragglers++;
            }
        }
        reporter.sample(201);
        EngineResult result = reporter.result(Instant.EPOCH, Instant.EPOCH, 201);

        assertThat(recorders).hasSize(4); // renewed after the 60th, 120th and 180th interval
        assertThat(stragglers).isEqualTo(3);
        Histogram total = result.latency()[0];
        assertThat(total.getTotalCount()).isEqualTo(plain.getTotalCount()).isEqualTo(400_000 + 3);
        for (double percentile : new double[] {50, 90, 99, 99.9, 99.99, 100}) {
            assertThat(total.getValueAtPercentile(percentile)).as("p" + percentile)
                    .isEqualTo(plain.getValueAtPercentile(percentile));
        }
        assertThat(result.clampedValues()).isEqualTo(2); // latency and service time
        // a histogram that held one hour keeps 23,552 counts (184 KB) for good, as the run total does; the
        // recorder renewed after the last outlier is back to the 2,048 counts of a fresh one
        assertThat(plain.getEstimatedFootprintInBytes()).isGreaterThan(180_000);
        assertThat(metrics.latency.get(0).getIntervalHistogram().getEstimatedFootprintInBytes()).isLessThan(20_000);
    }
}
