package dev.reprise.ingest.read;

import dev.reprise.ingest.IngestException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private final DecodedInput in;
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

    private LogFile(Path path, DecodedInput in) {
        this.path = path;
        this.in = in;
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
        return new LogFile(name, DecodedInput.open(name, stream));
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

    /** True when the file is gzip-compressed. */
    public boolean isGzip() {
        return in.isGzip();
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
        int n = in.read(buf, offset, buf.length - offset);
        if (n < 0) {
            // what was decoded before any damage is kept; the caller reports the truncation
            eof = true;
            truncation = in.truncation();
        }
        return n;
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
        return in.bytesRead();
    }

    /** The file being read. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
