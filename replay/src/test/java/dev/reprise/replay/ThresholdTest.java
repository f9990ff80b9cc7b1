package dev.reprise.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "p(95)<300ms                      |    | p           | 95   | <  | 300",
            "p(99.9)<1s                       |    | p           | 99.9 | <  | 1000",
            "max<=2.5s                        |    | max         |      | <= | 2500",
            "rate_errors<0.01                 |    | rate_errors |      | <  | 0.01",
            "endpoint:/checkout p(95)<800ms   | /checkout | p    | 95   | <  | 800",
            "endpoint:POST /checkout p(50)<20 | POST /checkout | p | 50 | < | 20",
            "p(90)<250us                      |    | p           | 90   | <  | 0.25",
    })
    void parsesK6StyleExpressions(String text, String endpoint, String metric, Double percentile, String op,
                                  double limit) {
        Threshold t = Threshold.parse(text);
        assertThat(t.endpoint()).isEqualTo(endpoint);
        assertThat(t.metric()).isEqualTo(metric);
        if (percentile != null) {
            assertThat(t.percentile()).isEqualTo(percentile);
        }
        assertThat(t.operator()).isEqualTo(op);
        assertThat(t.limit()).isEqualTo(limit);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "p95<300ms        | expected e.g.",
            "p(0)<1s          | percentile must be in (0, 100]",
            "rate_errors<1ms  | is a fraction",
            "latency<3        | expected e.g.",
    })
    void rejectsMalformedExpressionsWithAHint(String text, String message) {
        assertThatThrownBy(() -> Threshold.parse(text)).isInstanceOf(ReplayException.class)
                .hasMessageContaining(text).hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({"p(95)<300ms, 299, true", "p(95)<300ms, 300, false", "p(95)<=300ms, 300, true",
            "rate_errors<0.01, 0.02, false", "max>1s, 1001, true"})
    void judgesAValue(String text, double value, boolean ok) {
        assertThat(Threshold.parse(text).isMetBy(value)).isEqualTo(ok);
    }

    @ParameterizedTest
    @CsvSource({"x3, 3, NaN", "x0.5, 0.5, NaN", "1200/s, NaN, 1200", "60/m, NaN, 1"})
    void parsesRates(String text, double multiplier, double perSecond) {
        Rate rate = Rate.parse(text);
        assertThat(Double.compare(rate.multiplier(), multiplier)).isZero();
        assertThat(Double.compare(rate.requestsPerSecond(), perSecond)).isZero();
    }

    @ParameterizedTest
    @CsvSource({"3", "x", "x-1", "0/s", "fast"})
    void rejectsBadRates(String text) {
        assertThatThrownBy(() -> Rate.parse(text)).isInstanceOf(ReplayException.class).hasMessageContaining("x3");
    }
}
