package dev.reprise.ingest;

import static dev.reprise.ingest.StoreRows.count;
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
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 3: a log that grew since it was loaded loads only its new lines. */
class AppendedLogTest {
    private static final NginxOptions OPTIONS = NginxOptions.defaults().withAnonymize(false);

    @TempDir
    Path dir;

    @Test
    void loadsOnlyTheLinesAppendedSinceTheLastIngestNumberedOn() throws IOException {
        Path log = dir.resolve("access.log");
        Files.writeString(log, lines(1, 3));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            NginxIngest.ingest(store, List.of(log), OPTIONS, IngestProgress.NONE);
            append(log, lines(4, 5) + "garbage\n");
            FileResult grown = ingest(store, log);
            FileResult again = ingest(store, log);
            append(log, lines(7, 7));
            FileResult grownAgain = ingest(store, log);

            assertThat(grown.appendedToSourceId()).isEqualTo(1);
            assertThat(grown.summary().linesRead()).isEqualTo(3);
            assertThat(grown.summary().rowsRejected()).isEqualTo(1);
            assertThat(again.skipped()).isTrue();
            assertThat(grownAgain.appendedToSourceId()).isEqualTo(grown.summary().sourceId());
            assertThat(grownAgain.summary().linesRead()).isEqualTo(1);
            assertThat(query(store, "SELECT source_id, line_no, path FROM requests ORDER BY line_no")).containsExactly(
                    List.of(1, 1L, "/p/1"), List.of(1, 2L, "/p/2"), List.of(1, 3L, "/p/3"),
                    List.of(grown.summary().sourceId(), 4L, "/p/4"), List.of(grown.summary().sourceId(), 5L, "/p/5"),
                    List.of(grownAgain.summary().sourceId(), 7L, "/p/7"));
            assertThat(query(store, "SELECT line_no, reason FROM rejects")).containsExactly(List.of(6L, "format_mismatch"));
        }
    }

    @Test
    void findsThePrefixOfALogLongerThanItsFingerprintedHead() throws IOException {
        Path log = dir.resolve("access.log");
        Files.writeString(log, lines(1, 2_000));
        assertThat(Files.size(log)).isGreaterThan(NginxIngest.FINGERPRINT_BYTES);
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            NginxIngest.ingest(store, List.of(log), OPTIONS, IngestProgress.NONE);
            append(log, lines(2_001, 2_010));

            FileResult grown = ingest(store, log);

            assertThat(grown.appendedToSourceId()).isEqualTo(1);
            assertThat(grown.summary().linesRead()).isEqualTo(10);
            assertThat(count(store, "SELECT count(DISTINCT line_no) FROM requests")).isEqualTo(2_010);
        }
    }

    @Test
    void recognisesTheGrownLogUnderItsRotatedName() throws IOException {
        Path log = dir.resolve("access.log");
        Files.writeString(log, lines(1, 3));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            NginxIngest.ingest(store, List.of(log), OPTIONS, IngestProgress.NONE);
            append(log, lines(4, 5));
            Path rotated = Files.move(log, dir.resolve("access.log.1"));

            FileResult grown = ingest(store, rotated);

            assertThat(grown.appendedToSourceId()).isEqualTo(1);
            assertThat(grown.summary().linesRead()).isEqualTo(2);
        }
    }

    @Test
    void loadsTheGzipMembersAppendedToACompressedLog() throws IOException {
        Path log = dir.resolve("access.log.gz");
        Files.write(log, gzip(lines(1, 3)));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            NginxIngest.ingest(store, List.of(log), OPTIONS, IngestProgress.NONE);
            Files.write(log, gzip(lines(4, 6)), StandardOpenOption.APPEND);

            FileResult grown = ingest(store, log);

            assertThat(grown.appendedToSourceId()).isEqualTo(1);
            assertThat(query(store, "SELECT min(line_no), max(line_no), count(*) FROM requests WHERE source_id = "
                    + grown.summary().sourceId())).containsExactly(List.of(4L, 6L, 3L));
        }
    }

    @Test
    void loadsInFullALogThatWasRewrittenOrWhoseLastLineWasCut() throws IOException {
        Path rewritten = dir.resolve("rewritten.log");
        Path cut = dir.resolve("cut.log");
        Files.writeString(rewritten, lines(1, 3));
        Files.writeString(cut, lines(101, 102) + line(103).substring(0, 20));
        try (Store store = Store.open(dir.resolve("s.duckdb"))) {
            NginxIngest.ingest(store, List.of(rewritten, cut), OPTIONS, IngestProgress.NONE);
            Files.writeString(rewritten, lines(11, 15));
            Files.writeString(cut, lines(101, 105));

            FileResult second = ingest(store, rewritten);
            FileResult completed = ingest(store, cut);

            assertThat(second.appendedToSourceId()).isNull();
            assertThat(second.summary().linesRead()).isEqualTo(5);
            assertThat(completed.appendedToSourceId()).as("its old last line was cut: no line boundary").isNull();
            assertThat(completed.summary().linesRead()).isEqualTo(5);
        }
    }

    private static FileResult ingest(Store store, Path log) {
        return NginxIngest.ingest(store, List.of(log), OPTIONS, IngestProgress.NONE).files().get(0);
    }

    private static String lines(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append(line(i)).append('\n');
        }
        return sb.toString();
    }

    private static String line(int i) {
        return "192.0.2." + (i % 200) + " - - [14/Mar/2026:13:" + String.format("%02d:%02d", i / 60 % 60, i % 60)
                + " +0000] \"GET /p/" + i + " HTTP/1.1\" 200 " + i + " \"-\" \"test-agent/1.0\"";
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
