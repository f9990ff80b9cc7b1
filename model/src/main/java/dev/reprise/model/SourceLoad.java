package dev.reprise.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
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
 */
public final class SourceLoad implements AutoCloseable {
    /** Longest excerpt of a rejected line kept in {@code rejects.raw}. */
    public static final int MAX_REJECT_EXCERPT_CHARS = 512;

    private final Connection connection;
    private final int sourceId;
    private final String uri;
    private final DuckDBAppender requests;
    private final DuckDBAppender rejects;
    private final Map<String, Long> rejectsByReason = new HashMap<>();
    private long rowsLoaded;
    private long rowsRejected;
    private boolean finished;

    SourceLoad(Connection connection, int sourceId, String uri) throws SQLException {
        this.connection = connection;
        this.sourceId = sourceId;
        this.uri = uri;
        DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
        this.requests = duck.createAppender("main", "requests");
        this.rejects = duck.createAppender("main", "rejects");
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
            requests.beginRow()
                    .append(sourceId)
                    .append(row.lineNo())
                    .appendEpochMicros(row.tsEpochMicros());
            appendText(requests, row.client());
            appendText(requests, row.sessionHint());
            requests.append(row.method()).append(row.path());
            appendText(requests, row.query());
            appendText(requests, row.protocol());
            if (row.status() < 0) {
                requests.appendNull();
            } else {
                requests.append((short) row.status());
            }
            if (row.bytes() < 0) {
                requests.appendNull();
            } else {
                requests.append(row.bytes());
            }
            appendDouble(requests, row.durationMs());
            appendDouble(requests, row.upstreamMs());
            appendText(requests, row.referer());
            appendText(requests, row.userAgent());
            appendText(requests, row.host());
            appendText(requests, row.extraJson());
            requests.endRow();
            rowsLoaded++;
        } catch (SQLException e) {
            throw new StoreException(uri + ":" + row.lineNo() + ": could not append the request to the store: "
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
        SourceSummary summary = new SourceSummary(sourceId, uri, linesRead, rowsLoaded, rowsRejected,
                sortedByCount(rejectsByReason));
        try {
            requests.flush();
            rejects.flush();
            requests.close();
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
            requests.close();
            rejects.close();
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException(uri + ": could not roll back the partial load: " + e.getMessage(), e);
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
