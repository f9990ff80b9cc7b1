package dev.reprise.ingest.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.reprise.ingest.IngestException;
import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.RequestRow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class LineParserTest {
    private static final String INGRESS = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_length $request_time "
            + "[$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length "
            + "$upstream_response_time $upstream_status $req_id";

    // ---------------------------------------------------------------- lines that load

    static Stream<Arguments> loadingLines() {
        return Stream.of(
                loads("combined", "combined",
                        "192.0.2.7 - - [14/Mar/2026:13:05:12 +0000] \"GET /products/42?color=red&size=m HTTP/1.1\" "
                                + "200 5120 \"https://shop.example/\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
                        "ts", "2026-03-14T13:05:12Z", "client", "192.0.2.7", "session", null, "method", "GET",
                        "path", "/products/42", "query", "color=red&size=m", "protocol", "HTTP/1.1", "status", "200",
                        "bytes", "5120", "duration", null, "upstream", null, "referer", "https://shop.example/",
                        "ua", "Mozilla/5.0 (X11; Linux x86_64)", "host", null, "extra", null),
                loads("common, with a host name as client", "common",
                        "in24.inetnebr.com - - [01/Aug/1995:00:00:01 -0400] \"GET /shuttle/countdown/ HTTP/1.0\" 200 3985",
                        "ts", "1995-08-01T04:00:01Z", "client", "in24.inetnebr.com", "path", "/shuttle/countdown/",
                        "query", null, "referer", null, "ua", null, "bytes", "3985"),
                loads("main: X-Forwarded-For goes to extra", "main",
                        "10.0.0.5 - - [22/Jan/2019:03:56:14 +0330] \"GET /filter/27|13,p53 HTTP/1.1\" 200 30577 \"-\" "
                                + "\"Mozilla/5.0\" \"203.0.113.9, 10.0.0.1\"",
                        "ts", "2019-01-22T00:26:14Z", "path", "/filter/27|13,p53",
                        "extra", "{\"http_x_forwarded_for\":\"203.0.113.9, 10.0.0.1\"}"),
                loads("main with '-' forwarded-for leaves extra empty", "main",
                        "10.0.0.5 - - [22/Jan/2019:03:56:14 +0330] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\" \"-\"",
                        "extra", null),
                loads("IPv6 client", "combined",
                        "2001:41d0:8:f69::1 - - [29/Oct/2015:06:47:36 +0100] \"GET /feed HTTP/1.1\" 200 9 \"-\" \"-\"",
                        "client", "2001:41d0:8:f69::1", "ts", "2015-10-29T05:47:36Z", "ua", null),
                loads("Apache escaped quotes in the user agent", "combined",
                        "198.51.100.2 - - [22/Oct/2021:10:00:00 -0700] \"GET / HTTP/1.1\" 200 13149 \"-\" "
                                + "\"User-Agent\\\" \\\"Mozilla/5.0 (Windows NT 6.1;) Gecko/20100101 Firefox/13.0.1\"",
                        "ua", "User-Agent\" \"Mozilla/5.0 (Windows NT 6.1;) Gecko/20100101 Firefox/13.0.1"),
                loads("a user agent that is one escaped quoted string", "combined",
                        "198.51.100.2 - - [15/Dec/2018:02:18:31 -0800] \"GET / HTTP/1.1\" 200 1 \"-\" "
                                + "\"\\\"Mozilla/5.0 (iPhone) Safari/604.1\\\"\"",
                        "ua", "\"Mozilla/5.0 (iPhone) Safari/604.1\""),
                loads("nginx \\x22 and \\x5C escapes are undone", "combined",
                        "198.51.100.2 - - [14/Mar/2026:13:05:12 +0000] \"GET /a\\x22b HTTP/1.1\" 200 1 \"-\" "
                                + "\"say \\x22hi\\x22 \\x5C o/\"",
                        "path", "/a\"b", "ua", "say \"hi\" \\ o/"),
                loads("\\xHH bytes that are UTF-8 become text", "combined",
                        "198.51.100.2 - - [14/Mar/2026:13:05:12 +0000] \"GET /caf\\xC3\\xA9 HTTP/1.1\" 200 1 \"-\" \"-\"",
                        "path", "/caf\u00e9"),
                loads("\\xHH bytes that are not UTF-8 become U+FFFD (Apache, cp1251 referer)", "combined",
                        "198.51.100.2 - - [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 1 "
                                + "\"http://\\xe4\\xe5\\xe3-\\xf0\\xf4/\" \"-\"",
                        "referer", "http://\ufffd\ufffd\ufffd-\ufffd\ufffd/"),
                loads("'-' in status and bytes means absent", "combined",
                        "83.149.9.216 - a.user [11/Jan/2020:23:05:27 +0100] \"OPTIONS /remote.php/ HTTP/1.1\" - - "
                                + "\"-\" \"monitoring-client (v2.2)\"",
                        "status", null, "bytes", null, "method", "OPTIONS", "session", "a.user"),
                loads("empty quoted referer stays an empty string", "combined",
                        "10.0.0.1 - username@example.com [07/Apr/2016:18:42:24 +0000] \"GET /x HTTP/1.1\" 400 75 \"\" \"ua\"",
                        "referer", "", "session", "username@example.com", "status", "400"),
                loads("a space at the end of the line is tolerated", "combined",
                        "77.75.78.160 - - [15/Dec/2018:02:18:31 -0800] \"GET /robots.txt HTTP/1.1\" 200 334 \"-\" "
                                + "\"SeznamBot/3.2\" ",
                        "ua", "SeznamBot/3.2", "path", "/robots.txt"),
                loads("a line wrapped in an extra pair of quotes is unwrapped", "combined",
                        "\"192.168.4.163 - - [22/Dec/2016:22:32:31 +0300] \"GET / HTTP/1.1\" 200 3279 \"-\" \"w3af.org\"\"",
                        "client", "192.168.4.163", "ua", "w3af.org", "status", "200"),
                loads("a request without protocol (HTTP/0.9)", "combined",
                        "10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] \"GET /old\" 200 10 \"-\" \"-\"",
                        "path", "/old", "protocol", null),
                loads("a raw space inside the target", "combined",
                        "10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] \"GET /a b HTTP/1.1\" 400 10 \"-\" \"-\"",
                        "path", "/a b", "protocol", "HTTP/1.1"),
                loads("query parameters without '=' survive", "combined",
                        "1.2.3.4 - - [23/Aug/2010:03:50:59 +0000] \"POST /foo.html?aap&noot=mies HTTP/1.1\" 200 2 "
                                + "\"http://www.example.com/bar.html?wim&zus=jet\" \"Niels Basjes/1.0\"",
                        "method", "POST", "path", "/foo.html", "query", "aap&noot=mies"),
                loads("an empty query after '?'", "combined",
                        "1.2.3.4 - - [23/Aug/2010:03:50:59 +0000] \"GET /a? HTTP/2.0\" 200 2 \"-\" \"-\"",
                        "path", "/a", "query", "", "protocol", "HTTP/2.0"),
                loads("an unusual method token loads (the server answered it)", "combined",
                        "192.168.64.1 - - [07/Feb/2020:11:49:50 +0000] \"PATCHp /products/42 HTTP/1.1\" 400 163 \"-\" \"-\"",
                        "method", "PATCHp", "status", "400"),
                loads("scanner targets are kept as logged", "common",
                        "10.10.10.10 - - [28/Feb/2023:16:48:52 +0800] \"GET :@bxss.me::80/rpb.png HTTP/1.1\" 400 1160",
                        "path", ":@bxss.me::80/rpb.png"),
                loads("unknown variables go to extra; names are longest matches", "$foobar $remote_user_age "
                                + LogFormat.COMBINED,
                        "something 42 123.65.150.10 - - [23/Aug/2010:03:50:59 +0000] \"POST /wp-admin/admin-ajax.php "
                                + "HTTP/1.1\" 200 2 \"-\" \"-\"",
                        "extra", "{\"foobar\":\"something\",\"remote_user_age\":\"42\"}", "client", "123.65.150.10"),
                loads("ingress-nginx upstream lists: times summed, '-' members skipped", INGRESS,
                        "192.168.64.14 - - [07/Feb/2020:12:02:42 +0000] \"GET /test/test.mp4 HTTP/1.1\" 200 61 \"-\" "
                                + "\"Mozilla/5.0\" 348 0.001 [default-web2-8080] [] 172.17.0.6:8080, 172.17.0.7:8080 - "
                                + "0.100, - 200, - 835136ae24486dbb4156dcbe21f5d402",
                        "duration", "1.0", "upstream", "100.0",
                        "extra", "{\"request_length\":\"348\",\"proxy_upstream_name\":\"default-web2-8080\","
                                + "\"proxy_alternative_upstream_name\":\"\",\"upstream_addr\":\"172.17.0.6:8080, "
                                + "172.17.0.7:8080\",\"upstream_status\":\"200, -\","
                                + "\"req_id\":\"835136ae24486dbb4156dcbe21f5d402\"}"),
                loads("ingress-nginx with two upstream times and an IPv6 upstream", INGRESS,
                        "2a02:cf40::4e36 - - [24/Aug/2022:18:05:41 +0000] \"GET /favicon.ico HTTP/2.0\" 502 552 "
                                + "\"https://localhost:8080/\" \"Mozilla/5.0\" 27 0.000 [localhost-8080] [] "
                                + "[2a02:cf40::7]:5000, [2a02:cf40::4e36]:5000 0, 0 0.010, 0.020 502, 502 3db73c6c",
                        "client", "2a02:cf40::4e36", "duration", "0.0", "upstream", "30.0", "status", "502"),
                loads("ingress-nginx with every upstream field '-'", INGRESS,
                        "192.168.64.1 - - [07/Feb/2020:11:50:09 +0000] \"geti /products/42 HTTP/1.1\" 400 163 \"-\" \"-\" "
                                + "0 0.000 [] [] - - - - efb0c5aa8be6cdeb4a7e7bd090e3d893",
                        "method", "geti", "upstream", null, "duration", "0.0"),
                loads("$time_iso8601 with $request_time and $host", "$host $remote_addr [$time_iso8601] \"$request\" "
                                + "$status $bytes_sent $request_time",
                        "shop.example 10.1.2.3 [2026-03-14T14:05:12+01:00] \"GET / HTTP/1.1\" 200 612 0.042",
                        "ts", "2026-03-14T13:05:12Z", "host", "shop.example", "bytes", "612", "duration", "42.0"),
                loads("$msec keeps the milliseconds", "$msec $remote_addr \"$request\" $status",
                        "1773493512.123 10.1.2.3 \"GET / HTTP/1.1\" 200",
                        "ts", "2026-03-14T13:05:12.123Z"),
                loads("$request_method + $request_uri + $server_protocol", "$remote_addr [$time_local] "
                                + "$request_method $request_uri $server_protocol $status",
                        "10.1.2.3 [14/Mar/2026:13:05:12 +0000] POST /api/cart?id=7 HTTP/1.1 201",
                        "method", "POST", "path", "/api/cart", "query", "id=7", "protocol", "HTTP/1.1", "status", "201"),
                loads("$request_method + $uri + $args", "$remote_addr [$time_local] $request_method $uri \"$args\"",
                        "10.1.2.3 [14/Mar/2026:13:05:12 +0000] GET /search \"q=shoes\"",
                        "method", "GET", "path", "/search", "query", "q=shoes"),
                loads("a session cookie becomes session_hint, ahead of $remote_user", "$remote_addr $remote_user "
                                + "[$time_local] \"$request\" $status \"$cookie_PHPSESSID\"",
                        "10.1.2.3 alice [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 \"abc123\"",
                        "session", "abc123", "extra", "{\"remote_user\":\"alice\"}"),
                loads("invalid UTF-8 bytes in the user agent", "combined",
                        "10.1.2.3 - - [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"bad \u00ff\u00fe agent\"",
                        "ua", "bad \ufffd\ufffd agent", "status", "200"),
                loads("status 418 and a timezone west of UTC", "combined",
                        "10.1.2.3 - - [15/Dec/2018:23:59:59 -0800] \"BREW /pot HTTP/1.1\" 418 0 \"-\" \"-\"",
                        "status", "418", "ts", "2018-12-16T07:59:59Z", "method", "BREW"),
                loads("29 February in a leap year", "common",
                        "10.1.2.3 - - [29/Feb/2024:12:00:00 +0000] \"GET / HTTP/1.1\" 200 1",
                        "ts", "2024-02-29T12:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loadingLines")
    void parsesALineIntoRequestColumns(String description, String format, String line, Map<String, String> expected) {
        LineParser parser = LineParser.compile(LogFormat.parse(format), null);
        byte[] bytes = bytes(line);
        RequestRow row = parser.parse(bytes, 0, bytes.length, 7);

        assertThat(row).as("%s: rejected as %s", description, parser.rejectReason()).isNotNull();
        assertThat(row.lineNo()).isEqualTo(7);
        Map<String, String> actual = columns(row);
        expected.forEach((column, value) -> assertThat(actual.get(column)).as(column).isEqualTo(value));
    }

    // ---------------------------------------------------------------- lines that are rejected

    @ParameterizedTest(name = "{0} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            '-' request (client sent nothing)   | combined | 10.112.81.15 - - [15/Feb/2013:06:00:31 +0000] "-" 400 0 "-" "-"                   | empty_request
            empty request                       | combined | 127.0.0.1 - - [12/Apr/2018:09:48:40 +0200] "" 400 0 "-" "-"                        | empty_request
            TLS ClientHello on a plain port     | combined | 1.2.3.4 - - [03/Apr/2017:03:27:28 -0600] "\\x16\\x03\\x01\\x00\\xFD\\x01" 400 166 "-" "-" | tls_handshake
            one-word request                    | combined | 10.0.0.1 - - [26/Feb/2019:15:39:42 +0100] "hello" 400 173 "-" "-"                  | bad_request_line
            probe string as request             | combined | 52.228.161.82 - - [27/Sep/2024:13:05:58 +0200] "MGLNDD_82.67.119.63_80" 400 157 "-" "-" | bad_request_line
            last word is not HTTP/x             | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET /a b" 400 1 "-" "-"                  | bad_request_line
            method is not a token               | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "G(T / HTTP/1.1" 400 1 "-" "-"           | bad_request_line
            control byte in the target          | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET /a\\x00b HTTP/1.1" 400 1 "-" "-"      | bad_request_line
            unknown month                       | combined | 10.0.0.1 - - [14/Foo/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 1 "-" "-"           | bad_timestamp
            31 April                            | combined | 10.0.0.1 - - [31/Apr/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 1 "-" "-"           | bad_timestamp
            29 February in a common year        | combined | 10.0.0.1 - - [29/Feb/2025:13:05:12 +0000] "GET / HTTP/1.1" 200 1 "-" "-"           | bad_timestamp
            hour 24                             | combined | 10.0.0.1 - - [14/Mar/2026:24:05:12 +0000] "GET / HTTP/1.1" 200 1 "-" "-"           | bad_timestamp
            time without zone                   | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12] "GET / HTTP/1.1" 200 1 "-" "-"                 | bad_timestamp
            '-' time                            | combined | 10.0.0.1 - - [-] "GET / HTTP/1.1" 200 1 "-" "-"                                     | bad_timestamp
            status is a word                    | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" OK 1 "-" "-"            | bad_status
            status has four digits              | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 2000 1 "-" "-"          | bad_status
            bytes not a number                  | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 12k "-" "-"         | bad_bytes
            negative bytes                      | combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 -5 "-" "-"          | bad_bytes
            request time not a number           | $remote_addr [$time_local] "$request" $status $request_time | 10.0.0.1 [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 fast | bad_request_time
            upstream time not a number          | $remote_addr [$time_local] "$request" $status $upstream_response_time | 10.0.0.1 [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 0.1, x | bad_upstream_time
            garbage                             | combined | this is not an access log line                                                         | format_mismatch
            the request line alone              | combined | GET /api/foo/bar HTTP/1.1                                                              | format_mismatch
            ident and user columns missing      | combined | 192.168.202.254 [20/Jul/2009:22:59:29 +0000] "GET /vmw/vmkboot.gz HTTP/1.0" 404 46210 "-" "gPXE/0.9.7" | format_mismatch
            user agent without closing quote    | combined | 46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /x.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1 | format_mismatch
            first half of a split line          | common   | in24.inetnebr.com - - [01/Aug/1995:00:00:44 -0400] "GET /shuttle/missions | format_mismatch
            second half of a split line         | common   | HTTP/1.0" 200 12054                                                                    | format_mismatch
            only spaces                         | combined | `   `                                                                                  | empty_line
            """)
    void rejectsALineWithAReason(String description, String format, String line, String reason) {
        LineParser parser = LineParser.compile(LogFormat.parse(format), null);
        byte[] bytes = bytes(line);

        assertThat(parser.parse(bytes, 0, bytes.length, 1)).as(description).isNull();
        assertThat(parser.rejectReason().code()).as(description).isEqualTo(reason);
        assertThat(parser.rejectedLine()).isEqualTo(line);
    }

    @Test
    void rejectsAnEmptyLine() {
        LineParser parser = LineParser.compile(LogFormat.parse("combined"), null);
        assertThat(parser.parse(new byte[0], 0, 0, 1)).isNull();
        assertThat(parser.rejectReason()).isEqualTo(RejectReason.EMPTY_LINE);
    }

    // ---------------------------------------------------------------- messages

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] x GET / HTTP/1.1 x                      | access.log:1832: expected '"' after $time_local for format 'combined', found 'x GET / HTTP/1.1 x'
            combined | 192.168.202.254 [20/Jul/2009:22:59:29 +0000] "GET / HTTP/1.0" 404 4 "-" "gPXE"    | access.log:1832: expected '- ' after $remote_addr for format 'combined', found '[20/Jul/2009:22:59:29 +0...'
            combined | GET /api/foo/bar HTTP/1.1                                                         | access.log:1832: expected '- ' after $remote_addr for format 'combined', found '/api/foo/bar HTTP/1.1'
            combined | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 1 "-" "Mozilla    | access.log:1832: expected '"' at the end of the line after $http_user_agent for format 'combined', found the line ending in '"-" "Mozilla'
            combined | 10.0.0.1                                                                          | access.log:1832: expected ' - ' after $remote_addr for format 'combined', found the end of the line
            common   | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" OK 1                   | access.log:1832: $status is 'OK', expected a three-digit status or '-' for format 'common'
            common   | 10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8.5"   | access.log:1832: $body_bytes_sent is '1 "-" "curl/8.5"', expected a byte count or '-' for format 'common'
            $remote_addr [$time_local] "$request" | 10.0.0.1 [14/Mar/2026:13:05:12 +0000] "\\x16\\x03\\x01" | access.log:1832: $request is '\\x16\\x03\\x01', a TLS handshake (HTTPS sent to a plain-HTTP port), not an HTTP request, for format '$remote_addr [$time_local] "$request"'
            """)
    void explainsARejectWithFileLineExpectedAndFound(String format, String line, String message) {
        LineParser parser = LineParser.compile(LogFormat.parse(format), null);
        byte[] bytes = bytes(line);
        assertThat(parser.parse(bytes, 0, bytes.length, 1832)).isNull();
        assertThat(parser.describeReject("access.log", 1832)).isEqualTo(message);
    }

    // ---------------------------------------------------------------- anonymization

    @Test
    void storesPseudonymsForClientSessionAndForwardedAddressesWhenAnonymizing() {
        Anonymizer anonymizer = Anonymizer.withKey(new byte[32]);
        LineParser parser = LineParser.compile(LogFormat.parse("main"),
                anonymizer);
        byte[] line = bytes("203.0.113.9 - bob [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\" "
                + "\"198.51.100.1, 10.0.0.1\"");

        RequestRow row = parser.parse(line, 0, line.length, 1);

        assertThat(row.client()).isEqualTo(anonymizer.pseudonym("203.0.113.9")).hasSize(16);
        assertThat(row.sessionHint()).isEqualTo(anonymizer.pseudonym("bob"));
        assertThat(row.extraJson()).isEqualTo("{\"http_x_forwarded_for\":\"" + anonymizer.pseudonym("198.51.100.1")
                + ", " + anonymizer.pseudonym("10.0.0.1") + "\"}");
    }

    @Test
    void hidesAddressesInTheRawTextOfARejectedLineWhenAnonymizing() {
        Anonymizer anonymizer = Anonymizer.withKey(new byte[32]);
        LineParser parser = LineParser.compile(LogFormat.parse("combined"), anonymizer);
        byte[] tls = bytes("203.0.113.9 - bob [14/Mar/2026:13:05:12 +0000] \"\\x16\\x03\\x01\" 400 1 \"-\" \"-\"");
        byte[] garbage = bytes("client.example.net sent junk from 2001:db8::7 via 198.51.100.1 at 13:05:12");

        assertThat(parser.parse(tls, 0, tls.length, 1)).isNull();
        assertThat(parser.rejectedLine()).isEqualTo(anonymizer.pseudonym("203.0.113.9") + " - "
                + anonymizer.pseudonym("bob") + " [14/Mar/2026:13:05:12 +0000] \"\\x16\\x03\\x01\" 400 1 \"-\" \"-\"");
        assertThat(parser.parse(garbage, 0, garbage.length, 2)).isNull();
        assertThat(parser.rejectedLine()).isEqualTo(anonymizer.pseudonym("client.example.net") + " sent junk from "
                + anonymizer.pseudonym("2001:db8::7") + " via " + anonymizer.pseudonym("198.51.100.1") + " at 13:05:12");
    }

    // ---------------------------------------------------------------- formats that cannot give rows

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            $remote_addr "$request" $status                     | has no time variable
            $remote_addr [$time_local] $status                  | does not log the request
            $remote_addr [$time_local] $request_method $status  | does not log the request
            """)
    void refusesAFormatThatCannotGiveARequestRow(String format, String problem) {
        assertThatThrownBy(() -> LineParser.compile(LogFormat.parse(format), null))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining(format);
    }

    // ---------------------------------------------------------------- helpers

    private static Arguments loads(String description, String format, String line, String... expected) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < expected.length; i += 2) {
            columns.put(expected[i], expected[i + 1]);
        }
        return arguments(description, format, line, columns);
    }

    /** Test lines are Latin-1 so that a char in U+0080..U+00FF stands for one raw (possibly invalid) byte. */
    private static byte[] bytes(String line) {
        boolean latin1 = line.chars().allMatch(c -> c < 0x100);
        return line.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
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
