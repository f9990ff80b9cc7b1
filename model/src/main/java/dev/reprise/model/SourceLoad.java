package dev.reprise.model;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
 * <p>How rows travel: {@link #append} encodes each row as a line of tab-separated text
 * ({@link StagingFile}, a few byte copies per value) into a named pipe, and one
 * {@code INSERT ... FROM read_csv(pipe)} ({@code load/insert_staged_requests.sql}), started with the
 * load on a loader thread, streams them into {@code requests} while they are written. On the 2-core
 * build machine this costs about half the CPU of DuckDB's Java appender, which makes one JNI call
 * per text value (docs/performance.md); one statement per source also keeps DuckDB writing whole
 * row groups. Memory stays bounded (the pipe holds 64 KiB). Rejected lines are staged in a
 * temporary file and inserted at commit. Where named pipes are unavailable (no {@code mkfifo}),
 * requests are staged in a temporary file too and inserted at commit. The loader thread is the only
 * user of the connection until the pipe is closed and its statement has finished.
 */
public final class SourceLoad implements AutoCloseable {
    /** Longest excerpt of a rejected line kept in {@code rejects.raw}. */
    public static final int MAX_REJECT_EXCERPT_CHARS = 512;

    private static final String INSERT_REQUESTS = SqlScripts.read("load/insert_staged_requests.sql");
    private static final String INSERT_REJECTS = SqlScripts.read("load/insert_staged_rejects.sql");

    private final Connection connection;
    private final int sourceId;
    private final String uri;
    private final Path stagingDir;
    private final Map<String, Long> rejectsByReason = new HashMap<>();
    private final StagingFile requests;
    private final StagingFile rejects;
    /** Completes when the streaming INSERT has read the whole pipe; null when requests go to a file. */
    private final CompletableFuture<Void> streaming;
    /** Runs the streaming INSERT, then (only after a failure) drains the pipe until interrupted. */
    private final Thread loader;
    private long rowsLoaded;
    private long rowsRejected;
    private boolean finished;

    SourceLoad(Connection connection, int sourceId, String uri) throws SQLException {
        this.connection = connection;
        this.sourceId = sourceId;
        this.uri = uri;
        try {
            this.stagingDir = Files.createTempDirectory("reprise-load-");
        } catch (IOException e) {
            throw new StoreException(uri + ": cannot create a temporary directory for loading (" + e.getMessage()
                    + "); check that java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") is writable", e);
        }
        CompletableFuture<Void> started = null;
        Thread loader = null;
        StagingFile requestFile = null;
        StagingFile rejectFile = null;
        try {
            Path pipe = stagingDir.resolve("requests.tsv");
            if (makeNamedPipe(pipe)) {
                started = new CompletableFuture<>();
                CompletableFuture<Void> done = started;
                // Opening the pipe for writing waits until the INSERT (or, after a failure, the drain)
                // opens it for reading, so no row is written before someone reads.
                requestFile = new StagingFile(pipe, () -> throwIfFailed(done), () -> Files.newOutputStream(pipe));
                loader = new Thread(() -> streamInsert(pipe, done), "reprise-store-load " + sourceId);
                loader.setDaemon(true);
                loader.start();
            } else {
                requestFile = new StagingFile(pipe);
            }
            rejectFile = new StagingFile(stagingDir.resolve("rejects.tsv"));
        } catch (IOException | RuntimeException e) {
            StoreException failure = new StoreException(uri + ": cannot prepare the staging files in " + stagingDir
                    + ": " + e.getMessage(), e);
            if (started != null) {
                closeQuietly(requestFile, failure);
                awaitQuietly(started, failure);
                loader.interrupt();
            }
            deleteStagingQuietly(failure);
            throw failure;
        }
        this.streaming = started;
        this.loader = loader;
        this.requests = requestFile;
        this.rejects = rejectFile;
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

    /** Appends one request; the row must already be validated (the line number is gone at flush). */
    public void append(RequestRow row) {
        try {
            requests.number(row.lineNo())
                    .number(row.tsEpochMicros())
                    .text(row.client())
                    .text(row.sessionHint())
                    .text(row.method())
                    .text(row.path())
                    .text(row.query())
                    .text(row.protocol());
            if (row.status() < 0) {
                requests.nothing();
            } else {
                requests.number(row.status());
            }
            if (row.bytes() < 0) {
                requests.nothing();
            } else {
                requests.number(row.bytes());
            }
            requests.decimal(row.durationMs())
                    .decimal(row.upstreamMs())
                    .text(row.referer())
                    .text(row.userAgent())
                    .text(row.host())
                    .text(row.extraJson())
                    .endRow();
        } catch (IOException e) {
            if (streaming != null) {
                throwIfFailed(streaming); // a broken pipe: the INSERT reading it has failed, say why
            }
            throw stagingFailure(row.lineNo(), e);
        }
        rowsLoaded++;
    }

    /** Records a line that did not load, with why; {@code raw} is sanitized and cut here. */
    public void reject(long lineNo, String reason, String raw) {
        try {
            rejects.number(lineNo).text(reason).text(raw == null ? null : sanitize(raw)).endRow();
        } catch (IOException e) {
            throw stagingFailure(lineNo, e);
        }
        rowsRejected++;
        rejectsByReason.merge(reason, 1L, Long::sum);
    }

    /**
     * Flushes and commits the source. {@code linesRead} must equal loaded + rejected: a line that is
     * neither is a lost line, which is a bug in the reader.
     */
    public SourceSummary commit(long linesRead) {
        SourceSummary summary = new SourceSummary(sourceId, uri, linesRead, rowsLoaded, rowsRejected,
                sortedByCount(rejectsByReason));
        try {
            requests.close(); // end of the stream: the streaming INSERT finishes
            rejects.close();
            if (streaming != null) {
                await(streaming);
            } else if (requests.rows() > 0) {
                insert(INSERT_REQUESTS, requests.file());
            }
            if (rejects.rows() > 0) {
                insert(INSERT_REJECTS, rejects.file());
            }
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
            deleteStaging();
            return summary;
        } catch (IOException e) {
            if (streaming != null) {
                throwIfFailed(streaming);
            }
            throw new StoreException(uri + ": cannot write the staging files in " + stagingDir + ": "
                    + e.getMessage(), e);
        } catch (SQLException e) {
            throw new StoreException(uri + ": could not commit the loaded rows: " + Store.firstLine(e.getMessage()), e);
        }
    }

    /** Rolls back unless {@link #commit(long)} succeeded. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        StoreException failure = new StoreException(uri + ": could not roll back the partial load");
        // Ending the stream lets the streaming INSERT finish (its rows are rolled back below) and frees
        // the connection; a cut last row may make it fail, which no longer matters.
        closeQuietly(requests, null);
        closeQuietly(rejects, null);
        if (streaming != null) {
            awaitQuietly(streaming, null);
            loader.interrupt(); // ends a drain after a failed INSERT; the INSERT itself is over
        }
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
        deleteStagingQuietly(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Runs on the loader thread: one INSERT reading the pipe until its writer closes it. */
    private void streamInsert(Path pipe, CompletableFuture<Void> done) {
        try {
            insert(INSERT_REQUESTS, pipe);
            done.complete(null);
        } catch (SQLException | RuntimeException e) {
            done.completeExceptionally(e);
            drainUntilInterrupted(pipe, e);
        }
    }

    /**
     * After a failed INSERT nobody reads the pipe, and the writer would block for good (opening it,
     * or writing to a full pipe): read and discard until {@link #close()} interrupts this thread. The
     * pipe is opened read-write, which never blocks; an interruptible channel lets close() end it.
     */
    private static void drainUntilInterrupted(Path pipe, Exception cause) {
        java.nio.ByteBuffer sink = java.nio.ByteBuffer.allocate(64 * 1024);
        try (RandomAccessFile both = new RandomAccessFile(pipe.toFile(), "rw");
             java.nio.channels.FileChannel channel = both.getChannel()) {
            while (!Thread.currentThread().isInterrupted()) {
                sink.clear();
                channel.read(sink); // discarded: the load has failed and will be rolled back
            }
        } catch (java.nio.channels.ClosedByInterruptException e) {
            Thread.interrupted(); // the expected end
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void insert(String insertSql, Path file) throws SQLException {
        String sql = insertSql.replace("{source_id}", Integer.toString(sourceId))
                .replace("{file}", "'" + file.toString().replace("'", "''") + "'");
        try (Statement st = connection.createStatement()) {
            // Letting DuckDB insert in any order is faster; no query depends on storage order (they
            // order by ts, source_id, line_no).
            st.execute("SET preserve_insertion_order = false");
        }
        SQLException failure = null;
        try (Statement st = connection.createStatement()) {
            st.executeUpdate(sql);
        } catch (SQLException e) {
            failure = e;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("RESET preserve_insertion_order");
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void throwIfFailed(CompletableFuture<Void> done) {
        if (done.isCompletedExceptionally()) {
            await(done);
        }
    }

    private void await(CompletableFuture<Void> done) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the INSERT runs on regardless; the connection is ours only after it
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new StoreException(uri + ": could not copy the rows into the store: "
                    + Store.firstLine(cause.getMessage()), cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitQuietly(CompletableFuture<Void> done, Exception collector) {
        try {
            await(done);
        } catch (StoreException e) {
            if (collector != null) {
                collector.addSuppressed(e);
            }
        }
    }

    private static void closeQuietly(StagingFile file, Exception collector) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            if (collector != null) {
                collector.addSuppressed(e);
            }
        }
    }

    private StoreException stagingFailure(long lineNo, IOException e) {
        return new StoreException(uri + ":" + lineNo + ": cannot write the staging file in " + stagingDir + ": "
                + e.getMessage() + " (is the temporary directory's disk full?)", e);
    }

    /** {@code mkfifo path}; false when the platform has no named pipes. */
    private static boolean makeNamedPipe(Path path) {
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            mkfifo.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0 && Files.exists(path);
        } catch (IOException e) {
            return false; // no mkfifo on this platform: requests are staged in a file instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void deleteStaging() {
        try (var files = Files.list(stagingDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(stagingDir);
        } catch (IOException e) {
            throw new UncheckedIOException(uri + ": cannot remove the temporary staging files in " + stagingDir, e);
        }
    }

    private void deleteStagingQuietly(Exception collector) {
        try {
            deleteStaging();
        } catch (UncheckedIOException e) {
            collector.addSuppressed(e);
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
}
