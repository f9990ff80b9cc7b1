package dev.reprise.model;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A reusable columnar batch of parsed requests (Arrow vectors, off-heap), filled with
 * {@link #add(RequestRow)} and loaded with {@link SourceLoad#append(RequestBatch)} in one insert.
 * A batch comes from {@link SourceLoad#newBatch()}; it may be filled on another thread than the one
 * that loads it (hand it over through a queue), but only one thread uses it at a time.
 *
 * <pre>{@code
 * try (RequestBatch batch = load.newBatch()) {
 *     while (...) {
 *         batch.add(row);
 *         if (batch.isFull()) {
 *             load.append(batch);   // inserts and clears the batch
 *         }
 *     }
 *     load.append(batch);
 * }
 * }</pre>
 *
 * <p>Memory: about {@code capacity} × the text of a row, off the Java heap, allocated once and reused;
 * closing the batch frees it.
 */
public final class RequestBatch implements AutoCloseable {
    /** Rows per batch: large enough that the insert's fixed cost is small, small enough to stay ~20 MB. */
    public static final int DEFAULT_CAPACITY = 65_536;
    /** Bytes of text reserved per row at first; vectors grow (and then keep their size) when a batch needs more. */
    private static final int INITIAL_TEXT_BYTES_PER_ROW = 24;

    private final int capacity;
    private final VectorSchemaRoot root;
    private final BigIntVector lineNo;
    private final TimeStampMicroTZVector ts;
    private final VarCharVector client;
    private final VarCharVector sessionHint;
    private final VarCharVector method;
    private final VarCharVector path;
    private final VarCharVector query;
    private final VarCharVector protocol;
    private final SmallIntVector status;
    private final BigIntVector bytes;
    private final Float8Vector durationMs;
    private final Float8Vector upstreamMs;
    private final VarCharVector referer;
    private final VarCharVector userAgent;
    private final VarCharVector host;
    private final VarCharVector extra;
    private int size;
    private boolean closed;

    RequestBatch(BufferAllocator allocator, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.capacity = capacity;
        lineNo = new BigIntVector("line_no", allocator);
        ts = new TimeStampMicroTZVector("ts", allocator, "UTC");
        client = new VarCharVector("client", allocator);
        sessionHint = new VarCharVector("session_hint", allocator);
        method = new VarCharVector("method", allocator);
        path = new VarCharVector("path", allocator);
        query = new VarCharVector("query", allocator);
        protocol = new VarCharVector("protocol", allocator);
        status = new SmallIntVector("status", allocator);
        bytes = new BigIntVector("bytes", allocator);
        durationMs = new Float8Vector("duration_ms", allocator);
        upstreamMs = new Float8Vector("upstream_ms", allocator);
        referer = new VarCharVector("referer", allocator);
        userAgent = new VarCharVector("user_agent", allocator);
        host = new VarCharVector("host", allocator);
        extra = new VarCharVector("extra", allocator);
        List<FieldVector> vectors = List.of(lineNo, ts, client, sessionHint, method, path, query, protocol, status,
                bytes, durationMs, upstreamMs, referer, userAgent, host, extra);
        root = new VectorSchemaRoot(vectors);
        for (FieldVector vector : vectors) {
            if (vector instanceof VarCharVector text) {
                text.allocateNew((long) capacity * INITIAL_TEXT_BYTES_PER_ROW, capacity);
            } else {
                vector.setInitialCapacity(capacity);
                vector.allocateNew();
            }
        }
    }

    /** Rows the batch holds. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return size == capacity;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Adds one validated row (the same contract as {@link SourceLoad#append(RequestRow)}).
     *
     * @throws IllegalStateException when the batch is full
     */
    public void add(RequestRow row) {
        if (size == capacity) {
            throw new IllegalStateException("request batch is full (" + capacity + " rows); load it first");
        }
        int i = size;
        lineNo.set(i, row.lineNo());
        ts.set(i, row.tsEpochMicros());
        setText(client, i, row.client());
        setText(sessionHint, i, row.sessionHint());
        setText(method, i, row.method());
        setText(path, i, row.path());
        setText(query, i, row.query());
        setText(protocol, i, row.protocol());
        if (row.status() >= 0) {
            status.set(i, row.status());
        }
        if (row.bytes() >= 0) {
            bytes.set(i, row.bytes());
        }
        if (!Double.isNaN(row.durationMs())) {
            durationMs.set(i, row.durationMs());
        }
        if (!Double.isNaN(row.upstreamMs())) {
            upstreamMs.set(i, row.upstreamMs());
        }
        setText(referer, i, row.referer());
        setText(userAgent, i, row.userAgent());
        setText(host, i, row.host());
        setText(extra, i, row.extraJson());
        size++;
    }

    /** Empties the batch, keeping its memory. */
    public void clear() {
        // reset() zeroes the validity bits (absent values are nulls) and keeps the buffers allocated.
        for (FieldVector vector : root.getFieldVectors()) {
            vector.reset();
        }
        size = 0;
    }

    /** The filled vectors, row count set, for the store's insert. */
    VectorSchemaRoot sealed() {
        for (FieldVector vector : root.getFieldVectors()) {
            vector.setValueCount(size);
        }
        root.setRowCount(size);
        return root;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            root.close();
        }
    }

    private static void setText(VarCharVector vector, int i, String value) {
        if (value != null) {
            // setSafe grows the data buffer when this batch's text is longer than reserved
            vector.setSafe(i, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Column names in vector order, for the insert's select list. */
    static List<String> columnNames() {
        return List.of("line_no", "ts", "client", "session_hint", "method", "path", "query", "protocol", "status",
                "bytes", "duration_ms", "upstream_ms", "referer", "user_agent", "host", "extra");
    }
}
