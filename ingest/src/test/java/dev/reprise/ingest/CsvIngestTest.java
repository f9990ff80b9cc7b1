package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.count;
import static dev.reprise.ingest.StoreRows.query;
import static dev.reprise.ingest.StoreRows.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.IngestReport.FileResult;
import dev.reprise.ingest.record.FieldMapping;
import dev.reprise.model.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV exports through a column mapping, into a real store: every record loaded or rejected. */
class CsvIngestTest {
    /** The options docs/ingest.md gives for the two real exports. */
    static final String WEBLOG_MAP = "ts=2,client=1,request=3,status=4";
    static final String EDGAR_MAP = "ts={date} {time},client=ip,path=/Archives/edgar/data/{cik:int}/{accession}{extention},"
            + "status=code,bytes=size";

    @TempDir
    Path dir;

    @Test
    void accountsForEveryRecordOfTheWeblogExport() {
        Path file = RealLogsTest.realLog("weblog.csv");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            IngestReport report = CsvIngest.ingest(store, List.of(file),
                    CsvOptions.of(FieldMapping.parse(WEBLOG_MAP)).withAnonymize(false), IngestProgress.NONE);

            FileResult result = report.files().get(0);
            assertThat(result.summary().linesRead()).isEqualTo(16_062);
            assertThat(result.summary().rowsLoaded() + result.summary().rowsRejected()).isEqualTo(16_062);
            assertThat(result.summary().rowsLoaded()).isEqualTo(16_062 - 273);
            assertThat(result.summary().rejectsByReason()).containsOnlyKeys("bad_timestamp");
            assertThat(count(store, "SELECT count(*) FROM requests")).isEqualTo(16_062 - 273);
            assertThat(query(store, "SELECT min(line_no), max(line_no), count(DISTINCT line_no) FROM (SELECT line_no "
                    + "FROM requests UNION ALL SELECT line_no FROM rejects)"))
                    .containsExactly(List.of(1L, 16_062L, 16_062L));
            assertThat(query(store, "SELECT client, CAST(ts AS VARCHAR), method, path, query, protocol, CAST(status AS INTEGER), "
                    + "bytes, extra FROM requests WHERE line_no = 1"))
                    .containsExactly(Arrays.asList("10.128.2.1", "2017-11-29 06:58:55+00", "GET", "/login.php", null,
                            "HTTP/1.1", 200, null, null));
            assertThat(single(store, "SELECT kind FROM sources")).isEqualTo("csv");
        }
    }

    @Test
    void accountsForEveryRecordOfTheEdgarExport() {
        Path file = RealLogsTest.realLog("edgar-20170630-head.csv");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            FileResult result = CsvIngest.ingest(store, List.of(file), CsvOptions.of(FieldMapping.parse(EDGAR_MAP)),
                    IngestProgress.NONE).files().get(0);

            assertThat(result.summary().linesRead()).as("records after the header").isEqualTo(1_999);
            assertThat(result.summary().rowsLoaded()).isEqualTo(1_994);
            assertThat(query(store, "SELECT line_no, reason FROM rejects ORDER BY line_no")).as("code 0.0")
                    .containsExactly(List.of(157L, "bad_status"), List.of(223L, "bad_status"),
                            List.of(1298L, "bad_status"), List.of(1307L, "bad_status"), List.of(1398L, "bad_status"));
            assertThat(query(store, "SELECT min(line_no), max(line_no), count(DISTINCT line_no) FROM (SELECT line_no "
                    + "FROM requests UNION ALL SELECT line_no FROM rejects)"))
                    .containsExactly(List.of(2L, 2_000L, 1_999L));
            assertThat(count(store, "SELECT count(*) FROM rejects WHERE raw LIKE '%38.105.116.iei%'"))
                    .as("the masked address of a rejected record").isZero();
            assertThat(query(store, "SELECT CAST(ts AS VARCHAR), method, path, CAST(status AS INTEGER), bytes, length(client), extra "
                    + "FROM requests WHERE line_no = 2"))
                    .containsExactly(List.of("2017-06-30 00:00:00+00", "GET",
                            "/Archives/edgar/data/1608552/0001047469-17-004337-index.htm", 200, 80251L, 16L,
                            "{\"zone\": \"0.0\", \"idx\": \"1.0\", \"norefer\": \"0.0\", \"noagent\": \"0.0\", "
                                    + "\"find\": \"9.0\", \"crawler\": \"0.0\"}"));
            assertThat(count(store, "SELECT count(*) FROM requests WHERE client LIKE '%.%'"))
                    .as("anonymized clients").isZero();
        }
    }

    @Test
    void rejectsEachBadRecordWithItsReasonAndLine() throws IOException {
        Path csv = write("export.csv", """
                time,ip,url,status,bytes,ms
                2026-03-14T13:05:12Z,10.0.0.1,https://Shop.Example.com:8443/cart?id=7#top,200,512,12.5
                1773493513,10.0.0.2,/search?q=shoes&token=s3cret,404,0,3
                1773493514123,10.0.0.3,"/a,b",200,,
                not a time,10.0.0.4,/x,200,1,1
                1773493515,10.0.0.5,/x,20x,1,1
                1773493516,10.0.0.6,/x,200,-5,1
                1773493517,10.0.0.7,/x,200,1,slow
                1773493518,10.0.0.8,,200,1,1
                1773493519,10.0.0.9,ftp//nothing,200,1,1
                ,,,,,
                "1773493520","10.0.0.10","/multi
                line, a control byte in the path",200,1,1
                1773493521,10.0.0.11,/after,200,1,1
                """);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            FileResult result = CsvIngest.ingest(store, List.of(csv),
                    CsvOptions.of(FieldMapping.parse("ts=time,client=ip,url=url,status=status,bytes=bytes,duration_ms=ms"))
                            .withAnonymize(false), IngestProgress.NONE).files().get(0);

            assertThat(result.summary().linesRead()).isEqualTo(12);
            assertThat(query(store, "SELECT line_no, reason FROM rejects ORDER BY line_no")).containsExactly(
                    List.of(5L, "bad_timestamp"), List.of(6L, "bad_status"), List.of(7L, "bad_bytes"),
                    List.of(8L, "bad_request_time"), List.of(9L, "empty_request"), List.of(10L, "bad_request_line"),
                    List.of(11L, "empty_line"), List.of(12L, "bad_request_line"));
            assertThat(query(store, "SELECT line_no, CAST(ts AS VARCHAR), host, path, query, CAST(status AS INTEGER), bytes, "
                    + "duration_ms FROM requests ORDER BY line_no")).containsExactly(
                    Arrays.asList(2L, "2026-03-14 13:05:12+00", "shop.example.com", "/cart", "id=7", 200, 512L, 12.5),
                    Arrays.asList(3L, "2026-03-14 13:05:13+00", null, "/search", "q=shoes&token=s3cret", 404, 0L, 3.0),
                    Arrays.asList(4L, "2026-03-14 13:05:14.123+00", null, "/a,b", null, 200, null, null),
                    Arrays.asList(14L, "2026-03-14 13:05:21+00", null, "/after", null, 200, 1L, 1.0));
        }
    }

    @Test
    void anonymizesClientsSessionsAndSecretsInUrls() throws IOException {
        Path csv = write("export.csv", """
                ts;client;sid;url;agent;note
                2026-03-14 13:05:12;192.0.2.7;abc123;/u/jane.doe@example.com?token=s3cret&page=2;bot (ops@example.com);from 198.51.100.4
                oops;192.0.2.8;;/x;;
                """);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            CsvIngest.ingest(store, List.of(csv), CsvOptions.of(FieldMapping.parse(
                    "ts=ts,client=client,session=sid,url=url,user_agent=agent")), IngestProgress.NONE);

            String everything = query(store, "SELECT * FROM requests").toString() + query(store, "SELECT * FROM rejects");
            assertThat(everything).doesNotContain("192.0.2.7", "192.0.2.8", "abc123", "jane.doe@example.com",
                    "s3cret", "ops@example.com", "198.51.100.4").contains("page=2");
            assertThat(count(store, "SELECT count(*) FROM rejects WHERE reason = 'bad_timestamp'")).isEqualTo(1);
        }
    }

    @Test
    void readsGzipTabsTimeLocalWithZonesAndEpochUnits() throws IOException {
        Path gz = dir.resolve("export.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("14/Mar/2026:13:05:12 +0100\t/a\n[14/Mar/2026:13:05:13]\t/b\n".getBytes(StandardCharsets.UTF_8));
        }
        Path micros = write("micros.csv", "1773493512000001,/c\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            CsvIngest.ingest(store, List.of(gz), CsvOptions.of(FieldMapping.parse("ts=1,path=2"))
                    .withZone(ZoneId.of("America/New_York")), IngestProgress.NONE);
            CsvIngest.ingest(store, List.of(micros), CsvOptions.of(FieldMapping.parse("ts=1,path=2"))
                    .withTsFormat("epoch_us"), IngestProgress.NONE);

            assertThat(query(store, "SELECT path, CAST(ts AS VARCHAR) FROM requests ORDER BY path")).containsExactly(
                    List.of("/a", "2026-03-14 12:05:12+00"), List.of("/b", "2026-03-14 17:05:13+00"),
                    List.of("/c", "2026-03-14 13:05:12.000001+00"));
        }
    }

    @Test
    void readsAPatternTimestampAndAMappingFile() throws IOException {
        Path csv = write("export.csv", "when|what|code\n14.03.2026 13:05|/a?x=1|301\n");
        Path mapping = write("export.map", "# columns of the ops export\nts = when\npath = what\n\nstatus = code\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            CsvIngest.ingest(store, List.of(csv), CsvOptions.of(FieldMapping.read(mapping))
                    .withTsFormat("dd.MM.yyyy HH:mm"), IngestProgress.NONE);

            assertThat(query(store, "SELECT CAST(ts AS VARCHAR), path, query, CAST(status AS INTEGER) FROM requests"))
                    .containsExactly(List.of("2026-03-14 13:05:00+00", "/a", "x=1", 301));
        }
    }

    @Test
    void truncatedGzipLoadsWhatIsReadableAndReportsTheCut() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            for (int i = 0; i < 20_000; i++) {
                out.write(("17734935" + (10 + i % 80) + ",/page/" + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        byte[] whole = bytes.toByteArray();
        Path cut = dir.resolve("cut.csv.gz");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            IngestReport report = CsvIngest.ingest(store, List.of(cut), CsvOptions.of(FieldMapping.parse("ts=1,path=2")),
                    IngestProgress.NONE);

            FileResult result = report.files().get(0);
            assertThat(report.hasTruncatedInput()).isTrue();
            assertThat(result.truncationMessage()).startsWith(cut + ": the gzip stream ends early");
            assertThat(result.summary().rowsLoaded()).isGreaterThan(1_000).isLessThan(20_000);
            assertThat(result.summary().rejectsByReason()).containsExactly(java.util.Map.entry("truncated_line", 1L));
            assertThat(result.summary().linesRead())
                    .isEqualTo(result.summary().rowsLoaded() + result.summary().rowsRejected());
        }
    }

    @Test
    void skipsAnExportLoadedBeforeAndReplacesItOnRequest() throws IOException {
        Path csv = write("export.csv", "1773493512,/a\n1773493513,/b\n");
        CsvOptions options = CsvOptions.of(FieldMapping.parse("ts=1,path=2"));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            CsvIngest.ingest(store, List.of(csv), options, IngestProgress.NONE);
            FileResult again = CsvIngest.ingest(store, List.of(csv), options, IngestProgress.NONE).files().get(0);
            FileResult replaced = CsvIngest.ingest(store, List.of(csv), options.withReplace(true), IngestProgress.NONE)
                    .files().get(0);

            assertThat(again.skipped()).isTrue();
            assertThat(again.skipMessage()).contains("already loaded as source 1");
            assertThat(replaced.replacedSourceId()).isEqualTo(1);
            assertThat(count(store, "SELECT count(*) FROM requests")).isEqualTo(2);
        }
    }

    @Test
    void refusesAMappingThatNamesNoColumnOfTheHeader() throws IOException {
        Path csv = write("export.csv", "time,url\n1773493512,/a\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            assertThatThrownBy(() -> CsvIngest.ingest(store, List.of(csv),
                    CsvOptions.of(FieldMapping.parse("ts=time,path=uri")), IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage("export.csv:1: the mapping names column 'uri', which is not in the header (columns: "
                            + "time, url); check --map, or number the columns from 1");
            assertThat(count(store, "SELECT count(*) FROM sources")).isZero();
        }
    }

    @Test
    void refusesAMappingUnderWhichNoRecordLoads() throws IOException {
        Path csv = write("export.csv", "url,time\n/a,1773493512\n/b,1773493513\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            assertThatThrownBy(() -> CsvIngest.ingest(store, List.of(csv),
                    CsvOptions.of(FieldMapping.parse("ts=url,path=time")), IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessage("export.csv:2: bad_timestamp in '/a,1773493512' (no record of the file loads; "
                            + "check --map and --ts-format, and the delimiter)");
            assertThat(count(store, "SELECT count(*) FROM sources")).isZero();
        }
    }

    @Test
    void namesTheLineOfAQuoteThatIsNeverClosed() throws IOException {
        Path csv = write("export.csv", "1773493512,/a\n1773493513,\"/b\n" + "x,".repeat(40_000) + "\n");
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            assertThatThrownBy(() -> CsvIngest.ingest(store, List.of(csv),
                    CsvOptions.of(FieldMapping.parse("ts=1,path=2")).withDelimiter(','), IngestProgress.NONE))
                    .isInstanceOf(IngestException.class)
                    .hasMessageStartingWith("export.csv:2: a value is longer than 65536 characters, most likely a "
                            + "quote that is never closed");
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
