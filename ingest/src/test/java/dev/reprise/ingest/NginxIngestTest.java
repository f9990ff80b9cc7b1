package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.count;
import static dev.reprise.ingest.StoreRows.query;
import static dev.reprise.ingest.StoreRows.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.ingest.anon.Anonymizer;
import dev.reprise.model.SourceSummary;
import dev.reprise.model.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxIngestTest {
    private static final NginxOptions PLAIN = NginxOptions.defaults().withAnonymize(false);

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- the acceptance test of the issue

    @Test
    void loadsEveryOtherLineAndRecordsTheGarbageLineWithItsLineNumberAndReason() throws IOException {
        Path log = write("access.log",
                combined("192.0.2.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 512),
                combined("192.0.2.2", "14/Mar/2026:13:05:13 +0000", "GET /products/7 HTTP/1.1", 200, 2048),
                "%%% this line is garbage %%%",
                combined("192.0.2.3", "14/Mar/2026:13:05:14 +0000", "POST /cart HTTP/1.1", 201, 0),
                combined("192.0.2.1", "14/Mar/2026:13:05:15 +0000", "GET /checkout HTTP/1.1", 302, 0));

        try (Store store = Store.open(dir.resolve("store.duckdb"))) {
            IngestReport report = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults(), IngestProgress.NONE);

            SourceSummary summary = report.files().get(0).summary();
            assertThat(summary.linesRead()).isEqualTo(5);
            assertThat(summary.rowsLoaded()).isEqualTo(4);
            assertThat(summary.rowsRejected()).isEqualTo(1);
            assertThat(summary.rejectsByReason()).containsExactly(java.util.Map.entry("format_mismatch", 1L));
            assertThat(query(store, "SELECT line_no, method, path FROM requests ORDER BY line_no")).containsExactly(
                    List.of(1L, "GET", "/"), List.of(2L, "GET", "/products/7"), List.of(4L, "POST", "/cart"),
                    List.of(5L, "GET", "/checkout"));
            assertThat(query(store, "SELECT source_id, line_no, reason, raw FROM rejects")).containsExactly(
                    List.of(summary.sourceId(), 3L, "format_mismatch", "%%% this line is garbage %%%"));
            assertThat(query(store, "SELECT uri, kind, format, lines_read, rows_loaded, rows_rejected, anonymized, "
                    + "finished_at IS NOT NULL FROM sources")).containsExactly(List.of(log.toAbsolutePath().toString(),
                    "nginx", dev.reprise.ingest.nginx.LogFormat.COMBINED, 5L, 4L, 1L, true, true));
            assertThat(report.linesRead()).isEqualTo(5);
            assertThat(report.rowsLoaded()).isEqualTo(4);
            assertThat(report.rowsRejected()).isEqualTo(1);
            assertThat(report.hasTruncatedInput()).isFalse();
        }
    }

    @Test
    void accountsForEveryLineAcrossRowBatchAndRejectBatchBoundaries() throws IOException {
        // more rows than one RequestBatch and more rejects than one pipeline batch carries, interleaved
        int lines = dev.reprise.model.RequestBatch.DEFAULT_CAPACITY * 2 + 3_001;
        Path good = dir.resolve("good.log");
        IngestBenchmark.writeCombinedLog(good, lines, 3);
        List<String> all = Files.readAllLines(good, StandardCharsets.UTF_8);
        List<Long> garbageLines = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 37) {
            all.set(i, "%%% garbage " + i + " %%%");
            garbageLines.add(i + 1L);
        }
        Path log = dir.resolve("mixed.log");
        Files.write(log, all, StandardCharsets.UTF_8);

        try (Store store = Store.open(dir.resolve("store.duckdb"))) {
            SourceSummary summary = NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE).files().get(0)
                    .summary();
            assertThat(garbageLines.size()).isGreaterThan(ScanPipeline.BATCH_REJECTS);
            assertThat(summary.linesRead()).isEqualTo(lines);
            assertThat(summary.rowsRejected()).isEqualTo(garbageLines.size());
            assertThat(summary.rowsLoaded()).isEqualTo(lines - garbageLines.size());
            assertThat(count(store, "SELECT count(*) FROM requests")).isEqualTo(lines - garbageLines.size());
            assertThat(query(store, "SELECT line_no FROM rejects ORDER BY line_no").stream().map(row -> row.get(0)))
                    .containsExactlyElementsOf(garbageLines);
            // every loaded line once, with its own line number and content
            assertThat(count(store, "SELECT count(DISTINCT line_no) FROM requests")).isEqualTo(lines - garbageLines.size());
            assertThat(count(store, "SELECT count(*) FROM requests WHERE (line_no - 1) % 37 = 0")).isZero();
            long last = lines;
            assertThat(single(store, "SELECT client || ' ' || path FROM requests WHERE line_no = " + last))
                    .isEqualTo(all.get(lines - 1).substring(0, all.get(lines - 1).indexOf(' ')) + " "
                            + all.get(lines - 1).split(" ")[6].split("\\?")[0]);
        }
    }

    // ---------------------------------------------------------------- --session-from

    private static final String SESSION_FORMAT = "$remote_addr [$time_local] \"$request\" $status $body_bytes_sent "
            + "\"$cookie_sid\" \"$http_x_reprise_session\"";

    @Test
    void sessionFromFillsTheSessionHintFromTheNamedVariableOnly() throws IOException {
        Path log = write("access.log",
                "192.0.2.1 [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 5 \"cookie-1\" \"replay-7\"",
                "192.0.2.1 [14/Mar/2026:13:05:13 +0000] \"GET /a HTTP/1.1\" 200 5 \"cookie-1\" \"-\"");
        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN.withFormat(SESSION_FORMAT)
                    .withSessionFrom("$http_x_reprise_session"), IngestProgress.NONE);
            java.util.List<Object> absent = new java.util.ArrayList<>();
            absent.add(2L);
            absent.add(null);
            assertThat(query(store, "SELECT line_no, session_hint FROM requests ORDER BY line_no"))
                    .containsExactly(List.of(1L, "replay-7"), absent);
        }
    }

    @Test
    void withoutSessionFromASessionCookieIsPickedAutomatically() throws IOException {
        Path log = write("access.log",
                "192.0.2.1 [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" 200 5 \"cookie-1\" \"replay-7\"");
        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN.withFormat(SESSION_FORMAT), IngestProgress.NONE);
            assertThat(query(store, "SELECT session_hint FROM requests")).containsExactly(List.of("cookie-1"));
        }
    }

    @Test
    void sessionFromAVariableTheFormatDoesNotLogIsAClearError() throws IOException {
        Path log = write("access.log",
                combined("192.0.2.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 512));
        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(log), PLAIN.withSessionFrom("$cookie_sid"),
                    IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageContaining("--session-from $cookie_sid: the log format has no $cookie_sid")
                    .hasMessageContaining("$http_user_agent");
            assertThat(query(store, "SELECT count(*) FROM sources")).containsExactly(List.of(0L));
        }
    }

    // ---------------------------------------------------------------- columns

    @Test
    void storesEveryColumnOfALine() throws IOException {
        Path log = write("access.log", "203.0.113.5 - alice [14/Mar/2026:13:05:12 +0100] "
                + "\"GET /search?q=red+shoes&page=2 HTTP/2.0\" 200 5120 \"https://shop.example/\" "
                + "\"Mozilla/5.0 (X11)\" \"198.51.100.1\"");

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN.withFormat("main"), IngestProgress.NONE);

            assertThat(query(store, "SELECT line_no, epoch_us(ts), client, session_hint, method, path, query, protocol, "
                    + "status::INTEGER, bytes, duration_ms, upstream_ms, referer, user_agent, host, extra::VARCHAR "
                    + "FROM requests")).containsExactly(Arrays.asList(1L,
                    Instant.parse("2026-03-14T12:05:12Z").toEpochMilli() * 1000, "203.0.113.5", "alice", "GET",
                    "/search", "q=red+shoes&page=2", "HTTP/2.0", 200, 5120L, null, null, "https://shop.example/",
                    "Mozilla/5.0 (X11)", null, "{\"http_x_forwarded_for\":\"198.51.100.1\"}"));
        }
    }

    @Test
    void readsALogFormatStringWithTimingsAndHost() throws IOException {
        Path log = write("timed.log",
                "shop.example 10.1.2.3 [2026-03-14T13:05:12+00:00] \"GET /api/items HTTP/1.1\" 200 612 0.042 0.010, 0.020",
                "shop.example 10.1.2.3 [2026-03-14T13:05:13+00:00] \"GET /api/items HTTP/1.1\" 499 0 1.500 -");
        String format = "$host $remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent $request_time "
                + "$upstream_response_time";

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN.withFormat(format), IngestProgress.NONE);

            assertThat(query(store, "SELECT host, status::INTEGER, duration_ms, upstream_ms FROM requests ORDER BY line_no"))
                    .containsExactly(List.of("shop.example", 200, 42.0, 30.0), Arrays.asList("shop.example", 499, 1500.0,
                            null));
            assertThat(single(store, "SELECT format FROM sources")).isEqualTo(format);
        }
    }

    // ---------------------------------------------------------------- files

    @Test
    void loadsAGzipFileExactlyAsThePlainFile() throws IOException {
        String[] lines = new String[500];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = combined("10.0.0." + (i % 7), "14/Mar/2026:13:05:12 +0000", "GET /item/" + i + " HTTP/1.1", 200, i);
        }
        Path plain = write("access.log", lines);
        Path gz = dir.resolve("access.log.1.gz");
        Files.write(gz, gzip(Files.readAllBytes(plain)));

        try (Store store = Store.inMemory()) {
            IngestReport report = NginxIngest.ingest(store, List.of(plain, gz), PLAIN, IngestProgress.NONE);

            assertThat(report.files()).extracting(f -> f.summary().rowsLoaded()).containsExactly(500L, 500L);
            String columns = "line_no, ts, client, method, path, status, bytes, referer, user_agent";
            assertThat(query(store, "SELECT " + columns + " FROM requests WHERE source_id = 2 ORDER BY line_no"))
                    .isEqualTo(query(store, "SELECT " + columns + " FROM requests WHERE source_id = 1 ORDER BY line_no"));
        }
    }

    @Test
    void loadsTheReadablePartOfATruncatedGzipAndReportsTheTruncation() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 30_000; i++) {
            text.append(combined("10.0.0." + (i % 200), "14/Mar/2026:13:05:12 +0000", "GET /item/" + i + " HTTP/1.1",
                    200, i)).append('\n');
        }
        byte[] whole = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        Path cut = dir.resolve("access.log.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length * 2 / 3));
        RecordingProgress progress = new RecordingProgress();

        try (Store store = Store.inMemory()) {
            IngestReport report = NginxIngest.ingest(store, List.of(cut), PLAIN, progress);

            FileResult result = report.files().get(0);
            assertThat(report.hasTruncatedInput()).isTrue();
            assertThat(result.truncated()).isTrue();
            assertThat(result.truncationMessage()).startsWith(cut + ": the gzip stream ends early")
                    .contains("the rest of the file is missing");
            SourceSummary summary = result.summary();
            assertThat(summary.rowsLoaded()).isGreaterThan(5_000).isLessThan(30_000);
            assertThat(summary.rowsLoaded() + summary.rowsRejected()).isEqualTo(summary.linesRead());
            assertThat(summary.rowsRejected()).isLessThanOrEqualTo(1);
            assertThat(query(store, "SELECT reason, line_no FROM rejects")).allSatisfy(
                    r -> assertThat(r).containsExactly("truncated_line", summary.linesRead()));
            assertThat(count(store, "SELECT max(line_no) FROM requests")).isBetween(summary.linesRead() - 1,
                    summary.linesRead());
            assertThat(progress.events).last().isEqualTo("finished " + summary.linesRead() + " truncated=true");
        }
    }

    @Test
    void reportsACorruptGzipAsTruncated() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5_000; i++) {
            text.append(combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET /item/" + i + " HTTP/1.1", 200, i))
                    .append('\n');
        }
        byte[] gz = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = gz.length / 2; i < gz.length / 2 + 64; i++) {
            gz[i] = (byte) ~gz[i];
        }
        Path file = dir.resolve("bad.log.gz");
        Files.write(file, gz);

        try (Store store = Store.inMemory()) {
            FileResult result = NginxIngest.ingest(store, List.of(file), PLAIN, IngestProgress.NONE).files().get(0);

            assertThat(result.truncated()).isTrue();
            assertThat(result.truncationMessage()).startsWith(file + ": the gzip stream");
            assertThat(result.summary().linesRead()).isEqualTo(result.summary().rowsLoaded()
                    + result.summary().rowsRejected());
        }
    }

    @Test
    void toleratesCrlfLineEndings() throws IOException {
        Path log = dir.resolve("windows.log");
        Files.writeString(log, combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET /a HTTP/1.1", 200, 1) + "\r\n"
                + combined("10.0.0.2", "14/Mar/2026:13:05:13 +0000", "GET /b HTTP/1.1", 200, 2) + "\r\n");

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE);

            assertThat(query(store, "SELECT path, user_agent FROM requests ORDER BY line_no"))
                    .containsExactly(List.of("/a", "curl/8.5.0"), List.of("/b", "curl/8.5.0"));
            assertThat(count(store, "SELECT count(*) FROM rejects")).isZero();
        }
    }

    @Test
    void loadsALineWithInvalidUtf8WhenItsStructureIsIntact() throws IOException {
        byte[] good = combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET /a HTTP/1.1", 200, 1)
                .getBytes(StandardCharsets.UTF_8);
        byte[] broken = ("10.0.0.2 - - [14/Mar/2026:13:05:13 +0000] \"GET /b HTTP/1.1\" 200 2 \"-\" \"agent \u00ff\u00c3(\"")
                .getBytes(StandardCharsets.ISO_8859_1);
        Path log = dir.resolve("latin.log");
        Files.write(log, concat(good, "\n".getBytes(StandardCharsets.US_ASCII), broken, "\n".getBytes(StandardCharsets.US_ASCII)));

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE);

            assertThat(query(store, "SELECT line_no, user_agent FROM requests ORDER BY line_no"))
                    .containsExactly(List.of(1L, "curl/8.5.0"), List.of(2L, "agent \ufffd\ufffd("));
        }
    }

    @Test
    void rejectsALineLongerThan64KiBAndLoadsItsNeighbours() throws IOException {
        Path log = write("long.log",
                combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET /a HTTP/1.1", 200, 1),
                combined("10.0.0.2", "14/Mar/2026:13:05:13 +0000", "GET /" + "x".repeat(100_000) + " HTTP/1.1", 200, 2),
                combined("10.0.0.3", "14/Mar/2026:13:05:14 +0000", "GET /c HTTP/1.1", 200, 3));

        try (Store store = Store.inMemory()) {
            SourceSummary summary = NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE).files().get(0)
                    .summary();

            assertThat(summary.rejectsByReason()).containsEntry("line_too_long", 1L);
            assertThat(query(store, "SELECT line_no FROM requests ORDER BY line_no")).containsExactly(List.of(1L),
                    List.of(3L));
            assertThat(query(store, "SELECT line_no, reason, starts_with(raw, '10.0.0.2 - - [14/Mar/2026'), "
                    + "length(raw) < 600 FROM rejects")).containsExactly(List.of(2L, "line_too_long", true, true));
        }
    }

    @Test
    void rejectsRequestsThatAreNotHttpWithTheirReason() throws IOException {
        Path log = write("probes.log",
                "10.112.81.15 - - [15/Feb/2013:06:00:31 +0000] \"-\" 400 0 \"-\" \"-\"",
                "127.0.0.1 - - [12/Apr/2018:09:48:40 +0200] \"\" 400 0 \"-\" \"-\"",
                "216.180.246.186 - - [04/Jun/2026:05:10:02 +0000] \"\\x16\\x03\\x01\\x00\\xFD\\x01\\x00\\x00\\xF9\\x03\\x03\" "
                        + "400 166 \"-\" \"-\"",
                "52.228.161.82 - - [27/Sep/2024:13:05:58 +0200] \"MGLNDD_82.67.119.63_80\" 400 157 \"-\" \"-\"",
                combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1),
                "10.0.0.1 - - [14/Mar/2026:13:05:12 +0000] \"GET / HTTP/1.1\" - - \"-\" \"-\"");

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE);

            assertThat(query(store, "SELECT line_no, reason FROM rejects ORDER BY line_no")).containsExactly(
                    List.of(1L, "empty_request"), List.of(2L, "empty_request"), List.of(3L, "tls_handshake"),
                    List.of(4L, "bad_request_line"));
            assertThat(query(store, "SELECT line_no, status, bytes FROM requests ORDER BY line_no")).containsExactly(
                    Arrays.asList(5L, (short) 200, 1L), Arrays.asList(6L, null, null));
        }
    }

    @Test
    void loadsAnEmptyFileAsASourceWithNoLines() throws IOException {
        Path empty = dir.resolve("empty.log");
        Files.createFile(empty);

        try (Store store = Store.inMemory()) {
            SourceSummary summary = NginxIngest.ingest(store, List.of(empty), PLAIN, IngestProgress.NONE).files().get(0)
                    .summary();

            assertThat(summary.linesRead()).isZero();
            assertThat(count(store, "SELECT count(*) FROM sources WHERE finished_at IS NOT NULL")).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- anonymization

    @Test
    void leavesNoRawClientAddressAnywhereInTheStoreWhenAnonymizing() throws IOException {
        List<String> addresses = List.of("203.0.113.77", "2001:db8:85a3::8a2e:370:7334", "198.51.100.23",
                "192.0.2.140", "10.20.30.40");
        Path log = write("access.log",
                main("203.0.113.77", "alice", "GET /a HTTP/1.1", 200, "198.51.100.23, 10.20.30.40"),
                main("2001:db8:85a3::8a2e:370:7334", "-", "GET /b HTTP/1.1", 200, "-"),
                main("192.0.2.140", "bob", "\\x16\\x03\\x01", 400, "198.51.100.23"),
                "garbage from 192.0.2.140 and 2001:db8:85a3::8a2e:370:7334 ...",
                "203.0.113.77 - - [14/Mar/2026:13:05:12 +0000] \"GET /cut");

        try (Store store = Store.open(dir.resolve("anon.duckdb"))) {
            IngestReport report = NginxIngest.ingest(store, List.of(log), NginxOptions.defaults().withFormat("main"),
                    IngestProgress.NONE);
            assertThat(report.rowsLoaded()).isEqualTo(2);
            assertThat(report.rowsRejected()).isEqualTo(3);

            String everything = String.valueOf(query(store, "SELECT * FROM requests"))
                    + query(store, "SELECT * FROM rejects") + query(store, "SELECT * FROM sources");
            for (String address : addresses) {
                assertThat(everything).doesNotContain(address);
            }
            assertThat(everything).doesNotContain("alice").doesNotContain("bob");
            Anonymizer expected = Anonymizer.withKey(store.anonymizationKey());
            assertThat(query(store, "SELECT client, session_hint FROM requests ORDER BY line_no")).containsExactly(
                    List.of(expected.pseudonym("203.0.113.77"), expected.pseudonym("alice")),
                    Arrays.asList(expected.pseudonym("2001:db8:85a3::8a2e:370:7334"), null));
            assertThat(single(store, "SELECT anonymized FROM sources")).isEqualTo(true);
        }
    }

    @Test
    void storesClientsAsLoggedWhenAnonymizationIsOff() throws IOException {
        Path log = write("access.log", main("203.0.113.77", "alice", "GET /a HTTP/1.1", 200, "198.51.100.23"));

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN.withFormat("main"), IngestProgress.NONE);

            assertThat(query(store, "SELECT client, session_hint, extra->>'http_x_forwarded_for' FROM requests"))
                    .containsExactly(List.of("203.0.113.77", "alice", "198.51.100.23"));
            assertThat(single(store, "SELECT anonymized FROM sources")).isEqualTo(false);
        }
    }

    @Test
    void keepsPseudonymsStableAcrossIngestsIntoOneStore() throws IOException {
        Path first = write("a.log", combined("203.0.113.77", "14/Mar/2026:13:05:12 +0000", "GET /a HTTP/1.1", 200, 1));
        Path second = write("b.log", combined("203.0.113.77", "15/Mar/2026:13:05:12 +0000", "GET /b HTTP/1.1", 200, 1));
        Path storeFile = dir.resolve("stable.duckdb");

        try (Store store = Store.open(storeFile)) {
            NginxIngest.ingest(store, List.of(first), NginxOptions.defaults(), IngestProgress.NONE);
        }
        try (Store store = Store.open(storeFile)) {
            NginxIngest.ingest(store, List.of(second), NginxOptions.defaults(), IngestProgress.NONE);
            assertThat(count(store, "SELECT count(DISTINCT client) FROM requests")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM requests")).isEqualTo(2);
        }
    }

    @Test
    void givesTheSamePseudonymsInTwoStoresWithTheSameSalt() throws IOException {
        Path log = write("a.log", combined("203.0.113.77", "14/Mar/2026:13:05:12 +0000", "GET /a HTTP/1.1", 200, 1));
        NginxOptions salted = NginxOptions.defaults().withSalt("team secret");

        try (Store one = Store.inMemory(); Store two = Store.inMemory(); Store unsalted = Store.inMemory()) {
            NginxIngest.ingest(one, List.of(log), salted, IngestProgress.NONE);
            NginxIngest.ingest(two, List.of(log), salted, IngestProgress.NONE);
            NginxIngest.ingest(unsalted, List.of(log), NginxOptions.defaults(), IngestProgress.NONE);

            Object client = single(one, "SELECT client FROM requests");
            assertThat(client).isEqualTo(Anonymizer.fromSalt("team secret").pseudonym("203.0.113.77"));
            assertThat(single(two, "SELECT client FROM requests")).isEqualTo(client);
            assertThat(single(unsalted, "SELECT client FROM requests")).isNotEqualTo(client);
        }
    }

    // ---------------------------------------------------------------- re-runs

    @Test
    void readsStandardInputPlainOrGzippedAsASourceNamedDash() throws IOException {
        String text = combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET /a HTTP/1.1", 200, 1) + "\n"
                + combined("10.0.0.2", "14/Mar/2026:13:05:13 +0000", "-", 400, 0) + "\n";
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        try (Store store = Store.inMemory()) {
            for (byte[] input : List.of(text.getBytes(StandardCharsets.UTF_8), gz.toByteArray())) {
                IngestReport report = NginxIngest.ingest(store, List.of(NginxIngest.STDIN), PLAIN, IngestProgress.NONE,
                        new java.io.ByteArrayInputStream(input));
                assertThat(report.rowsLoaded()).isEqualTo(1);
                assertThat(report.rowsRejected()).isEqualTo(1);
                assertThat(report.rejectsByReason()).containsExactly(java.util.Map.entry("empty_request", 1L));
            }
            // never skipped as loaded before: standard input has no fingerprint
            assertThat(store.queryRows("SELECT uri, fingerprint IS NULL, lines_read FROM sources ORDER BY source_id"))
                    .containsExactly(List.of("-", true, 2L), List.of("-", true, 2L));
        }
    }

    @Test
    void refusesStandardInputNamedTwiceOrWithoutAStream() {
        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(NginxIngest.STDIN, NginxIngest.STDIN), PLAIN,
                    IngestProgress.NONE, new java.io.ByteArrayInputStream(new byte[0])))
                    .isInstanceOf(IngestException.class).hasMessageContaining("named 2 times");
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(NginxIngest.STDIN), PLAIN, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class).hasMessageContaining("standard input");
        }
    }

    @Test
    void replaceReloadsAFileLoadedBeforeAndDropsItsOldSource() throws IOException {
        Path log = write("access.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1),
                combined("10.0.0.2", "14/Mar/2026:13:05:13 +0000", "-", 400, 0));
        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE);
            IngestReport again = NginxIngest.ingest(store, List.of(log), PLAIN.withReplace(true), IngestProgress.NONE);

            IngestReport.FileResult file = again.files().get(0);
            assertThat(file.skipped()).isFalse();
            assertThat(file.replacedSourceId()).isEqualTo(1);
            assertThat(file.summary().sourceId()).isEqualTo(2);
            assertThat(count(store, "SELECT count(*) FROM sources")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM requests WHERE source_id = 2")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM rejects WHERE source_id = 2")).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM requests WHERE source_id = 1")
                    + count(store, "SELECT count(*) FROM rejects WHERE source_id = 1")).isZero();
        }
    }

    @Test
    void skipsAFileWhoseContentWasLoadedBefore() throws IOException {
        Path log = write("access.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1));
        Path copy = dir.resolve("copy-of-access.log");
        Files.copy(log, copy);
        RecordingProgress progress = new RecordingProgress();

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(log), PLAIN, IngestProgress.NONE);
            IngestReport again = NginxIngest.ingest(store, List.of(copy, log), PLAIN, progress);

            assertThat(again.files()).allSatisfy(f -> {
                assertThat(f.skipped()).isTrue();
                assertThat(f.summary()).isNull();
                assertThat(f.skipMessage()).isEqualTo(f.file() + ": skipped, the same content (first 64 KiB and "
                        + "size) is already loaded as source 1 (--replace reloads it)");
            });
            assertThat(again.linesRead()).isZero();
            assertThat(progress.events).containsExactly("skipped " + copy.getFileName(), "skipped " + log.getFileName());
            assertThat(count(store, "SELECT count(*) FROM requests")).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- user errors

    @Test
    void failsBeforeLoadingAnythingWhenAFileIsMissingOrADirectory() throws IOException {
        Path good = write("good.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1));
        Path missing = dir.resolve("missing.log");

        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(good, missing), PLAIN, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage(missing + ": no such file; check the path");
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(dir), PLAIN, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageStartingWith(dir + ": is a directory");
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(), PLAIN, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageContaining("no log files given");
            assertThat(count(store, "SELECT count(*) FROM sources")).isZero();
        }
    }

    @Test
    void refusesAnUnknownFormatOrAnInconsistentSalt() throws IOException {
        Path good = write("good.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1));

        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(good), PLAIN.withFormat("apache"),
                    IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageStartingWith("unknown log format 'apache': use combined, common, main");
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(good), PLAIN.withSalt("s"), IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageContaining("anonymization, which is off");
            assertThat(count(store, "SELECT count(*) FROM sources")).isZero();
        }
    }

    @Test
    void failsWithFileLineExpectedAndFoundWhenNoLineFitsTheFormat() throws IOException {
        Path first = write("first.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1));
        Path csv = write("export.csv", "ip,time,request,status", "10.0.0.1,2026-03-14T13:05:12Z,GET /,200");

        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(first, csv), PLAIN, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage(csv + ":1: expected ' - ' after $remote_addr for format 'combined', found the end of "
                            + "the line (no line of the file loads; check --format, or pass the log_format string "
                            + "from nginx.conf)");
            assertThat(query(store, "SELECT uri FROM sources")).as("the file before stays, the failing one leaves no trace")
                    .containsExactly(List.of(first.toAbsolutePath().toString()));
            assertThat(count(store, "SELECT count(*) FROM rejects")).isZero();
        }
    }

    @Test
    void failsWhenTheFormatLacksColumnsThatTheLinesHave() throws IOException {
        Path log = write("access.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1));

        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> NginxIngest.ingest(store, List.of(log), PLAIN.withFormat("common"),
                    IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageStartingWith(log + ":1: $body_bytes_sent is '1 \"-\" \"curl/8.5.0\"', expected a byte "
                            + "count or '-' for format 'common'");
        }
    }

    // ---------------------------------------------------------------- progress

    @Test
    void reportsStartAndFinishForEachFile() throws IOException {
        Path a = write("a.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET / HTTP/1.1", 200, 1));
        Path b = write("b.log", combined("10.0.0.1", "14/Mar/2026:13:05:12 +0000", "GET /b HTTP/1.1", 200, 1), "junk");
        RecordingProgress progress = new RecordingProgress();

        try (Store store = Store.inMemory()) {
            NginxIngest.ingest(store, List.of(a, b), PLAIN, progress);
        }
        assertThat(progress.events).containsExactly(
                "started a.log " + Files.size(a), "finished 1 truncated=false",
                "started b.log " + Files.size(b), "finished 2 truncated=false");
    }

    // ---------------------------------------------------------------- helpers

    static String combined(String client, String time, String request, int status, long bytes) {
        return client + " - - [" + time + "] \"" + request + "\" " + status + " " + bytes + " \"-\" \"curl/8.5.0\"";
    }

    private static String main(String client, String user, String request, int status, String forwardedFor) {
        return client + " - " + user + " [14/Mar/2026:13:05:12 +0000] \"" + request + "\" " + status
                + " 10 \"https://shop.example/\" \"Mozilla/5.0\" \"" + forwardedFor + "\"";
    }

    private Path write(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Records started/finished/skipped as strings and checks the invariants of advanced(). */
    static final class RecordingProgress implements IngestProgress {
        final List<String> events = new ArrayList<>();
        private long lastLines;

        @Override
        public void started(Path file, long sizeBytes) {
            events.add("started " + file.getFileName() + " " + sizeBytes);
            lastLines = 0;
        }

        @Override
        public void advanced(long bytesRead, long lines, long rejects) {
            assertThat(lines).isGreaterThanOrEqualTo(lastLines);
            assertThat(rejects).isLessThanOrEqualTo(lines);
            lastLines = lines;
        }

        @Override
        public void finished(SourceSummary summary, boolean truncated) {
            events.add("finished " + summary.linesRead() + " truncated=" + truncated);
        }

        @Override
        public void skipped(Path file, String message) {
            events.add("skipped " + file.getFileName());
        }
    }
}
