package dev.reprise.ingest.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.RequestRow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3's format corpus: lines written by distinct log_formats (the stock ones, timing, JSON
 * escape, ISO and epoch times, forwarded-for chains, cookies and other headers) parse to the
 * expected fields. Each case names only the columns it is about; the others are checked by
 * {@link LineParserTest}.
 */
class FormatCorpusTest {
    static Stream<Arguments> corpus() {
        return Stream.of(
                line("combined", "combined",
                        "203.0.113.7 - alice [14/Mar/2026:13:05:12 +0100] \"GET /shop/cart?step=2 HTTP/1.1\" 200 5120 "
                                + "\"https://shop.example/\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
                        "ts", "2026-03-14T12:05:12Z", "client", "203.0.113.7", "session", "alice", "method", "GET",
                        "path", "/shop/cart", "query", "step=2", "protocol", "HTTP/1.1", "status", "200", "bytes", "5120",
                        "referer", "https://shop.example/", "ua", "Mozilla/5.0 (X11; Linux x86_64)", "extra", null),
                line("common", "common",
                        "piweba3y.prodigy.com - - [01/Aug/1995:00:00:10 -0400] \"GET /images/KSC-logosmall.gif HTTP/1.0\" 200 -",
                        "ts", "1995-08-01T04:00:10Z", "client", "piweba3y.prodigy.com", "path", "/images/KSC-logosmall.gif",
                        "status", "200", "bytes", null, "referer", null, "ua", null),
                line("main with $request_time $upstream_response_time",
                        "log_format main '$remote_addr - $remote_user [$time_local] \"$request\" '\n"
                                + "                '$status $body_bytes_sent \"$http_referer\" '\n"
                                + "                '\"$http_user_agent\" \"$http_x_forwarded_for\" $request_time $upstream_response_time';",
                        "10.0.0.5 - - [14/Mar/2026:13:05:12 +0000] \"POST /api/orders HTTP/1.1\" 201 64 \"-\" \"okhttp/4.12\" "
                                + "\"198.51.100.23\" 0.153 0.101, 0.050 : 0.002",
                        "method", "POST", "status", "201", "duration", "153.0", "upstream", "153.0",
                        "extra", "{\"http_x_forwarded_for\":\"198.51.100.23\"}"),
                line("escape=json object with $time_iso8601",
                        "log_format json escape=json '{\"time\":\"$time_iso8601\",\"ip\":\"$remote_addr\","
                                + "\"req\":\"$request\",\"status\":$status,\"ua\":\"$http_user_agent\",\"rt\":$request_time}';",
                        "{\"time\":\"2026-03-14T13:05:12+02:00\",\"ip\":\"2001:db8::1\",\"req\":\"GET /search?q=%22a%22 HTTP/2.0\","
                                + "\"status\":200,\"ua\":\"say \\\"hi\\\"\\u0007\\ttab\",\"rt\":0.004}",
                        "ts", "2026-03-14T11:05:12Z", "client", "2001:db8::1", "path", "/search", "query", "q=%22a%22",
                        "protocol", "HTTP/2.0", "ua", "say \"hi\"\u0007\ttab", "duration", "4.0"),
                line("$time_iso8601 with fraction, $host, $bytes_sent",
                        "$host $remote_addr [$time_iso8601] \"$request\" $status $bytes_sent $request_time",
                        "api.example.com 192.0.2.44 [2026-03-14T13:05:12.375Z] \"DELETE /v1/items/9 HTTP/1.1\" 204 312 0.012",
                        "ts", "2026-03-14T13:05:12.375Z", "host", "api.example.com", "method", "DELETE", "status", "204",
                        "bytes", "312", "duration", "12.0"),
                line("$msec with $request_method $request_uri $server_protocol",
                        "$msec $remote_addr $request_method $request_uri $server_protocol $status",
                        "1773493512.123 192.0.2.45 PUT /v1/items/9?force=1 HTTP/1.1 200",
                        "ts", "2026-03-14T13:05:12.123Z", "method", "PUT", "path", "/v1/items/9", "query", "force=1",
                        "protocol", "HTTP/1.1"),
                line("X-Forwarded-For chain and $http_x_real_ip",
                        "$remote_addr \"$http_x_forwarded_for\" \"$http_x_real_ip\" [$time_local] \"$request\" $status",
                        "10.1.2.3 \"203.0.113.9, 2001:db8::5, 198.51.100.2\" \"203.0.113.9\" [14/Mar/2026:13:05:12 +0000] "
                                + "\"GET / HTTP/1.1\" 200",
                        "client", "10.1.2.3", "extra", "{\"http_x_forwarded_for\":\"203.0.113.9, 2001:db8::5, 198.51.100.2\","
                                + "\"http_x_real_ip\":\"203.0.113.9\"}"),
                line("cookies: a session cookie, other $cookie_* and the whole Cookie header",
                        "$remote_addr [$time_local] \"$request\" $status $cookie_sessionid $cookie_theme \"$http_cookie\"",
                        "192.0.2.9 [14/Mar/2026:13:05:12 +0000] \"GET /account HTTP/1.1\" 200 s3ss10n dark "
                                + "\"sessionid=s3ss10n; theme=dark\"",
                        "session", "s3ss10n", "extra", "{\"cookie_theme\":\"dark\",\"http_cookie\":\"sessionid=s3ss10n; theme=dark\"}"),
                line("$http_* headers: $http_host for host, the rest to extra",
                        "$remote_addr [$time_local] \"$request\" $status \"$http_referer\" \"$http_user_agent\" $http_host "
                                + "\"$http_x_request_id\" \"$http_accept_language\"",
                        "192.0.2.10 [14/Mar/2026:13:05:12 +0000] \"GET /de/ HTTP/1.1\" 301 \"-\" \"curl/8.5.0\" www.example.de "
                                + "\"7f3c9a\" \"de-DE,de;q=0.9\"",
                        "host", "www.example.de", "referer", null, "ua", "curl/8.5.0",
                        "extra", "{\"http_x_request_id\":\"7f3c9a\",\"http_accept_language\":\"de-DE,de;q=0.9\"}"),
                line("$http_x_reprise_session header as the session",
                        "$remote_addr [$time_local] \"$request\" $status \"$http_x_reprise_session\"",
                        "192.0.2.11 [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 \"run-42\"",
                        "session", "run-42", "extra", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void parsesEachFormatOfTheCorpusToItsFields(String description, String format, String line,
                                                Map<String, String> expected) {
        LineParser parser = LineParser.compile(LogFormat.parse(format), null);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);

        RequestRow row = parser.parse(bytes, 0, bytes.length, 1);

        assertThat(row).as("%s", parser.describeReject("corpus", 1)).isNotNull();
        Map<String, String> actual = columns(row);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void holdsAtLeastEightDistinctFormats() {
        Set<String> formats = corpus().map(a -> LogFormat.parse((String) a.get()[1]).text()).collect(Collectors.toSet());

        assertThat(formats).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void pseudonymizesCookiesAndForwardedForMembersWhenAnonymizing() {
        LineParser parser = LineParser.compile(LogFormat.parse("$remote_addr \"$http_x_forwarded_for\" [$time_local] "
                + "\"$request\" $status $cookie_sessionid $cookie_theme"), Anonymizer.fromSalt("corpus"));
        byte[] bytes = ("10.1.2.3 \"203.0.113.9, 198.51.100.2\" [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 "
                + "s3ss10n dark").getBytes(StandardCharsets.UTF_8);

        RequestRow row = parser.parse(bytes, 0, bytes.length, 1);

        Anonymizer same = Anonymizer.fromSalt("corpus");
        assertThat(row.client()).isEqualTo(same.pseudonym("10.1.2.3"));
        assertThat(row.sessionHint()).isEqualTo(same.pseudonym("s3ss10n"));
        assertThat(row.extraJson()).isEqualTo("{\"http_x_forwarded_for\":\"" + same.pseudonym("203.0.113.9") + ", "
                + same.pseudonym("198.51.100.2") + "\",\"cookie_theme\":\"" + same.pseudonym("dark") + "\"}");
    }

    private static Arguments line(String description, String format, String line, String... expected) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < expected.length; i += 2) {
            columns.put(expected[i], expected[i + 1]);
        }
        return arguments(description, format, line, columns);
    }

    private static Map<String, String> columns(RequestRow row) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ts", Instant.EPOCH.plusNanos(row.tsEpochMicros() * 1000).toString());
        m.put("client", row.client());
        m.put("session", row.sessionHint());
        m.put("method", row.method());
        m.put("path", row.path());
        m.put("query", row.query());
        m.put("protocol", row.protocol());
        m.put("status", row.status() < 0 ? null : String.valueOf(row.status()));
        m.put("bytes", row.bytes() < 0 ? null : String.valueOf(row.bytes()));
        m.put("duration", Double.isNaN(row.durationMs()) ? null : String.valueOf(row.durationMs()));
        m.put("upstream", Double.isNaN(row.upstreamMs()) ? null : String.valueOf(row.upstreamMs()));
        m.put("referer", row.referer());
        m.put("ua", row.userAgent());
        m.put("host", row.host());
        m.put("extra", row.extraJson());
        return m;
    }
}
