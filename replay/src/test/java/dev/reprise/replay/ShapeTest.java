package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.reprise.replay.schedule.RateProfile;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShapeTest {
    private static final long MINUTE = 60_000_000_000L;
    /** 2026-03-14T00:00:00Z in epoch µs. */
    private static final long DAY_START = Instant.parse("2026-03-14T00:00:00Z").toEpochMilli() * 1000;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ramp 0->x2 over 5m                       | ramp x0->x2 over 5m",
            "RAMP x0.5 -> x3 over 90s                 | ramp x0.5->x3 over 1m30s",
            "ramp x1 over 2m                          | ramp x1 over 2m",
            "hold 10m                                 | hold 10m",
            "hold x1.5 for 1h30m                      | hold x1.5 for 1h30m",
            "spike x5 at 6m for 2m                    | spike x5 at 6m for 2m",
            "spike x5 at 14:00 for 2m                 | spike x5 at 14:00 for 2m",
            "' ramp 0->x2 over 5m, hold 10m, spike x5 at 9:30 for 30s ' | ramp x0->x2 over 5m, hold 10m, spike x5 at 09:30 for 30s",
    })
    void parsesTheCompactSyntaxAndWritesItBack(String text, String canonical) {
        Shape shape = Shape.parse(text);
        assertThat(shape.toString()).isEqualTo(canonical);
        assertThat(Shape.parse(shape.toString())).isEqualTo(shape);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ramp to x2 over 5m        | expected 'ramp [x0->]x2 over 5m'",
            "hold                      | expected",
            "spike x5 at noon for 2m   | expected",
            "spike x5 at 25:00 for 2m  | invalid shape item 'spike x5 at 25:00 for 2m'",
            "hold 10 minutes           | expected",
            "hold 0s                   | a length must be positive",
            "sprint 5m                 | expected",
    })
    void rejectsMalformedItemsNamingThem(String text, String message) {
        assertThatThrownBy(() -> Shape.parse(text)).isInstanceOf(ReplayException.class)
                .hasMessageContaining(text.split(",")[0].strip()).hasMessageContaining(message);
    }

    @Test
    void stagesRunOneAfterAnotherAndTheLevelStaysAfterThem() {
        RateProfile p = Shape.parse("ramp 0->x2 over 10m, hold 5m, ramp x1 over 5m").profile(DAY_START, 1);
        assertThat(p.factorAt(0)).isEqualTo(0);
        assertThat(p.factorAt(5 * MINUTE)).isCloseTo(1.0, within(1e-9));
        assertThat(p.factorAt(12 * MINUTE)).isEqualTo(2.0);
        assertThat(p.factorAt(17 * MINUTE + MINUTE / 2)).isCloseTo(1.5, within(1e-9));
        assertThat(p.factorAt(60 * MINUTE)).isEqualTo(1.0);
        assertThat(Shape.parse("ramp 0->x2 over 10m, hold 5m, ramp x1 over 5m").stagesLength())
                .isEqualTo(Duration.ofMinutes(20));
        // mean over the first 10 minutes of a 0->2 ramp is 1; over the hold it is 2
        assertThat(p.meanFactor(0, 10 * MINUTE)).isCloseTo(1.0, within(1e-6));
        assertThat(p.meanFactor(0, 15 * MINUTE)).isCloseTo((10 * 1.0 + 5 * 2.0) / 15, within(1e-6));
        assertThat(p.maxFactor(0, 11 * MINUTE)).isEqualTo(2.0);
    }

    @Test
    void spikesMultiplyTheLevelAndOverlappingSpikesMultiplyEachOther() {
        RateProfile p = Shape.parse("hold x2 for 10m, spike x3 at 2m for 1m, spike x5 at 150s for 1m")
                .profile(DAY_START, 1);
        assertThat(p.factorAt(MINUTE)).isEqualTo(2.0);
        assertThat(p.factorAt(2 * MINUTE)).isEqualTo(6.0);
        assertThat(p.factorAt(2 * MINUTE + MINUTE * 3 / 4)).isEqualTo(30.0);
        assertThat(p.factorAt(3 * MINUTE)).isEqualTo(10.0);
        assertThat(p.factorAt(4 * MINUTE)).isEqualTo(2.0);
        assertThat(p.maxFactor(0, 10 * MINUTE)).isEqualTo(30.0);
        assertThat(p.meanFactor(0, 10 * MINUTE)).isCloseTo((2.0 * 8.5 + 6 * 0.5 + 30 * 0.5 + 10 * 0.5) / 10, within(1e-6));
    }

    @Test
    void aTimeOfDaySpikeStartsWhenTheReplayReachesThatTimeOfTheRecording() {
        // window starts at 12:00 of the recording; at speed 60, 14:00 comes 2 h / 60 = 2 minutes in
        long windowStart = DAY_START + 12 * 3600_000_000L;
        RateProfile p = Shape.parse("spike x5 at 14:00 for 1m").profile(windowStart, 60);
        assertThat(p.factorAt(2 * MINUTE - 1)).isEqualTo(1.0);
        assertThat(p.factorAt(2 * MINUTE)).isEqualTo(5.0);
        assertThat(p.factorAt(3 * MINUTE)).isEqualTo(1.0);
        // a time of day before the window's start is the next day's
        RateProfile next = Shape.parse("spike x5 at 11:00 for 1m").profile(windowStart, 60);
        assertThat(next.factorAt(23 * MINUTE)).isEqualTo(5.0);
    }

    @Test
    void withoutStagesTheLevelIsOne() {
        RateProfile p = Shape.parse("spike x4 at 1m for 1m").profile(DAY_START, 1);
        assertThat(p.factorAt(0)).isEqualTo(1.0);
        assertThat(p.factorAt(MINUTE + 1)).isEqualTo(4.0);
        assertThat(Shape.NONE.profile(DAY_START, 1).isFlat()).isTrue();
    }
}
