package dev.reprise.ingest.read;

import dev.reprise.ingest.IngestException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of an input file as logged: plain, or gzip recognised by its magic bytes whatever the file is
 * called (concatenated members read as one stream); other compressions are refused with a message. It
 * counts the bytes read from the file (compressed bytes for gzip, for progress), and a gzip stream that
 * ends early or is corrupt ends the input quietly: what was decoded before the damage is kept and
 * {@link #truncation()} says why. Shared by the line reader of logs ({@link LogFile}) and CSV exports.
 */
public final class DecodedInput extends FilterInputStream {
    private final CountingInputStream raw;
    private final boolean gzip;
    private String truncation;

    private DecodedInput(InputStream in, CountingInputStream raw, boolean gzip) {
        super(in);
        this.raw = raw;
        this.gzip = gzip;
    }

    /**
     * Reads {@code stream}, named {@code name} in messages; closing this closes the stream.
     *
     * @throws IOException     when the stream cannot be read or its gzip header is invalid
     * @throws IngestException when it is compressed with something other than gzip
     */
    public static DecodedInput open(Path name, InputStream stream) throws IOException {
        CountingInputStream raw = new CountingInputStream(stream);
        try {
            byte[] magic = new byte[6];
            int n = raw.readNBytes(magic, 0, magic.length);
            boolean gzip = n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            String other = otherCompression(magic, n);
            if (other != null) {
                throw new IngestException(name + ": is " + other + "-compressed; Reprise reads plain and gzip "
                        + "files: decompress it first (or recompress it with gzip)");
            }
            InputStream prefixed = new PrefixedInputStream(magic, n, raw);
            return new DecodedInput(gzip ? new GZIPInputStream(prefixed, 64 * 1024) : prefixed, raw, gzip);
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
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

    /** Bytes of the file (compressed bytes for gzip) read so far. */
    public long bytesRead() {
        return raw.count;
    }

    /** Why the input ended early (a truncated or corrupt gzip stream), or null when it did not. */
    public String truncation() {
        return truncation;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (truncation != null) {
            return -1;
        }
        try {
            return super.read(b, off, len);
        } catch (EOFException | ZipException e) {
            truncation = (e instanceof EOFException ? "the gzip stream ends early" : "the gzip stream is corrupt")
                    + " (" + e.getMessage() + ") after " + String.format("%,d", raw.count) + " compressed bytes";
            return -1;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Counts the bytes read from the file. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
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
