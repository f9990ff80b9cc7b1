package dev.reprise.ingest.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.IngestException;
import dev.reprise.model.RequestRow;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** log_format directives read from an nginx.conf (issue 3: --nginx-conf FILE --format-name NAME). */
class NginxConfTest {
    private static final Path CONF = resource("/issue-3/nginx.conf");

    @Test
    void readsAMultiLineDirectiveWithQuotedFragments() {
        LogFormat main = LogFormat.parse(NginxConf.directive(CONF, "main"));

        assertThat(main.text()).isEqualTo(LogFormat.MAIN);
        assertThat(main.escape()).isEqualTo("default");
    }

    @Test
    void skipsCommentsBetweenFragmentsAndKeepsSemicolonsInsideQuotes() {
        LogFormat timed = LogFormat.parse(NginxConf.directive(CONF, "timed"));

        assertThat(timed.text()).isEqualTo("$remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent "
                + "rt=$request_time uct=\"$upstream_connect_time\" urt=\"$upstream_response_time\" "
                + "sid=$cookie_sid; host=$host");
        RequestRow row = parse(timed, "192.0.2.1 [2026-03-14T13:05:12+01:00] \"GET /a HTTP/1.1\" 200 12 rt=0.250 "
                + "uct=\"0.001\" urt=\"0.100, 0.140\" sid=abc; host=shop.example");
        assertThat(row.durationMs()).isEqualTo(250.0);
        assertThat(row.upstreamMs()).isEqualTo(240.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.sessionHint()).isEqualTo("abc");
        assertThat(row.host()).isEqualTo("shop.example");
        assertThat(row.extraJson()).isEqualTo("{\"upstream_connect_time\":\"0.001\"}");
    }

    @Test
    void readsAnEscapeJsonObjectFormatAndUndoesJsonEscapes() {
        LogFormat json = LogFormat.parse(NginxConf.directive(CONF, "json_combined"));

        assertThat(json.escape()).isEqualTo("json");
        assertThat(json.text()).startsWith("{\"time_local\":\"$time_local\",\"remote_addr\":\"$remote_addr\",");
        RequestRow row = parse(json, "{\"time_local\":\"14/Mar/2026:13:05:12 +0000\",\"remote_addr\":\"192.0.2.1\","
                + "\"request\":\"GET /search?q=a\\\"b HTTP/1.1\",\"status\": \"200\",\"body_bytes_sent\":\"512\","
                + "\"request_time\":\"0.004\",\"http_referrer\":\"\",\"http_user_agent\":\"curl\\/8.5\\tx \\u00e9\"}");
        assertThat(row.query()).isEqualTo("q=a\"b");
        assertThat(row.userAgent()).isEqualTo("curl/8.5\tx é");
        assertThat(row.referer()).isEmpty();
        assertThat(row.bytes()).isEqualTo(512);
    }

    @Test
    void escapeNoneKeepsBackslashesAsTheyWereWritten() {
        LogFormat raw = LogFormat.parse(NginxConf.directive(CONF, "raw"));

        assertThat(raw.escape()).isEqualTo("none");
        RequestRow row = parse(raw, "192.0.2.1 [14/Mar/2026:13:05:12 +0000] \"GET /a\\x41 HTTP/1.1\" 200 \"C:\\new\"");
        assertThat(row.path()).isEqualTo("/a\\x41");
        assertThat(row.userAgent()).isEqualTo("C:\\new");
    }

    @Test
    void fallsBackToTheBuiltInCombinedAndListsTheNamesItHas() {
        assertThat(NginxConf.directive(CONF, "combined")).isEqualTo("combined");
        assertThatThrownBy(() -> NginxConf.directive(CONF, "mian"))
                .isInstanceOf(IngestException.class)
                .hasMessage(CONF + ": no log_format named 'mian'; it defines main, timed, json_combined, raw");
    }

    @Test
    void refusesAnUnknownEscape() {
        assertThatThrownBy(() -> LogFormat.parse("log_format x escape=yaml '$remote_addr [$time_local] \"$request\"';"))
                .isInstanceOf(IngestException.class)
                .hasMessage("log_format directive: escape=yaml is not one of escape=default, escape=json, escape=none");
    }

    private static RequestRow parse(LogFormat format, String line) {
        LineParser parser = LineParser.compile(format, null);
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        RequestRow row = parser.parse(b, 0, b.length, 1);
        assertThat(row).as("%s: %s", parser.rejectReason(), line).isNotNull();
        return row;
    }

    private static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(NginxConfTest.class.getResource(name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
