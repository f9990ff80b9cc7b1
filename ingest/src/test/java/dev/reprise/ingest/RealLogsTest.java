package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.count;
import static dev.reprise.ingest.StoreRows.query;
import static dev.reprise.ingest.StoreRows.single;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.model.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Logs written by real servers (src/test/resources/realdata, provenance in SOURCES.md), each
 * loaded with the format it was written in: every line is accounted for, and the loaded share is
 * what the file's known damage allows.
 */
class RealLogsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            # file                          | format   | lines  | at least loaded | what is odd
            logparser-hackers-access.log    | combined |  3456  |  3456           | IPv6 clients, bots
            secrepo-2021-10-22_27.log       | combined |  5854  |  5854           | escaped quotes in user agents, 4.7 KB referer
            secrepo-2018-12-15.log          | combined |  4961  |  4961           | a space at the end of every line
            zanbil-shop-xff.log             | main     |  1000  |  1000           | X-Forwarded-For, %-encoded Persian paths
            elastic-apache_logs.log         | combined | 10000  |  9999           | Apache \\xHH escapes; line 8899 lacks its closing quote
            nasa-aug95-head-damaged.log     | common   |  1930  |  1840           | a stray newline every 4096 bytes, cut last line
            ocatak-w3af-quoted-lines.log    | combined |  3996  |  3996           | lines wrapped in quotes, no final newline
            """)
    void accountsForEveryLineOfARealLog(String file, String format, long lines, long atLeastLoaded, String odd)
            throws IOException {
        Path log = realLog(file);
        assertThat(lineCount(log)).as("lines in %s", file).isEqualTo(lines);
        try (Store store = Store.open(dir.resolve("real.duckdb"))) {
            IngestReport report = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults().withFormat(format),
                    IngestProgress.NONE);

            FileResult result = report.files().get(0);
            assertThat(result.skipped()).isFalse();
            assertThat(result.truncated()).isFalse();
            assertThat(result.summary().linesRead()).isEqualTo(lines);
            assertThat(result.summary().rowsLoaded() + result.summary().rowsRejected()).isEqualTo(lines);
            assertThat(result.summary().rowsLoaded()).isGreaterThanOrEqualTo(atLeastLoaded);
            assertThat(count(store, "SELECT count(*) FROM requests")).isEqualTo(result.summary().rowsLoaded());
            assertThat(count(store, "SELECT count(*) FROM rejects")).isEqualTo(result.summary().rowsRejected());
            assertThat(count(store, "SELECT count(DISTINCT line_no) FROM (SELECT line_no FROM requests "
                    + "UNION ALL SELECT line_no FROM rejects)")).isEqualTo(lines);
            assertThat(query(store, "SELECT min(line_no), max(line_no) FROM (SELECT line_no FROM requests "
                    + "UNION ALL SELECT line_no FROM rejects)")).containsExactly(List.of(1L, lines));
        }
    }

    @Test
    void readsTheOddLinesOfRealLogsAsTheyWereMeant() {
        try (Store store = Store.inMemory()) {
            NginxOptions asLogged = NginxOptions.defaults().withAnonymize(false);
            NginxIngest.ingest(store, List.of(realLog("secrepo-2021-10-22_27.log"), realLog("secrepo-2018-12-15.log"),
                    realLog("logparser-hackers-access.log"), realLog("elastic-apache_logs.log"),
                    realLog("ocatak-w3af-quoted-lines.log")), asLogged, IngestProgress.NONE);
            NginxIngest.ingest(store, List.of(realLog("zanbil-shop-xff.log")), asLogged.withFormat("main"),
                    IngestProgress.NONE);
            String file = "(SELECT source_id FROM sources WHERE uri LIKE '%/";

            assertThat(single(store, "SELECT user_agent FROM requests WHERE line_no = 2110 AND source_id = " + file
                    + "secrepo-2021-10-22_27.log')")).as("Apache \\\" escapes")
                    .isEqualTo("User-Agent\" \"Mozilla/5.0 (Windows NT 6.1;) Gecko/20100101 Firefox/13.0.1");
            assertThat(query(store, "SELECT length(path) + length(query) + 1, length(referer) FROM requests "
                    + "WHERE line_no = 335 AND source_id = " + file + "secrepo-2021-10-22_27.log')"))
                    .as("the 4.7 KB line: an SQL-injection target and referer").containsExactly(List.of(2658L, 2000L));
            assertThat(single(store, "SELECT user_agent FROM requests WHERE line_no = 192 AND source_id = " + file
                    + "secrepo-2018-12-15.log')")).as("a quoted user agent before a trailing space")
                    .isEqualTo("\"Mozilla/5.0 (iPhone; CPU iPhone OS 11_0 like Mac OS X) AppleWebKit/604.1.38 "
                            + "(KHTML, like Gecko) Version/11.0 Mobile/15A372 Safari/604.1\"");
            assertThat(count(store, "SELECT count(*) FROM requests WHERE user_agent LIKE '% ' OR user_agent LIKE '%\"\"'"))
                    .isZero();
            assertThat(single(store, "SELECT client FROM requests WHERE line_no = 2577 AND source_id = " + file
                    + "logparser-hackers-access.log')")).isEqualTo("2001:41d0:8:f69::1");
            assertThat(single(store, "SELECT referer FROM requests WHERE line_no = 5851 AND source_id = " + file
                    + "elastic-apache_logs.log')")).as("cp1251 bytes written as \\xHH are not UTF-8")
                    .isEqualTo("http://\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd-\ufffd\ufffd\ufffd\ufffd"
                            + ".\ufffd\ufffd/");
            assertThat(query(store, "SELECT count(*) FILTER (user_agent = 'w3af.org'), count(*) FILTER (user_agent "
                    + "LIKE '%\"%' OR client LIKE '%\"%') FROM requests WHERE source_id = " + file
                    + "ocatak-w3af-quoted-lines.log')")).as("lines wrapped in quotes are unwrapped")
                    .containsExactly(List.of(3926L, 0L));
            assertThat(single(store, "SELECT path FROM requests WHERE line_no = 1 AND source_id = " + file
                    + "zanbil-shop-xff.log')")).asString().startsWith("/filter/27|13%20%D9%85%DA%AF");
            assertThat(count(store, "SELECT count(*) FROM requests WHERE source_id = " + file
                    + "zanbil-shop-xff.log') AND (extra->>'http_x_forwarded_for') IS NOT NULL")).isPositive();
        }
    }

    /** The ingress-nginx "upstreaminfo" log_format (kubernetes/ingress-nginx docs, log-format.md). */
    static final String INGRESS_UPSTREAMINFO = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
            + "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_length $request_time "
            + "[$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length "
            + "$upstream_response_time $upstream_status $req_id";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # file                              | format   | lines | loaded | rejects by reason
            beats-ingress-nginx.log             | ingress  | 29    | 29     |
            beats-nginx-access.log              | combined |  7    |  3     | empty_request=1, format_mismatch=3
            integrations-nginx-access.log       | combined | 14    | 12     | format_mismatch=2
            lnav-access_log.0                   | combined |  3    |  3     |
            lnav-access_log.1                   | combined |  1    |  0     | empty_request=1
            lnav-bad_access_log.0               | combined |  3    |  2     | format_mismatch=1
            logparser-inputformat_access.log    | combined |  1    |  1     |
            """)
    void accountsForEveryLineOfAParserTestVector(String file, String format, long lines, long loaded, String rejects)
            throws URISyntaxException {
        Path log = Path.of(RealLogsTest.class.getResource("/vectors/" + file).toURI());
        try (Store store = Store.inMemory()) {
            NginxOptions options = NginxOptions.defaults()
                    .withFormat(format.equals("ingress") ? INGRESS_UPSTREAMINFO : format);
            FileResult result = NginxIngest.ingest(store, List.of(log), options, IngestProgress.NONE).files().get(0);

            assertThat(result.summary().linesRead()).isEqualTo(lines).isEqualTo(lineCount(log));
            assertThat(result.summary().rowsLoaded()).isEqualTo(loaded);
            assertThat(result.summary().rejectsByReason().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .sorted().collect(Collectors.joining(", "))).isEqualTo(rejects == null ? "" : rejects);
        }
    }

    static Path realLog(String name) {
        try {
            return Path.of(RealLogsTest.class.getResource("/realdata/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lines as a reader sees them: newline characters, plus one for a last line without one. */
    static long lineCount(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long newlines = 0;
            int last = -1;
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        newlines++;
                    }
                }
                last = buf[n - 1];
            }
            return last == -1 || last == '\n' ? newlines : newlines + 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
