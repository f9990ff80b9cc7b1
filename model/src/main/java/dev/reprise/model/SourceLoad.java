package dev.reprise.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Loads one source into the raw layer in a single transaction: either every row and reject of the
 * source is in the store after {@link #commit(long)}, or none is (a crash or {@link #close()} without
 * commit rolls back). Not thread-safe; one load per store at a time.
 *
 * <pre>{@code
 * try (SourceLoad load = store.beginSource(spec)) {
 *     load.append(row);                       // for every parsed line
 *     load.reject(lineNo, "bad_status", raw); // for every line that did not parse
 *     SourceSummary summary = load.commit(linesRead);
 * }
 * }</pre>
 *
 * <p>Requests travel in columnar {@link RequestBatch}es, each inserted with one
 * {@code INSERT ... SELECT} from an Arrow scan of the batch (DuckDB reads the Arrow buffers through
 * the C data interface, no copy on the Java side). {@link #append(RequestRow)} fills an internal
 * batch; a bulk loader fills its own batches from {@link #newBatch()}, on another thread if it likes,
 * and hands them to {@link #append(RequestBatch)}. Rejects go through DuckDB's appender.
 */
public final class SourceLoad implements AutoCloseable {
    /** Longest excerpt of a rejected line kept in {@code rejects.raw}. */
    public static final int MAX_REJECT_EXCERPT_CHARS = 512;

    /** The name under which each batch is visible to its insert, as an Arrow scan. */
    private static final String BATCH_VIEW = "reprise_request_batch";

    private final Connection connection;
    private final DuckDBConnection duck;
    private final int sourceId;
    private final String uri;
    private final String insertBatch;
    private final BufferAllocator allocator;   // the Arrow memory of this load's batches, freed when it ends
    private final DuckDBAppender rejects;
    private final List<RequestBatch> batches = new ArrayList<>();  // all made by newBatch(), closed at the end
    private RequestBatch pending;               // rows from append(RequestRow), created on first use
    private final Map<String, Long> rejectsByReason = new HashMap<>();
    private long rowsLoaded;
    private long rowsRejected;
    private boolean finished;

    SourceLoad(Connection connection, int sourceId, String uri) throws SQLException {
        this.connection = connection;
        this.sourceId = sourceId;
        this.uri = uri;
        this.duck = connection.unwrap(DuckDBConnection.class);
        this.allocator = new RootAllocator();
        this.insertBatch = "INSERT INTO requests (source_id, " + String.join(", ", RequestBatch.columnNames())
                + ") SELECT " + sourceId + ", " + String.join(", ", RequestBatch.columnNames()) + " FROM " + BATCH_VIEW;
        this.rejects = duck.createAppender("main", "rejects");
        // One DuckDB thread for the inserts: the parse thread has the other core. With DuckDB's
        // default (a thread per core) a 2,000,000-row load took twice the CPU time for no less wall time.
        // No FSST string compression for the rows of the load: choosing and building FSST symbol tables
        // was about 0.3 s of the ~2.6 s the inserts of 2,000,000 rows took on the loading thread (the
        // critical path), and the store grew only from 40 to 43 MB; dictionary compression stays on.
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 1");
            statement.execute("SET disabled_compression_methods = 'fsst'");
        }
    }

    public int sourceId() {
        return sourceId;
    }

    public long rowsLoaded() {
        return rowsLoaded;
    }

    public long rowsRejected() {
        return rowsRejected;
    }

    /**
     * Appends one request; the row must already be validated (the line number is gone at flush).
     * Buffered in a batch of {@link RequestBatch#DEFAULT_CAPACITY} rows, inserted when full and at commit.
     */
    public void append(RequestRow row) {
        if (pending == null) {
            pending = newBatch();
        }
        pending.add(row);
        if (pending.isFull()) {
            append(pending);
            pending.clear();
        }
    }

    /**
     * A new empty batch for {@link #append(RequestBatch)}. Its memory belongs to this load: the caller
     * may close it early, and the load closes it when it commits or closes.
     */
    public RequestBatch newBatch() {
        RequestBatch batch = new RequestBatch(allocator, RequestBatch.DEFAULT_CAPACITY);
        batches.add(batch);
        return batch;
    }

    /**
     * Inserts every row of {@code batch} (validated rows, as for {@link #append(RequestRow)}) in one
     * statement; the caller then clears or closes the batch.
     */
    public void append(RequestBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        VectorSchemaRoot root = batch.sealed();
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, new OneBatchReader(allocator, root), stream);
            duck.registerArrowStream(BATCH_VIEW, stream);
            try (Statement statement = connection.createStatement()) {
                statement.execute(insertBatch);
            }
            rowsLoaded += batch.size();
        } catch (SQLException e) {
            throw new StoreException(uri + ": could not insert " + batch.size() + " requests into the store: "
                    + e.getMessage(), e);
        }
    }

    /** Records a line that did not load, with why; {@code raw} is sanitized and cut here. */
    public void reject(long lineNo, String reason, String raw) {
        try {
            rejects.beginRow().append(sourceId).append(lineNo).append(reason);
            appendText(rejects, raw == null ? null : sanitize(raw));
            rejects.endRow();
            rowsRejected++;
            rejectsByReason.merge(reason, 1L, Long::sum);
        } catch (SQLException e) {
            throw new StoreException(uri + ":" + lineNo + ": could not record the rejected line: " + e.getMessage(), e);
        }
    }

    /**
     * Flushes and commits the source. {@code linesRead} must equal loaded + rejected: a line that is
     * neither is a lost line, which is a bug in the reader.
     */
    public SourceSummary commit(long linesRead) {
        if (pending != null) {
            append(pending);
        }
        SourceSummary summary = new SourceSummary(sourceId, uri, linesRead, rowsLoaded, rowsRejected,
                sortedByCount(rejectsByReason));
        try {
            rejects.flush();
            rejects.close();
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE sources SET lines_read = ?, rows_loaded = ?, rows_rejected = ?, finished_at = now() "
                            + "WHERE source_id = ?")) {
                ps.setLong(1, linesRead);
                ps.setLong(2, rowsLoaded);
                ps.setLong(3, rowsRejected);
                ps.setInt(4, sourceId);
                ps.executeUpdate();
            }
            connection.commit();
            connection.setAutoCommit(true);
            finished = true;
            release();
            return summary;
        } catch (SQLException e) {
            throw new StoreException(uri + ": could not commit the loaded rows: " + e.getMessage(), e);
        }
    }

    /** Rolls back unless {@link #commit(long)} succeeded. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            // Closing an appender flushes its buffer: do it inside the transaction, then roll back,
            // so no buffered row escapes into an auto-committed write.
            rejects.close();
            connection.rollback();
            connection.setAutoCommit(true);
            release();
        } catch (SQLException e) {
            throw new StoreException(uri + ": could not roll back the partial load: " + e.getMessage(), e);
        }
    }

    /**
     * After the transaction: drops the batch view (it names the last batch's Arrow stream, which DuckDB
     * released after its insert, so a later query of it must not find it), frees the Arrow memory and
     * gives DuckDB back its threads and its FSST compression.
     */
    private void release() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP VIEW IF EXISTS " + BATCH_VIEW);
            statement.execute("RESET threads");
            statement.execute("RESET disabled_compression_methods");
        }
        for (RequestBatch batch : batches) {
            batch.close();
        }
        allocator.close();
    }

    /** Hands one filled batch to DuckDB's Arrow scan without copying (the buffers are shared by reference). */
    private static final class OneBatchReader extends ArrowReader {
        private final VectorSchemaRoot source;
        private boolean loaded;

        OneBatchReader(BufferAllocator allocator, VectorSchemaRoot source) {
            super(allocator);
            this.source = source;
        }

        @Override
        public boolean loadNextBatch() {
            if (loaded) {
                return false;
            }
            loaded = true;
            try (ArrowRecordBatch batch = new VectorUnloader(source).getRecordBatch()) {
                loadRecordBatch(batch);
            }
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
        }

        @Override
        protected Schema readSchema() {
            return source.getSchema();
        }
    }

    private static Map<String, Long> sortedByCount(Map<String, Long> counts) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Printable excerpt: control characters and invalid UTF-16 become \xHH escapes, cut to a limit. */
    static String sanitize(String raw) {
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), MAX_REJECT_EXCERPT_CHARS) + 16);
        for (int i = 0; i < raw.length() && sb.length() < MAX_REJECT_EXCERPT_CHARS; i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !isPairedSurrogate(raw, i) || c == '\uFFFD') {
                sb.append(c < 0x100 ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() >= MAX_REJECT_EXCERPT_CHARS && raw.length() > MAX_REJECT_EXCERPT_CHARS) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static boolean isPairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static void appendText(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }

    private static void appendDouble(DuckDBAppender appender, double value) throws SQLException {
        if (Double.isNaN(value)) {
            appender.appendNull();
        } else {
            appender.append(value);
        }
    }
}
