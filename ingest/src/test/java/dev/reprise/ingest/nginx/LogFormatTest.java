package dev.reprise.ingest.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.IngestException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogFormatTest {
    @ParameterizedTest
    @CsvSource({"combined", "COMBINED", "' combined '"})
    void resolvesTheCombinedFormatByName(String name) {
        LogFormat format = LogFormat.parse(name);

        assertThat(format.name()).isEqualTo("combined");
        assertThat(format.text()).isEqualTo("$remote_addr - $remote_user [$time_local] \"$request\" $status "
                + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"");
        assertThat(format.variables()).containsExactly("remote_addr", "remote_user", "time_local", "request", "status",
                "body_bytes_sent", "http_referer", "http_user_agent");
        assertThat(format.literals()).containsExactly("", " - ", " [", "] \"", "\" ", " ", " \"", "\" \"", "\"");
    }

    @Test
    void resolvesCommonAndMain() {
        assertThat(LogFormat.parse("common").variables()).containsExactly("remote_addr", "remote_user", "time_local",
                "request", "status", "body_bytes_sent");
        assertThat(LogFormat.parse("main").text()).isEqualTo(LogFormat.COMBINED + " \"$http_x_forwarded_for\"");
    }

    @Test
    void readsBracedVariablesNextToText() {
        LogFormat format = LogFormat.parse("${remote_addr}:x [$time_local] \"${request}\"ok");

        assertThat(format.name()).isNull();
        assertThat(format.variables()).containsExactly("remote_addr", "time_local", "request");
        assertThat(format.literals()).containsExactly("", ":x [", "] \"", "\"ok");
    }

    @Test
    void takesTheLongestVariableName() {
        assertThat(LogFormat.parse("$remote_user_age [$time_local]").variables())
                .containsExactly("remote_user_age", "time_local");
    }

    @Test
    void joinsTheQuotedPiecesOfAnNginxConfDirective() {
        LogFormat format = LogFormat.parse("log_format main escape=default '$remote_addr - $remote_user [$time_local] '\n"
                + "                  '\"$request\" $status '\n"
                + "                  '\"$http_referer\" \"$http_user_agent\"';");

        assertThat(format.text()).isEqualTo("$remote_addr - $remote_user [$time_local] \"$request\" $status "
                + "\"$http_referer\" \"$http_user_agent\"");
    }

    @Test
    void keepsTheSpacesAroundALogFormatString() {
        assertThat(LogFormat.parse(" $remote_addr [$time_local] ").literals()).containsExactly(" ", " [", "] ");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            combind                              | unknown log format 'combind': use combined, common, main
            ''                                   | the log format is empty
            $remote_addr $                       | '$' at column 14 is not followed by a variable name
            $remote_addr ${time_local            | '${' at column 14 has no closing '}'
            $remote_addr$time_local              | $remote_addr and $time_local follow each other with no text between them
            no variables here but a $            | '$' at column 25 is not followed by a variable name
            log_format main;                     | log_format directive has no format string
            log_format main '$remote_addr        | the string starting at column 17 has no closing '
            """)
    void refusesAnInvalidFormatSayingWhatIsWrong(String format, String message) {
        assertThatThrownBy(() -> LogFormat.parse(format))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining(message);
    }

    @Test
    void formatsWithTheSameTextAreEqual() {
        assertThat(LogFormat.parse(LogFormat.COMMON)).isEqualTo(LogFormat.parse(LogFormat.COMMON));
        assertThat(LogFormat.parse("common")).isNotEqualTo(LogFormat.parse(LogFormat.COMMON));
        assertThat(List.of(LogFormat.parse("main").displayName(), LogFormat.parse("$a [$time_local]").displayName()))
                .containsExactly("main", "$a [$time_local]");
    }
}
