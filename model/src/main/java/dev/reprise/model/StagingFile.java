package dev.reprise.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tab-separated file of rows on their way into a table, written in the dialect that
 * {@code load/*.sql} reads back with DuckDB's {@code read_csv}: UTF-8, tab between fields,
 * {@code \n} after a row; a NULL is an empty field; a text value that is empty or contains a tab,
 * a double quote, CR or LF is quoted with {@code "}, inner quotes doubled. Encodes straight into a
 * byte buffer (no per-value allocation), so staging a row costs far less than appending it
 * through JNI. Not thread-safe.
 */
final class StagingFile implements AutoCloseable {
    private static final int BUFFER_BYTES = 1 << 20;

    /** Opens the stream a staging file writes to; called once, at the first write. */
    interface Opener {
        OutputStream open() throws IOException;
    }

    private final Path file;
    private final Opener opener;
    private final Runnable beforeWrite;
    private OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private boolean rowStarted;
    private long rows;

    /** A new regular file. */
    StagingFile(Path file) throws IOException {
        this(file, () -> { }, () -> Files.newOutputStream(file));
        this.out = Files.newOutputStream(file);
    }

    /**
     * Writes to the stream {@code opener} opens at the first write (for example a named pipe that
     * DuckDB reads while it is written, whose opening waits for the reader); {@code beforeWrite}
     * runs before each block is written and may throw to stop the writing.
     */
    StagingFile(Path file, Runnable beforeWrite, Opener opener) {
        this.file = file;
        this.opener = opener;
        this.beforeWrite = beforeWrite;
    }

    Path file() {
        return file;
    }

    long rows() {
        return rows;
    }

    StagingFile text(String value) throws IOException {
        separator();
        if (value == null) {
            return this;
        }
        int n = value.length();
        boolean quote = n == 0;
        for (int i = 0; i < n && !quote; i++) {
            char c = value.charAt(i);
            quote = c == '\t' || c == '"' || c == '\n' || c == '\r';
        }
        if (quote) {
            put('"');
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c == '"') {
                    put('"');
                }
                put(c);
            } else if (c < 0x800) {
                ensure(2);
                buffer[position++] = (byte) (0xC0 | c >> 6);
                buffer[position++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                ensure(4);
                buffer[position++] = (byte) (0xF0 | cp >> 18);
                buffer[position++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buffer[position++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buffer[position++] = (byte) (0x80 | cp & 0x3F);
            } else {
                // A lone surrogate has no UTF-8 form: store U+FFFD as the JDK's encoders do.
                char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
                ensure(3);
                buffer[position++] = (byte) (0xE0 | bmp >> 12);
                buffer[position++] = (byte) (0x80 | bmp >> 6 & 0x3F);
                buffer[position++] = (byte) (0x80 | bmp & 0x3F);
            }
        }
        if (quote) {
            put('"');
        }
        return this;
    }

    StagingFile number(long value) throws IOException {
        separator();
        ensure(20);
        if (value == Long.MIN_VALUE) {
            for (byte b : Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                buffer[position++] = b;
            }
            return this;
        }
        if (value < 0) {
            buffer[position++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        int end = position + digits;
        for (int i = end - 1; i >= position; i--) {
            buffer[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position = end;
        return this;
    }

    /** A double, or NULL for NaN (the row's "absent"); infinities are not valid durations. */
    StagingFile decimal(double value) throws IOException {
        if (Double.isNaN(value)) {
            return nothing();
        }
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("infinite value " + value + " cannot be stored; validate it before loading");
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return number((long) value);
        }
        separator();
        String s = Double.toString(value);
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[position++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** A NULL field. */
    StagingFile nothing() throws IOException {
        separator();
        return this;
    }

    void endRow() throws IOException {
        put('\n');
        rowStarted = false;
        rows++;
    }

    private void separator() throws IOException {
        if (rowStarted) {
            put('\t');
        } else {
            rowStarted = true;
        }
    }

    private void put(char c) throws IOException {
        if (position == BUFFER_BYTES) {
            drain();
        }
        buffer[position++] = (byte) c;
    }

    private void ensure(int bytes) throws IOException {
        if (position + bytes > BUFFER_BYTES) {
            drain();
        }
    }

    private void drain() throws IOException {
        beforeWrite.run();
        if (out == null) {
            out = opener.open();
        }
        out.write(buffer, 0, position);
        position = 0;
    }

    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            out.close();
        }
    }
}
