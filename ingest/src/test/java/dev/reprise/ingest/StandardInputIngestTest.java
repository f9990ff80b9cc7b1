package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.query;
import static dev.reprise.ingest.NginxIngestTest.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.record.FieldMapping;
import dev.reprise.model.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -} (standard input) for CSV and JSON-lines ingest, as nginx ingest has it: plain or gzipped, the same
 * rows and rejects as the same bytes read from a file, a source with uri {@code -} and no fingerprint.
 */
class StandardInputIngestTest {
    @TempDir
    Path dir;

    private static final String ROWS = "SELECT line_no, CAST(ts AS VARCHAR), client, method, path, CAST(status AS INTEGER) "
            + "FROM requests WHERE source_id = %d ORDER BY line_no";
    private static final String REJECTS = "SELECT line_no, reason, raw FROM rejects WHERE source_id = %d ORDER BY line_no";

    @Test
    void aCsvExportOnStandardInputLoadsAsTheSameFileWould() throws IOException {
        // the real weblog export's first 3,000 records: shell errors written into it are rejects (bad_timestamp)
        List<String> lines = Files.readAllLines(RealLogsTest.realLog("weblog.csv"));
        byte[] head = (String.join("\n", lines.subList(0, 3_000)) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("weblog-head.csv"), head);
        CsvOptions options = CsvOptions.of(FieldMapping.parse(CsvIngestTest.WEBLOG_MAP)).withAnonymize(false);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            IngestReport fromFile = CsvIngest.ingest(store, List.of(file), options, IngestProgress.NONE);
            IngestReport plain = CsvIngest.ingest(store, List.of(NginxIngest.STDIN), options, IngestProgress.NONE,
                    new ByteArrayInputStream(head));
            IngestReport gzipped = CsvIngest.ingest(store, List.of(NginxIngest.STDIN), options, IngestProgress.NONE,
                    new ByteArrayInputStream(gzip(head)));

            assertThat(fromFile.rowsRejected()).isPositive();
            for (IngestReport stdin : List.of(plain, gzipped)) {
                assertThat(stdin.rowsLoaded()).isEqualTo(fromFile.rowsLoaded());
                assertThat(stdin.rowsRejected()).isEqualTo(fromFile.rowsRejected());
                assertThat(stdin.rejectsByReason()).isEqualTo(fromFile.rejectsByReason());
            }
            for (int source = 2; source <= 3; source++) {
                assertThat(query(store, ROWS.formatted(source))).isEqualTo(query(store, ROWS.formatted(1)));
                assertThat(query(store, REJECTS.formatted(source))).isEqualTo(query(store, REJECTS.formatted(1)));
            }
            // standard input has no fingerprint, so it is never skipped as loaded before
            assertThat(query(store, "SELECT uri, kind, fingerprint IS NULL, lines_read FROM sources WHERE source_id > 1"))
                    .containsExactly(List.of("-", "csv", true, 3_000L), List.of("-", "csv", true, 3_000L));
        }
    }

    @Test
    void aJsonLinesLogOnStandardInputLoadsAsTheSameFileWould() throws IOException {
        byte[] log = """
                {"time":"2026-03-14T13:05:12+01:00","ip":"192.0.2.1","request":"GET /a HTTP/1.1","status":200}
                not json
                {"time":"2026-03-14T13:05:13+01:00","ip":"192.0.2.2","request":"POST /b HTTP/1.1","status":201}
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("access.json"), log);
        JsonLinesOptions options = JsonLinesOptions.of(FieldMapping.parse("ts=time,client=ip,request=request,status=status"))
                .withAnonymize(false);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            JsonLinesIngest.ingest(store, List.of(file), options, IngestProgress.NONE);
            IngestReport gzipped = JsonLinesIngest.ingest(store, List.of(NginxIngest.STDIN), options, IngestProgress.NONE,
                    new ByteArrayInputStream(gzip(log)));

            assertThat(gzipped.rowsLoaded()).isEqualTo(2);
            assertThat(gzipped.rejectsByReason()).containsExactly(java.util.Map.entry("bad_json", 1L));
            assertThat(query(store, ROWS.formatted(2))).isEqualTo(query(store, ROWS.formatted(1))).hasSize(2);
            assertThat(query(store, "SELECT uri, kind, fingerprint IS NULL FROM sources WHERE source_id = 2"))
                    .containsExactly(List.of("-", "jsonl", true));
        }
    }

    @Test
    void standardInputIsReadOnceAndOnlyWhereThereIsOne() {
        CsvOptions csv = CsvOptions.of(FieldMapping.parse("ts=1,path=2"));
        JsonLinesOptions jsonl = JsonLinesOptions.of(FieldMapping.parse("ts=time,path=path"));
        try (Store store = Store.inMemory()) {
            assertThatThrownBy(() -> CsvIngest.ingest(store, List.of(NginxIngest.STDIN, NginxIngest.STDIN), csv,
                    IngestProgress.NONE, new ByteArrayInputStream(new byte[0])))
                    .isInstanceOf(IngestException.class).hasMessageContaining("named 2 times");
            assertThatThrownBy(() -> CsvIngest.ingest(store, List.of(NginxIngest.STDIN), csv, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class).hasMessageContaining("standard input");
            assertThatThrownBy(() -> JsonLinesIngest.ingest(store, List.of(NginxIngest.STDIN), jsonl, IngestProgress.NONE))
                    .isInstanceOf(IngestException.class).hasMessageContaining("standard input");
        }
    }
}
