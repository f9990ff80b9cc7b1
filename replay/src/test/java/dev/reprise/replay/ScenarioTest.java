package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioTest {
    @Test
    void readsEveryKey() {
        Scenario s = Scenario.parse("""
                description: three times the day
                target: http://127.0.0.1:8080/shop
                mode: model
                rate: x3
                speed: 60
                duration: 24m
                seed: 7
                loop: false
                from: 12h
                to: "2026-03-14T18:00:00Z"
                timeout: 5s
                max_inflight: 5000
                connections: 32
                http2: true
                session_header: X-Trace-Session
                headers:
                  Authorization: Bearer demo
                  X-Load-Test: "yes"
                thresholds:
                  - p(95)<300ms
                  - endpoint:POST /cart/items rate_errors<0.05
                stages:
                  - ramp: x0.2 -> x1
                    over: 4m
                  - hold: 20m
                  - hold: 1m
                    level: x2
                  - ramp x1 over 30s
                spikes:
                  - spike: x2
                    at: "18:00"
                    for: 1m
                  - spike x3 at 5m for 10s
                """, "bf.yaml");
        assertThat(s.description()).isEqualTo("three times the day");
        assertThat(s.target()).isEqualTo("http://127.0.0.1:8080/shop");
        assertThat(s.mode()).isEqualTo(Mode.MODEL);
        assertThat(s.rate()).isEqualTo(Rate.multiplier(3));
        assertThat(s.speed()).isEqualTo(60.0);
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(24));
        assertThat(s.seed()).isEqualTo(7L);
        assertThat(s.loop()).isFalse();
        assertThat(s.from()).isEqualTo("12h");
        assertThat(s.to()).isEqualTo("2026-03-14T18:00:00Z");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.maxInflight()).isEqualTo(5000);
        assertThat(s.connections()).isEqualTo(32);
        assertThat(s.http2()).isTrue();
        assertThat(s.sessionHeader()).contains("X-Trace-Session");
        assertThat(s.headers()).isEqualTo(Map.of("Authorization", "Bearer demo", "X-Load-Test", "yes"));
        assertThat(s.thresholds()).extracting(Threshold::expression)
                .containsExactly("p(95)<300ms", "endpoint:POST /cart/items rate_errors<0.05");
        assertThat(s.shape().toString()).isEqualTo("ramp x0.2->x1 over 4m, hold 20m, hold x2 for 1m, ramp x1 over 30s, "
                + "spike x2 at 18:00 for 1m, spike x3 at 5m for 10s");
    }

    @Test
    void anAbsentKeyIsNotSetAndSessionHeaderFalseDropsTheHeader() {
        Scenario s = Scenario.parse("rate: 1200/s\nsession_header: false\n", "s.yaml");
        assertThat(s.rate()).isEqualTo(Rate.perSecond(1200));
        assertThat(s.mode()).isNull();
        assertThat(s.speed()).isNull();
        assertThat(s.duration()).isNull();
        assertThat(s.sessionHeader()).isEqualTo(Optional.of(""));
        assertThat(s.shape().isNone()).isTrue();
        assertThat(s.thresholds()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'rate: x3\\nsped: 60\\n'                       | s.yaml:2: unknown key 'sped'; expected one of",
            "'rate: x3\\nrate: x2\\n'                       | s.yaml:2: key 'rate' is given twice",
            "'speed: fast\\n'                              | s.yaml:1: invalid speed 'fast': expected a number",
            "'duration: 10 minutes\\n'                     | s.yaml:1: invalid duration: '10 minutes' is not a duration",
            "'mode: replay\\n'                             | s.yaml:1: invalid mode 'replay'",
            "'loop: yes please\\n'                         | s.yaml:1: loop must be true or false",
            "'thresholds: p(95)<300ms\\n'                  | s.yaml:1: expected a list",
            "'thresholds:\\n  - p95<300ms\\n'              | s.yaml:2: invalid threshold 'p95<300ms'",
            "'headers:\\n  - a\\n'                         | s.yaml:2: expected a map of keys for headers",
            "'stages:\\n  - hold: 5m\\n    over: 2m\\n'    | s.yaml:3: unknown key 'over' in a hold",
            "'stages:\\n  - ramp: x2\\n'                   | s.yaml:2: a ramp needs 'over:'",
            "'stages:\\n  - sprint: 5m\\n'                 | s.yaml:2: unknown stages item 'sprint'",
            "'stages:\\n  - spike x2 at 1m for 1m\\n'      | s.yaml:2: 'spike x2 at 1m for 1m' belongs under spikes",
            "'spikes:\\n  - spike: x2\\n    at: 1m\\n'     | s.yaml:2: a spike needs 'for:'",
            "'spikes:\\n  - spike: x2\\n    at: noon\\n    for: 1m\\n' | s.yaml:2: invalid shape item 'spike x2 at noon for 1m'",
            "'rate: [x3\\n'                               | s.yaml:2: not valid YAML",
            "'- rate: x3\\n'                              | s.yaml:1: expected a map of keys for the scenario",
            "'# nothing\\n'                               | s.yaml: the scenario is empty",
    })
    void rejectsBadFilesNamingFileLineAndKey(String yaml, String message) {
        assertThatThrownBy(() -> Scenario.parse(yaml.replace("\\n", "\n"), "s.yaml"))
                .isInstanceOf(ReplayException.class).hasMessageContaining(message);
    }
}
