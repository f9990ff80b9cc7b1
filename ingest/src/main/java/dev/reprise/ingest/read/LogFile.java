package dev.reprise.ingest.read;

import dev.reprise.ingest.IngestException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a log file line by line as bytes, without decoding: plain text or gzip (recognised by its
 * magic bytes, whatever the file is called; concatenated gzip members are read as one stream).
 *
 * <p>A line ends at {@code \n}; a {@code \r} before it is dropped; the last line may lack its
 * {@code \n}. Lines are numbered from 1. A line longer than {@link #MAX_LINE_BYTES} is reported with
 * {@link #isTooLong()} and only its first bytes; the rest is skipped without being buffered, so
 * memory stays bounded whatever the input. A gzip stream that ends early or is corrupt ends the
 * input: the lines decoded so far are returned, then {@link #isTruncated()} says why.
 *
 * <pre>{@code
 * try (LogFile log = LogFile.open(path)) {
 *     while (log.next()) {
 *         parse(log.buffer(), log.lineStart(), log.lineEnd(), log.lineNo());
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe. The bytes of a line are valid until the next call to {@link #next()}.
 */
public final class LogFile implements Closeable {
    /** Longest line accepted, in bytes without the line ending (64 KiB). */
    public static final int MAX_LINE_BYTES = 64 * 1024;
    /** How many bytes of a too-long line are kept for its reject excerpt. */
    public static final int TOO_LONG_EXCERPT_BYTES = 2048;

    private static final int BUFFER_BYTES = 256 * 1024;

    private final Path path;
    private final CountingInputStream raw;
    private final InputStream in;
    private final boolean gzip;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;      // start of the unread part of buf
    private int limit;    // end of the valid part of buf
    private int scanFrom; // where the search for '\n' resumes (bytes before it hold no '\n')
    private boolean eof;
    private String truncation;

    private long lineNo;
    private int lineStart;
    private int lineEnd;
    private boolean tooLong;
    private boolean unterminated;

    private LogFile(Path path, CountingInputStream raw, InputStream in, boolean gzip) {
        this.path = path;
        this.raw = raw;
        this.in = in;
        this.gzip = gzip;
    }

    /**
     * Opens {@code path}; a gzip file is recognised by its first two bytes (1f 8b).
     *
     * @throws IOException     when the file cannot be opened or its gzip header is invalid
     * @throws IngestException when the file is compressed with something other than gzip
     */
    public static LogFile open(Path path) throws IOException {
        return open(path, Files.newInputStream(path));
    }

    /**
     * Reads {@code stream} (for example standard input), named {@code name} in messages; closing the
     * LogFile closes the stream. Plain or gzip, as {@link #open(Path)}.
     */
    public static LogFile open(Path name, InputStream stream) throws IOException {
        Path path = name;
        CountingInputStream raw = new CountingInputStream(stream);
        try {
            byte[] magic = new byte[6];
            int n = raw.readNBytes(magic, 0, magic.length);
            boolean gzip = n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            String other = otherCompression(magic, n);
            if (other != null) {
                throw new IngestException(path + ": is " + other + "-compressed; Reprise reads plain and gzip "
                        + "logs: decompress it first (or recompress it with gzip)");
            }
            InputStream prefixed = new PrefixedInputStream(magic, n, raw);
            InputStream in = gzip ? new GZIPInputStream(prefixed, 64 * 1024) : prefixed;
            return new LogFile(path, raw, in, gzip);
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /**
     * Opens {@code path} from byte {@code offsetBytes} on, numbering its lines after
     * {@code linesBefore}: the part a log gained since its first {@code offsetBytes} were loaded.
     * For gzip, {@code offsetBytes} must be where a gzip member starts (appended members).
     */
    public static LogFile openFrom(Path path, long offsetBytes, long linesBefore) throws IOException {
        InputStream stream = Files.newInputStream(path);
        try {
            stream.skipNBytes(offsetBytes);
        } catch (IOException e) {
            stream.close();
            throw e;
        }
        LogFile log = open(path, stream);
        log.lineNo = linesBefore;
        return log;
    }

    private static String otherCompression(byte[] m, int n) {
        if (n >= 4 && (m[0] & 0xff) == 0x28 && (m[1] & 0xff) == 0xb5 && (m[2] & 0xff) == 0x2f && (m[3] & 0xff) == 0xfd) {
            return "zstd";
        }
        if (n >= 4 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h' && m[3] >= '1' && m[3] <= '9') {
            return "bzip2";
        }
        if (n >= 6 && (m[0] & 0xff) == 0xfd && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z' && m[5] == 0) {
            return "xz";
        }
        if (n >= 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4) {
            return "zip";
        }
        return null;
    }

    /** True when the file is gzip-compressed. */
    public boolean isGzip() {
        return gzip;
    }

    /**
     * Advances to the next line.
     *
     * @return false at the end of the input
     * @throws IOException when reading fails (other than a truncated or corrupt gzip stream)
     */
    public boolean next() throws IOException {
        tooLong = false;
        unterminated = false;
        while (true) {
            int nl = indexOfNewline(scanFrom, limit);
            if (nl >= 0) {
                setLine(pos, nl);
                pos = nl + 1;
                scanFrom = pos;
                return true;
            }
            scanFrom = limit;
            if (limit - pos > MAX_LINE_BYTES + 1) { // + 1: a '\r' before the '\n' is not content
                skipRestOfLongLine();
                return true;
            }
            if (eof) {
                if (pos < limit) {
                    setLine(pos, limit);
                    unterminated = true;
                    pos = limit;
                    scanFrom = limit;
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void setLine(int start, int end) {
        lineNo++;
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        lineStart = start;
        lineEnd = end;
        if (end - start > MAX_LINE_BYTES) {
            tooLong = true;
            lineEnd = start + TOO_LONG_EXCERPT_BYTES;
        }
    }

    /**
     * The line starting at {@code pos} has passed the limit without a '\n': keep its start as the
     * excerpt at the front of the buffer and discard everything up to and including the next '\n'.
     */
    private void skipRestOfLongLine() throws IOException {
        lineNo++;
        tooLong = true;
        System.arraycopy(buf, pos, buf, 0, TOO_LONG_EXCERPT_BYTES);
        lineStart = 0;
        lineEnd = TOO_LONG_EXCERPT_BYTES;
        int base = TOO_LONG_EXCERPT_BYTES; // everything up to limit was scanned already: no '\n' there
        while (true) {
            if (eof) {
                unterminated = true;
                pos = base;
                limit = base;
                break;
            }
            int n = readInto(base);
            int nl = indexOfNewline(base, base + Math.max(n, 0));
            if (nl >= 0) {
                pos = nl + 1;
                limit = base + n;
                break;
            }
        }
        scanFrom = pos;
    }

    /** Reads more input after {@code limit}, moving the unread part to the front first. */
    private void fill() throws IOException {
        if (pos > 0) {
            int unread = limit - pos;
            System.arraycopy(buf, pos, buf, 0, unread);
            scanFrom -= pos;
            pos = 0;
            limit = unread;
        }
        int n = readInto(limit);
        if (n > 0) {
            limit += n;
        }
    }

    /**
     * Reads into {@code buf} from {@code offset}; returns the count, or -1 at the end of the input
     * (which sets {@code eof}, and {@code truncation} when a gzip stream ended early or is corrupt).
     */
    private int readInto(int offset) throws IOException {
        try {
            int n = in.read(buf, offset, buf.length - offset);
            if (n < 0) {
                eof = true;
            }
            return n;
        } catch (EOFException | ZipException e) {
            // What was decoded before the damage is kept; the caller reports the truncation.
            eof = true;
            truncation = (e instanceof EOFException ? "the gzip stream ends early" : "the gzip stream is corrupt")
                    + " (" + e.getMessage() + ") after " + String.format("%,d", raw.count()) + " compressed bytes";
            return -1;
        }
    }

    private int indexOfNewline(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The buffer holding the current line. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the current line's first byte in {@link #buffer()}. */
    public int lineStart() {
        return lineStart;
    }

    /**
     * Offset just past the current line's last byte (line ending excluded). For a too-long line, the
     * end of its first {@link #TOO_LONG_EXCERPT_BYTES} bytes.
     */
    public int lineEnd() {
        return lineEnd;
    }

    /** The current line's 1-based number. */
    public long lineNo() {
        return lineNo;
    }

    /** True when the current line is longer than {@link #MAX_LINE_BYTES}. */
    public boolean isTooLong() {
        return tooLong;
    }

    /** True when the current line is the last one and has no line ending. */
    public boolean isUnterminated() {
        return unterminated;
    }

    /**
     * True when the input ended early (truncated or corrupt gzip). Known once {@link #next()} has
     * reached the end of the readable input, which is before it returns the cut last line.
     */
    public boolean isTruncated() {
        return truncation != null;
    }

    /** Why the input ended early, or null when it did not. */
    public String truncationMessage() {
        return truncation;
    }

    /** Bytes of the file (compressed bytes for gzip) read so far. */
    public long bytesRead() {
        return raw.count();
    }

    /** The file being read. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Counts the bytes read from the file, for progress over compressed input. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }

    /** Gives back the magic bytes already read, then the rest of the stream. */
    private static final class PrefixedInputStream extends FilterInputStream {
        private final byte[] prefix;
        private final int prefixLength;
        private int prefixPos;

        PrefixedInputStream(byte[] prefix, int prefixLength, InputStream in) {
            super(in);
            this.prefix = prefix;
            this.prefixLength = prefixLength;
        }

        @Override
        public int read() throws IOException {
            if (prefixPos < prefixLength) {
                return prefix[prefixPos++] & 0xff;
            }
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (prefixPos < prefixLength) {
                int n = Math.min(len, prefixLength - prefixPos);
                System.arraycopy(prefix, prefixPos, b, off, n);
                prefixPos += n;
                return n;
            }
            return super.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return prefixLength - prefixPos + super.available();
        }

        @Override
        public long skip(long n) throws IOException {
            if (prefixPos < prefixLength) {
                int skipped = (int) Math.min(n, prefixLength - prefixPos);
                prefixPos += skipped;
                return skipped;
            }
            return super.skip(n);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
