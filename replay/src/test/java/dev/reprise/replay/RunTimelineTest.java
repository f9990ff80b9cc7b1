package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.model.RunRecord;
import dev.reprise.model.RunRecord.Interval;
import dev.reprise.model.RunRecord.Percentiles;
import dev.reprise.model.Spike;
import dev.reprise.model.WorkloadModel;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The target curve and spike windows of a run, worked out by hand from a small recorded curve. */
class RunTimelineTest {
    /** 8 recorded seconds: 10 sessions a second, 40 in seconds 2 and 3; one request per session. */
    private static final WorkloadModel MODEL = TestModels.single("/x", new long[] {10, 10, 40, 40, 10, 10, 10, 10});
    private static final Spike SPIKE = new Spike(1, micros(TestModels.T0_MICROS + 2_000_000),
            micros(TestModels.T0_MICROS + 4_000_000), 4.0);

    private static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(0, epochMicros * 1000);
    }

    private static RunRecord run(int seconds) {
        List<Interval> intervals = new java.util.ArrayList<>();
        for (int t = 1; t <= seconds; t++) {
            intervals.add(new Interval(t, 10, 10, 0, 0, 1, 2, 3));
        }
        return new RunRecord("r", Instant.EPOCH, Instant.EPOCH, "model", "http://127.0.0.1:1", "{}", 0, 10L * seconds,
                10L * seconds, 0, 0, 0, 0, Percentiles.EMPTY, Percentiles.EMPTY, Double.NaN, null, List.of(), intervals);
    }

    private static double[] targets(RunTimeline timeline) {
        return timeline.intervals().stream().mapToDouble(RunTimeline.Point::targetPerSecond).toArray();
    }

    @Test
    void modelModeTargetFollowsTheRecordedArrivalsCompressedBySpeed() {
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:1")).withSpeed(2);
        ReplayPlan plan = Replay.plan(MODEL, options);

        RunTimeline timeline = RunTimeline.of(MODEL, options, plan, run(4), List.of(SPIKE));

        // run second k covers recorded seconds 2k and 2k+1
        assertThat(targets(timeline)).containsExactly(new double[] {20, 80, 20, 20}, within(1e-9));
        assertThat(timeline.spikes()).containsExactly(new RunTimeline.SpikeWindow(1, 1.0, 2.0, 4.0));
        assertThat(timeline.intervals().get(1).fromSeconds()).isEqualTo(1.0);
        assertThat(timeline.intervals().get(1).sent()).isEqualTo(10);
    }

    @Test
    void aRateMultiplierAndShardsScaleTheTarget() {
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:1")).withSpeed(2)
                .withRate(Rate.parse("x3")).withShard(Shard.parse("1/2"));
        ReplayPlan plan = Replay.plan(MODEL, options);

        assertThat(targets(RunTimeline.of(MODEL, options, plan, run(4), List.of())))
                .containsExactly(new double[] {30, 120, 30, 30}, within(1e-9));
    }

    @Test
    void mixModeAsksForAConstantRateAndAfterTheDurationForNothing() {
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:1")).withMode(Mode.MIX)
                .withRate(Rate.parse("500/s")).withDuration(Duration.ofSeconds(3));
        ReplayPlan plan = Replay.plan(MODEL, options);

        assertThat(targets(RunTimeline.of(MODEL, options, plan, run(3), List.of())))
                .containsExactly(500, 500, 500);
    }

    @Test
    void aSpikeOutsideTheReplayedWindowIsLeftOutAndOneCutByItIsClipped() {
        ReplayOptions options = ReplayOptions.defaults(URI.create("http://127.0.0.1:1")).withSpeed(1)
                .withWindow(TestModels.T0_MICROS + 3_000_000, TestModels.T0_MICROS + 6_000_000);
        ReplayPlan plan = Replay.plan(MODEL, options);
        Spike late = new Spike(2, micros(TestModels.T0_MICROS + 7_000_000), micros(TestModels.T0_MICROS + 8_000_000), 2);

        RunTimeline timeline = RunTimeline.of(MODEL, options, plan, run(3), List.of(SPIKE, late));

        assertThat(timeline.spikes()).containsExactly(new RunTimeline.SpikeWindow(1, 0.0, 1.0, 4.0));
        assertThat(targets(timeline)).containsExactly(new double[] {40, 10, 10}, within(1e-9));
    }

    @Test
    void withoutTheModelTheTargetIsUnknown() {
        assertThat(java.util.Arrays.stream(targets(RunTimeline.of(run(2))))).hasSize(2).allMatch(d -> Double.isNaN(d));
        assertThat(RunTimeline.of(run(2)).spikes()).isEmpty();
    }
}
