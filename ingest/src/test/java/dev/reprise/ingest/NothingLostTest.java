package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.query;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.model.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3, "Nothing lost": one log with every edge case the issue lists, in one file, each line
 * loaded or rejected with its reason; the same log gzipped and cut loads its readable part.
 */
class NothingLostTest {
    private static final String OK = "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"GET /ok HTTP/1.1\" 200 1 \"-\" \"ua\"";

    @TempDir
    Path dir;

    @Test
    void accountsForEveryEdgeCaseOfTheIssueLineByLine() throws IOException {
        Path log = dir.resolve("edge.log");
        Files.write(log, edgeCases());
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            FileResult result = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults().withAnonymize(false),
                    IngestProgress.NONE).files().get(0);

            assertThat(result.summary().linesRead()).isEqualTo(13);
            assertThat(result.summary().rowsLoaded() + result.summary().rowsRejected()).isEqualTo(13);
            assertThat(query(store, "SELECT line_no, reason FROM rejects ORDER BY line_no")).containsExactly(
                    List.of(2L, "empty_request"), List.of(3L, "empty_request"), List.of(4L, "tls_handshake"),
                    List.of(5L, "format_mismatch"), List.of(6L, "bad_request_line"), List.of(8L, "line_too_long"),
                    List.of(12L, "empty_line"));
            assertThat(query(store, "SELECT line_no, client, path, CAST(status AS INTEGER), bytes, user_agent "
                    + "FROM requests ORDER BY line_no")).containsExactly(
                    Arrays.asList(1L, "192.0.2.1", "/ok", 200, 1L, "ua"),
                    Arrays.asList(7L, "192.0.2.1", "/caf\ufffd", 200, 1L, "bad \ufffd agent"),
                    Arrays.asList(9L, "192.0.2.1", "/crlf", 200, 1L, "ua"),
                    Arrays.asList(10L, "2001:db8::1", "/v6", 200, 1L, "ua"),
                    Arrays.asList(11L, "192.0.2.1", "/q", 200, 1L, "Mozilla/5.0 \"quoted\" (x)"),
                    Arrays.asList(13L, "192.0.2.1", "/dash", null, null, "ua"));
        }
    }

    @Test
    void loadsTheReadablePartOfTheSameLogGzippedAndCut() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 200; i++) {
                out.write(edgeCases());
            }
        }
        Path cut = dir.resolve("edge.log.gz");
        Files.write(cut, Arrays.copyOf(bytes.toByteArray(), bytes.size() * 2 / 3));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            IngestReport report = NginxIngest.ingest(store, List.of(cut), NginxOptions.defaults(), IngestProgress.NONE);

            FileResult result = report.files().get(0);
            assertThat(report.hasTruncatedInput()).isTrue();
            assertThat(result.summary().linesRead()).isGreaterThan(13)
                    .isEqualTo(result.summary().rowsLoaded() + result.summary().rowsRejected());
        }
    }

    /** Thirteen lines, each one case of the issue's list (numbers are the line numbers). */
    private static byte[] edgeCases() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        line(out, OK);                                                                                        // 1
        line(out, "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"-\" 400 0 \"-\" \"-\"");                    // 2 "-" request
        line(out, "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"\" 400 0 \"-\" \"-\"");                      // 3 "" request
        line(out, "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"\\x16\\x03\\x01\\x00\\xFD\" 400 166 \"-\" \"-\""); // 4 TLS
        byte[] garbage = new byte[300];
        new SplittableRandom(3).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = garbage[i] == '\n' ? 0 : garbage[i];
        }
        out.write(garbage);                                                                                   // 5 binary garbage
        out.write('\n');
        out.write("192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"GET /\u0001\u0002 HTTP/1.1\" 400 1 \"-\" \"-\"\n"
                .getBytes(StandardCharsets.ISO_8859_1));                                                     // 6 raw control bytes
        out.write("192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"GET /caf\u00e9 HTTP/1.1\" 200 1 \"-\" \"bad \u00ff agent\"\n"
                .getBytes(StandardCharsets.ISO_8859_1));                                                     // 7 invalid UTF-8
        line(out, "192.0.2.1 - - [14/Mar/2026:13:05:12 +0000] \"GET /" + "a".repeat(70_000) + " HTTP/1.1\" 200 1 \"-\" \"-\""); // 8
        out.write((OK.replace("/ok", "/crlf") + "\r\n").getBytes(StandardCharsets.UTF_8));                  // 9 CRLF
        line(out, OK.replace("192.0.2.1", "2001:db8::1").replace("/ok", "/v6"));                          // 10 IPv6
        line(out, OK.replace("/ok", "/q").replace("\"ua\"", "\"Mozilla/5.0 \\\"quoted\\\" (x)\""));        // 11 escaped quotes
        line(out, "");                                                                                        // 12 empty
        line(out, OK.replace("/ok", "/dash").replace("200 1", "- -"));                                    // 13 '-' numbers
        return out.toByteArray();
    }

    private static void line(ByteArrayOutputStream out, String text) throws IOException {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
