package dev.reprise.replay.engine;

import dev.reprise.model.RunRecord.EndpointInterval;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The per-endpoint interval rows of a run, kept in a temporary file rather than on the heap: up to 100
 * endpoints a second is 4.3 million rows over a 12-hour soak (about 400 MB as objects), while the
 * generator's heap must stay flat. Rows are appended as fixed-size records while the run goes and read
 * back, in order, when the run is saved; {@link #rows()} is a read-only list view of the file. The file
 * is deleted when the JVM exits.
 */
final class EndpointIntervalSpill {
    /** t, endpoint id, sent, completed, errors, p50, p95, p99, max. */
    private static final int RECORD_BYTES = 8 + 4 + 3 * 8 + 4 * 8;

    private final Path file;
    private final DataOutputStream out;
    private int size;

    EndpointIntervalSpill() {
        try {
            file = Files.createTempFile("reprise-endpoint-intervals-", ".bin");
            file.toFile().deleteOnExit();
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the per-endpoint intervals "
                    + "(java.io.tmpdir=" + System.getProperty("java.io.tmpdir") + ")", e);
        }
    }

    void add(EndpointInterval row) {
        try {
            out.writeDouble(row.tSeconds());
            out.writeInt(row.endpointId());
            out.writeLong(row.sent());
            out.writeLong(row.completed());
            out.writeLong(row.errors());
            out.writeDouble(row.latencyP50Ms());
            out.writeDouble(row.latencyP95Ms());
            out.writeDouble(row.latencyP99Ms());
            out.writeDouble(row.latencyMaxMs());
            size++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the per-endpoint intervals to " + file, e);
        }
    }

    /** The rows written so far, as a list read from the file (flushed first); iterate it in order. */
    java.util.List<EndpointInterval> rows() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the per-endpoint intervals to " + file, e);
        }
        return new Rows(file, size);
    }

    private static EndpointInterval read(DataInputStream in) throws IOException {
        return new EndpointInterval(in.readDouble(), in.readInt(), in.readLong(), in.readLong(), in.readLong(),
                in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    }

    /** A read-only view of the first {@code size} rows of the file. */
    private static final class Rows extends AbstractList<EndpointInterval> {
        private final Path file;
        private final int size;

        Rows(Path file, int size) {
            this.file = file;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public EndpointInterval get(int index) {
            java.util.Objects.checkIndex(index, size);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.seek((long) index * RECORD_BYTES);
                byte[] record = new byte[RECORD_BYTES];
                raf.readFully(record);
                return read(new DataInputStream(new java.io.ByteArrayInputStream(record)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the per-endpoint intervals from " + file, e);
            }
        }

        /** Reads the file front to back through one buffered stream (what saving a run does). */
        @Override
        public Iterator<EndpointInterval> iterator() {
            return new Iterator<>() {
                private DataInputStream in;
                private int next;

                @Override
                public boolean hasNext() {
                    if (next < size) {
                        return true;
                    }
                    close();
                    return false;
                }

                @Override
                public EndpointInterval next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    try {
                        if (in == null) {
                            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024));
                        }
                        next++;
                        return read(in);
                    } catch (IOException e) {
                        close();
                        throw new UncheckedIOException("cannot read the per-endpoint intervals from " + file, e);
                    }
                }

                private void close() {
                    if (in != null) {
                        try {
                            in.close();
                        } catch (IOException ignored) {
                            // read-only; nothing is lost
                        }
                        in = null;
                    }
                }
            };
        }
    }
}
