package dev.reprise.ingest.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reprise.ingest.IngestException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {
    @TempDir
    Path dir;

    @Test
    void readsLinesNumberedFromOneWithOrWithoutAFinalNewline() throws IOException {
        assertThat(lines(write("a.log", "first\nsecond\n"))).containsExactly("1:first", "2:second");
        assertThat(lines(write("b.log", "first\nsecond"))).containsExactly("1:first", "2:second");
        assertThat(lines(write("c.log", "first\n\nthird\n"))).containsExactly("1:first", "2:", "3:third");
        assertThat(lines(write("d.log", ""))).isEmpty();
    }

    @Test
    void dropsTheCarriageReturnOfCrlfLineEndings() throws IOException {
        assertThat(lines(write("crlf.log", "first\r\nsecond\r\nthird"))).containsExactly("1:first", "2:second",
                "3:third");
    }

    @Test
    void recognisesGzipByItsMagicBytesWhateverTheName() throws IOException {
        Path gzipWithoutExtension = dir.resolve("access.log");
        Files.write(gzipWithoutExtension, gzip("one\ntwo\n"));
        Path plainCalledGz = write("plain.log.gz", "one\ntwo\n");

        try (LogFile log = LogFile.open(gzipWithoutExtension)) {
            assertThat(log.isGzip()).isTrue();
        }
        try (LogFile log = LogFile.open(plainCalledGz)) {
            assertThat(log.isGzip()).isFalse();
        }
        assertThat(lines(gzipWithoutExtension)).containsExactly("1:one", "2:two");
        assertThat(lines(plainCalledGz)).containsExactly("1:one", "2:two");
    }

    @Test
    void readsConcatenatedGzipMembersAsOneStream() throws IOException {
        Path file = dir.resolve("rotated.log.gz");
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(gzip("one\ntwo\n"));
        both.write(gzip("three\n"));
        Files.write(file, both.toByteArray());

        assertThat(lines(file)).containsExactly("1:one", "2:two", "3:three");
    }

    @Test
    void returnsTheReadablePartOfATruncatedGzipAndSaysWhy() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            text.append("line number ").append(i).append(" with some text to compress\n");
        }
        byte[] whole = gzip(text.toString());
        Path file = dir.resolve("cut.log.gz");
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));

        List<String> read = new ArrayList<>();
        boolean lastUnterminated = false;
        try (LogFile log = LogFile.open(file)) {
            while (log.next()) {
                read.add(line(log));
                lastUnterminated = log.isUnterminated();
            }
            assertThat(log.isTruncated()).isTrue();
            assertThat(log.truncationMessage()).startsWith("the gzip stream ends early");
        }
        assertThat(read).hasSizeGreaterThan(1000).hasSizeLessThan(20_000);
        assertThat(read.get(0)).isEqualTo("1:line number 1 with some text to compress");
        assertThat(read.get(read.size() - 2)).isEqualTo((read.size() - 1) + ":line number " + (read.size() - 1)
                + " with some text to compress");
        assertThat(lastUnterminated).as("the cut last line is flagged").isTrue();
    }

    @Test
    void reportsALineLongerThan64KiBWithItsStartOnlyAndGoesOn() throws IOException {
        String longLine = "x".repeat(10 * 1024 * 1024); // 10 MiB: must not be held in memory whole
        Path file = write("long.log", "before\n" + longLine + "\nafter\n" + "y".repeat(LogFile.MAX_LINE_BYTES)
                + "\n" + "z".repeat(LogFile.MAX_LINE_BYTES + 1) + "\r\nlast");

        List<String> seen = new ArrayList<>();
        try (LogFile log = LogFile.open(file)) {
            while (log.next()) {
                int length = log.lineEnd() - log.lineStart();
                seen.add(log.lineNo() + ":" + (log.isTooLong() ? "too long, kept " + length : "ok " + length));
            }
        }
        assertThat(seen).containsExactly("1:ok 6", "2:too long, kept " + LogFile.TOO_LONG_EXCERPT_BYTES, "3:ok 5",
                "4:ok " + LogFile.MAX_LINE_BYTES, "5:too long, kept " + LogFile.TOO_LONG_EXCERPT_BYTES, "6:ok 4");
    }

    @Test
    void keepsTheStartOfATooLongLastLineWithoutNewline() throws IOException {
        Path file = write("long-last.log", "a\nSTART" + "x".repeat(200_000));

        try (LogFile log = LogFile.open(file)) {
            assertThat(log.next()).isTrue();
            assertThat(log.next()).isTrue();
            assertThat(log.isTooLong()).isTrue();
            assertThat(log.isUnterminated()).isTrue();
            assertThat(line(log)).startsWith("2:STARTxxx");
            assertThat(log.next()).isFalse();
        }
    }

    @Test
    void countsTheBytesReadFromDisk() throws IOException {
        Path file = dir.resolve("count.log.gz");
        byte[] compressed = gzip("a line\n".repeat(10_000));
        Files.write(file, compressed);

        try (LogFile log = LogFile.open(file)) {
            while (log.next()) {
                assertThat(log.bytesRead()).isLessThanOrEqualTo(compressed.length);
            }
            assertThat(log.bytesRead()).isEqualTo(compressed.length);
        }
    }

    @Test
    void refusesOtherCompressionsWithAnExplanation() throws IOException {
        Path zstd = dir.resolve("access.log.zst");
        Files.write(zstd, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0});

        assertThatThrownBy(() -> LogFile.open(zstd))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("access.log.zst: is zstd-compressed")
                .hasMessageContaining("decompress it first");
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static byte[] gzip(String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static List<String> lines(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (LogFile log = LogFile.open(file)) {
            while (log.next()) {
                lines.add(line(log));
            }
            assertThat(log.isTruncated()).isFalse();
        }
        return lines;
    }

    private static String line(LogFile log) {
        return log.lineNo() + ":" + new String(log.buffer(), log.lineStart(), log.lineEnd() - log.lineStart(),
                StandardCharsets.UTF_8);
    }
}
